"""A referral's answers as rows for GOV.UK summary lists, section by section."""

from dataclasses import dataclass

from caspa.core import history
from caspa.core.time_words import date_in_words
from referrals.choices import Need, RiskTool
from referrals.models import Referral
from referrals.rules import completeness, nhs_numbers, sections


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    field: str


@dataclass(frozen=True)
class SectionSummary:
    slug: str
    title: str
    rows: list[Row]
    state: str


def _value(referral: Referral, field: str) -> str:
    model_field = referral._meta.get_field(field)
    value = getattr(referral, field)
    if field == "agencies_involved":
        return ", ".join(agency.name for agency in referral.agencies_involved.all())
    if field == "nhs_number":
        return nhs_numbers.nhs_number_in_groups(value)
    if field == "date_of_birth":
        return date_in_words(value) if value else ""
    if model_field.choices:
        return getattr(referral, f"get_{field}_display")() if value else ""
    return "" if value is None else str(value)


def _labelled(choices, answers: dict) -> list[Row]:
    labels = dict(choices)
    return [Row(labels.get(code, code), text, "") for code, text in answers.items()]


def referral_summary(referral: Referral) -> list[SectionSummary]:
    answers = referral.answers()
    missing = completeness.missing_answers(answers)
    summaries = []
    for section in sections.SECTIONS:
        if section.slug == "needs":
            rows = _labelled(Need.choices, referral.needs or {})
            rows.append(Row("Most pressing", _value(referral, "primary_need"), "primary_need"))
        elif section.slug == "risk_tools":
            rows = _labelled(RiskTool.choices, referral.risk_tools or {})
            if referral.risk_tools_none_reason:
                rows.append(
                    Row(
                        "Why no tool was used",
                        referral.risk_tools_none_reason,
                        "risk_tools_none_reason",
                    )
                )
        else:
            rows = [
                Row(
                    history.label_of(referral._meta.get_field(field).verbose_name),
                    _value(referral, field),
                    field,
                )
                for field in section.fields
            ]
            rows = [row for row in rows if row.value or row.field in _always_shown(section)]
        summaries.append(
            SectionSummary(
                section.slug,
                section.title,
                rows,
                completeness.section_state(answers, section.slug, missing),
            )
        )
    return summaries


def _always_shown(section: sections.Section) -> set[str]:
    """Optional and follow-up questions appear only when answered; the rest always do."""
    optional = {
        "other_names",
        "nhs_number",
        "ethnicity_not_known_reason",
        "gender_description",
        "interim_plan",
        "interim_plan_why_not",
        "consent_detail",
    }
    return set(section.fields) - optional
