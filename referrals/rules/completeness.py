"""Whether a referral's answers are complete, and for each missing answer why it matters.

The board's audit found half of referrals lacked adequate information: these rules are its
findings. Also the task list's state of each section, which follows from them. Pure functions
of the answers: no database, no request.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from referrals.choices import Consent, Ethnicity, Gender, Need, RiskTool, YesNo
from referrals.rules.sections import SECTIONS_BY_SLUG


@dataclass(frozen=True)
class Missing:
    """One answer a referral still needs: where it goes, what to do, and why it matters."""

    section: str
    field: str
    message: str
    why: str


WHY_IDENTITY = "Without it the panel cannot find earlier referrals, and agencies start again."
WHY_CONTACT = "Agencies need to know where to find and how to reach the person."
WHY_LIVES_WITH = (
    "The audit found referrals that did not say who the person lives with; the people around "
    "them may be a risk or a support."
)
WHY_EQUALITY = (
    "80% of audited referrals had no ethnicity or identity details; the board checks that the "
    "pathway reaches every community."
)
WHY_COMMUNICATION = "So that the person can take part in their own plan."
WHY_NEEDS = (
    "The panel plans around the needs; half of audited referrals lacked adequate information."
)
WHY_RISK = "CASPA is for critical risk that no single agency has managed to reduce."
WHY_TRIED = "Saying what was tried, and by whom, stops agencies starting again."
WHY_SAFETY = "40% of audited referrals showed no risk and safety planning."
WHY_INTERIM = "Few audited referrals had an interim protection plan for the weeks before panel."
WHY_VOICE = "The plan starts from what the person wants (Making Safeguarding Personal)."
WHY_CONSENT = "Audited referrals did not record consent or mental capacity."
WHY_TOOLS = "Audited referrals did not use the domestic abuse, clutter or self-neglect risk tools."
WHY_REFERRER = "It was sometimes hard to tell how to contact the referrer."


def blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, set, dict)):
        return len(value) == 0
    return False


def missing_answers(answers: Mapping[str, Any]) -> list[Missing]:
    """Everything a referral still needs before it can be submitted, in the form's order."""
    missing: list[Missing] = []

    def need(section, field, message, why, applies=True):
        if applies and blank(answers.get(field)):
            missing.append(Missing(section, field, message, why))

    get = answers.get
    need("person", "family_name", "Enter the person's family name", WHY_IDENTITY)
    need("person", "given_names", "Enter the person's given names", WHY_IDENTITY)
    need("person", "date_of_birth", "Enter the person's date of birth", WHY_IDENTITY)
    need("person", "address", "Enter where the person lives, or 'no fixed abode'", WHY_CONTACT)
    need(
        "person",
        "lives_with",
        "Say who the person lives with, or that they live alone",
        WHY_LIVES_WITH,
    )
    need("person", "ethnicity", "Select the person's ethnicity, or 'Not known'", WHY_EQUALITY)
    need(
        "person",
        "ethnicity_not_known_reason",
        "Say why the person's ethnicity is not known",
        WHY_EQUALITY,
        applies=get("ethnicity") == Ethnicity.NOT_KNOWN,
    )
    need("person", "gender", "Select the person's gender", WHY_EQUALITY)
    need(
        "person",
        "gender_description",
        "Say how the person describes their gender",
        WHY_EQUALITY,
        applies=get("gender") == Gender.SELF_DESCRIBED,
    )
    need("person", "preferred_language", "Enter the person's preferred language", WHY_COMMUNICATION)
    need(
        "person",
        "interpreter_needed",
        "Say whether the person needs an interpreter",
        WHY_COMMUNICATION,
    )
    need(
        "person", "disability", "Describe any disability, or write 'none known'", WHY_COMMUNICATION
    )
    need(
        "person",
        "communication_needs",
        "Describe any communication needs, or write 'none'",
        WHY_COMMUNICATION,
    )

    needs = get("needs") or {}
    need("needs", "needs", "Select at least one need", WHY_NEEDS)
    for code, label in Need.choices:
        if code in needs and blank(needs[code]):
            missing.append(
                Missing("needs", f"evidence_{code}", f"Give evidence for '{label}'", WHY_NEEDS)
            )
    need("needs", "primary_need", "Select the most pressing need", WHY_NEEDS, applies=bool(needs))
    if needs and not blank(get("primary_need")) and get("primary_need") not in needs:
        missing.append(
            Missing(
                "needs",
                "primary_need",
                "The most pressing need must be one of the needs you selected",
                WHY_NEEDS,
            )
        )

    need("risk", "risk_description", "Describe the risk to the person", WHY_RISK)
    need("risk", "why_critical_now", "Say why the risk is critical now", WHY_RISK)
    need("risk", "tried_so_far", "Say what has been tried, and by which agencies", WHY_TRIED)
    need(
        "risk", "agencies_involved", "Select the agencies involved with the person today", WHY_TRIED
    )

    need(
        "safety",
        "safety_plan",
        "Describe the risk and safety plan in place now, or say there is none",
        WHY_SAFETY,
    )
    need(
        "safety",
        "interim_plan_in_place",
        "Say whether an interim protection plan is in place",
        WHY_INTERIM,
    )
    need(
        "safety",
        "interim_plan",
        "Describe the interim protection plan",
        WHY_INTERIM,
        applies=get("interim_plan_in_place") == YesNo.YES,
    )
    need(
        "safety",
        "interim_plan_why_not",
        "Say why there is no interim protection plan",
        WHY_INTERIM,
        applies=get("interim_plan_in_place") == YesNo.NO,
    )

    need("voice", "persons_views", "Give the person's own views and wishes", WHY_VOICE)
    need("voice", "consent", "Say whether the person consents to this referral", WHY_CONSENT)
    need(
        "voice",
        "consent_detail",
        "Say why you are referring without their consent",
        WHY_CONSENT,
        applies=get("consent") == Consent.NO,
    )
    need(
        "voice",
        "consent_detail",
        "Say why consent has not been sought",
        WHY_CONSENT,
        applies=get("consent") == Consent.NOT_SOUGHT,
    )
    need(
        "voice",
        "capacity_considered",
        "Say whether the person's mental capacity was considered",
        WHY_CONSENT,
    )
    need(
        "voice",
        "capacity_conclusion",
        "Say what was concluded about mental capacity",
        WHY_CONSENT,
        applies=get("capacity_considered") == YesNo.YES,
    )
    need(
        "voice",
        "capacity_conclusion",
        "Say why mental capacity was not considered",
        WHY_CONSENT,
        applies=get("capacity_considered") == YesNo.NO,
    )

    tools = get("risk_tools") or {}
    need(
        "risk_tools",
        "risk_tools",
        "Select the risk tools used, or say why none was used",
        WHY_TOOLS,
        applies=blank(get("risk_tools_none_reason")),
    )
    for code, label in RiskTool.choices:
        if code in tools and blank(tools[code]):
            missing.append(
                Missing(
                    "risk_tools",
                    f"outcome_{code}",
                    f"Give the score or outcome of '{label}'",
                    WHY_TOOLS,
                )
            )

    need("referrer", "referrer_name", "Enter your name", WHY_REFERRER)
    need("referrer", "referrer_role", "Enter your role", WHY_REFERRER)
    need("referrer", "referrer_agency", "Select your agency", WHY_REFERRER)
    need(
        "referrer", "referrer_phone", "Enter a phone number the coordinator can call", WHY_REFERRER
    )
    need("referrer", "referrer_email", "Enter your work e-mail address", WHY_REFERRER)
    need("referrer", "referrer_availability", "Say when you can be reached", WHY_REFERRER)
    return missing


class SectionState:
    NOT_STARTED = "Not yet started"
    IN_PROGRESS = "Incomplete"
    COMPLETED = "Completed"


def section_state(answers: Mapping[str, Any], slug: str, missing: list[Missing]) -> str:
    """Task-list status of one section, given the referral's answers and what is missing."""
    if all(blank(answers.get(field)) for field in SECTIONS_BY_SLUG[slug].fields):
        return SectionState.NOT_STARTED
    if any(m.section == slug for m in missing):
        return SectionState.IN_PROGRESS
    return SectionState.COMPLETED
