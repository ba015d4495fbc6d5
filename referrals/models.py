"""The adult at risk (one Person record, whatever the number of referrals) and referrals."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from referrals.choices import (
    Consent,
    Ethnicity,
    Gender,
    Need,
    Signpost,
    Status,
    YesNo,
)
from referrals.rules import matching, sections

SHORT = 200
MEDIUM = 1000
LONG = 4000


class Person(models.Model):
    """One adult, held once. Referrals about them link here; duplicates are merged, not deleted."""

    family_name = models.CharField(max_length=SHORT)
    given_names = models.CharField(max_length=SHORT)
    other_names = models.CharField(max_length=SHORT, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    ethnicity = models.CharField(max_length=40, choices=Ethnicity.choices, blank=True)
    gender = models.CharField(max_length=20, choices=Gender.choices, blank=True)
    # Kept in step with family_name so that names that sound alike are found by an index.
    family_name_soundex = models.CharField(max_length=4, db_index=True, editable=False)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_records"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["family_name", "given_names"]
        constraints = [
            models.UniqueConstraint(
                fields=["nhs_number"],
                condition=~Q(nhs_number="") & Q(merged_into__isnull=True),
                name="one_live_person_per_nhs_number",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")), name="person_not_merged_into_itself"
            ),
        ]

    def __str__(self):
        return f"{self.given_names} {self.family_name}"

    def save(self, *args, **kwargs):
        self.family_name_soundex = matching.soundex(self.family_name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("referrals:person", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"P-{self.pk:06d}"

    def identity(self) -> matching.Identity:
        return matching.Identity(self.family_name, self.date_of_birth, self.nhs_number)


class ReferralQuerySet(models.QuerySet):
    def screening_queue(self):
        """Submitted referrals waiting for a decision, oldest first."""
        return self.filter(status=Status.SUBMITTED).order_by("submitted_at", "pk")

    def accepted(self):
        return self.filter(status=Status.ACCEPTED)


class Referral(models.Model):
    """A partner agency's referral of one adult, from draft to the coordinator's decision."""

    # --- where it stands ---
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made"
    )
    referring_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="referrals_made"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    resubmitted_at = models.DateTimeField(null=True, blank=True)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    may_be_known = models.BooleanField(
        default=False, help_text="At submission, someone already known may be this person."
    )
    # Optimistic locking: every save states the version it was editing
    # (docs/engineering-notes.md, "Optimistic locking").
    version = models.PositiveIntegerField(default=1)

    # --- about the person ---
    family_name = models.CharField(
        max_length=SHORT,
        blank=True,
        help_text="As the person uses it. We check it against people already known.",
    )
    given_names = models.CharField(
        max_length=SHORT, blank=True, help_text="All their given names, as on their records."
    )
    other_names = models.CharField(
        "Other names (optional)",
        max_length=SHORT,
        blank=True,
        help_text="Names they have used or are known by, including nicknames and former names.",
    )
    date_of_birth = models.DateField(
        null=True,
        blank=True,
        help_text="For example, 27 3 1981. If you only know the year, "
        "give 1 1 and the year, and say so in 'other names'.",
    )
    nhs_number = models.CharField(
        "NHS number (optional)",
        max_length=10,
        blank=True,
        help_text="10 digits, like 943 476 5919. It is the surest way to find earlier records.",
    )
    address = models.TextField(
        "Where they live",
        max_length=MEDIUM,
        blank=True,
        help_text="Their address, or where they can be found if they have no fixed abode.",
    )
    lives_with = models.TextField(
        "Who they live with",
        max_length=MEDIUM,
        blank=True,
        help_text="Name the people and their relationship, or say they live alone. Say if "
        "anyone they live with is a risk to them.",
    )
    ethnicity = models.CharField(
        max_length=40,
        choices=Ethnicity.choices,
        blank=True,
        help_text="As the person describes it (2021 Census categories).",
    )
    ethnicity_not_known_reason = models.CharField(
        "Why is their ethnicity not known?",
        max_length=500,
        blank=True,
        help_text="For example: not yet asked because they were in crisis.",
    )
    gender = models.CharField(
        max_length=20,
        choices=Gender.choices,
        blank=True,
        help_text="As the person describes themselves.",
    )
    gender_description = models.CharField(
        "How they describe their gender", max_length=SHORT, blank=True
    )
    preferred_language = models.CharField(
        max_length=100, blank=True, help_text="The language they are most comfortable in."
    )
    interpreter_needed = models.CharField(
        "Do they need an interpreter?",
        max_length=3,
        choices=YesNo.choices,
        blank=True,
        help_text="Including British Sign Language.",
    )
    disability = models.TextField(
        max_length=MEDIUM,
        blank=True,
        help_text="Any physical, learning or sensory disability, or 'none known'.",
    )
    communication_needs = models.TextField(
        max_length=MEDIUM,
        blank=True,
        help_text="What helps them understand and take part: for example easy-read letters, "
        "short meetings, a trusted worker present. Or 'none'.",
    )

    # --- needs ---
    needs = models.JSONField(
        default=dict,
        blank=True,
        help_text="Each need ticked, with a line of evidence: {need code: evidence}.",
    )
    primary_need = models.CharField(
        "Which need is most pressing?",
        max_length=40,
        choices=Need.choices,
        blank=True,
        help_text="The one that, if nothing changes, is most likely to cause serious harm.",
    )

    # --- risk ---
    risk_description = models.TextField(
        "What is the risk?",
        max_length=LONG,
        blank=True,
        help_text="What could happen, to whom, and how likely it is. Facts, with dates.",
    )
    why_critical_now = models.TextField(
        "Why is it critical now?",
        max_length=LONG,
        blank=True,
        help_text="What has changed or escalated, and why no single agency can manage it.",
    )
    tried_so_far = models.TextField(
        "What has been tried, and by which agencies?",
        max_length=LONG,
        blank=True,
        help_text="Each agency, what it offered, and what happened. This stops agencies "
        "starting again.",
    )
    agencies_involved = models.ManyToManyField(
        "accounts.Agency",
        blank=True,
        related_name="+",
        help_text="Every agency working with the person now.",
    )

    # --- safety ---
    safety_plan = models.TextField(
        "What risk and safety plan is in place now?",
        max_length=LONG,
        blank=True,
        help_text="Who does what, and when, to keep the person safe. If there is none, say so.",
    )
    interim_plan_in_place = models.CharField(
        "Is an interim protection plan in place until the panel meets?",
        max_length=3,
        choices=YesNo.choices,
        blank=True,
        help_text="What keeps the person safe in the weeks before the panel can meet.",
    )
    interim_plan = models.TextField(
        "What is the interim protection plan?",
        max_length=LONG,
        blank=True,
        help_text="Who does what, and when, until the panel meets.",
    )
    interim_plan_why_not = models.TextField(
        "Why is there no interim protection plan?",
        max_length=MEDIUM,
        blank=True,
        help_text="For example: the person refused, or agencies could not agree who leads.",
    )

    # --- the person's voice ---
    persons_views = models.TextField(
        "What are the person's own views and wishes?",
        max_length=LONG,
        blank=True,
        help_text="In their words where you can: what they want to happen, and what they do not.",
    )
    consent = models.CharField(
        "Does the person consent to this referral?",
        max_length=20,
        choices=Consent.choices,
        blank=True,
        help_text="Ask them before you refer, unless asking would increase the risk.",
    )
    consent_detail = models.TextField(
        "Why are you referring without their consent?",
        max_length=MEDIUM,
        blank=True,
        help_text="For example, a risk to others, or a vital interest. If consent was not "
        "sought, say why.",
    )
    capacity_considered = models.CharField(
        "Was the person's mental capacity considered?",
        max_length=3,
        choices=YesNo.choices,
        blank=True,
        help_text="For the decisions this referral is about, under the Mental Capacity Act.",
    )
    capacity_conclusion = models.TextField(
        "What was concluded, or why was it not considered?",
        max_length=MEDIUM,
        blank=True,
        help_text="Which decision was assessed, by whom, when, and the outcome.",
    )

    # --- risk tools ---
    risk_tools = models.JSONField(
        default=dict, blank=True, help_text="Each tool used, with its score or outcome."
    )
    risk_tools_none_reason = models.TextField(
        "If no tool was used, why not?", max_length=MEDIUM, blank=True
    )

    # --- the referrer ---
    referrer_name = models.CharField("Your name", max_length=SHORT, blank=True)
    referrer_role = models.CharField(
        "Your role", max_length=SHORT, blank=True, help_text="Your job title and team."
    )
    referrer_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name="Your agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    referrer_phone = models.CharField(
        "Your phone number",
        max_length=40,
        blank=True,
        help_text="A number the coordinator can call you on directly.",
    )
    referrer_email = models.EmailField("Your work e-mail address", blank=True)
    referrer_availability = models.CharField(
        "When can you be reached?",
        max_length=500,
        blank=True,
        help_text="For example: Monday to Wednesday, 9am to 5pm.",
    )

    # --- screening ---
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    screened_at = models.DateTimeField(null=True, blank=True)
    more_information_question = models.TextField(
        "The coordinator's question", max_length=MEDIUM, blank=True
    )
    decline_reason = models.TextField(max_length=MEDIUM, blank=True)
    signpost = models.CharField(max_length=30, choices=Signpost.choices, blank=True)
    signpost_detail = models.CharField(max_length=500, blank=True)

    history = HistoricalRecords(m2m_fields=[agencies_involved])

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.DECLINED) | (~Q(decline_reason="") & ~Q(signpost="")),
                name="declined_referral_has_reason_and_signpost",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.MORE_INFORMATION) | ~Q(more_information_question=""),
                name="more_information_has_a_question",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.ACCEPTED) | Q(person__isnull=False),
                name="accepted_referral_has_a_person",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT) | Q(submitted_at__isnull=False),
                name="referral_past_draft_was_submitted",
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("referrals:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"R-{self.pk:06d}"

    @property
    def is_editable_by_referrer(self) -> bool:
        return self.status in (Status.DRAFT, Status.MORE_INFORMATION)

    @property
    def is_waiting_for_screening(self) -> bool:
        return self.status == Status.SUBMITTED

    @property
    def person_name(self) -> str:
        return f"{self.given_names} {self.family_name}".strip() or "Name not yet given"

    def identity(self) -> matching.Identity:
        return matching.Identity(self.family_name, self.date_of_birth, self.nhs_number)

    def answers(self) -> dict:
        """The referral's answers, keyed as the completeness rule reads them."""
        values = {
            field: getattr(self, field)
            for section in sections.SECTIONS
            for field in section.fields
            if field not in ("agencies_involved", "referrer_agency")
        }
        values["agencies_involved"] = [agency.pk for agency in self.agencies_involved.all()]
        values["referrer_agency"] = self.referrer_agency_id
        return values


class ScreeningQuestion(models.Model):
    """One exchange at screening: the coordinator's question about a referral, and the
    referrer's answer, which sends the referral back for screening.

    A referral can go back and forth more than once; each question is a record of its own, so
    that every question and its answer are read together. The question open now is also kept on
    the referral (`Referral.more_information_question`), which a referral back with its
    referrer must have (a database constraint)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="questions")
    question = models.TextField(max_length=MEDIUM)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField()
    answer = models.TextField("Your answer", max_length=LONG, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(answered_by__isnull=False),
                name="answered_question_says_who_answered",
            ),
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(answered_at__isnull=True),
                name="one_open_question_per_referral",
            ),
        ]

    def __str__(self):
        return f"Question about {self.referral.reference}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None
