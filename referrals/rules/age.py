"""Age: whether a date of birth can be right for a CASPA referral, an adult's (18 or over),
in the past and after 1900.

Pure functions: no database, no request; today's date is given, not read.
"""

from datetime import date

NOT_AN_ADULT = (
    "CASPA is for adults aged 18 or over. For a child, contact the Multi-Agency Safeguarding "
    "Hub (MASH)"
)
BORN_IN_THE_FUTURE = "The date of birth must be in the past"
BORN_TOO_LONG_AGO = "Check the date of birth: the year must be after 1900"


def date_of_birth_problem(born: date, today: date) -> str | None:
    """Why a date of birth cannot be right for a CASPA referral, or None if it can."""
    if born > today:
        return BORN_IN_THE_FUTURE
    if born.year <= 1900:
        return BORN_TOO_LONG_AGO
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if age < 18:
        return NOT_AN_ADULT
    return None
