from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The managers' dashboard and the quarterly report to the Safeguarding Adults Board:
    aggregates only, never a person."""

    name = "dashboard"
