"""Panel forms: appointing the lead agency, reviewing the assessment, closing a case, marking
desired outcomes."""

from django import forms
from django.contrib.auth import get_user_model
from django.forms.models import ModelChoiceIterator
from django.utils import timezone

from accounts.models import Agency
from accounts.roles import Role
from caspa.core.forms import (
    BoundedIntegerField,
    BoundedModelChoiceField,
    BoundedModelMultipleChoiceField,
    GovukDateField,
    version_field,
)
from panel import closure, disagreements, reviews, services
from panel.models import Achievement, EventKind, Outcome, PanelMeeting, RiskBand
from panel.rules import closure as closure_rules
from referrals.choices import Signpost


class _ChoicesRead(ModelChoiceIterator):
    """A choice box's choices from rows the page has read already: no query of their own
    (Django's iterator asks its queryset again each time the box is drawn)."""

    def __init__(self, field, rows):
        super().__init__(field)
        self.rows = rows

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.rows:
            yield self.choice(obj)

    def __len__(self):
        return len(self.rows) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.rows)


def offer(field, queryset, rows=None) -> None:
    """The choice box `field` accepts what `queryset` holds (a posted value is checked against
    it) and is drawn from `rows`: what the page has read of it already (a case's agencies
    read with the case, its current risks), or else `queryset` itself, read once however
    many times it is drawn (docs/performance.md)."""
    field.queryset = queryset
    field.widget.choices = _ChoicesRead(field, field.queryset if rows is None else rows)


class CaseVersionForm(forms.Form):
    version = version_field()


def lead_officer_field() -> forms.CharField:
    return forms.CharField(
        label="Lead responsible officer",
        max_length=200,
        required=False,
        help_text="Name and role of the person in that agency who leads, if known.",
    )


class AppointLeadForm(CaseVersionForm):
    agency = BoundedModelChoiceField(
        label="Lead agency",
        queryset=Agency.objects.none(),
        error_messages={
            "required": "Select the lead agency",
            "invalid_choice": services.LEAD_MUST_BE_INVOLVED,
        },
    )
    officer = lead_officer_field()
    reason = forms.CharField(
        label="Why this agency leads",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the panel agreed, and any disagreement: this goes in the chronology.",
        error_messages={"required": services.LEAD_REASON_NEEDED},
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        offer(self.fields["agency"], case.involved_agencies.all(), case.involved_agencies.all())


class CloseCaseForm(CaseVersionForm):
    """Closing a case: the outcome, and what that outcome needs (panel/rules/closure.py)."""

    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": closure_rules.OUTCOME_NEEDED},
    )
    step_down_agency = BoundedModelChoiceField(
        label="Agency taking the case on",
        queryset=Agency.objects.none(),
        required=False,
        help_text="One of the agencies involved in the case.",
        error_messages={"invalid_choice": closure_rules.STEP_DOWN_AGENCY_NOT_INVOLVED},
    )
    handover_plan = forms.CharField(
        label="What the agency will keep doing",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Who keeps in touch with the person, how often, and what support carries on.",
    )
    handover_contingency = forms.CharField(
        label="The contingency it inherits",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="If the risk rises again: the warning signs to watch for, who does what, and "
        "when to refer the person back to the panel.",
    )
    override_reason = forms.CharField(
        label="Why the panel steps the case down with the risk still high (if it does)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only when the latest review did not put the risk below high: the panel's "
        "reason is kept with the closure.",
    )
    outcome_detail = forms.CharField(
        label="Explain the outcome",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    agreed_on = GovukDateField(
        label="Date the panel agreed to close it",
        label_for_errors="The date closure was agreed",
        error_messages={"required": closure_rules.AGREED_ON_NEEDED},
    )
    revealed_by_choice = {
        "outcome": {
            Outcome.STEPPED_DOWN.value: [
                "step_down_agency",
                "handover_plan",
                "handover_contingency",
                "override_reason",
            ],
            Outcome.OTHER.value: ["outcome_detail"],
        }
    }

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step_down_agency"].queryset = case.involved_agencies.all()


class MarkOutcomeForm(forms.Form):
    """Marking one of the person's desired outcomes."""

    version = version_field()
    achievement = forms.ChoiceField(
        label="Was it achieved?",
        choices=Achievement.choices,
        widget=forms.RadioSelect,
        error_messages={"required": closure.ACHIEVEMENT_NEEDED},
    )
    note = forms.CharField(
        label="Note (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What happened, in a sentence: the person's own view if they gave one.",
    )


WEEKDAYS = [(0, "Monday"), (1, "Tuesday"), (2, "Wednesday"), (3, "Thursday"), (4, "Friday")]
WHICH = [(1, "First"), (2, "Second"), (3, "Third"), (4, "Fourth"), (-1, "Last")]


class ScheduleYearForm(forms.Form):
    year = BoundedIntegerField(
        label="Year",
        min_value=2020,
        max_value=2100,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the year",
            "invalid": "Enter the year as 4 numbers",
            "min_value": "Enter a year from 2020",
            "max_value": "Enter a year before 2100",
        },
    )
    nth = forms.TypedChoiceField(
        label="Which week of the month",
        choices=WHICH,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which week"},
    )
    weekday = forms.TypedChoiceField(
        label="Day of the week",
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the day"},
    )


class ItemNotesForm(forms.Form):
    version = version_field()
    notes = forms.CharField(
        label="Notes for the panel",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AgendaItemForm(forms.Form):
    title = forms.CharField(
        label="What is the item about?",
        max_length=200,
        error_messages={"required": "Enter what the item is about"},
    )
    notes = forms.CharField(
        label="Notes (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


PRESENT = "present"
APOLOGIES = "apologies"
NO_ACCOUNT = "No account: they will not follow on a device"


def attendee_accounts():
    """The accounts an attendee may follow the meeting with: active panel members, SPoCs and
    chairs of an active agency (the service checks the account is of the agency chosen)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            role__in=[Role.PANEL_MEMBER, Role.SPOC, Role.CHAIR],
            agency__is_active=True,
        )
        .select_related("agency")
        .order_by("agency__name", "last_name", "first_name", "pk")
    )


ROLE_AT_THE_MEETING = {Role.PANEL_MEMBER: "panel member", Role.SPOC: "SPoC", Role.CHAIR: "chair"}


def account_label(user) -> str:
    """An account in the attendance form's list: who, in which role, of which agency."""
    role = ROLE_AT_THE_MEETING.get(user.role, user.get_role_display())
    return f"{user.get_full_name() or user.username}, {role}, {user.agency.short_name}"


class AttendanceForm(forms.Form):
    """Who is at the meeting for an agency, or sent its apologies; their agreement to the
    confidentiality statement; and the account they follow the meeting with on their device."""

    agency = BoundedModelChoiceField(
        label="Agency",
        queryset=Agency.objects.active(),
        empty_label="Select the agency",
        error_messages={
            "required": "Select the agency",
            "invalid_choice": "Select one of the agencies listed",
        },
    )
    attendee = forms.CharField(
        label="Name and role",
        max_length=200,
        error_messages={
            "required": "Enter the name and role of who is attending or sent apologies",
            "max_length": "Name and role must be 200 characters or fewer",
        },
    )
    presence = forms.ChoiceField(
        label="Are they at the meeting?",
        choices=[(PRESENT, "Present"), (APOLOGIES, "Sent apologies")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether they are present or sent apologies",
            "invalid_choice": "Select whether they are present or sent apologies",
        },
    )
    agreed_to_confidentiality = forms.BooleanField(
        label="They have agreed to the confidentiality statement",
        required=False,
        help_text="If they follow on their own device, they can agree there instead.",
    )
    user = BoundedModelChoiceField(
        label="Their CASPA account (optional)",
        queryset=attendee_accounts(),
        required=False,
        empty_label=NO_ACCOUNT,
        help_text="So they can follow the meeting on their own device.",
        error_messages={"invalid_choice": "Select one of the accounts listed, or no account"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].label_from_instance = account_label

    def service_arguments(self) -> dict:
        """What panel.meetings.attendance_record takes, from what was typed."""
        data = self.cleaned_data
        return {
            "agency": data["agency"],
            "attendee": data["attendee"],
            "apologies": data["presence"] == APOLOGIES,
            "agreed_to_confidentiality": data["agreed_to_confidentiality"],
            "user": data["user"],
        }


class MinuteForm(forms.Form):
    version = version_field()
    minute = forms.CharField(
        label="Minute of this item",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What was discussed and decided, and who does what.",
    )


class NotAdoptForm(CaseVersionForm):
    reason = forms.CharField(
        label="Why did the panel not adopt it?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": services.NOT_ADOPTED_REASON_NEEDED},
    )
    signpost = forms.ChoiceField(
        label="Which route should it take instead?",
        choices=Signpost.choices,
        widget=forms.RadioSelect,
        error_messages={"required": services.NOT_ADOPTED_SIGNPOST_NEEDED},
    )


class AssessmentReviewForm(CaseVersionForm):
    """The panel's review of the case's assessment (panel/reviews.py)."""

    level = forms.ChoiceField(
        label="Risk level the panel agrees",
        choices=RiskBand.choices,
        widget=forms.RadioSelect,
        error_messages={"required": reviews.LEVEL_NEEDED, "invalid_choice": reviews.LEVEL_NEEDED},
    )
    reason = forms.CharField(
        label="Why the panel records a different level",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when the level is not the highest band of the case's current "
        "risks. The reason is shown wherever the level is.",
    )
    next_review_on = GovukDateField(
        label="Next review",
        label_for_errors="The next review date",
        required=False,
        help_text="Leave it blank for the next panel meeting (or the usual interval, if none is "
        "scheduled). For example, 27 3 2027.",
    )
    meeting = BoundedModelChoiceField(
        queryset=PanelMeeting.objects.all(), widget=forms.HiddenInput, required=False
    )


class AgenciesForm(CaseVersionForm):
    agencies = BoundedModelMultipleChoiceField(
        label="Agencies involved",
        queryset=Agency.objects.active(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Their single points of contact see the case.",
        error_messages={"required": "Select at least one agency"},
    )


class AmendMinuteForm(forms.Form):
    item = BoundedIntegerField(widget=forms.HiddenInput)
    minute = forms.CharField(
        label="Amended minute",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    reason = forms.CharField(
        label="Why it is amended",
        max_length=500,
        error_messages={"required": "Say why the approved minute is being amended"},
    )


class MDTForm(forms.Form):
    held_on = GovukDateField(
        label="Date of the MDT meeting",
        label_for_errors="The MDT date",
        error_messages={"required": services.MDT_DATE_NEEDED},
    )
    invited = BoundedModelMultipleChoiceField(
        label="Agencies invited",
        queryset=Agency.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attended = BoundedModelMultipleChoiceField(
        label="Agencies that attended",
        queryset=Agency.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label="Notes",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What was discussed and agreed. Agree actions below.",
    )


def _return_box(label: str, hint: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AgencyReturnForm(forms.Form):
    """An agency's return before a panel meeting: short, and any part may be left blank."""

    version = version_field()
    contact = _return_box(
        "Contact with the person since the last panel",
        "Who saw or spoke to them, when, and how they were.",
    )
    changes = _return_box("What has changed", "In their circumstances, health, home or support.")
    risks = _return_box("New or changed risks", "Anything the panel should know before it meets.")
    progress = _return_box(
        "Progress on your agency's actions", "What is done, what is stuck, and why."
    )


class LeadDisagreementForm(CaseVersionForm):
    """Each involved agency's position (blank: it took none), the panel's decision and why.
    The positions' fields are made per agency: `position_<agency id>`."""

    decided_agency = BoundedModelChoiceField(
        label="The panel decided this agency leads",
        queryset=Agency.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the agency the panel decided leads",
            "invalid_choice": services.LEAD_MUST_BE_INVOLVED,
        },
    )
    officer = lead_officer_field()
    reason = forms.CharField(
        label="The panel's reason",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the panel decided this agency leads"},
    )
    meeting = BoundedModelChoiceField(
        label="Decided at",
        queryset=PanelMeeting.objects.none(),
        required=False,
        empty_label="Not at a panel meeting",
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.agencies = list(case.involved_agencies.order_by("name"))
        positions = {
            f"position_{agency.pk}": forms.CharField(
                label=f"{agency.name}'s position",
                max_length=2000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Who they said should lead, and why. The panel needs at least two "
                "agencies' positions; leave it blank if this agency took none.",
            )
            for agency in self.agencies
        }
        # The positions first, in the order the page asks: then the decision.
        self.fields = {"version": self.fields.pop("version"), **positions, **self.fields}
        self.fields["decided_agency"].queryset = case.involved_agencies.order_by("name")
        self.fields["meeting"].queryset = PanelMeeting.objects.filter(
            items__case=case, date__lte=timezone.localdate()
        ).order_by("-date")

    def clean(self):
        data = super().clean()
        data["positions"] = {
            agency: data.pop(f"position_{agency.pk}", "") for agency in self.agencies
        }
        # Said by the first agency's box, where the error summary's link can reach it (the
        # service checks it again).
        given = [text for text in data["positions"].values() if text.strip()]
        if len(given) < 2 and self.agencies:
            self.add_error(f"position_{self.agencies[0].pk}", disagreements.POSITIONS_NEEDED)
        return data


class ChronologyFilterForm(forms.Form):
    """The case's chronology, by what its lines are about (`?kind=actions`). A kind not listed
    is reported, and the chronology shown whole."""

    kind = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "Everything"), *EventKind.choices],
        error_messages={"invalid_choice": "Select one of the kinds listed"},
    )
