"""Choices two apps both need, kept below both so that neither imports the other.

An action's statuses belong to the actions app, but the panel must know which actions are
still open when an agency leaves a case (an agency with open actions cannot leave until they
are reassigned or closed), and the panel sits below the actions app in the app graph
(docs/architecture.md).
"""

from django.db import models


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    NOT_DONE = "not_done", "Could not be done"
    NO_LONGER_NEEDED = "no_longer_needed", "No longer needed"


# An action is open until its owner says it is done, could not be done, or is no longer needed.
OPEN_ACTION_STATUSES = (ActionStatus.OPEN.value, ActionStatus.IN_PROGRESS.value)
