"""Actions agreed for a case: who does what by when. (The action log, escalation and
reminders are built on this in the actions capability.)"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actions import rules
from caspa.core.choices import ActionStatus
from caspa.core.references import action_reference

OPEN_STATUSES = rules.OPEN_STATUSES


# The rules of actions/rules.py as SQL conditions. `via` is the path from the model queried to
# the action ("actions__" from a case or an agency), so aggregates use the same conditions.
def is_open_q(via: str = "") -> models.Q:
    return models.Q(**{f"{via}status__in": rules.OPEN_STATUSES})


def is_overdue_q(today, via: str = "") -> models.Q:
    return is_open_q(via) & models.Q(**{f"{via}due_on__lt": today})


def is_escalated_q(via: str = "") -> models.Q:
    return is_open_q(via) & models.Q(**{f"{via}escalation_level__gt": 0})


class ActionQuerySet(models.QuerySet):
    """The rules of actions/rules.py in SQL: each has a matching property on Action."""

    def open(self):
        return self.filter(is_open_q())

    def finished(self):
        return self.exclude(is_open_q())

    def overdue(self, today):
        return self.filter(is_overdue_q(today))

    def escalated(self):
        return self.filter(is_escalated_q())

    def owned_by(self, agency):
        return self.filter(owner_agency=agency)

    def escalated_to_chair(self):
        return self.escalated().filter(escalation_level__gte=rules.TO_CHAIR)

    def escalated_to(self, agency):
        """Escalated to this agency's SPoC (rules.escalated_to_agency_id, in SQL)."""
        return self.escalated().filter(
            models.Q(case__lead_agency=agency)
            | models.Q(case__lead_agency__isnull=True, owner_agency=agency)
        )


class Action(models.Model):
    case = models.ForeignKey("panel.Case", on_delete=models.PROTECT, related_name="actions")
    description = models.TextField("What is to be done", max_length=2000)
    owner_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="actions"
    )
    owner_officer = models.CharField("Named officer", max_length=200, blank=True)
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    agreed_at_meeting = models.ForeignKey(
        "panel.PanelMeeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
    )
    agreed_at_mdt = models.ForeignKey(
        "panel.MDTMeeting", on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    # The plan: the risk this action mitigates.
    risk = models.ForeignKey(
        "panel.Risk",
        verbose_name="The risk it reduces",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mitigations",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # 0 none, 1 the lead agency's SPoC, 2 the panel chair (actions/rules.py says when).
    escalation_level = models.PositiveSmallIntegerField(default=0)
    manual_escalation_level = models.PositiveSmallIntegerField(default=0)
    manual_escalation_reason = models.TextField(max_length=1000, blank=True)
    version = models.PositiveIntegerField(default=1)
    # The date on which the reminder sweep can next have something to do for it, set by the
    # sweep (actions/sweep.py); blank, "look at it", whenever the action is saved by anything
    # else. Not history: it is the sweep's bookmark, not a change anyone made.
    sweep_next_on = models.DateField(null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["sweep_next_on"])

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            # The sweep reads only open actions it has not looked at since they changed (by
            # due date, or escalated by hand), and those whose next date has come: its cost
            # follows what is new or due, not how many actions are open or overdue.
            models.Index(
                fields=["due_on"],
                condition=is_open_q() & models.Q(sweep_next_on__isnull=True),
                name="action_sweep_unseen",
            ),
            models.Index(
                fields=["id"],
                condition=is_escalated_q() & models.Q(sweep_next_on__isnull=True),
                name="action_sweep_unseen_escalated",
            ),
            models.Index(
                fields=["sweep_next_on"],
                condition=is_open_q() & models.Q(sweep_next_on__isnull=False),
                name="action_sweep_next",
            ),
        ]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        # Any change can change what the sweep has to do for it: it looks again. (The sweep
        # stores its dates with bulk updates, which do not come here.)
        self.sweep_next_on = None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "sweep_next_on" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "sweep_next_on"]
        super().save(*args, **kwargs)

    @property
    def reference(self) -> str:
        return action_reference(self.pk)

    @property
    def is_open(self) -> bool:
        return rules.is_open(status=self.status)

    def is_overdue(self, today=None) -> bool:
        """Templates call it without a date: overdue today."""
        return rules.is_overdue(
            status=self.status, due_on=self.due_on, today=today or timezone.localdate()
        )

    @property
    def is_escalated(self) -> bool:
        return self.is_open and rules.is_escalated(escalation_level=self.escalation_level)


class ActionUpdate(models.Model):
    """A dated entry on an action by whoever updated it: the owner's progress, kept in full."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    note = models.TextField(max_length=2000, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-written_at", "-pk"]

    def __str__(self):
        return f"{self.action} → {self.get_status_display()}"


# Who an escalation at each level is with, as pages and the chronology say it.
ESCALATED_TO = {rules.TO_LEAD_AGENCY: "the lead agency's SPoC", rules.TO_CHAIR: "the panel chair"}


class EscalationOutcome(models.TextChoices):
    REASSIGNED = rules.REASSIGNED, "Reassigned to another agency"
    RE_DATED = rules.RE_DATED, "Given a new due date"
    CLOSED = rules.CLOSED, "Closed: not done, or no longer needed"
    DONE = rules.DONE, "Done by its owner"


class EscalationQuerySet(models.QuerySet):
    def still_open(self):
        return self.filter(resolved_at__isnull=True)

    def resolved(self):
        return self.filter(resolved_at__isnull=False)


class Escalation(models.Model):
    """One escalation of an action, from when it was raised (by the sweep or by hand) to what
    was done about it: it ends only with a response and an outcome."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="escalations")
    level = models.PositiveSmallIntegerField(help_text="The highest level it reached.")
    raised_at = models.DateTimeField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Blank when the reminder sweep raised it.",
    )
    reason = models.TextField(max_length=1000, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    response = models.TextField("What was done about it", max_length=2000, blank=True)
    outcome = models.CharField(max_length=20, choices=EscalationOutcome.choices, blank=True)
    history = HistoricalRecords()

    objects = EscalationQuerySet.as_manager()

    class Meta:
        ordering = ["action", "raised_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["action"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_escalation_per_action",
            ),
            models.CheckConstraint(
                condition=models.Q(resolved_at__isnull=True)
                | (~models.Q(outcome="") & ~models.Q(response="")),
                name="resolved_escalation_has_its_outcome",
            ),
        ]

    def __str__(self):
        return f"Escalation of {self.action} (level {self.level})"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def days_to_resolve(self) -> int | None:
        """Whole days from raised to resolved, by the calendar (0: the same day)."""
        if self.resolved_at is None:
            return None
        return (timezone.localdate(self.resolved_at) - timezone.localdate(self.raised_at)).days

    def get_level_display(self) -> str:
        return ESCALATED_TO[self.level]


class NoticeKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    ESCALATED_TO_SPOC = "escalated_1", "Escalated to the lead agency's SPoC"
    ESCALATED_TO_CHAIR = "escalated_2", "Escalated to the panel chair"


class Notice(models.Model):
    """One e-mail about one action to one person. The database says what is due: a unique row
    per (action, kind, recipient, due date) means each is recorded once for each date the
    action is due by (an action given a new date when its escalation is resolved is reminded
    and escalated again if it slips again), and recording it writes its e-mail to the outbox
    in the same transaction (actions/sweep.py). `message` is that e-mail: whether and when it
    was sent is the outbox's to say."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(help_text="The date the action was due by when it was recorded.")
    created_at = models.DateTimeField(auto_now_add=True)
    message = models.OneToOneField(
        "core.OutboxMessage", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "kind", "recipient", "due_on"], name="each_notice_once"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} notice for {self.action} to user {self.recipient_id}"


class Digest(models.Model):
    """The weekly e-mail to a SPoC about their agency's open and overdue actions: one row per
    SPoC per week, so it is recorded once; recording it writes its e-mail to the outbox in the
    same transaction, like a notice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    week_starting = models.DateField()
    open_count = models.PositiveIntegerField()
    overdue_count = models.PositiveIntegerField()
    message = models.OneToOneField(
        "core.OutboxMessage", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "week_starting"], name="one_digest_per_spoc_per_week"
            ),
        ]

    def __str__(self):
        return f"Digest for user {self.recipient_id}, week of {self.week_starting}"


class SweepRun(models.Model):
    """When the reminder sweep last ran and what it did: one row per sweep (`name`), updated
    at the end of each run, so /health/ reads one row however long the service runs."""

    name = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    notices_recorded = models.PositiveIntegerField(default=0)
    emails_sent = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"Sweep {self.name}, last finished {self.finished_at:%Y-%m-%d %H:%M}"
