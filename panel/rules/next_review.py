"""When the panel next reviews a case's assessment, as pure functions: the date it defaults
to, what a date the panel sets must be, and "past its review date", the one rule the cases
list, the case page and the coordinator's home page all flag by (`Case.objects.past_review`
and `Case.is_past_review` apply it in SQL and in Python)."""

from collections.abc import Iterable
from datetime import date, timedelta

NEXT_REVIEW_IN_THE_FUTURE = "The next review date must be in the future"


def default_next_review(*, today: date, meeting_dates: Iterable[date], every_weeks: int) -> date:
    """The next panel meeting after today, if one is scheduled; else `every_weeks` from today."""
    later = sorted(d for d in meeting_dates if d > today)
    return later[0] if later else today + timedelta(weeks=every_weeks)


def next_review_problem(*, next_review_on: date, today: date) -> str | None:
    """A review sets a date still to come: one already here would be overdue at once."""
    if next_review_on <= today:
        return NEXT_REVIEW_IN_THE_FUTURE
    return None


def is_past_review(*, next_review_on: date | None, today: date, on_caseload: bool) -> bool:
    """A case the pathway holds whose next review date has gone by. The review date itself is
    not yet past (the panel may be meeting that day); a case with no date set is not flagged
    here (it has not had its first review)."""
    return on_caseload and next_review_on is not None and next_review_on < today
