"""The demo's plan on its own, without a database: its story holds whichever day the demo is
seeded. (Seeding plays it through the services, which must agree: tests/demo/test_seed_demo.py.)"""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from demo import plan
from panel import rules

CAP = rules.CAP  # a new pathway's


@settings(max_examples=60)
@given(today=st.dates(date(2026, 1, 1), date(2031, 12, 31)))
def test_whatever_the_day_the_plan_ends_with_the_pathway_full_and_two_waiting(today):
    story = plan.plan_story(today, cap=CAP)
    assert story.meetings[plan.TODAY] == today  # the panel meets the day the demo is seeded
    assert max(story.meetings.values()) == today
    accepted = [r for r in story.referred if r.state == "accepted"]
    open_today = [r for r in accepted if r.part != plan.PAST]
    assert sum(r.first_panel is not None for r in open_today) == CAP
    assert [r.part for r in open_today if r.first_panel is None] == [plan.WAITING] * 2
    heard_today = [r.part for r in open_today if r.first_panel == plan.TODAY]
    assert heard_today == [plan.NEW] * 2  # today's agenda has its new referrals
    for r in accepted:
        assert not (r.waits and r.meeting < 0), "nobody waits for a place in the past"
        if r.part == plan.PAST:
            assert r.closes_at is not None, "every past case has left by the latest meeting"
            assert r.first_panel <= r.closes_at <= 0


def test_the_story_is_for_a_pathway_of_its_own_size():
    with pytest.raises(ValueError, match=f"fills a pathway of {CAP}, not {CAP - 1}"):
        plan.plan_story(date(2026, 12, 2), cap=CAP - 1)
