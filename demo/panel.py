"""What the demo's panel says and agrees: lead officers, actions, minutes and outcomes. The
story (demo/plan.py) decides when. Every person named is invented."""

from panel.models import Outcome, RiskBand
from referrals.choices import Signpost
from referrals.rules import nhs_numbers

# Invented lead officers, by agency: "First Last, role".
OFFICER_FIRST = ["Ada", "Bryn", "Cleo", "Dev", "Edie", "Femi", "Gus", "Hana", "Idris", "Jude"]
OFFICER_LAST = ["Fernbrook", "Quillby", "Ashcombe", "Marrowfield", "Thistlewood", "Wrenfold"]
OFFICER_ROLE = {
    "ASC": "social worker",
    "Housing": "tenancy sustainment officer",
    "Police": "neighbourhood sergeant",
    "Hospital": "safeguarding nurse",
    "ELFT": "care coordinator",
    "CCS": "district nurse",
    "ICB": "safeguarding lead",
    "Probation": "probation officer",
    "CGL": "recovery worker",
    "Fire": "home safety officer",
    "Ambulance": "frequent caller lead",
    "DWP": "partnership manager",
    "Azalea": "outreach worker",
    "Connex": "support worker",
}

# What each agency is asked to do, as the panel words it.
ACTIONS = {
    "ASC": [
        "Care Act assessment at home, with an advocate",
        "Mental capacity assessment for the decision about accommodation",
        "Set up daily welfare calls and a food delivery",
    ],
    "Housing": [
        "Tenancy sustainment visit; check heating, food and the door lock",
        "Put the possession claim on hold while the plan is tried",
        "Offer a move to safer accommodation away from the people exploiting them",
    ],
    "Police": [
        "Closure order application for the address (cuckooing)",
        "Flag the address; share the visitors' details with the panel",
        "Welfare check after any call to the address",
    ],
    "Hospital": [
        "Plan for the next admission: safeguarding nurse to be told on arrival",
        "Discharge only after a meeting with the lead officer",
    ],
    "ELFT": [
        "Mental health assessment at home, not at the clinic",
        "Review medication with the person and their GP",
        "Name a care coordinator and share the crisis plan",
    ],
    "CCS": ["District nurse visits for wound care twice a week", "Insulin prompt visits daily"],
    "ICB": ["Ask the GP practice to lift the bar and offer a named GP"],
    "Probation": [
        "Licence conditions reviewed with the person and the panel's plan",
        "Joint visit with the recovery worker",
    ],
    "CGL": [
        "Outreach visit with naloxone; offer a same-day script",
        "Recovery worker to attend the GP appointment with the person",
    ],
    "Fire": ["Home fire safety visit; fit smoke alarms and fire-retardant bedding"],
    "Ambulance": ["Share call-out history with the panel monthly"],
    "DWP": ["Check benefits entitlement and arrange a home visit for the claim"],
    "Azalea": ["Outreach worker to meet the person weekly in a safe place"],
    "Connex": ["Find a befriender and a weekly activity the person chooses"],
}
JOINT_VISIT = "Joint home visit with the lead officer"
REVIEW_THE_PLAN = "Review the plan with the person before the next panel"

LEAD_REASONS = [
    "Knows the person best and already visits weekly.",
    "The main risk is in this agency's field; it holds the statutory duty.",
    "The person trusts this worker; the other agencies support.",
    "The panel settled a disagreement: this agency leads, with support named below.",
]
LEAD_CHANGES = [
    "The main risk is now mental health; the panel agreed ELFT should lead.",
    "After the MDT the agencies agreed the lead should move to the agency the person trusts.",
    "The previous lead's worker left; the panel moved the lead to keep continuity.",
]

MINUTES_NEW = "New referral presented by {referrer}. Adopted: {lead} leads ({officer}). {risk}"
MINUTES_REVIEW = {
    RiskBand.CRITICAL: [
        "Update from {lead}: no change; the person still refuses most visits. Plan continues.",
        "Update from {lead}: another crisis this month. Agencies to share what they see weekly.",
        "Update from {lead}: some engagement with {other}; risk still critical.",
    ],
    RiskBand.HIGH: [
        "Update from {lead}: the person now lets {other} in. Risk high but reducing slowly.",
        "Update from {lead}: the plan is holding; one missed appointment this month.",
        "Update from {lead}: a good month; the person asked for help with money.",
    ],
    RiskBand.MEDIUM: [
        "Update from {lead}: risk reducing; the panel will consider step-down next month.",
        "Update from {lead}: settled; agencies agreed what single-agency support would look like.",
    ],
}
NOT_ADOPTED = [
    (Signpost.SINGLE_AGENCY_MDT, "Single-agency MDT is enough: Housing holds the risk."),
    (Signpost.MASH_S42, "A section 42 enquiry is the right route; the MASH has agreed to take it."),
    (Signpost.HOARDING, "The risk is from hoarding alone; the Hoarding Panel meets next week."),
]
OUTCOMES = {
    Outcome.STEPPED_DOWN: 20,
    Outcome.DECLINED_WITH_CAPACITY: 5,
    Outcome.MOVED_AWAY: 4,
    Outcome.OTHER: 3,
    Outcome.DIED: 1,
}
OUTCOME_DETAIL = {
    Outcome.STEPPED_DOWN: "Risk reduced; single-agency support agreed.",
    Outcome.MOVED_AWAY: "Moved to a fictional town out of the area; its services were told.",
    Outcome.DECLINED_WITH_CAPACITY: "Declined support, with capacity; the panel accepts the risk.",
    Outcome.DIED: "Died in hospital; a safeguarding adults review was considered and not needed.",
    Outcome.OTHER: "Sentenced to custody; Probation and the prison's healthcare team informed.",
}
MDT_NOTES = [
    "Agencies agreed one worker visits and the others share by phone the same day.",
    "The person attended for part of the meeting and chose what happens first.",
    "Disagreement over who leads; referred back to the panel with both views.",
    "Risk reviewed after a crisis; new safety plan agreed and shared.",
]


def test_range_nhs_numbers():
    """NHS numbers in the 999 range the NHS keeps for testing, with valid check digits."""
    stem = 999100000
    while True:
        for digit in "0123456789":
            if nhs_numbers.nhs_number_is_valid(f"{stem}{digit}"):
                yield f"{stem}{digit}"
                break
        stem += 13


def officer(agency_short: str, n: int) -> str:
    first = OFFICER_FIRST[n % len(OFFICER_FIRST)]
    last = OFFICER_LAST[(n // len(OFFICER_FIRST) + n) % len(OFFICER_LAST)]
    return f"{first} {last}, {OFFICER_ROLE.get(agency_short, 'lead officer')}"
