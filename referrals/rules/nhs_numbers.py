"""NHS numbers: how people type them, and whether one can be real (its check digit).

Pure functions: no database, no request.
"""

import re

NHS_NUMBER_INVALID = "Enter a real NHS number: 10 digits, like 943 476 5919"


def normalise_nhs_number(value: str) -> str:
    """Digits only: people type NHS numbers with spaces or hyphens (943 476 5919)."""
    return re.sub(r"[\s-]", "", value or "")


def nhs_number_is_valid(value: str) -> bool:
    """The NHS number's modulus 11 check digit (NHS Data Dictionary)."""
    digits = normalise_nhs_number(value)
    if not re.fullmatch(r"[0-9]{10}", digits):
        return False
    total = sum(int(d) * weight for d, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def nhs_number_in_groups(value: str) -> str:
    """An NHS number as people read it, in groups of 3, 3 and 4 (943 476 5919)."""
    digits = normalise_nhs_number(value)
    if len(digits) != 10:
        return value
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
