"""The panel's pure rules: the 15-case cap, exhaustively, and the year's meeting dates."""

import calendar
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from panel import rules

COUNTS = st.integers(min_value=0, max_value=60)


def test_the_fifteenth_case_has_a_place_and_the_sixteenth_waits():
    assert rules.has_place(caseload=14)
    assert not rules.has_place(caseload=15)
    assert not rules.has_place(caseload=16)


@given(caseload=COUNTS, cap=st.integers(min_value=0, max_value=30))
def test_there_is_a_place_exactly_when_places_are_left(caseload, cap):
    assert rules.has_place(caseload=caseload, cap=cap) == (
        rules.places_left(caseload=caseload, cap=cap) > 0
    )
    assert 0 <= rules.places_left(caseload=caseload, cap=cap) <= cap


@given(caseload=COUNTS, waiting=COUNTS, cap=st.integers(min_value=0, max_value=30))
def test_admission_never_exceeds_the_cap_nor_skips_anyone(caseload, waiting, cap):
    admission = rules.admit_from_waiting_list(caseload=caseload, waiting=waiting, cap=cap)
    assert admission.admitted + admission.still_waiting == waiting
    assert admission.admitted >= 0
    assert caseload + admission.admitted <= max(cap, caseload)
    # Nobody waits while there is a place for them.
    if admission.still_waiting:
        assert caseload + admission.admitted >= cap


@given(accepts=st.integers(min_value=0, max_value=100))
def test_accepting_one_at_a_time_fills_fifteen_places_then_queues(accepts):
    caseload = waiting = 0
    for _ in range(accepts):
        if rules.has_place(caseload=caseload):
            caseload += 1
        else:
            waiting += 1
    assert caseload == min(accepts, 15)
    assert waiting == max(accepts - 15, 0)


# --- the year's meeting dates ---


def test_the_second_tuesday_of_each_month_in_2027():
    dates = rules.monthly_meeting_dates(2027, weekday=1, nth=2)
    assert dates[0] == date(2027, 1, 12)
    assert dates[11] == date(2027, 12, 14)
    assert len(dates) == 12


def test_the_last_friday_of_february_2028():
    assert rules.nth_weekday_of_month(2028, 2, weekday=4, nth=-1) == date(2028, 2, 25)


@given(
    year=st.integers(2000, 2100), weekday=st.integers(0, 6), nth=st.sampled_from([1, 2, 3, 4, -1])
)
def test_every_meeting_date_is_that_weekday_in_its_own_month(year, weekday, nth):
    for month, day in enumerate(rules.monthly_meeting_dates(year, weekday, nth), start=1):
        assert day.weekday() == weekday
        assert (day.year, day.month) == (year, month)
        if nth > 0:
            assert (day.day - 1) // 7 == nth - 1
        else:
            assert day.day + 7 > calendar.monthrange(year, month)[1]
