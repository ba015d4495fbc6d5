from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from accounts.models import Agency
from actions import rules
from actions.models import ActionStatus, EscalationOutcome
from caspa.core.forms import (
    BoundedModelChoiceField,
    GovukDateField,
    version_field,
)
from caspa.core.references import number_in_reference
from panel.models import Case, PanelMeeting, Risk


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
    owner_agency = BoundedModelChoiceField(
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

    risk = BoundedModelChoiceField(
        label="The risk it reduces (optional)",
        queryset=Risk.objects.none(),
        required=False,
        empty_label="None in particular",
        help_text="One of the case's current risks: the action is then part of its plan.",
        error_messages={"invalid_choice": rules.RISK_NOT_CURRENT},
    )

    # Agreed on the meeting screen: the meeting it was agreed at (one the case is on the agenda of).
    meeting = BoundedModelChoiceField(
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
            self.fields["mdt"] = BoundedModelChoiceField(
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


# A reference in a message or hint is kept whole (never "C-" at the end of one line).
EXAMPLE_CASE = mark_safe('<span class="caspa-ref">C-000012</span>')
NOT_A_CASE_REFERENCE = format_html("Enter a case reference, like {}", EXAMPLE_CASE)


def no_such_case(number: int) -> str:
    return format_html(
        'There is no case <span class="caspa-ref">{}</span>: check the reference', f"C-{number:06d}"
    )


class ActionLogFilterForm(forms.Form):
    """The action log's filters. A wrong value is said by its box, what was typed is kept, and
    the log shows no action until it is put right: a filter is never silently dropped."""

    case = forms.CharField(
        label="Case reference",
        help_text=format_html(
            "Like {}. To find a person by name, use the search in the header.", EXAMPLE_CASE
        ),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )
    agency = BoundedModelChoiceField(
        label="Agency", queryset=Agency.objects.active(), required=False, empty_label="All agencies"
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
        """The case's number, or None when the box is empty. Only the log's keepers, who see
        every case, use it, so it may say that a case does not exist."""
        typed = self.cleaned_data["case"].strip()
        if not typed:
            return None
        number = number_in_reference(typed, "C")
        if number is None:
            raise forms.ValidationError(NOT_A_CASE_REFERENCE)
        if not Case.objects.filter(pk=number).exists():
            raise forms.ValidationError(no_such_case(number))
        return number


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


class ResolveEscalationForm(forms.Form):
    """What was done about an escalation. Each outcome's own questions sit under its option;
    a reassignment's due date is a field of its own, so that each date box has one place."""

    version = version_field()
    outcome = forms.ChoiceField(
        label="What was done about it?",
        choices=[
            (value, label)
            for value, label in EscalationOutcome.choices
            if value in rules.RESOLVED_BY_HAND
        ],
        widget=forms.RadioSelect,
        error_messages={"required": rules.OUTCOME_NEEDED},
    )
    new_owner_agency = BoundedModelChoiceField(
        label="The agency it is reassigned to",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Select an agency",
        error_messages={"invalid_choice": rules.OWNER_NOT_INVOLVED},
    )
    new_owner_officer = forms.CharField(
        label="Named officer there (optional)", max_length=200, required=False
    )
    reassigned_due_on = GovukDateField(
        label="Due by", label_for_errors="The new due date", required=False
    )
    new_due_on = GovukDateField(
        label="New due date", label_for_errors="The new due date", required=False
    )
    closing_status = forms.ChoiceField(
        label="Why is it closed?",
        choices=[
            (value, label)
            for value, label in ActionStatus.choices
            if value in rules.CLOSING_STATUSES
        ],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": rules.CLOSING_STATUS_NEEDED},
    )
    response = forms.CharField(
        label="Response",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What was done about it and why. It goes in the case's chronology; when the "
        "action is closed, it is the action's closing note.",
        error_messages={"required": rules.RESPONSE_NEEDED},
    )
    revealed_by_choice = {
        "outcome": {
            rules.REASSIGNED: ["new_owner_agency", "new_owner_officer", "reassigned_due_on"],
            rules.RE_DATED: ["new_due_on"],
            rules.CLOSED: ["closing_status"],
        }
    }

    def __init__(self, *args, action, **kwargs):
        kwargs.setdefault("auto_id", "id_resolve_%s")
        super().__init__(*args, **kwargs)
        self.fields["new_owner_agency"].queryset = action.case.involved_agencies.exclude(
            pk=action.owner_agency_id
        )

    def clean(self):
        """The service's arguments: only the chosen outcome's answers, one due date. What was
        typed under another option is kept on the page but neither used nor checked."""
        data = super().clean()
        outcome = data.get("outcome")
        chosen = self.revealed_by_choice["outcome"].get(outcome, [])
        for options in self.revealed_by_choice["outcome"].values():
            for name in set(options) - set(chosen):
                self._errors.pop(name, None)
        reassigned_due_on = data.pop("reassigned_due_on", None)
        if outcome != rules.REASSIGNED:
            data["new_owner_agency"], data["new_owner_officer"] = None, ""
        if outcome == rules.REASSIGNED:
            data["new_due_on"] = reassigned_due_on
        elif outcome != rules.RE_DATED:
            data["new_due_on"] = None
        if outcome != rules.CLOSED:
            data["closing_status"] = None
        self._due_date_field = "reassigned_due_on" if outcome == rules.REASSIGNED else "new_due_on"
        return data

    def add_error(self, field, error):
        # The service's errors name one due date: for a reassignment, the box under that option.
        if field == "new_due_on" and hasattr(self, "_due_date_field"):
            field = self._due_date_field
        super().add_error(field, error)
