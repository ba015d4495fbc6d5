"""Working days in England: Monday to Friday, except bank holidays.

The bank holidays come from the `holidays` package (England's list, including one-off days
such as a coronation), so a new one-off needs a package upgrade, not a code change.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_days_before(day: date, count: int) -> date:
    """The working day `count` working days before `day` (which need not be one itself)."""
    if count < 1:
        raise ValueError("count is at least 1")
    found = 0
    while found < count:
        day -= timedelta(days=1)
        if is_working_day(day):
            found += 1
    return day
