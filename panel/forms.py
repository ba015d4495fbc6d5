"""Panel forms: appointing the lead agency, closing a case."""

from django import forms

from accounts.models import Agency
from caspa.forms import GovukDateField
from panel import services
from panel.models import Outcome

OUT_OF_DATE = "This page is out of date. Reload it, check the case, and try again."


class CaseVersionForm(forms.Form):
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": OUT_OF_DATE, "invalid": OUT_OF_DATE, "min_value": OUT_OF_DATE},
    )


class AppointLeadForm(CaseVersionForm):
    agency = forms.ModelChoiceField(
        label="Lead agency",
        queryset=Agency.objects.none(),
        error_messages={
            "required": "Select the lead agency",
            "invalid_choice": services.LEAD_MUST_BE_INVOLVED,
        },
    )
    officer = forms.CharField(
        label="Lead responsible officer",
        max_length=200,
        required=False,
        help_text="Name and role of the person in that agency who leads, if known.",
    )
    reason = forms.CharField(
        label="Why this agency leads",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the panel agreed, and any disagreement: this goes in the chronology.",
        error_messages={"required": services.LEAD_REASON_NEEDED},
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = case.involved_agencies.all()


class CloseCaseForm(CaseVersionForm):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": services.OUTCOME_NEEDED},
    )
    step_down_agency = forms.ModelChoiceField(
        label="Agency taking the case on",
        queryset=Agency.objects.active(),
        required=False,
        help_text="Required when the case steps down to one agency.",
    )
    outcome_detail = forms.CharField(
        label="About the outcome",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required for 'Other'. What changed, and what the agency taking it on will do.",
    )
    agreed_on = GovukDateField(
        label="Date the panel agreed to close it",
        label_for_errors="The date closure was agreed",
        error_messages={"required": services.AGREED_ON_NEEDED},
    )
    revealed_by_choice = {"outcome": {Outcome.STEPPED_DOWN.value: ["step_down_agency"]}}
