"""Demo referrals in every state, about plainly fictional people.

Family names are words like Example and Sample; NHS numbers are in the 999 range the NHS
keeps for testing; addresses are on streets that say they are fictional.
"""

from datetime import date, timedelta

from django.utils import timezone

from referrals import services
from referrals.choices import Signpost
from referrals.models import Referral

BASE = {
    "other_names": "",
    "address": "Flat 2, 10 Fictional Street, Luton",
    "lives_with": "Lives alone; a friend stays some nights and may be exploiting them.",
    "ethnicity": "white_british",
    "gender": "man",
    "preferred_language": "English",
    "interpreter_needed": "no",
    "disability": "None known",
    "communication_needs": "Short meetings; letters read aloud.",
    "needs": {
        "self_neglect": "No heating or food in the flat at the Housing visit on 3 November.",
        "victimisation": "Neighbours report people using the flat to deal drugs (cuckooing).",
        "dual_diagnosis": "Alcohol use daily; ELFT discharged after missed appointments.",
    },
    "primary_need": "self_neglect",
    "risk_description": "Risk of serious harm from cold, malnutrition and exploitation.",
    "why_critical_now": "Two ambulance call-outs this month; refuses single-agency help.",
    "tried_so_far": "Housing: tenancy support, declined. ASC: care assessment, not completed. "
    "CGL: outreach, two visits, no engagement.",
    "safety_plan": "Housing officer visits weekly; Police flag on the address.",
    "interim_plan_in_place": "yes",
    "interim_plan": "Fire service home safety visit; daily welfare call by Housing.",
    "persons_views": "Wants to stay in the flat and 'be left alone', but wants the visitors gone.",
    "consent": "yes",
    "capacity_considered": "yes",
    "capacity_conclusion": "Has capacity to decide where to live (ASC social worker, 1 Nov).",
    "risk_tools": {"self_neglect": "Self-neglect tool: high risk", "clutter": "Rating 6"},
    "referrer_availability": "Monday to Thursday, 9am to 5pm",
}

# (given names, family name, born, NHS number, state, referrer username, changes)
PEOPLE = [
    ("Alex", "Example", date(1979, 3, 14), "9990000077", "accepted", "referrer.housing", {}),
    (
        "Sam",
        "Sample",
        date(1968, 9, 2),
        "9990000212",
        "accepted",
        "spoc.police",
        {"gender": "woman", "ethnicity": "black_caribbean"},
    ),
    (
        "Jo",
        "Specimen",
        date(1990, 1, 30),
        "9990000352",
        "accepted",
        "referrer.ambulance",
        {"ethnicity": "asian_pakistani", "preferred_language": "Urdu", "interpreter_needed": "yes"},
    ),
    (
        "Chris",
        "Madeup",
        date(1985, 6, 6),
        "9990000425",
        "submitted",
        "referrer.housing",
        {"ethnicity": "not_known", "ethnicity_not_known_reason": "Not yet asked: in crisis."},
    ),
    ("Kit", "Exampel", date(1979, 3, 15), "", "submitted", "spoc.elft", {}),  # may be Alex
    (
        "Pat",
        "Placeholder",
        date(1958, 11, 11),
        "9990000492",
        "more_information",
        "referrer.housing",
        {"gender": "woman"},
    ),
    ("Robin", "Fictitious", date(1995, 4, 4), "9990000565", "declined", "spoc.cgl", {}),
    ("Lee", "Notreal", date(1972, 8, 19), "9990000638", "draft", "referrer.housing", {}),
]


def seed_referrals(users: dict, coordinator) -> int:
    """Creates the demo referrals once; returns how many it made."""
    if Referral.objects.exists():
        return 0
    for given, family, born, nhs, state, username, changes in PEOPLE:
        referrer = users[username]
        referral = services.referral_start(by=referrer)
        answers = {
            **BASE,
            "given_names": given,
            "family_name": family,
            "date_of_birth": born,
            "nhs_number": nhs,
            **changes,
        }
        if state == "draft":
            answers = {k: answers[k] for k in ("given_names", "family_name", "date_of_birth")}
        else:
            answers["agencies_involved"] = [referrer.agency_id, coordinator.agency_id]
        referral = services.referral_save_answers(
            referral_id=referral.pk, by=referrer, version=referral.version, answers=answers
        )
        if state == "draft":
            continue
        referral = services.referral_submit(
            referral_id=referral.pk, by=referrer, version=referral.version
        )
        _screen(referral, state, coordinator)
    # Spread the waiting referrals over past weeks so the queue shows their age.
    for days, referral in enumerate(Referral.objects.screening_queue(), start=3):
        Referral.objects.filter(pk=referral.pk).update(
            submitted_at=timezone.now() - timedelta(days=days * 4)
        )
    return len(PEOPLE)


def _screen(referral, state, coordinator):
    common = {"referral_id": referral.pk, "by": coordinator}
    if state == "accepted":
        referral = services.referral_link_person(**common, version=referral.version, person_id=None)
        services.referral_accept(**common, version=referral.version)
    elif state == "more_information":
        services.referral_ask_for_information(
            **common,
            version=referral.version,
            question="Has the person's GP been told, and is there a carer's assessment?",
        )
    elif state == "declined":
        services.referral_decline(
            **common,
            version=referral.version,
            reason="The main risk is domestic abuse from a partner; MARAC is the right forum.",
            signpost=Signpost.MARAC,
        )
