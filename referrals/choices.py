"""The fixed lists a referral uses: needs, ethnicity, risk tools, screening outcomes."""

from django.db import models


class Need(models.TextChoices):
    """The twelve needs the CASPA practice example lists; a referral usually has several."""

    DUAL_DIAGNOSIS = "dual_diagnosis", "Dual diagnosis (mental health and substance use)"
    OFFENDING = "offending", "Risk of offending or reoffending"
    MENTAL_HEALTH = "mental_health", "Poor mental health"
    SELF_NEGLECT = "self_neglect", "Poor self-care or self-neglect"
    HOUSING = "housing", "Vulnerable housing or unstable tenancy"
    SOCIAL_EXCLUSION = "social_exclusion", "Social exclusion and problems accessing support"
    HEALTH_CONDITIONS = "health_conditions", "Poorly managed health conditions"
    VICTIMISATION = (
        "victimisation",
        "Victimisation by others (including sexual exploitation, cuckooing, modern slavery)",
    )
    ANTISOCIAL_BEHAVIOUR = "antisocial_behaviour", "Anti-social behaviour"
    UNABLE_TO_PROTECT = "unable_to_protect", "Inability to protect themselves from danger and harm"
    UNHELPFUL_THINKING = "unhelpful_thinking", "Unhelpful thinking and behaviours"
    POOR_ENGAGEMENT = "poor_engagement", "Poor engagement with and by services"


class Ethnicity(models.TextChoices):
    """The ONS 2021 Census categories for England and Wales, with two answers of our own."""

    ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian or Asian British: Bangladeshi"
    ASIAN_CHINESE = "asian_chinese", "Asian or Asian British: Chinese"
    ASIAN_INDIAN = "asian_indian", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "asian_pakistani", "Asian or Asian British: Pakistani"
    ASIAN_OTHER = "asian_other", "Asian or Asian British: any other Asian background"
    BLACK_AFRICAN = "black_african", "Black, Black British, Caribbean or African: African"
    BLACK_CARIBBEAN = "black_caribbean", "Black, Black British, Caribbean or African: Caribbean"
    BLACK_OTHER = (
        "black_other",
        "Black, Black British, Caribbean or African: any other Black background",
    )
    MIXED_WHITE_ASIAN = "mixed_white_asian", "Mixed or multiple ethnic groups: White and Asian"
    MIXED_WHITE_BLACK_AFRICAN = (
        "mixed_white_black_african",
        "Mixed or multiple ethnic groups: White and Black African",
    )
    MIXED_WHITE_BLACK_CARIBBEAN = (
        "mixed_white_black_caribbean",
        "Mixed or multiple ethnic groups: White and Black Caribbean",
    )
    MIXED_OTHER = "mixed_other", "Mixed or multiple ethnic groups: any other Mixed background"
    WHITE_BRITISH = (
        "white_british",
        "White: English, Welsh, Scottish, Northern Irish or British",
    )
    WHITE_IRISH = "white_irish", "White: Irish"
    WHITE_GYPSY_TRAVELLER = "white_gypsy_traveller", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "white_roma", "White: Roma"
    WHITE_OTHER = "white_other", "White: any other White background"
    OTHER_ARAB = "other_arab", "Other ethnic group: Arab"
    OTHER_ANY = "other_any", "Other ethnic group: any other ethnic group"
    DECLINED = "declined", "The person chose not to say"
    NOT_KNOWN = "not_known", "Not known"


class Gender(models.TextChoices):
    WOMAN = "woman", "Woman"
    MAN = "man", "Man"
    NON_BINARY = "non_binary", "Non-binary"
    SELF_DESCRIBED = "self_described", "In another way (say how)"
    NOT_KNOWN = "not_known", "Not known"


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class Consent(models.TextChoices):
    YES = "yes", "Yes, they consent to this referral"
    NO = "no", "No, they do not consent"
    NOT_SOUGHT = "not_sought", "Consent has not been sought"


class RiskTool(models.TextChoices):
    DASH = "dash", "Domestic abuse risk assessment (DASH or DARA)"
    CLUTTER = "clutter", "Clutter rating scale"
    SELF_NEGLECT = "self_neglect", "Self-neglect tool"
    FALLS = "falls", "Falls guidance"
    OTHER = "other", "Another tool (name it in the outcome)"


class Signpost(models.TextChoices):
    """Better routes for a referral CASPA declines."""

    MASH_S42 = "mash_s42", "MASH or a section 42 safeguarding enquiry"
    MARAC = "marac", "MARAC (domestic abuse)"
    HOARDING = "hoarding", "The Hoarding Panel"
    ROUGH_SLEEPING = "rough_sleeping", "The rough-sleeping complex needs forum"
    SINGLE_AGENCY_MDT = "single_agency_mdt", "A single-agency multi-disciplinary team meeting"
    OTHER = "other", "Another route (say which)"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for screening"
    MORE_INFORMATION = "more_information", "More information asked for"
    ACCEPTED = "accepted", "Accepted for the next panel"
    DECLINED = "declined", "Declined"
