"""Whether a referred person may be someone already known: the matching rule.

The same NHS number; or a family name that matches or sounds alike (Soundex) with a birth date
that is the same or nearly so. Pure functions: no database, no request.
"""

import re
from dataclasses import dataclass
from datetime import date

from referrals.rules.nhs_numbers import normalise_nhs_number

SOUNDEX_CODES = {
    **dict.fromkeys("BFPV", "1"),
    **dict.fromkeys("CGJKQSXZ", "2"),
    **dict.fromkeys("DT", "3"),
    "L": "4",
    **dict.fromkeys("MN", "5"),
    "R": "6",
}


def soundex(name: str) -> str:
    """American Soundex: names that sound alike share a code (Smith, Smyth: S530)."""
    letters = [c for c in (name or "").upper() if "A" <= c <= "Z"]
    if not letters:
        return ""
    code = letters[0]
    previous = SOUNDEX_CODES.get(letters[0], "")
    for letter in letters[1:]:
        digit = SOUNDEX_CODES.get(letter, "")
        if digit and digit != previous:
            code += digit
        if letter not in "HW":  # H and W do not separate letters with the same code
            previous = digit
    return (code + "000")[:4]


def simplify_name(name: str) -> str:
    return re.sub(r"[^a-z]", "", (name or "").lower())


def family_names_match(a: str, b: str) -> bool:
    """The same name, ignoring case, spaces and punctuation, or one that sounds alike."""
    if not simplify_name(a) or not simplify_name(b):
        return False
    return simplify_name(a) == simplify_name(b) or soundex(a) == soundex(b)


def dates_of_birth_close(a: date, b: date) -> bool:
    """The same date, a day or two off, one digit mistyped, or day and month swapped."""
    if abs((a - b).days) <= 2:
        return True
    typed_a, typed_b = (f"{d.year:04d}{d.month:02d}{d.day:02d}" for d in (a, b))
    if sum(x != y for x, y in zip(typed_a, typed_b, strict=True)) == 1:
        return True
    return a.year == b.year and a.day == b.month and a.month == b.day


@dataclass(frozen=True)
class Identity:
    """What identifies a person well enough to suspect two records are the same one."""

    family_name: str
    date_of_birth: date | None
    nhs_number: str = ""


def may_be_same_person(referred: Identity, known: Identity) -> bool:
    """Same NHS number; or a family name that matches or sounds alike, with a close birth date."""
    referred_nhs = normalise_nhs_number(referred.nhs_number)
    if referred_nhs and referred_nhs == normalise_nhs_number(known.nhs_number):
        return True
    if referred.date_of_birth is None or known.date_of_birth is None:
        return False
    return family_names_match(referred.family_name, known.family_name) and dates_of_birth_close(
        referred.date_of_birth, known.date_of_birth
    )
