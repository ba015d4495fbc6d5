"""The panel's rules, as pure functions: the 15-case cap and who gets a place.

The cap counts every adult the pathway holds: new referrals accepted for a panel as well as
cases the panel has adopted (CASPA practice example: "no more than 15 cases at any one time,
including new referrals"). Referrals accepted while the pathway is full wait, in the order
they were accepted, and take places as they free up.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

CAP = 15

PATHWAY_FULL = (
    "The pathway is full: it holds {caseload} of {cap} cases. This referral now waits for a "
    "place, number {position} on the waiting list."
)


def places_left(*, caseload: int, cap: int = CAP) -> int:
    return max(cap - caseload, 0)


def has_place(*, caseload: int, cap: int = CAP) -> bool:
    """Whether one more adult can join the caseload now."""
    return caseload < cap


@dataclass(frozen=True)
class Admission:
    """What happens to the people waiting when places are counted again."""

    admitted: int  # how many of the waiting list, from the front, join the caseload
    still_waiting: int


def admit_from_waiting_list(*, caseload: int, waiting: int, cap: int = CAP) -> Admission:
    """When places free up, the first on the waiting list take them, in order."""
    admitted = min(places_left(caseload=caseload, cap=cap), waiting)
    return Admission(admitted=admitted, still_waiting=waiting - admitted)


MEETING_NOT_HELD = (
    "The meeting of {date} has not been held yet: its minutes can be approved once it has ended."
)
MEETING_HAS_NO_ITEMS = "The meeting has no agenda items: there are no minutes to approve."
MINUTES_ALREADY_APPROVED = "The chair has already approved these minutes."


def minutes_approval_problem(
    *, meeting_date: date, today: date, items: int, approved: bool, ended: bool = False
) -> str | None:
    """Why the chair cannot approve a meeting's minutes now; None when they can.

    A meeting has been held once it has ended (`ended`: ended in the meeting room), or once
    its day has gone by: today's meeting waits until the coordinator ends it."""
    if approved:
        return MINUTES_ALREADY_APPROVED
    if meeting_date > today or (meeting_date == today and not ended):
        return MEETING_NOT_HELD.format(date=f"{meeting_date:%-d %B %Y}")
    if items == 0:
        return MEETING_HAS_NO_ITEMS
    return None


def nth_weekday_of_month(year: int, month: int, weekday: int, nth: int) -> date:
    """The nth (1-4, or -1 for the last) weekday (0 Monday … 6 Sunday) of a month."""
    if nth == -1:
        last = date(year, month, calendar.monthrange(year, month)[1])
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def monthly_meeting_dates(year: int, weekday: int, nth: int) -> list[date]:
    """The panel meets monthly: the same weekday of each month of the year."""
    return [nth_weekday_of_month(year, month, weekday, nth) for month in range(1, 13)]
