from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Plainly fictional demo data for `make demo`. Never installed in production."""

    name = "demo"
