from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared core as a Django app, for the one model it owns (the outbox), and the one
    place the bounded path converter is registered."""

    name = "caspa.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from django.urls import register_converter

        from caspa.core.converters import NAME, BoundedIntConverter

        register_converter(BoundedIntConverter, NAME)
