from django.apps import AppConfig


class ActionsConfig(AppConfig):
    """The action log, escalation and reminders (built in the actions issue)."""

    name = "actions"
