"""The pathway's caseload: cases, their waiting list and their chronology."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from panel import rules
from referrals.choices import Signpost


class Pathway(models.Model):
    """The one CASPA pathway. Its row is the lock every path that adds to the caseload takes."""

    name = models.CharField(max_length=100, default="CASPA")
    cap = models.PositiveSmallIntegerField(default=rules.CAP)

    def __str__(self):
        return self.name


class CaseStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for a place"
    AWAITING_PANEL = "awaiting_panel", "Awaiting its first panel"
    ACTIVE = "active", "Active"
    NOT_ADOPTED = "not_adopted", "Not adopted"
    CLOSED = "closed", "Closed"


# The statuses that take one of the pathway's places.
ON_CASELOAD = (CaseStatus.AWAITING_PANEL, CaseStatus.ACTIVE)


class RiskLevel(models.TextChoices):
    CRITICAL = "critical", "Critical"
    HIGH = "high", "High"
    REDUCING = "reducing", "Reducing"


class Outcome(models.TextChoices):
    STEPPED_DOWN = "stepped_down", "Risk reduced: stepped down to one agency"
    MOVED_AWAY = "moved_away", "Moved out of the area"
    DIED = "died", "Died"
    DECLINED_WITH_CAPACITY = (
        "declined_with_capacity",
        "Person declined, with capacity, and the risk is accepted",
    )
    OTHER = "other", "Other (explained)"


class CaseQuerySet(models.QuerySet):
    def on_caseload(self):
        return self.filter(status__in=ON_CASELOAD)

    def waiting_list(self):
        """Referrals accepted while the pathway was full, first come first served."""
        return self.filter(status=CaseStatus.WAITING).order_by("waiting_since", "pk")


class Case(models.Model):
    """One adult on the pathway, from the accepted referral to closure with an outcome."""

    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.PROTECT, related_name="case"
    )
    person = models.ForeignKey("referrals.Person", on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(max_length=20, choices=CaseStatus.choices)
    waiting_since = models.DateTimeField(help_text="When the referral was accepted.")
    joined_caseload_at = models.DateTimeField(null=True, blank=True)
    lead_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lead_officer = models.CharField("Lead responsible officer", max_length=200, blank=True)
    involved_agencies = models.ManyToManyField("accounts.Agency", blank=True, related_name="+")
    risk_level = models.CharField(
        max_length=20, choices=RiskLevel.choices, default=RiskLevel.CRITICAL
    )
    risk_assessed_on = models.DateField(
        "Risk last agreed by the panel",
        null=True,
        blank=True,
        help_text="When a panel meeting last agreed the risk level: the multi-agency "
        "risk assessment.",
    )
    # --- closure ---
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    outcome_detail = models.TextField(max_length=2000, blank=True)
    step_down_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name="agency taking the case on",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closure_agreed_on = models.DateField(null=True, blank=True)
    not_adopted_reason = models.TextField(max_length=2000, blank=True)
    not_adopted_signpost = models.CharField(
        "Better route", max_length=30, choices=Signpost.choices, blank=True
    )
    previous_case = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reopened_as",
        help_text="The closed case this one reopens, when a new referral brings the person back.",
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(m2m_fields=[involved_agencies])

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["waiting_since"]
        permissions = []
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.CLOSED)
                | (
                    ~Q(outcome="") & Q(closed_at__isnull=False) & Q(closure_agreed_on__isnull=False)
                ),
                name="closed_case_has_an_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.CLOSED, outcome=Outcome.STEPPED_DOWN)
                | Q(step_down_agency__isnull=False),
                name="stepped_down_case_names_the_agency_taking_it_on",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=ON_CASELOAD) | Q(joined_caseload_at__isnull=False),
                name="case_on_caseload_says_when_it_joined",
            ),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("panel:case", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"C-{self.pk:06d}"

    @property
    def is_new(self) -> bool:
        """Accepted onto the caseload, waiting for a panel to adopt it or not."""
        return self.status == CaseStatus.AWAITING_PANEL

    @property
    def is_on_caseload(self) -> bool:
        """Holding one of the pathway's places: awaiting its first panel, or adopted."""
        return self.status in ON_CASELOAD


class CaseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseEvent(models.Model):
    """One line of a case's chronology: everything that happened to it, in one timeline."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    happened_at = models.DateTimeField()
    summary = models.CharField(max_length=500)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["happened_at", "pk"]

    def __str__(self):
        return f"{self.case}: {self.summary}"


CONFIDENTIALITY_STATEMENT = (
    "Everything discussed at this meeting is confidential. It is shared under the CASPA "
    "information sharing protocol for the purpose of protecting the adults discussed, and is "
    "not to be passed on except as the protocol allows."
)


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved by the chair"


class PanelMeeting(models.Model):
    """A monthly panel meeting of all the partner agencies."""

    date = models.DateField(unique=True)
    confidentiality_statement = models.TextField(default=CONFIDENTIALITY_STATEMENT)
    minutes_status = models.CharField(
        max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    minutes_approved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(minutes_status=MinutesStatus.APPROVED)
                | Q(minutes_approved_by__isnull=False, minutes_approved_at__isnull=False),
                name="approved_minutes_say_who_approved_them",
            )
        ]

    def __str__(self):
        return f"Panel meeting, {self.date:%-d %B %Y}"

    def get_absolute_url(self):
        return reverse("panel:meeting", args=[self.pk])


class AgendaKind(models.TextChoices):
    NEW = "new", "New referral"
    REVIEW = "review", "Case review"
    OTHER = "other", "Other business"


class AgendaItem(models.Model):
    """One item of a meeting's agenda: a new referral, a case to review, or other business."""

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=AgendaKind.choices)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_items"
    )
    title = models.CharField(max_length=200, blank=True)
    notes = models.TextField("Coordinator's notes", max_length=2000, blank=True)
    minute = models.TextField(max_length=5000, blank=True)
    # Two people minuting the same item: the second save is refused, not silently kept.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "case"],
                condition=Q(case__isnull=False),
                name="a_case_appears_once_per_agenda",
            ),
            models.CheckConstraint(
                condition=Q(kind=AgendaKind.OTHER) | Q(case__isnull=False),
                name="case_items_name_their_case",
            ),
        ]

    def __str__(self):
        return self.title or str(self.case)

    @property
    def heading(self) -> str:
        if self.case_id:
            return f"{self.get_kind_display()}: {self.case.person} ({self.case.reference})"
        return self.title


class Attendance(models.Model):
    """Who came to a meeting for which agency, and their agreement to confidentiality."""

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    attendee = models.CharField(max_length=200)
    agreed_to_confidentiality = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agency__name", "attendee"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "agency", "attendee"],
                name="one_attendance_per_person_per_meeting",
            ),
        ]

    def __str__(self):
        return f"{self.attendee} ({self.agency})"


class MinutesAmendment(models.Model):
    """A change to an item's minute after the chair approved the minutes: kept, with why."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="amendments")
    previous_minute = models.TextField()
    minute = models.TextField(max_length=5000)
    reason = models.CharField(max_length=500)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["made_at"]

    def __str__(self):
        return f"Amendment to {self.item} by {self.by}"


class MDTMeeting(models.Model):
    """A smaller multi-disciplinary meeting about one case, called between panels."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="mdt_meetings")
    held_on = models.DateField()
    invited = models.ManyToManyField("accounts.Agency", related_name="+", blank=True)
    attended = models.ManyToManyField("accounts.Agency", related_name="+", blank=True)
    notes = models.TextField(max_length=5000, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[invited, attended])

    class Meta:
        ordering = ["-held_on"]

    def __str__(self):
        return f"MDT meeting on {self.held_on:%-d %B %Y}"
