from django.apps import AppConfig


class ActionsConfig(AppConfig):
    """The action log, escalation and reminders (built in the actions issue)."""

    name = "actions"

    def ready(self):
        # The minutes name the escalations resolved since the previous meeting; the panel,
        # below this app, drafts the minutes and takes this app's lines through its hook.
        from actions.minutes import escalations_resolved_lines
        from panel.minutes import escalations_drafted_by

        escalations_drafted_by(escalations_resolved_lines)
