"""The referral form's sections and the screening decisions, as GOV.UK form pages.

Section forms accept partial answers (a draft can be saved at any point); what is required is
the completeness rule's business (completeness.missing_answers), applied on "Save and continue" and
at submission.
"""

from django import forms
from django.utils import timezone

from accounts.models import Agency
from caspa.core.forms import (
    BoundedIntegerField,
    BoundedModelChoiceField,
    BoundedModelForm,
    GovukDateField,
    version_field,
)
from referrals.choices import Need, RiskTool, Signpost
from referrals.models import LONG, MEDIUM, Referral
from referrals.rules import age, completeness, nhs_numbers, sections

EVIDENCE_MAX = 500
QUESTION_MAX = MEDIUM


def textarea(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class SectionForm:
    """What every section form shares: the version being edited and the missing answers."""

    slug: str = ""
    revealed_by_choice: dict = {}

    def add_version(self, referral):
        self.fields["version"] = version_field()
        self.initial.setdefault("version", referral.version)

    def add_missing(self, missing: list[completeness.Missing]) -> None:
        """Show this section's missing answers next to their fields, as errors.

        On a form as typed (bound, once validated), and on a form as saved (unbound: how the
        check page's "still missing" links open a section). An unbound form has never been
        cleaned, and Django's add_error needs the cleaned data it takes the field out of; so an
        unbound form starts from no errors and nothing cleaned.
        """
        if not self.is_bound:
            self.full_clean()  # unbound: just sets up the (empty) errors
            self.cleaned_data = {}
        for item in missing:
            if item.section == self.slug and item.field in self.fields:
                self.add_error(item.field, item.message)

    def answers(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class ModelSectionForm(SectionForm, BoundedModelForm):
    radios: tuple[str, ...] = ()

    def __init__(self, *args, referral: Referral, **kwargs):
        super().__init__(*args, instance=referral, **kwargs)
        for name, field in self.fields.items():
            field.required = False
            if name in self.radios:
                field.widget = forms.RadioSelect()
                field.choices = [choice for choice in field.choices if choice[0] != ""]
        self.add_version(referral)


class PersonForm(ModelSectionForm):
    slug = "person"
    radios = ("ethnicity", "gender", "interpreter_needed")
    revealed_by_choice = {
        "ethnicity": {"not_known": ["ethnicity_not_known_reason"]},
        "gender": {"self_described": ["gender_description"]},
    }
    date_of_birth = GovukDateField(
        label="Date of birth",
        label_for_errors="Date of birth",
        required=False,
        help_text=Referral._meta.get_field("date_of_birth").help_text,
    )
    nhs_number = forms.CharField(
        label="NHS number (optional)",
        max_length=20,
        required=False,
        help_text=Referral._meta.get_field("nhs_number").help_text,
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    class Meta:
        model = Referral
        fields = list(sections.SECTIONS_BY_SLUG["person"].fields)
        widgets = {
            "address": textarea(3),
            "lives_with": textarea(3),
            "disability": textarea(2),
            "communication_needs": textarea(2),
        }

    def clean_nhs_number(self):
        value = self.cleaned_data["nhs_number"]
        if value and not nhs_numbers.nhs_number_is_valid(value):
            raise forms.ValidationError(nhs_numbers.NHS_NUMBER_INVALID)
        return nhs_numbers.normalise_nhs_number(value)

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born is not None:
            problem = age.date_of_birth_problem(born, timezone.localdate())
            if problem:
                raise forms.ValidationError(problem)
        return born


class TickedWithDetailForm(SectionForm, forms.Form):
    """A checklist where each ticked choice reveals its own line of detail: the needs with
    their evidence, the risk tools with their scores. Stored as {choice: detail}."""

    ticked: str  # the model field holding {choice: detail}, and the checklist's name
    detail: str  # the detail fields are named f"{detail}_{choice}"
    choices: type
    other_fields: tuple[str, ...] = ()  # further model fields asked on the same page

    def __init__(self, *args, referral: Referral, **kwargs):
        ticked = getattr(referral, self.ticked) or {}
        initial = {self.ticked: list(ticked)}
        initial.update({name: getattr(referral, name) for name in self.other_fields})
        initial.update({f"{self.detail}_{code}": text for code, text in ticked.items()})
        super().__init__(*args, initial=initial, **kwargs)
        self.add_version(referral)
        for code, label in self.choices.choices:
            self.fields[f"{self.detail}_{code}"] = self.detail_field(label)

    def detail_field(self, label) -> forms.Field:
        raise NotImplementedError

    def answers(self) -> dict:
        data = self.cleaned_data
        ticked = {code: data.get(f"{self.detail}_{code}", "") for code in data[self.ticked]}
        return {self.ticked: ticked, **{name: data[name] for name in self.other_fields}}


class NeedsForm(TickedWithDetailForm):
    slug = "needs"
    needs = forms.MultipleChoiceField(
        label="Which of these needs does the person have?",
        help_text="Select all that apply. For each, give one line of evidence: what happened, "
        "when, and who saw it.",
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    primary_need = forms.ChoiceField(
        label="Which need is most pressing?",
        choices=Need.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    revealed_by_choice = {"needs": {code: [f"evidence_{code}"] for code in Need.values}}

    ticked, detail, choices, other_fields = "needs", "evidence", Need, ("primary_need",)

    def detail_field(self, label):
        return forms.CharField(
            label=f"Evidence of '{label}'",
            max_length=EVIDENCE_MAX,
            required=False,
            widget=textarea(2),
        )


class RiskForm(ModelSectionForm):
    slug = "risk"

    class Meta:
        model = Referral
        fields = list(sections.SECTIONS_BY_SLUG["risk"].fields)
        widgets = {
            "risk_description": textarea(5),
            "why_critical_now": textarea(4),
            "tried_so_far": textarea(5),
            "agencies_involved": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies_involved"].queryset = Agency.objects.active()
        self.fields["agencies_involved"].label = "Which agencies are involved with them today?"


class SafetyForm(ModelSectionForm):
    slug = "safety"
    radios = ("interim_plan_in_place",)
    revealed_by_choice = {
        "interim_plan_in_place": {"yes": ["interim_plan"], "no": ["interim_plan_why_not"]}
    }

    class Meta:
        model = Referral
        fields = list(sections.SECTIONS_BY_SLUG["safety"].fields)
        widgets = {
            "safety_plan": textarea(5),
            "interim_plan": textarea(4),
            "interim_plan_why_not": textarea(3),
        }


class VoiceForm(ModelSectionForm):
    slug = "voice"
    radios = ("consent", "capacity_considered")

    class Meta:
        model = Referral
        fields = list(sections.SECTIONS_BY_SLUG["voice"].fields)
        widgets = {
            "persons_views": textarea(5),
            "consent_detail": textarea(3),
            "capacity_conclusion": textarea(3),
        }


class RiskToolsForm(TickedWithDetailForm):
    slug = "risk_tools"
    risk_tools = forms.MultipleChoiceField(
        label="Which risk tools have been used?",
        help_text="Select all that apply, and give each one's score or outcome.",
        choices=RiskTool.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    risk_tools_none_reason = forms.CharField(
        label="If no tool was used, why not?",
        max_length=MEDIUM,
        required=False,
        help_text="For example: the person would not take part, or no tool fits the risk.",
        widget=textarea(2),
    )
    revealed_by_choice = {"risk_tools": {code: [f"outcome_{code}"] for code in RiskTool.values}}

    ticked, detail, choices = "risk_tools", "outcome", RiskTool
    other_fields = ("risk_tools_none_reason",)

    def detail_field(self, label):
        return forms.CharField(
            label=f"Score or outcome of '{label}'",
            max_length=EVIDENCE_MAX,
            required=False,
            help_text="For example: DASH 16 ('high risk'), clutter rating 7 in two rooms.",
        )


class ReferrerForm(ModelSectionForm):
    slug = "referrer"

    class Meta:
        model = Referral
        fields = list(sections.SECTIONS_BY_SLUG["referrer"].fields)
        widgets = {
            "referrer_phone": forms.TextInput(
                attrs={"class": "govuk-input--width-20", "autocomplete": "tel"}
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referrer_agency"].queryset = Agency.objects.active()


SECTION_FORMS = {
    form.slug: form
    for form in (
        PersonForm,
        NeedsForm,
        RiskForm,
        SafetyForm,
        VoiceForm,
        RiskToolsForm,
        ReferrerForm,
    )
}


# --- screening ---------------------------------------------------------------------------


class VersionForm(forms.Form):
    version = version_field()


class AcceptForm(VersionForm):
    pass


class AskForInformationForm(VersionForm):
    question = forms.CharField(
        label="What do you need to know?",
        max_length=QUESTION_MAX,
        widget=textarea(4),
        help_text="The referrer sees this question on the referral, and gets an e-mail with a "
        "link to it (the e-mail does not include the question or any personal details).",
        error_messages={"required": "Enter the question for the referrer"},
    )


class DeclineForm(VersionForm):
    reason = forms.CharField(
        label="Why is CASPA not the right route?",
        max_length=MEDIUM,
        widget=textarea(4),
        error_messages={"required": "Enter the reason for declining"},
    )
    signpost = forms.ChoiceField(
        label="Which route should the referrer use instead?",
        choices=Signpost.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the better route"},
    )
    signpost_detail = forms.CharField(label="Which route?", max_length=500, required=False)
    revealed_by_choice = {"signpost": {"other": ["signpost_detail"]}}


class AnswerQuestionForm(VersionForm):
    answer = forms.CharField(
        label="Your answer",
        max_length=LONG,
        widget=textarea(6),
        help_text="The coordinator reads it next to their question. If an answer in the "
        "referral has changed too, change it above first.",
        error_messages={"required": "Enter your answer to the coordinator's question"},
    )


class LinkPersonForm(VersionForm):
    """Who the referral is about: one of the records that may be the person, or a new one.

    With no record to choose from, creating a new one is the only choice: it is not asked as
    a question with one answer, but stated, with its button (`only_new`)."""

    person = forms.ChoiceField(
        label="Who is this referral about?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select a record, or create a new one"},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.only_new = not candidates
        if self.only_new:
            self.fields["person"].choices = [("new", "Create a new person record")]
            self.fields["person"].widget = forms.HiddenInput()
            self.initial["person"] = "new"
            return
        choices = [
            (
                str(person.pk),
                f"{person.reference}: {person}, born {person.date_of_birth:%-d %B %Y}"
                if person.date_of_birth
                else f"{person.reference}: {person}",
            )
            for person in candidates
        ]
        choices.append(("new", "None of these: create a new person record"))
        self.fields["person"].choices = choices

    def clean(self):
        data = super().clean()
        if "person" in data:
            # The record chosen, or None: create a new one.
            data["person_id"] = None if data["person"] == "new" else int(data["person"])
        return data


NOT_A_PERSON_NUMBER = "Enter the digits of a P- number, like 123 for P-000123"


class MergePeopleForm(forms.Form):
    duplicate = BoundedIntegerField(
        label="Reference number of the duplicate record (the P- number, digits only)",
        min_value=1,
        error_messages={
            "required": "Enter the record to merge into this one",
            **dict.fromkeys(("invalid", "min_value", "max_value"), NOT_A_PERSON_NUMBER),
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
    )


class ScreeningQueueFilterForm(forms.Form):
    """The screening queue's filters: none of them a person's details (a person is found with
    the header's search, which keeps what is typed out of the address)."""

    SHOW = [
        ("", "Every referral waiting"),
        ("answered", "Those that answered your question"),
        ("may_be_known", "Those about someone who may be known"),
    ]

    agency = BoundedModelChoiceField(
        label="Referring agency",
        queryset=Agency.objects.order_by("name"),
        required=False,
        empty_label="Any agency",
    )
    show = forms.ChoiceField(label="Show", choices=SHOW, required=False)
