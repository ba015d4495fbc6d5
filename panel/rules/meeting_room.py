"""The meeting room's rules, as pure functions (docs/meeting-room.md): what has become of a
case on the agenda, who may follow a running meeting on their own device, which items of the
minutes an agency receives, and the agenda builder's count in words."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

CLOSED = "closed"
NOT_ADOPTED = "not_adopted"


def agenda_standing(*, status: str, closed_at: datetime | None, status_label: str) -> str:
    """What the agenda, the room display and the pack say of a case the panel will not hear as
    planned: closed or not adopted since the agenda was built (or at this meeting)."""
    if status not in (CLOSED, NOT_ADOPTED):
        return ""
    when = f" on {closed_at:%-d %B %Y}" if closed_at else ""
    return f"{status_label}{when}"


NOT_RUNNING = "The meeting is not running: its display opens when the coordinator starts it."
NOT_PRESENT = "You are not marked present at this meeting: ask the coordinator to record you."
NOT_AGREED = "Agree to the confidentiality statement to follow the meeting."
NO_FOLLOWING = "Your role does not follow panel meetings."


@dataclass(frozen=True)
class Following:
    """Why a user may or may not follow a meeting on the room display."""

    allowed: bool
    problem: str = ""


def may_follow(
    *,
    sees_every_case: bool,
    follows_meetings: bool,
    running: bool,
    present: bool,
    agreed: bool,
) -> Following:
    """The coordinator, admin staff and the chair always may. A panel member or SPoC may only
    while the meeting runs, once marked present (not sending apologies) and agreed to the
    confidentiality statement."""
    if sees_every_case:
        return Following(True)
    if not follows_meetings:
        return Following(False, NO_FOLLOWING)
    if not running:
        return Following(False, NOT_RUNNING)
    if not present:
        return Following(False, NOT_PRESENT)
    if not agreed:
        return Following(False, NOT_AGREED)
    return Following(True)


def items_for_agency(items: Iterable, involved: dict[int, set[int]], agency_id: int) -> list:
    """The items of the minutes an agency receives: other business, and the items about cases
    it is involved in (the information sharing protocol). `involved` maps a case id to the
    agencies involved in it; an item is anything with a `case_id`."""
    return [
        item
        for item in items
        if item.case_id is None or agency_id in involved.get(item.case_id, set())
    ]


def added_in_words(*, new: int, reviews: int) -> str:
    """What building the agenda again added, in plain English."""
    parts = []
    if new:
        parts.append(f"{new} new referral{'' if new == 1 else 's'}")
    if reviews:
        parts.append(f"{reviews} case review{'' if reviews == 1 else 's'}")
    if not parts:
        return "Nothing to add: every case for this meeting is already on the agenda."
    return "Added " + " and ".join(parts) + " to the agenda."
