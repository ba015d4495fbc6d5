"""The referral form's sections: their order, their titles, and which answers each holds.

Pure data: no database, no request.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    fields: tuple[str, ...]


SECTIONS = (
    Section(
        "person",
        "About the person",
        (
            "family_name",
            "given_names",
            "other_names",
            "date_of_birth",
            "nhs_number",
            "address",
            "lives_with",
            "ethnicity",
            "ethnicity_not_known_reason",
            "gender",
            "gender_description",
            "preferred_language",
            "interpreter_needed",
            "disability",
            "communication_needs",
        ),
    ),
    Section("needs", "Their needs", ("needs", "primary_need")),
    Section(
        "risk",
        "The risk",
        ("risk_description", "why_critical_now", "tried_so_far", "agencies_involved"),
    ),
    Section(
        "safety",
        "Safety planning",
        ("safety_plan", "interim_plan_in_place", "interim_plan", "interim_plan_why_not"),
    ),
    Section(
        "voice",
        "The person's voice",
        (
            "persons_views",
            "consent",
            "consent_detail",
            "capacity_considered",
            "capacity_conclusion",
        ),
    ),
    Section("risk_tools", "Risk tools used", ("risk_tools", "risk_tools_none_reason")),
    Section(
        "referrer",
        "About you, the referrer",
        (
            "referrer_name",
            "referrer_role",
            "referrer_agency",
            "referrer_phone",
            "referrer_email",
            "referrer_availability",
        ),
    ),
)
SECTIONS_BY_SLUG = {section.slug: section for section in SECTIONS}
FIELD_SECTION = {field: section.slug for section in SECTIONS for field in section.fields}


def section_after(slug: str) -> str | None:
    """The section that follows this one in the form, or None after the last."""
    order = [section.slug for section in SECTIONS]
    position = order.index(slug)
    return order[position + 1] if position + 1 < len(order) else None
