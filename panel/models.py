"""The pathway's caseload: cases, their waiting list and their chronology."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from caspa.core.references import case_reference
from panel import rules
from panel.rules import access_after_closure
from panel.rules import meeting_room as room_rules
from panel.rules import next_review as review_rules
from panel.rules import returns as returns_rules
from panel.rules import risk as risk_rules
from referrals.choices import Need, Signpost


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


class RiskBand(models.TextChoices):
    """A risk's band from its score, and the case's level (panel/rules/risk.py)."""

    CRITICAL = risk_rules.CRITICAL, "Critical"
    HIGH = risk_rules.HIGH, "High"
    MEDIUM = risk_rules.MEDIUM, "Medium"
    LOW = risk_rules.LOW, "Low"


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

    def seen_after_closure_by(self, agency_id, *, now):
        """Open, or closed and still seen by this agency: within the handover period, or the
        agency taking it on (panel/rules/access_after_closure.py)."""
        cutoff = access_after_closure.handover_cutoff(
            now, months=settings.CASE_ACCESS_AFTER_CLOSURE_MONTHS
        )
        return self.filter(
            Q(closed_at__isnull=True) | Q(closed_at__gt=cutoff) | Q(step_down_agency_id=agency_id)
        )

    def past_review(self, today):
        """On the caseload and past its next review date (panel/rules/next_review.py)."""
        return self.on_caseload().filter(next_review_on__lt=today)


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
        max_length=20,
        choices=RiskBand.choices,
        default=RiskBand.CRITICAL,
        help_text="The level the panel last agreed: its risks' highest band, unless the panel "
        "recorded another level with a reason.",
    )
    risk_level_reason = models.TextField(
        "Why the panel records a different level",
        max_length=2000,
        blank=True,
        help_text="Required when the level is not the highest band of the case's risks.",
    )
    risk_level_at_adoption = models.CharField(
        max_length=20, choices=RiskBand.choices, blank=True, editable=False
    )
    next_review_on = models.DateField("Next review", null=True, blank=True)
    # --- the person's voice (Making Safeguarding Personal), from the referral, revised at reviews
    persons_views = models.TextField("The person's views and wishes", max_length=4000, blank=True)
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
    # A step-down: what the agency taking the case on keeps doing, and the contingency it
    # inherits (panel/rules/closure.py).
    handover_plan = models.TextField("What the agency will keep doing", max_length=4000, blank=True)
    handover_contingency = models.TextField(
        "The contingency it inherits", max_length=4000, blank=True
    )
    step_down_override_reason = models.TextField(
        "Why the panel steps the case down with the risk still high", max_length=2000, blank=True
    )
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
        return case_reference(self.pk)

    @property
    def is_new(self) -> bool:
        """Accepted onto the caseload, waiting for a panel to adopt it or not."""
        return self.status == CaseStatus.AWAITING_PANEL

    @property
    def is_on_caseload(self) -> bool:
        """Holding one of the pathway's places: awaiting its first panel, or adopted."""
        return self.status in ON_CASELOAD

    def is_past_review(self, today=None) -> bool:
        """Past its next review date; templates call it without a date: past it today."""
        return review_rules.is_past_review(
            next_review_on=self.next_review_on,
            today=today or timezone.localdate(),
            on_caseload=self.is_on_caseload,
        )


class CaseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class EventKind(models.TextChoices):
    """What a line of the chronology is about: the case page filters its chronology by it."""

    PATHWAY = "pathway", "Referral, adoption and closure"
    AGENCIES = "agencies", "Lead agency and agencies involved"
    ASSESSMENT = "assessment", "Risk assessment and plan"
    ACTIONS = "actions", "Actions"
    RETURNS = "returns", "Agencies' returns"
    MEETINGS = "meetings", "MDT meetings"


class CaseEvent(models.Model):
    """One line of a case's chronology: everything that happened to it, in one timeline."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    happened_at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    summary = models.CharField(max_length=500)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The panel meeting that decided it, for the decisions its minutes record (adoption, the
    # lead agency, the risk agreed, the agencies): docs/meeting-room.md.
    meeting = models.ForeignKey(
        "PanelMeeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
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


class PanelMeetingQuerySet(models.QuerySet):
    def running(self):
        """Started and not yet ended: `PanelMeeting.is_running`, in SQL."""
        return self.filter(started_at__isnull=False, ended_at__isnull=True)


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
    # What the minutes said when the chair approved them, frozen (panel/minutes.py): the
    # decisions, actions, attendance and apologies do not change when the records do.
    minutes_record = models.JSONField(default=dict, blank=True)
    # The meeting is running from when the coordinator starts it to when they end it; while it
    # runs, the members marked present follow the item on the room display (docs/meeting-room.md).
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # The item the room is looking at: 0 is the opening (confidentiality and attendance).
    current_position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    objects = PanelMeetingQuerySet.as_manager()

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

    @property
    def is_running(self) -> bool:
        return self.started_at is not None and self.ended_at is None


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

    @property
    def standing(self) -> str:
        """What has become of the case since the agenda was built, when the panel will not hear
        it as planned: closed, or not adopted. Blank while it is still for the panel."""
        if not self.case_id:
            return ""
        return room_rules.agenda_standing(
            status=self.case.status,
            closed_at=self.case.closed_at,
            status_label=self.case.get_status_display(),
        )


class ItemDraft(models.Model):
    """Text a user has typed on the control view and not yet saved, kept on the server as they
    type so that nothing is lost (docs/meeting-room.md). One per user, item and box; removed
    when the decision it belongs to is saved."""

    item = models.ForeignKey("AgendaItem", on_delete=models.CASCADE, related_name="drafts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    field = models.CharField(max_length=60)
    text = models.TextField(max_length=5000, blank=True)
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item", "user", "field"], name="one_draft_per_user_item_and_box"
            )
        ]

    def __str__(self):
        return f"Draft of {self.field} by {self.user} on {self.item}"


class Attendance(models.Model):
    """Who came to a meeting for which agency, and their agreement to confidentiality."""

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    attendee = models.CharField(max_length=200)
    agreed_to_confidentiality = models.BooleanField(default=False)
    # Sent apologies instead of coming: minuted, and does not follow the meeting.
    apologies = models.BooleanField("Sent apologies", default=False)
    # The attendee's CASPA account, if they follow the meeting on their own device.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
    )
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


# --- the shared risk assessment and plan (docs/risk-assessment.md) ------------------------


class RiskTo(models.TextChoices):
    PERSON = "person", "The person"
    OTHERS = "others", "Other adults"
    CHILDREN = "children", "Children"
    STAFF = "staff", "Staff"


SCALE_CHOICES = [(n, f"{n}") for n in risk_rules.SCALE]


class RiskQuerySet(models.QuerySet):
    def current(self):
        return self.filter(retired_on__isnull=True)


class Risk(models.Model):
    """One risk in the case's shared assessment, scored, with its plan: who monitors it, what
    mitigates it (the actions linked to it) and the contingency if it escalates."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risks")
    description = models.TextField("What could happen", max_length=2000)
    to_whom = models.JSONField("To whom", default=list, blank=True)  # RiskTo values
    need = models.CharField(
        "The need it comes from", max_length=40, choices=Need.choices, blank=True
    )
    likelihood = models.PositiveSmallIntegerField(choices=SCALE_CHOICES)
    severity = models.PositiveSmallIntegerField(choices=SCALE_CHOICES)
    warning_signs = models.TextField(
        "Early warning signs and triggers", max_length=2000, blank=True
    )
    protective_factors = models.TextField(max_length=2000, blank=True)
    source_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name="Information from",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # --- the plan
    monitored_by = models.ForeignKey(
        "accounts.Agency",
        verbose_name="Monitored by",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    monitoring_officer = models.CharField(max_length=200, blank=True)
    contingency_trigger = models.TextField("If this happens", max_length=2000, blank=True)
    contingency_response = models.TextField("Who does what", max_length=2000, blank=True)
    out_of_hours_contact = models.CharField(
        "Who to contact out of hours", max_length=500, blank=True
    )
    # --- its life
    raised_on = models.DateField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    retired_on = models.DateField(null=True, blank=True)
    retired_reason = models.TextField("Why it is retired", max_length=2000, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    objects = RiskQuerySet.as_manager()

    class Meta:
        ordering = ["case", "retired_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5, severity__gte=1, severity__lte=5),
                name="risk_scored_on_the_1_to_5_scales",
            ),
            models.CheckConstraint(
                condition=Q(retired_on__isnull=True) | ~Q(retired_reason=""),
                name="retired_risk_says_why",
            ),
        ]

    def __str__(self):
        return f"{self.case.reference} risk {self.pk}"

    @property
    def score(self) -> int:
        return risk_rules.score(likelihood=self.likelihood, severity=self.severity)

    @property
    def band(self) -> str:
        return risk_rules.band_for_score(self.score)

    def get_band_display(self) -> str:
        return RiskBand(self.band).label

    @property
    def is_current(self) -> bool:
        return self.retired_on is None

    def to_whom_display(self) -> str:
        return ", ".join(RiskTo(value).label.lower() for value in self.to_whom)


class Achievement(models.TextChoices):
    ACHIEVED = "achieved", "Achieved"
    PARTLY = "partly", "Partly achieved"
    NOT_ACHIEVED = "not_achieved", "Not achieved"


class DesiredOutcome(models.Model):
    """What the person wants to achieve, in their words; marked at closure."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="desired_outcomes")
    outcome = models.TextField("In the person's words", max_length=1000)
    achievement = models.CharField(max_length=20, choices=Achievement.choices, blank=True)
    achievement_note = models.TextField(max_length=1000, blank=True)
    added_on = models.DateField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "pk"]

    def __str__(self):
        return f"{self.case.reference} desired outcome {self.pk}"


class CapacityOutcome(models.TextChoices):
    HAS_CAPACITY = "has_capacity", "Has capacity for this decision"
    LACKS_CAPACITY = "lacks_capacity", "Lacks capacity for this decision"


class CapacityAssessment(models.Model):
    """Mental capacity for one specific decision, as the Mental Capacity Act asks: never one
    yes or no for the whole person."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="capacity_assessments")
    decision = models.CharField("The decision", max_length=500)
    assessed_by = models.CharField("Who assessed", max_length=200, help_text="Name and role.")
    assessed_on = models.DateField("When")
    outcome = models.CharField(max_length=20, choices=CapacityOutcome.choices)
    notes = models.TextField(max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "-assessed_on", "-pk"]

    def __str__(self):
        return f"{self.case.reference} capacity: {self.decision}"


class Intervention(models.Model):
    """What an agency has tried or is doing, so the panel does not start again."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interventions")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    what = models.TextField("What was offered or done", max_length=2000)
    started_on = models.DateField("From", null=True, blank=True)
    ended_on = models.DateField("Until", null=True, blank=True, help_text="Blank while ongoing.")
    what_happened = models.TextField(max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "started_on", "pk"]

    def __str__(self):
        return f"{self.case.reference} intervention by {self.agency}"

    @property
    def is_ongoing(self) -> bool:
        return self.ended_on is None


class RiskReview(models.Model):
    """The panel's review of a case's assessment: a dated version that reads as it was.

    `snapshot` holds the assessment at the review (its risks with their scores, the plan, the
    person's voice), so a past review is never re-read from records changed since."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    meeting = models.ForeignKey(
        PanelMeeting, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews"
    )
    reviewed_on = models.DateField()
    level = models.CharField(max_length=20, choices=RiskBand.choices)
    derived_level = models.CharField(max_length=20, choices=RiskBand.choices)
    level_reason = models.TextField(max_length=2000, blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    snapshot = models.JSONField(default=dict)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "reviewed_on", "pk"]
        get_latest_by = ["reviewed_on", "pk"]

    def __str__(self):
        return f"{self.case.reference} reviewed {self.reviewed_on:%-d %B %Y}"


class AgencyReturnQuerySet(models.QuerySet):
    def not_in(self):
        return self.filter(submitted_at__isnull=True)

    def overdue(self, today):
        return self.not_in().filter(due_on__lt=today)


class AgencyReturn(models.Model):
    """An agency's short return on one case before a panel meeting: asked for a set number of
    working days before it (panel/rules/returns.py), reminded once, shown to the panel."""

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="returns")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="returns")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="returns")
    requested_on = models.DateField()
    due_on = models.DateField()
    contact = models.TextField(
        "Contact with the person since the last panel", max_length=2000, blank=True
    )
    changes = models.TextField("What has changed", max_length=2000, blank=True)
    risks = models.TextField("New or changed risks", max_length=2000, blank=True)
    progress = models.TextField("Progress on your agency's actions", max_length=2000, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    request_message = models.OneToOneField(
        "core.OutboxMessage", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reminder_message = models.OneToOneField(
        "core.OutboxMessage", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    objects = AgencyReturnQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "case", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "case", "agency"],
                name="one_return_per_agency_per_case_per_meeting",
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(submitted_by__isnull=False),
                name="submitted_return_says_who",
            ),
        ]

    def __str__(self):
        return f"Return from {self.agency} on {self.case.reference} for {self.meeting}"

    @property
    def is_in(self) -> bool:
        return self.submitted_at is not None

    def is_overdue(self, today=None) -> bool:
        """Templates call it without a date: overdue today."""
        return returns_rules.is_overdue(
            due_on=self.due_on, is_in=self.is_in, today=today or timezone.localdate()
        )


class LeadDisagreement(models.Model):
    """Agencies disagreeing over who should lead: each position, and the panel's decision."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="lead_disagreements")
    meeting = models.ForeignKey(
        PanelMeeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name="The panel decided",
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField("The panel's reason", max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "recorded_at"]

    def __str__(self):
        return f"{self.case.reference}: who leads (decided {self.decided_agency})"


class LeadPosition(models.Model):
    disagreement = models.ForeignKey(
        LeadDisagreement, on_delete=models.CASCADE, related_name="positions"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    position = models.TextField(max_length=2000)

    class Meta:
        ordering = ["disagreement", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["disagreement", "agency"], name="one_position_per_agency"
            )
        ]

    def __str__(self):
        return f"{self.agency}: {self.position[:40]}"
