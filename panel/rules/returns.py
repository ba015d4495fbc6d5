"""When agencies' returns before a panel meeting are asked for, reminded and due, as pure
functions of the meeting's date, counted in working days in England (bank holidays
excluded: caspa/core/working_days.py).

A return is asked for RETURNS_WORKING_DAYS (a setting, default 5) working days before the
meeting, reminded two working days before it if it is not in, and due by the end of the
working day before the meeting, so the coordinator can compile the pack.
"""

from dataclasses import dataclass
from datetime import date

from caspa.core.working_days import working_days_before

DEFAULT_WORKING_DAYS = 5
REMIND_WORKING_DAYS = 2
DUE_WORKING_DAYS = 1


@dataclass(frozen=True)
class ReturnDates:
    requested_on: date
    reminded_on: date
    due_on: date


def return_dates(meeting_date: date, working_days: int = DEFAULT_WORKING_DAYS) -> ReturnDates:
    working_days = max(working_days, REMIND_WORKING_DAYS + 1)
    return ReturnDates(
        requested_on=working_days_before(meeting_date, working_days),
        reminded_on=working_days_before(meeting_date, REMIND_WORKING_DAYS),
        due_on=working_days_before(meeting_date, DUE_WORKING_DAYS),
    )


def return_stage(
    *, meeting_date: date, today: date, working_days: int = DEFAULT_WORKING_DAYS
) -> str | None:
    """What is due today for a meeting's returns: 'request', 'remind', or None (not yet, or
    the meeting has happened). A sweep that missed a day catches up: a request is due from
    its date until the meeting; a reminder from its date."""
    if today >= meeting_date:
        return None
    dates = return_dates(meeting_date, working_days)
    if today >= dates.reminded_on:
        return "remind"
    if today >= dates.requested_on:
        return "request"
    return None


def may_still_be_sent(*, meeting_date: date, today: date) -> bool:
    """A return is sent, and revised, until the day of the meeting it is for."""
    return today < meeting_date


def is_overdue(*, due_on: date, is_in: bool, today: date) -> bool:
    """Not in by the end of the day it was due."""
    return not is_in and today > due_on
