"""How a record is referred to in pages, e-mails and logs: by reference, never by a person's
details. Here, below every app, because the panel names actions it may not import."""

import re


def action_reference(pk: int) -> str:
    return f"A-{pk:06d}"


def case_reference(pk: int) -> str:
    return f"C-{pk:06d}"


# A referral's, a case's, an action's or a person record's reference: R-000012, C-000057,
# A-000284, P-000098.
REFERENCE_PATTERN = r"\b[RCAP]-\d{6}\b"


# A reference as typed: its letter and hyphen optional ("C-000057", "c57", "57"), spaces around
# ignored. Anything else (a name, another kind of reference) is not one.
_TYPED = r"\s*(?:{letter}\s*-?\s*)?0*([1-9][0-9]{{0,8}})\s*"


def number_in_reference(typed: str, letter: str) -> int | None:
    """The record number in a reference typed into a box (`letter`: "C", "R" or "A"); None when
    what was typed is not such a reference. Never a guess: "C-0" and "R-000012" are not case
    references."""
    match = re.fullmatch(_TYPED.format(letter=re.escape(letter)), typed, flags=re.IGNORECASE)
    return int(match.group(1)) if match else None
