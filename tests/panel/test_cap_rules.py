"""The 15-case cap as pure functions, exhaustively."""

from hypothesis import given
from hypothesis import strategies as st

from panel import rules

COUNTS = st.integers(min_value=0, max_value=60)


def test_the_cap_is_fifteen():
    assert rules.CAP == 15


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


def test_the_full_pathway_message_says_where_the_referral_waits():
    message = rules.PATHWAY_FULL.format(caseload=15, cap=15, position=3)
    assert "The pathway is full" in message
    assert "number 3 on the waiting list" in message
