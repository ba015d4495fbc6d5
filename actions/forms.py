from django import forms

from accounts.models import Agency
from actions import rules
from actions.models import ActionStatus
from caspa.core.forms import GovukDateField, version_field
from panel.models import PanelMeeting, Risk


def risk_label(risk) -> str:
    description = " ".join(risk.description.split())
    short = description if len(description) <= 80 else description[:79].rstrip() + "…"
    return f"{short} ({risk.get_band_display().lower()}, {risk.score})"


class AgreeActionForm(forms.Form):
    description = forms.CharField(
        label="What is to be done",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": rules.DESCRIPTION_NEEDED},
    )
    owner_agency = forms.ModelChoiceField(
        label="Owning agency",
        queryset=Agency.objects.none(),
        error_messages={
            "required": "Select the agency that owns the action",
            "invalid_choice": rules.OWNER_NOT_INVOLVED,
        },
    )
    owner_officer = forms.CharField(
        label="Named officer (optional)", max_length=200, required=False
    )
    due_on = GovukDateField(
        label="Due by",
        label_for_errors="The due date",
        error_messages={"required": "Enter the due date"},
    )

    risk = forms.ModelChoiceField(
        label="The risk it reduces (optional)",
        queryset=Risk.objects.none(),
        required=False,
        empty_label="None in particular",
        help_text="One of the case's current risks: the action is then part of its plan.",
        error_messages={"invalid_choice": rules.RISK_NOT_CURRENT},
    )

    # Agreed on the meeting screen: the meeting it was agreed at (one the case is on the agenda of).
    meeting = forms.ModelChoiceField(
        queryset=PanelMeeting.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, case, with_mdt=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = case.involved_agencies.all()
        self.fields["risk"].queryset = case.risks.current()
        self.fields["risk"].label_from_instance = risk_label
        self.fields["meeting"].queryset = PanelMeeting.objects.filter(items__case=case)
        if with_mdt:
            # Off the meeting screen, an action may have been agreed at one of the case's MDTs.
            self.fields["mdt"] = forms.ModelChoiceField(
                label="Agreed at an MDT meeting (optional)",
                queryset=case.mdt_meetings.all(),
                required=False,
                empty_label="No: agreed by the coordinator",
            )


class ActionUpdateForm(forms.Form):
    version = version_field()
    status = forms.ChoiceField(
        label="Where does it stand?",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the action stands"},
    )
    note = forms.CharField(
        label="Update",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What has been done since the last update. If it could not be done, why; if "
        "it is no longer needed, what changed.",
    )


class ActionLogFilterForm(forms.Form):
    """The action log's filters. Bad values are reported, and the log shown unfiltered by them."""

    SORTS = {
        "due": "due_on",
        "-due": "-due_on",
        "agency": "owner_agency__name",
        "case": "case_id",
        "escalation": "-escalation_level",
    }

    agency = forms.ModelChoiceField(
        label="Agency", queryset=Agency.objects.active(), required=False, empty_label="All agencies"
    )
    case = forms.CharField(
        label="Case (C- number)",
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Open (not finished)"), ("all", "Any status"), *ActionStatus.choices],
    )
    overdue = forms.BooleanField(label="Overdue only", required=False)
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[
            ("due", "Due date, soonest first"),
            ("-due", "Due date, latest first"),
            ("agency", "Owning agency"),
            ("case", "Case"),
            ("escalation", "Escalation, highest first"),
        ],
    )

    def clean_case(self):
        value = self.cleaned_data["case"].strip().upper().removeprefix("C-").lstrip("0")
        if value and not value.isdigit():
            raise forms.ValidationError("Enter a case number like C-000012")
        return int(value) if value else None


class EscalateForm(forms.Form):
    version = version_field()
    level = forms.TypedChoiceField(
        label="Escalate to",
        coerce=int,
        widget=forms.RadioSelect,
        choices=[(1, "The lead agency's single point of contact"), (2, "The panel chair")],
        error_messages={"required": "Select who to escalate to"},
    )
    reason = forms.CharField(
        label="Why",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why you are escalating it"},
    )
