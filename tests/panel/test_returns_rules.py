"""When agencies' returns are asked for, reminded and due (panel/rules/returns.py), checked
against the plain definition: a date counted back in working days from the meeting."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caspa.core.working_days import is_working_day
from panel.rules import returns as rules

DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
WORKING_DAYS = st.integers(min_value=-2, max_value=25)


def working_days_strictly_between(start: date, end: date) -> int:
    return sum(is_working_day(start + timedelta(days=n)) for n in range(1, (end - start).days))


def expected_stage(meeting: date, today: date, working_days: int) -> str | None:
    """The stage from its definition: a date counted back n working days from the meeting has
    been reached exactly when fewer than n working days remain between today and the meeting.
    """
    if today >= meeting:
        return None
    left = working_days_strictly_between(today, meeting)
    if left < rules.REMIND_WORKING_DAYS:
        return "remind"
    if left < max(working_days, rules.REMIND_WORKING_DAYS + 1):
        return "request"
    return None


def test_returns_for_a_thursday_meeting_are_asked_for_a_week_before():
    dates = rules.return_dates(date(2027, 3, 4))  # a Thursday
    assert dates == rules.ReturnDates(
        requested_on=date(2027, 2, 25), reminded_on=date(2027, 3, 2), due_on=date(2027, 3, 3)
    )


def test_easter_pushes_the_request_back_by_its_two_bank_holidays():
    # Thursday 1 April 2027, after Good Friday 26 March and Easter Monday 29 March.
    dates = rules.return_dates(date(2027, 4, 1))
    assert dates.requested_on == date(2027, 3, 23)
    assert dates.reminded_on == date(2027, 3, 30)
    assert dates.due_on == date(2027, 3, 31)


def test_christmas_pushes_a_january_meeting_s_dates_back():
    # Tuesday 5 January 2027: 1 January, 28 and 25 December 2026 are bank holidays.
    dates = rules.return_dates(date(2027, 1, 5))
    assert dates.requested_on == date(2026, 12, 24)
    assert dates.reminded_on == date(2026, 12, 31)
    assert dates.due_on == date(2027, 1, 4)


def test_a_meeting_on_the_day_after_a_bank_holiday_is_due_the_working_day_before_that():
    # Tuesday 26 May 2026, after the spring bank holiday on Monday 25 May.
    assert rules.return_dates(date(2026, 5, 26)).due_on == date(2026, 5, 22)


@pytest.mark.parametrize("working_days", [5, 10])
def test_the_request_comes_the_set_number_of_working_days_before(working_days):
    meeting = date(2026, 12, 10)  # a Thursday, no bank holiday in the fortnight before
    expected = meeting - timedelta(days=7 * working_days // 5)
    assert rules.return_dates(meeting, working_days).requested_on == expected


@pytest.mark.parametrize("working_days", [-1, 0, 1, 2, 3])
def test_fewer_than_three_working_days_still_leaves_a_day_between_request_and_reminder(
    working_days,
):
    dates = rules.return_dates(date(2026, 12, 10), working_days)
    assert dates.requested_on == date(2026, 12, 7)
    assert dates.requested_on < dates.reminded_on


@given(meeting=DATES, working_days=WORKING_DAYS)
def test_requested_then_reminded_then_due_then_the_meeting(meeting, working_days):
    dates = rules.return_dates(meeting, working_days)
    assert dates.requested_on < dates.reminded_on < dates.due_on < meeting
    for day in (dates.requested_on, dates.reminded_on, dates.due_on):
        assert is_working_day(day)
    assert working_days_strictly_between(dates.due_on, meeting) == 0


@given(meeting=DATES, working_days=WORKING_DAYS)
def test_the_stage_on_each_day_around_a_meeting_follows_its_definition(meeting, working_days):
    for offset in range(-60, 4):
        today = meeting + timedelta(days=offset)
        stage = rules.return_stage(meeting_date=meeting, today=today, working_days=working_days)
        assert stage == expected_stage(meeting, today, working_days), today


@given(meeting=DATES, working_days=WORKING_DAYS)
def test_the_stages_run_nothing_request_remind_nothing_and_start_on_their_dates(
    meeting, working_days
):
    dates = rules.return_dates(meeting, working_days)
    days = [meeting + timedelta(days=offset) for offset in range(-60, 4)]
    stages = [
        rules.return_stage(meeting_date=meeting, today=day, working_days=working_days)
        for day in days
    ]
    # Each stage runs as one unbroken stretch, in order.
    runs = [stage for n, stage in enumerate(stages) if n == 0 or stages[n - 1] != stage]
    assert runs == [None, "request", "remind", None]
    assert days[stages.index("request")] == dates.requested_on
    assert days[stages.index("remind")] == dates.reminded_on
    assert days[len(stages) - 1 - stages[::-1].index("remind")] == meeting - timedelta(days=1)


@pytest.mark.parametrize(
    ("today", "stage"),
    [
        (date(2027, 2, 24), None),
        (date(2027, 2, 25), "request"),
        (date(2027, 2, 28), "request"),  # a Sunday: the request is still due
        (date(2027, 3, 1), "request"),
        (date(2027, 3, 2), "remind"),
        (date(2027, 3, 3), "remind"),
        (date(2027, 3, 4), None),  # the meeting's day: too late
        (date(2027, 3, 5), None),
    ],
)
def test_the_stage_for_the_meeting_of_4_march_2027(today, stage):
    assert rules.return_stage(meeting_date=date(2027, 3, 4), today=today) == stage
