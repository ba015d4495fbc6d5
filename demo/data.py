"""The demo's agencies and people. Agencies are the panel's real partner agencies; every person is
invented, with an example.org address (a domain reserved for examples) and "(demo)" in the
job title, so no one mistakes them for staff."""

# (name, short name, is the host)
AGENCIES = [
    ("Adult Social Care", "ASC", True),
    ("Housing", "Housing", False),
    ("Bedfordshire Police", "Police", False),
    ("Bedfordshire Hospitals NHS Foundation Trust", "Hospital", False),
    ("East London NHS Foundation Trust (mental health)", "ELFT", False),
    ("Cambridgeshire Community Services (community health)", "CCS", False),
    ("Integrated Care Board", "ICB", False),
    ("National Probation Service", "Probation", False),
    ("CGL ResoLUTiONs (drug and alcohol service)", "CGL", False),
    ("Bedfordshire Fire and Rescue Service", "Fire", False),
    ("East of England Ambulance Service", "Ambulance", False),
    ("Department for Work and Pensions", "DWP", False),
    ("Azalea (voluntary sector)", "Azalea", False),
    ("Community Connex (voluntary sector)", "Connex", False),
]

# (username, first name, last name, role, agency short name, job title)
PEOPLE = [
    ("coordinator", "Cora", "Ashdown", "coordinator", "ASC", "CASPA panel coordinator"),
    ("admin", "Adam", "Birchwood", "admin_staff", "ASC", "CASPA business support officer"),
    ("chair", "Chidi", "Okonkwo-Vale", "chair", "ASC", "Head of Safeguarding, panel chair"),
    ("manager", "Maya", "Thornbury", "manager", "ASC", "Safeguarding Adults Board manager"),
    ("spoc.housing", "Harriet", "Lomax", "spoc", "Housing", "Tenancy sustainment lead"),
    ("spoc.police", "Piers", "Dunmore", "spoc", "Police", "Vulnerability hub sergeant"),
    ("spoc.elft", "Esme", "Quarrie", "spoc", "ELFT", "Safeguarding adults lead"),
    ("spoc.cgl", "Callum", "Reddaway", "spoc", "CGL", "Team leader"),
    ("spoc.asc", "Sana", "Whitcombe", "spoc", "ASC", "Safeguarding adults team manager"),
    ("spoc.hospital", "Gwen", "Harrowby", "spoc", "Hospital", "Named nurse, safeguarding"),
    ("spoc.ccs", "Tobias", "Fenwright", "spoc", "CCS", "Community nursing lead"),
    ("spoc.icb", "Priya", "Calloway", "spoc", "ICB", "Designated safeguarding professional"),
    ("spoc.probation", "Declan", "Ormsby", "spoc", "Probation", "Senior probation officer"),
    ("spoc.fire", "Lena", "Marchbank", "spoc", "Fire", "Prevention manager"),
    ("spoc.ambulance", "Kofi", "Brambleton", "spoc", "Ambulance", "Safeguarding lead"),
    ("spoc.dwp", "Iris", "Tollemache", "spoc", "DWP", "Advanced customer support lead"),
    ("spoc.azalea", "Nell", "Hazeldine", "spoc", "Azalea", "Service manager"),
    ("spoc.connex", "Otis", "Wetherell", "spoc", "Connex", "Project lead"),
    ("referrer.housing", "Rosa", "Pennick", "referrer", "Housing", "Housing officer"),
    ("referrer.ambulance", "Ravi", "Sandhu-Marsh", "referrer", "Ambulance", "Paramedic"),
    ("referrer.asc", "Sol", "Penhallow", "referrer", "ASC", "Social worker"),
    ("referrer.hospital", "Hetty", "Brackenbury", "referrer", "Hospital", "Discharge coordinator"),
    ("referrer.probation", "Pia", "Tregothnan", "referrer", "Probation", "Probation officer"),
    ("member.housing", "Hana", "Wrexley", "panel_member", "Housing", "Housing options manager"),
    ("member.police", "Tamsin", "Ravensholt", "panel_member", "Police", "Detective inspector"),
    ("member.fire", "Fern", "Ogilvie", "panel_member", "Fire", "Home safety officer"),
    ("member.probation", "Milo", "Garside", "panel_member", "Probation", "Probation officer"),
]

DEMO_PASSWORD = "fictional-demo-2026"
