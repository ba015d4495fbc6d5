"""Demo referrals about plainly fictional people, and the answers the story's referrers give.

Family names are words like Example and Sample; NHS numbers are in the 999 range the NHS
keeps for testing; addresses are on streets that say they are fictional.
"""

import random
from dataclasses import dataclass
from datetime import date

from referrals.choices import Ethnicity, Gender, Need, Signpost

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
        "self_neglect": "No heating or food in the flat at the last Housing visit.",
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
    "capacity_conclusion": "Has capacity to decide where to live (ASC social worker).",
    "risk_tools": {"self_neglect": "Self-neglect tool: high risk", "clutter": "Rating 6"},
    "referrer_availability": "Monday to Thursday, 9am to 5pm",
}

# The named people of the present-day story; the story (demo/plan.py) says when each was
# referred. (given names, family name, born, NHS number, state, referrer username, changes)
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

# --- the people of the story's past -----------------------------------------------------------

FAMILY_NAMES = [
    "Imaginary",
    "Pretend",
    "Invented",
    "Dummy",
    "Mockup",
    "Testcase",
    "Storybook",
    "Makebelieve",
    "Fauxname",
    "Nonesuch",
    "Hypothetical",
    "Figment",
    "Pseudonym",
    "Fable",
    "Fiction",
    "Whimsy",
    "Daydream",
    "Notional",
    "Unreal",
    "Mythical",
    "Parable",
    "Reverie",
    "Mirage",
    "Fairytale",
    "Noveltie",
    "Conjecture",
    "Supposal",
    "Dreamland",
    "Untrue",
    "Legendary",
]
GIVEN_NAMES = [
    "Ash",
    "Bo",
    "Cam",
    "Dee",
    "Eli",
    "Fin",
    "Gale",
    "Hal",
    "Ira",
    "Jay",
    "Kai",
    "Lou",
    "Max",
    "Noa",
    "Oli",
    "Pip",
    "Quin",
    "Ren",
    "Sky",
    "Tam",
]
STREETS = [
    "Fictional Street",
    "Imaginary Road",
    "Pretend Lane",
    "Storybook Avenue",
    "Makebelieve Close",
    "Notreal Way",
]

# Who refers, weighted: the agencies that meet adults at critical risk most often refer most.
REFERRERS = {
    "referrer.asc": 18,
    "referrer.housing": 10,
    "spoc.housing": 7,
    "spoc.police": 16,
    "spoc.elft": 13,
    "spoc.cgl": 10,
    "referrer.hospital": 9,
    "referrer.ambulance": 9,
    "referrer.probation": 8,
}

# The people referred, by ethnicity, out of 100: close to Luton's 2021 Census (45% White,
# 37% Asian, 10% Black, 8% Mixed or other), with White British people a little over- and
# Asian people a little under-represented, as safeguarding referrals often are; and a few
# whose ethnicity is not known or who chose not to say.
ETHNICITIES = {
    Ethnicity.WHITE_BRITISH: 33,
    Ethnicity.WHITE_IRISH: 2,
    Ethnicity.WHITE_GYPSY_TRAVELLER: 1,
    Ethnicity.WHITE_ROMA: 1,
    Ethnicity.WHITE_OTHER: 7,
    Ethnicity.ASIAN_PAKISTANI: 16,
    Ethnicity.ASIAN_BANGLADESHI: 8,
    Ethnicity.ASIAN_INDIAN: 5,
    Ethnicity.ASIAN_OTHER: 3,
    Ethnicity.ASIAN_CHINESE: 1,
    Ethnicity.BLACK_AFRICAN: 5,
    Ethnicity.BLACK_CARIBBEAN: 4,
    Ethnicity.BLACK_OTHER: 1,
    Ethnicity.MIXED_WHITE_BLACK_CARIBBEAN: 2,
    Ethnicity.MIXED_WHITE_ASIAN: 1,
    Ethnicity.MIXED_WHITE_BLACK_AFRICAN: 1,
    Ethnicity.MIXED_OTHER: 1,
    Ethnicity.OTHER_ARAB: 2,
    Ethnicity.OTHER_ANY: 1,
    Ethnicity.NOT_KNOWN: 3,
    Ethnicity.DECLINED: 2,
}
LANGUAGES = {
    Ethnicity.ASIAN_PAKISTANI: ("Urdu", "Punjabi"),
    Ethnicity.ASIAN_BANGLADESHI: ("Bengali (Sylheti)",),
    Ethnicity.WHITE_OTHER: ("Polish", "Romanian"),
    Ethnicity.WHITE_ROMA: ("Romanian",),
    Ethnicity.OTHER_ARAB: ("Arabic",),
}
GENDERS = {Gender.MAN: 56, Gender.WOMAN: 41, Gender.NON_BINARY: 2, Gender.NOT_KNOWN: 1}

PRIMARY_NEEDS = {
    Need.DUAL_DIAGNOSIS: 17,
    Need.SELF_NEGLECT: 15,
    Need.VICTIMISATION: 12,
    Need.MENTAL_HEALTH: 10,
    Need.HOUSING: 9,
    Need.OFFENDING: 8,
    Need.HEALTH_CONDITIONS: 7,
    Need.UNABLE_TO_PROTECT: 6,
    Need.ANTISOCIAL_BEHAVIOUR: 5,
    Need.POOR_ENGAGEMENT: 5,
    Need.SOCIAL_EXCLUSION: 3,
    Need.UNHELPFUL_THINKING: 3,
}

# A line of evidence for each need, as a referrer might write it.
EVIDENCE = {
    Need.DUAL_DIAGNOSIS: "Drinks daily and uses crack cocaine; low mood, two overdoses this year.",
    Need.OFFENDING: "Three arrests for shop theft in two months; on licence until next year.",
    Need.MENTAL_HEALTH: "Hears voices telling them to leave the flat at night; stopped medication.",
    Need.SELF_NEGLECT: "No food in the flat at the last visit; wearing the same clothes for weeks.",
    Need.HOUSING: "Notice seeking possession for rent arrears; sofa-surfing between friends.",
    Need.SOCIAL_EXCLUSION: "No contact with family; barred from the GP surgery and the hostel.",
    Need.HEALTH_CONDITIONS: "Diabetic; insulin not taken, three hospital admissions this year.",
    Need.VICTIMISATION: "People use the flat to deal drugs (cuckooing); money taken each week.",
    Need.ANTISOCIAL_BEHAVIOUR: "Neighbours report shouting and fires lit on the balcony at night.",
    Need.UNABLE_TO_PROTECT: "Let strangers in at night; found outside in winter without a coat.",
    Need.UNHELPFUL_THINKING: "Believes every agency is against them; ends each visit in anger.",
    Need.POOR_ENGAGEMENT: "Missed every appointment since spring; closed by two services.",
}

# The agencies usually working with someone, by their most pressing need. The first one is
# the agency the panel most often asks to lead.
AGENCIES_FOR_NEED = {
    Need.DUAL_DIAGNOSIS: ("CGL", "ELFT", "Police"),
    Need.OFFENDING: ("Probation", "Police", "CGL"),
    Need.MENTAL_HEALTH: ("ELFT", "Hospital", "ICB"),
    Need.SELF_NEGLECT: ("ASC", "Fire", "CCS"),
    Need.HOUSING: ("Housing", "DWP", "Connex"),
    Need.SOCIAL_EXCLUSION: ("Connex", "ASC", "DWP"),
    Need.HEALTH_CONDITIONS: ("CCS", "Hospital", "ICB"),
    Need.VICTIMISATION: ("Police", "Azalea", "Housing"),
    Need.ANTISOCIAL_BEHAVIOUR: ("Housing", "Police", "Fire"),
    Need.UNABLE_TO_PROTECT: ("ASC", "Police", "Fire"),
    Need.UNHELPFUL_THINKING: ("ELFT", "ASC", "Connex"),
    Need.POOR_ENGAGEMENT: ("ASC", "CCS", "ELFT"),
}

STORY = {
    "risk_description": {
        Need.DUAL_DIAGNOSIS: "Risk of death by overdose, and of harm from people they owe money.",
        Need.OFFENDING: "Risk of prison recall and of harm in fights over debts.",
        Need.MENTAL_HEALTH: "Risk of self-harm and of wandering at night in a crisis.",
        Need.SELF_NEGLECT: "Risk of serious harm from cold, malnutrition and untreated wounds.",
        Need.HOUSING: "Risk of eviction to the street in winter, with nowhere to take them.",
        Need.SOCIAL_EXCLUSION: "Risk of serious illness going unnoticed: no one checks on them.",
        Need.HEALTH_CONDITIONS: "Risk of diabetic coma or amputation if insulin is not taken.",
        Need.VICTIMISATION: "Risk of assault and exploitation by the people using the flat.",
        Need.ANTISOCIAL_BEHAVIOUR: "Risk of fire in a block of flats and of losing the tenancy.",
        Need.UNABLE_TO_PROTECT: "Risk of exploitation and exposure: they cannot keep people out.",
        Need.UNHELPFUL_THINKING: "Risk of crisis with no service willing to stay involved.",
        Need.POOR_ENGAGEMENT: "Risk of serious harm unseen: every service has closed the case.",
    },
    "why_critical_now": {
        Need.DUAL_DIAGNOSIS: "Second overdose in a month; the recovery service cannot reach them.",
        Need.OFFENDING: "Released last month with no address; arrested twice since.",
        Need.MENTAL_HEALTH: "Found on a motorway bridge last week; discharged the same night.",
        Need.SELF_NEGLECT: "Refuses every visit; the last one found them confused and cold.",
        Need.HOUSING: "Eviction date set; refuses to engage with housing options.",
        Need.SOCIAL_EXCLUSION: "Barred from the last service still working with them.",
        Need.HEALTH_CONDITIONS: "Three ambulance call-outs this month; refuses admission.",
        Need.VICTIMISATION: "Assaulted in the flat last week; too frightened to speak to police.",
        Need.ANTISOCIAL_BEHAVIOUR: "Second fire this month; neighbours threatening them.",
        Need.UNABLE_TO_PROTECT: "Money taken from their account twice this month.",
        Need.UNHELPFUL_THINKING: "Complaints about every agency; refuses to meet anyone alone.",
        Need.POOR_ENGAGEMENT: "A welfare check found them unwell; no agency has a plan.",
    },
}
TRIED = (
    "{a}: visits offered weekly, accepted twice. {b}: assessment offered, not completed. "
    "{c}: advice and signposting, no engagement."
)
SAFETY = "{a} visits weekly and shares concerns with {b} the same day; a flag on the address."
INTERIM = "{a} phones daily; {b} visits within the week; the GP has been told."
RISK_TOOLS = {
    Need.SELF_NEGLECT: {"self_neglect": "Self-neglect tool: high risk", "clutter": "Rating 6"},
    Need.VICTIMISATION: {"dash": "DASH: 15 ticks, high risk"},
    Need.UNABLE_TO_PROTECT: {"self_neglect": "Self-neglect tool: high risk"},
    Need.HEALTH_CONDITIONS: {"falls": "Falls guidance: three falls in six months"},
}
VIEWS = [
    "Wants to stay where they are and to be left alone, but wants the visitors gone.",
    "Says they are 'tired of telling the same story to everyone'.",
    "Wants help with money and food, not 'more people asking questions'.",
    "Would like to see their family again and to have somewhere safe to live.",
    "Agrees things are not safe but does not want to move.",
]
DECLINES = [
    (Signpost.MARAC, "The main risk is domestic abuse from a partner; MARAC is the right forum."),
    (Signpost.MASH_S42, "A section 42 enquiry has not yet been made; refer to the MASH first."),
    (Signpost.HOARDING, "The risk is from hoarding alone; the Hoarding Panel is the right route."),
    (
        Signpost.ROUGH_SLEEPING,
        "The risk is from rough sleeping; the complex needs forum can act sooner.",
    ),
    (
        Signpost.SINGLE_AGENCY_MDT,
        "One agency holds the risk and has not yet held its own MDT; do that first.",
    ),
]
QUESTIONS = [
    "Has the person's GP been told, and is there a carer's assessment?",
    "Who does the person live with now? The referral gives two addresses.",
    "Was the person asked about this referral? Please say what they said.",
    "Which risk tool was used, and with what result?",
]

# The referrers' answers, in the same order as the questions they answer.
ANSWERS = [
    "Yes: the GP was told on the day we referred, and a carer's assessment is booked.",
    "They live with their brother now; the second address was their old flat.",
    "Yes. They said they want help with the flat but do not want to move.",
    "The clutter rating scale: 7 in two rooms. I have added it to the answers.",
]


@dataclass
class Fictional:
    """One invented adult: everything a referral says about who they are."""

    given_names: str
    family_name: str
    born: date
    nhs_number: str
    ethnicity: str
    gender: str
    language: str = "English"
    interpreter: str = "no"


def deck(weights: dict, count: int, rng: random.Random) -> list:
    """`count` choices in the proportions the weights give: shuffled blocks of exactly those
    proportions, one after another, so that the first n drawn, for any n, come out close to
    the proportions whatever the random seed."""
    block = [choice for choice, weight in weights.items() for _ in range(weight)]
    cards = []
    while len(cards) < count:
        rng.shuffle(block)
        cards += block
    return cards[:count]


def fictional_people(count: int, rng: random.Random, nhs_numbers, today: date) -> list[Fictional]:
    names = [(g, f) for f in FAMILY_NAMES for g in GIVEN_NAMES]
    rng.shuffle(names)
    ethnicities = deck(ETHNICITIES, count, rng)
    genders = deck(GENDERS, count, rng)
    people = []
    for (given, family), ethnicity, gender in zip(names, ethnicities, genders, strict=False):
        age = rng.choice((22, 27, 31, 34, 38, 41, 44, 47, 50, 53, 56, 59, 63, 68, 74, 81))
        born = date(today.year - age - 2, rng.randint(1, 12), rng.randint(1, 28))
        language, interpreter = "English", "no"
        if ethnicity in LANGUAGES and rng.random() < 0.4:
            language = rng.choice(LANGUAGES[ethnicity])
            interpreter = "yes"
        # About one referral in ten comes without an NHS number.
        nhs = next(nhs_numbers) if rng.random() < 0.9 else ""
        people.append(Fictional(given, family, born, nhs, ethnicity, gender, language, interpreter))
    return people


def answers_for(person: Fictional, *, need: str, agencies: list, rng: random.Random) -> dict:
    """A complete referral about the person, its most pressing need first."""
    others = [n for n in Need.values if n != need]
    needs = {need: EVIDENCE[need]}
    for other in rng.sample(others, rng.randint(1, 3)):
        needs[other] = EVIDENCE[other]
    names = [agency.short_name for agency in agencies] + ["ASC", "Housing", "GP"]
    names = list(dict.fromkeys(names))
    a, b, c = names[:3]
    answers = {
        "given_names": person.given_names,
        "family_name": person.family_name,
        "other_names": "",
        "date_of_birth": person.born,
        "nhs_number": person.nhs_number,
        "address": rng.choice(
            [
                f"Flat {rng.randint(1, 40)}, {rng.randint(2, 90)} {rng.choice(STREETS)}, Luton",
                f"{rng.randint(2, 90)} {rng.choice(STREETS)}, Luton",
                "No fixed abode: usually found near the Notreal Way shops",
            ]
        ),
        "lives_with": rng.choice(
            [
                "Lives alone.",
                "Lives alone; people they call friends stay most nights.",
                "Lives with an adult son, who is also a carer and sometimes a risk.",
                "Sofa-surfs between two friends' flats.",
            ]
        ),
        "ethnicity": person.ethnicity,
        "ethnicity_not_known_reason": (
            "Not yet asked: in crisis at every contact." if person.ethnicity == "not_known" else ""
        ),
        "gender": person.gender,
        "preferred_language": person.language,
        "interpreter_needed": person.interpreter,
        "disability": rng.choice(["None known", "Partially sighted", "Mobility: uses a stick"]),
        "communication_needs": rng.choice(
            ["Short meetings; letters read aloud.", "None", "A trusted worker present."]
        ),
        "needs": needs,
        "primary_need": need,
        "risk_description": STORY["risk_description"][need],
        "why_critical_now": STORY["why_critical_now"][need],
        "tried_so_far": TRIED.format(a=a, b=b, c=c),
        "agencies_involved": [agency.pk for agency in agencies],
        "safety_plan": SAFETY.format(a=a, b=b),
        "interim_plan_in_place": "yes",
        "interim_plan": INTERIM.format(a=a, b=b),
        "persons_views": rng.choice(VIEWS),
        "consent": "yes",
        "capacity_considered": "yes",
        "capacity_conclusion": "Has capacity to decide about support; assessed by the referrer.",
        "risk_tools": RISK_TOOLS.get(need, {"other": "Agency risk matrix: high"}),
        "referrer_availability": "Monday to Friday, 9am to 5pm",
    }
    if rng.random() < 0.15:
        answers["consent"] = "no"
        answers["consent_detail"] = "Referred without consent: a vital interest and risk to others."
    return answers


def named_answers(given, family, born, nhs, changes, agencies) -> dict:
    """The answers of one of the present-day story's named referrals."""
    return {
        **BASE,
        "given_names": given,
        "family_name": family,
        "date_of_birth": born,
        "nhs_number": nhs,
        "agencies_involved": [agency.pk for agency in agencies],
        **changes,
    }
