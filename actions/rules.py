"""Rules for agreeing an action, as pure functions."""

from datetime import date

DUE_IN_THE_PAST = "The due date must be today or in the future"
OWNER_NOT_INVOLVED = "The owning agency must be one of the agencies involved in the case"
DESCRIPTION_NEEDED = "Say what is to be done"


def action_problems(
    *,
    description: str,
    due_on: date | None,
    today: date,
    owner_agency_id: int | None,
    involved_agency_ids: set[int],
) -> dict:
    """What is wrong with a proposed action, by field; empty when it can be agreed."""
    problems = {}
    if not (description or "").strip():
        problems["description"] = DESCRIPTION_NEEDED
    if due_on is not None and due_on < today:
        problems["due_on"] = DUE_IN_THE_PAST
    if owner_agency_id is not None and owner_agency_id not in involved_agency_ids:
        problems["owner_agency"] = OWNER_NOT_INVOLVED
    return problems
