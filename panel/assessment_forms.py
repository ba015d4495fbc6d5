"""The forms that change a case's risk assessment and plan (panel/assessment.py), each on a
page of its own."""

from django import forms
from django.db.models import Q

from accounts.models import Agency
from caspa.core.forms import (
    BoundedModelChoiceField,
    GovukDateField,
    version_field,
)
from panel import assessment
from panel.models import CapacityOutcome, Case, RiskTo
from panel.rules import risk as risk_rules
from referrals.choices import Need


def scale_choices(scale: dict) -> list:
    """'4 – Likely: will probably happen in the coming weeks': the stated scale, in words."""
    return [(number, f"{number} – {words}") for number, words in scale.items()]


def need_choices(case: Case) -> list:
    """The needs ticked on the case's referral first: a risk usually comes from one of them."""
    ticked = [value for value in Need.values if value in (case.referral.needs or {})]
    none = ("", "Not from one need in particular")
    if not ticked:
        return [none, *Need.choices]
    return [
        none,
        ("On the referral", [(value, Need(value).label) for value in ticked]),
        ("Other needs", [(value, label) for value, label in Need.choices if value not in ticked]),
    ]


def agencies_for(case: Case, *also):
    """The agencies involved in the case, and any already recorded (one may have left since)."""
    already = [agency.pk for agency in also if agency is not None]
    return Agency.objects.filter(
        Q(pk__in=case.involved_agencies.values("pk")) | Q(pk__in=already)
    ).order_by("name")


def agency_field(label: str, *, required=False, empty_label="Not recorded", **kwargs):
    return BoundedModelChoiceField(
        label=label,
        queryset=Agency.objects.none(),
        required=required,
        empty_label=empty_label,
        error_messages={
            "required": "Select the agency",
            "invalid_choice": assessment.AGENCY_NOT_INVOLVED,
        },
        **kwargs,
    )


def text_area(label: str, *, rows=3, max_length=2000, required=False, **kwargs):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


class Sections:
    """A long form in parts, each under its own heading: `sections` names their fields."""

    sections: tuple = ()

    def in_sections(self) -> list:
        return [(title, [self[name] for name in names]) for title, names in self.sections]


class RiskAddForm(Sections, forms.Form):
    description = text_area(
        "What could happen",
        help_text="The harm, and what would bring it about. Facts, with dates.",
        error_messages={"required": assessment.DESCRIPTION_NEEDED},
        required=True,
    )
    to_whom = forms.MultipleChoiceField(
        label="To whom",
        choices=RiskTo.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"invalid_choice": assessment.TO_WHOM_UNKNOWN},
    )
    need = forms.ChoiceField(
        label="The need it comes from",
        required=False,
        error_messages={"invalid_choice": assessment.NEED_UNKNOWN},
    )
    likelihood = forms.TypedChoiceField(
        label="How likely is it?",
        choices=scale_choices(risk_rules.LIKELIHOOD),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how likely it is, from 1 to 5",
            "invalid_choice": risk_rules.OUT_OF_SCALE,
        },
    )
    severity = forms.TypedChoiceField(
        label="How severe would the harm be?",
        choices=scale_choices(risk_rules.SEVERITY),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how severe the harm would be, from 1 to 5",
            "invalid_choice": risk_rules.OUT_OF_SCALE,
        },
    )
    warning_signs = text_area(
        "Early warning signs and triggers",
        help_text="What agencies would notice first, and what sets it off.",
    )
    protective_factors = text_area(
        "Protective factors", help_text="What keeps the person safe now: people, places, habits."
    )
    source_agency = agency_field("Information from")
    monitored_by = agency_field("Monitored by", empty_label="Not yet agreed")
    monitoring_officer = forms.CharField(
        label="Monitoring officer (optional)",
        max_length=200,
        required=False,
        help_text="Name and role of the person in that agency who keeps watch.",
    )
    contingency_trigger = text_area(
        "If this happens", help_text="The sign that the risk is escalating."
    )
    contingency_response = text_area("Who does what", help_text="Each agency, and what it does.")
    out_of_hours_contact = forms.CharField(
        label="Who to contact out of hours",
        max_length=500,
        required=False,
        help_text="For example the emergency duty team, with its number.",
    )

    sections = (
        ("The risk", ("description", "to_whom", "need")),
        ("Its score", ("likelihood", "severity")),
        (
            "What is known",
            ("warning_signs", "protective_factors", "source_agency"),
        ),
        (
            "The plan",
            (
                "monitored_by",
                "monitoring_officer",
                "contingency_trigger",
                "contingency_response",
                "out_of_hours_contact",
            ),
        ),
    )

    def __init__(self, *args, case, risk=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = need_choices(case)
        self.fields["source_agency"].queryset = agencies_for(
            case, risk.source_agency if risk else None
        )
        # One that has left stays offered, so the form does not clear it unasked: the service
        # then says it must be an agency involved now.
        self.fields["monitored_by"].queryset = agencies_for(
            case, risk.monitored_by if risk else None
        )


class RiskChangeForm(RiskAddForm):
    version = version_field()


def risk_initial(risk) -> dict:
    initial = {name: getattr(risk, name) for name in assessment.RISK_FIELDS}
    initial["source_agency"] = risk.source_agency_id
    initial["monitored_by"] = risk.monitored_by_id
    return {**initial, "version": risk.version}


class RiskRetireForm(forms.Form):
    version = version_field()
    reason = text_area(
        "Why is it retired?",
        help_text="What changed: this goes in the chronology.",
        required=True,
        error_messages={"required": assessment.RETIRED_REASON_NEEDED},
    )


class PersonsViewsForm(forms.Form):
    version = version_field()
    persons_views = text_area(
        "The person's views and wishes",
        rows=6,
        max_length=4000,
        help_text="In their words where you can: what they want to happen, and what they do not.",
    )


class DesiredOutcomeAddForm(forms.Form):
    outcome = text_area(
        "What does the person want to achieve?",
        max_length=1000,
        help_text="In their words: for example 'I want to keep my flat'.",
        required=True,
        error_messages={"required": assessment.OUTCOME_NEEDED},
    )


class DesiredOutcomeChangeForm(DesiredOutcomeAddForm):
    version = version_field()


class CapacityForm(forms.Form):
    decision = forms.CharField(
        label="The decision",
        max_length=500,
        help_text="One specific decision, for example 'where to live' or 'accepting care at "
        "home': capacity is never assessed for everything at once.",
        error_messages={"required": assessment.DECISION_NEEDED},
    )
    assessed_by = forms.CharField(
        label="Who assessed",
        max_length=200,
        help_text="Name and role.",
        error_messages={"required": assessment.ASSESSED_BY_NEEDED},
    )
    assessed_on = GovukDateField(
        label="When",
        label_for_errors="The date of the assessment",
        help_text="For example, 27 3 2026",
        error_messages={"required": assessment.ASSESSED_ON_NEEDED},
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=CapacityOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": assessment.CAPACITY_OUTCOME_NEEDED},
    )
    notes = text_area("Notes (optional)")


class InterventionForm(forms.Form):
    agency = agency_field("Agency", required=True, empty_label="Select the agency")
    what = text_area(
        "What was offered or done",
        required=True,
        error_messages={"required": assessment.WHAT_NEEDED},
    )
    started_on = GovukDateField(
        label="From (optional)", label_for_errors="The date it started", required=False
    )
    ended_on = GovukDateField(
        label="Until (optional)",
        label_for_errors="The date it ended",
        required=False,
        help_text="Leave blank while it goes on.",
    )
    what_happened = text_area("What happened")

    def __init__(self, *args, case, intervention=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_for(
            case, intervention.agency if intervention else None
        )


class InterventionChangeForm(InterventionForm):
    version = version_field()


def intervention_initial(intervention) -> dict:
    initial = {name: getattr(intervention, name) for name in assessment.INTERVENTION_FIELDS}
    return {**initial, "agency": intervention.agency_id, "version": intervention.version}
