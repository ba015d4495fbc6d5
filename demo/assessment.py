"""What the demo's shared risk assessments say: the risks each need brings, the person's
desired outcomes, the decisions their capacity was assessed for, what agencies have tried and
what agencies write in their returns. The story (demo/player.py) decides when. Every person
and every detail is invented."""

from referrals.choices import Need

# For each need, the risk the panel scores: (what could happen, to whom, starting likelihood,
# severity, early warning signs, protective factors, if this happens, who does what, out of
# hours).
RISKS = {
    Need.DUAL_DIAGNOSIS: (
        "Accidental overdose when using alone after a mental health crisis",
        ["person"],
        4,
        5,
        "Stops collecting the script; says the voices are back; pawns the phone.",
        "Keeps the weekly appointment with the recovery worker; a sister visits on Sundays.",
        "Found using alone, or misses two script collections in a row",
        "CGL outreach visits the same day with naloxone; ELFT crisis team told.",
        "ELFT crisis line (fictional) 0300 555 0101",
    ),
    Need.OFFENDING: (
        "Reoffending (theft from shops) leading to recall and loss of the tenancy",
        ["person", "others"],
        4,
        3,
        "Misses probation appointments; seen with the old group near the town centre.",
        "Wants to keep the flat; gets on with the probation officer.",
        "Arrested, or misses a probation appointment",
        "Probation tells the lead officer the same day; Housing holds the tenancy.",
        "Police control room (fictional) 0300 555 0102",
    ),
    Need.MENTAL_HEALTH: (
        "Self-harm or suicide attempt when medication stops",
        ["person"],
        3,
        5,
        "Stops answering the door; gives belongings away; talks of being a burden.",
        "Trusts the care coordinator; a neighbour checks in most days.",
        "Says they have a plan, or is not seen for three days",
        "ELFT care coordinator or the crisis team visits within four hours.",
        "ELFT crisis line (fictional) 0300 555 0101",
    ),
    Need.SELF_NEGLECT: (
        "Serious harm from a fire, a fall or an untreated wound at home",
        ["person", "others"],
        4,
        4,
        "Heating off; burnt pans; the district nurse is refused at the door.",
        "Accepts the fire service's visits; likes the home care worker.",
        "A fire, a fall, or the wound is refused dressing twice",
        "ASC social worker visits the same day; Fire revisits; GP asked to see them.",
        "ASC emergency duty team (fictional) 0300 555 0103",
    ),
    Need.HOUSING: (
        "Eviction for rent arrears, with nowhere safe to go",
        ["person"],
        4,
        4,
        "Possession hearing date set; letters unopened; the meter is cut off.",
        "Claims are now in; the landlord will wait while the plan is tried.",
        "A possession order or a warrant is issued",
        "Housing asks the court to adjourn; ASC arranges emergency accommodation.",
        "Housing out-of-hours (fictional) 0300 555 0104",
    ),
    Need.SOCIAL_EXCLUSION: (
        "Isolation and loss of contact with every service",
        ["person"],
        3,
        3,
        "Misses the weekly group; the phone is off for days.",
        "Has asked for a befriender; goes to the library on Tuesdays.",
        "Not seen by anyone for a week",
        "Connex worker visits; the lead officer asks the police for a welfare check.",
        "Police control room (fictional) 0300 555 0102",
    ),
    Need.HEALTH_CONDITIONS: (
        "Diabetic emergency from missed insulin",
        ["person"],
        4,
        4,
        "Misses insulin prompts; ambulance called for low blood sugar.",
        "Lets the district nurse in most mornings.",
        "Two missed insulin visits, or an ambulance call-out",
        "CCS district nurse revisits; the hospital's safeguarding nurse is told on arrival.",
        "NHS 111 and the CCS out-of-hours nurse (fictional) 0300 555 0105",
    ),
    Need.VICTIMISATION: (
        "Exploitation by people using the flat to deal drugs (cuckooing)",
        ["person", "others", "children"],
        5,
        4,
        "New visitors at night; the person says they have 'friends staying'.",
        "Has told the outreach worker what is happening; wants the visitors gone.",
        "The visitors return, or the person is threatened",
        "Police visit and consider a closure order; Housing offers a safe move.",
        "Police (emergency 999; fictional non-emergency 0300 555 0102)",
    ),
    Need.ANTISOCIAL_BEHAVIOUR: (
        "Violence between the person and neighbours after complaints",
        ["person", "others"],
        3,
        4,
        "Shouting at night; neighbours' complaints rise; threats written on the door.",
        "Calms with the support worker; accepts mediation.",
        "A fight, or a neighbour is threatened",
        "Police attend; Housing meets both sides within a week.",
        "Police control room (fictional) 0300 555 0102",
    ),
    Need.UNABLE_TO_PROTECT: (
        "Financial abuse and being taken advantage of by a 'friend'",
        ["person"],
        4,
        3,
        "Money gone on benefit day; new debts; the friend answers the phone.",
        "Has a trusted cousin; agreed to an appointee for benefits.",
        "Benefits are drained again, or the friend moves in",
        "ASC safeguarding enquiry; DWP asked about an appointee; Police told.",
        "ASC emergency duty team (fictional) 0300 555 0103",
    ),
    Need.UNHELPFUL_THINKING: (
        "Crisis after leaving every service in anger",
        ["person", "staff"],
        3,
        3,
        "Cancels appointments; abusive calls to staff.",
        "Returns to the worker they trust after a few days.",
        "Threatens staff, or leaves all support",
        "The lead officer writes a single plan for contact; one worker only.",
        "ASC emergency duty team (fictional) 0300 555 0103",
    ),
    Need.POOR_ENGAGEMENT: (
        "Deterioration unnoticed because no agency is let in",
        ["person"],
        4,
        4,
        "No one seen the person for two weeks; post piling up.",
        "Will speak to the GP receptionist they know.",
        "Not seen for two weeks",
        "Joint visit by the lead officer and the police; GP asked to call.",
        "Police control room (fictional) 0300 555 0102",
    ),
}
# A second risk every assessment holds, and a third for some: (need it comes from or None).
OTHERS = [
    (
        "Falling into rent arrears again while the other risks are worked on",
        ["person"],
        3,
        3,
        "Missed payments; letters unopened.",
        "Claims now in; the DWP visit is booked.",
        "A notice seeking possession",
        "Housing tenancy officer visits within a week.",
        "",
    ),
    (
        "A visitor to the home is hurt (staff lone working)",
        ["staff"],
        2,
        4,
        "Dogs loose; shouting heard from the door.",
        "Visits are in pairs; the person calls ahead if there is trouble.",
        "A worker is threatened at the door",
        "Visits stop until a joint visit with the police is arranged.",
        "",
    ),
]

DESIRED_OUTCOMES = [
    "To stay in my own flat.",
    "To see my daughter again.",
    "To stop using, in my own time.",
    "To feel safe when I open the door.",
    "To have one worker who knows me, not a new one every month.",
    "To get back to the allotment.",
    "To sort my money out so I am not scared of the post.",
]

VIEWS = (
    "In their own words (as told to the lead officer): 'I don't want people coming round all "
    "the time. I know I need help with {need}, but I want to choose who.' They want to be at "
    "the panel's next review by phone."
)

CAPACITY_DECISIONS = [
    ("Where to live", "has_capacity"),
    ("Accepting care and support at home", "has_capacity"),
    ("Managing their money", "lacks_capacity"),
    ("Medical treatment for the leg wound", "has_capacity"),
]

# What each agency has already tried, as it would tell the panel.
INTERVENTIONS = {
    "ASC": ("Care Act assessment offered twice; declined the second time.", "Declined."),
    "Housing": ("Tenancy sustainment visits every fortnight.", "Let in three times out of six."),
    "Police": ("Welfare checks after neighbours' calls.", "Person safe each time; no arrests."),
    "Hospital": ("Two admissions; discharge planning meetings held.", "Left before the second."),
    "ELFT": ("Care coordinator allocated; depot medication.", "Missed two depot appointments."),
    "CCS": ("District nurse for wound care.", "Wound healing slowly."),
    "ICB": ("GP practice asked to offer longer appointments.", "One attended."),
    "Probation": ("Weekly reporting; a place on a thinking skills course.", "Course completed."),
    "CGL": ("Same-day script and naloxone training.", "Collecting the script most weeks."),
    "Fire": ("Home fire safety visit; smoke alarms fitted.", "Alarms still in place."),
    "Ambulance": ("Frequent caller review.", "Calls down from 12 to 4 a month."),
    "DWP": ("Benefit claim reviewed at home.", "Arrears being repaid from benefit."),
    "Azalea": ("Weekly outreach in a safe place.", "Attends most weeks."),
    "Connex": ("Befriender matched.", "Meets weekly; enjoys the walking group."),
}

RETURNS = [
    (
        "Seen twice at home; once at the surgery.",
        "Sleeping better; the visitors have stopped coming at night.",
        "No new risks. The rent arrears risk is lower: a payment plan is agreed.",
        "Our action is done; the follow-up visit is booked.",
    ),
    (
        "Spoke by phone weekly; one home visit refused.",
        "Missed the last appointment; a neighbour says they are drinking more.",
        "The overdose risk may be rising: missed two script collections.",
        "Our action is in progress: outreach visit tried twice.",
    ),
    (
        "Met at the drop-in on Tuesdays.",
        "More settled; asked for help with a benefits letter.",
        "None new.",
        "No actions for us this month.",
    ),
]
HANDOVER = (
    "{agency} keeps the person's support going: the named worker visits fortnightly, reviews "
    "the plan with them monthly, and chairs a single-agency review in three months."
)
HANDOVER_CONTINGENCY = (
    "If the risk rises again (a crisis, a missed month, or the warning signs in the plan), "
    "{agency} calls a multi-agency meeting within five working days and refers back to CASPA."
)

# Two agencies' positions when they disagree over who should lead.
LEAD_POSITIONS = [
    "{agency} should lead now: the main risk is in its field and it sees the person most.",
    "We support the person, but {agency} holds the statutory duty and should keep the lead.",
]
