from django.apps import AppConfig


class PanelConfig(AppConfig):
    """Panel meetings, the agenda, the 15-case cap and lead agency (built in the panel issue)."""

    name = "panel"
