"""Escalation and reminder timing as pure functions, with the date passed in."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actions.rules import EscalationPolicy, escalation_level, reminder_kind

DUE = date(2026, 11, 1)
POLICY = EscalationPolicy(level_1_after_days=7, level_2_after_days=14, remind_days_before_due=3)


def level(today, *, status="open", last_update_on=None, manual_level=0):
    return escalation_level(
        status=status,
        due_on=DUE,
        today=today,
        last_update_on=last_update_on,
        manual_level=manual_level,
        policy=POLICY,
    )


@pytest.mark.parametrize(
    ("days_after_due", "expected"),
    [(-5, 0), (0, 0), (6, 0), (7, 1), (20, 1), (21, 2), (90, 2)],
)
def test_an_untouched_overdue_action_escalates_to_the_spoc_then_the_chair(days_after_due, expected):
    assert level(DUE + timedelta(days=days_after_due)) == expected


def test_an_update_after_level_one_restarts_the_clock_to_the_chair():
    updated = DUE + timedelta(days=10)
    assert level(DUE + timedelta(days=23), last_update_on=updated) == 1
    assert level(DUE + timedelta(days=24), last_update_on=updated) == 2


def test_an_update_before_level_one_does_not_hold_it_back():
    assert level(DUE + timedelta(days=21), last_update_on=DUE - timedelta(days=2)) == 2


@pytest.mark.parametrize("status", ["done", "not_done", "no_longer_needed"])
def test_a_finished_action_is_never_escalated(status):
    assert level(DUE + timedelta(days=100), status=status, manual_level=2) == 0


def test_the_coordinator_can_escalate_by_hand_before_the_clock_does():
    assert level(DUE - timedelta(days=3), manual_level=1) == 1
    assert level(DUE + timedelta(days=8), manual_level=2) == 2


@given(
    days=st.integers(-400, 400),
    updated=st.one_of(st.none(), st.integers(-400, 400)),
    manual=st.sampled_from([0, 1, 2]),
)
def test_escalation_is_a_level_that_never_falls_as_time_passes(days, updated, manual):
    last_update_on = DUE + timedelta(days=updated) if updated is not None else None
    today = DUE + timedelta(days=days)
    now = level(today, last_update_on=last_update_on, manual_level=manual)
    later = level(today + timedelta(days=1), last_update_on=last_update_on, manual_level=manual)
    assert now in (0, 1, 2)
    assert later >= now
    assert now >= manual


@pytest.mark.parametrize(
    ("days_after_due", "expected"),
    [(-4, None), (-3, "due_soon"), (0, "due_soon"), (1, "overdue"), (30, "overdue")],
)
def test_which_reminder_is_due(days_after_due, expected):
    today = DUE + timedelta(days=days_after_due)
    assert reminder_kind(status="open", due_on=DUE, today=today, policy=POLICY) == expected


def test_no_reminder_for_a_finished_action():
    assert reminder_kind(status="done", due_on=DUE, today=DUE + timedelta(days=5)) is None


def test_the_periods_come_from_settings_with_stated_defaults(settings):
    from actions.rules import policy_from_settings

    assert policy_from_settings(settings) == EscalationPolicy(7, 14, 3)
    settings.ACTION_ESCALATE_TO_SPOC_AFTER_DAYS = 5
    assert policy_from_settings(settings).level_1_after_days == 5
