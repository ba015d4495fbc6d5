"""Working days in England (caspa/core/working_days.py): Monday to Friday, except the bank
holidays as GOV.UK publishes them."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caspa.core.working_days import is_working_day, working_days_before

# England and Wales's bank holidays as gov.uk/bank-holidays publishes them, substitute days
# included (a Christmas or Boxing Day on a weekend moves to the next weekday).
PUBLISHED = {
    2025: [
        date(2025, 1, 1),
        date(2025, 4, 18),
        date(2025, 4, 21),
        date(2025, 5, 5),
        date(2025, 5, 26),
        date(2025, 8, 25),
        date(2025, 12, 25),
        date(2025, 12, 26),
    ],
    2026: [
        date(2026, 1, 1),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 4),
        date(2026, 5, 25),
        date(2026, 8, 31),
        date(2026, 12, 25),
        date(2026, 12, 28),  # Boxing Day, a Saturday, substituted
    ],
    2027: [
        date(2027, 1, 1),
        date(2027, 3, 26),
        date(2027, 3, 29),
        date(2027, 5, 3),
        date(2027, 5, 31),
        date(2027, 8, 30),
        date(2027, 12, 27),  # Christmas Day, a Saturday, substituted
        date(2027, 12, 28),  # Boxing Day, a Sunday, substituted
    ],
}

DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
COUNTS = st.integers(min_value=1, max_value=30)


def every_day_of(year: int):
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)


def working_days_in(start: date, end: date) -> int:
    """How many working days lie in [start, end), counted one day at a time."""
    return sum(is_working_day(start + timedelta(days=n)) for n in range((end - start).days))


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_a_day_is_a_working_day_exactly_when_it_is_a_weekday_and_no_published_bank_holiday(year):
    wrong = [
        day
        for day in every_day_of(year)
        if is_working_day(day) != (day.weekday() < 5 and day not in PUBLISHED[year])
    ]
    assert wrong == []


@pytest.mark.parametrize("holiday", [day for days in PUBLISHED.values() for day in days])
def test_each_published_bank_holiday_is_not_a_working_day(holiday):
    assert not is_working_day(holiday)


def test_one_off_bank_holidays_are_not_working_days():
    # The Queen's funeral (2022) and the coronation (2023): announced, not from a formula.
    assert not is_working_day(date(2022, 9, 19))
    assert not is_working_day(date(2023, 5, 8))


def test_weekends_are_not_working_days_and_an_ordinary_weekday_is():
    assert not is_working_day(date(2026, 12, 5))  # a Saturday
    assert not is_working_day(date(2026, 12, 6))  # a Sunday
    assert is_working_day(date(2026, 12, 2))  # a Wednesday


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        # Thursday 4 March 2027: five working days before is Thursday 25 February.
        (date(2027, 3, 4), 5, date(2027, 2, 25)),
        (date(2027, 3, 4), 1, date(2027, 3, 3)),
        # From a Monday, one working day before is the Friday.
        (date(2026, 12, 7), 1, date(2026, 12, 4)),
        # Easter 2027 (Good Friday 26 March, Easter Monday 29 March) is skipped.
        (date(2027, 3, 31), 3, date(2027, 3, 24)),
        (date(2027, 3, 30), 1, date(2027, 3, 25)),
        # Christmas 2026: 25 and 28 December are bank holidays.
        (date(2026, 12, 29), 1, date(2026, 12, 24)),
        (date(2027, 1, 5), 5, date(2026, 12, 24)),
        # Christmas 2027: 27 and 28 December are substitute days; 31 December is not a holiday.
        (date(2027, 12, 29), 1, date(2027, 12, 24)),
        (date(2028, 1, 4), 2, date(2027, 12, 30)),
        # From a Saturday or a bank holiday itself, counting starts the day before.
        (date(2026, 12, 5), 1, date(2026, 12, 4)),
        (date(2026, 12, 25), 1, date(2026, 12, 24)),
    ],
)
def test_working_days_before_known_dates(day, count, expected):
    assert working_days_before(day, count) == expected


@pytest.mark.parametrize("count", [0, -1])
def test_counting_no_working_days_back_is_refused(count):
    with pytest.raises(ValueError, match="at least 1"):
        working_days_before(date(2026, 12, 2), count)


@given(day=DATES, count=COUNTS)
def test_working_days_before_is_a_working_day_strictly_before_with_exactly_n_in_between(day, count):
    result = working_days_before(day, count)
    assert is_working_day(result)
    assert result < day
    assert working_days_in(result, day) == count


@given(day=DATES, count=COUNTS)
def test_one_more_working_day_back_is_the_working_day_before_that(day, count):
    assert working_days_before(day, count + 1) == working_days_before(
        working_days_before(day, count), 1
    )
