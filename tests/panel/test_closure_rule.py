"""The rule for leaving the pathway (panel/rules/closure.py), over every combination of the
facts it reads: which fields get a problem, and what each says."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from panel.rules import closure
from panel.rules.risk import BANDS

OUTCOMES = ["", closure.STEPPED_DOWN, closure.MOVED_AWAY, closure.DIED]
OUTCOMES += [closure.DECLINED_WITH_CAPACITY, closure.OTHER]
LEVELS = [None, *BANDS]
INVOLVED = frozenset({1, 2})
AGENCIES = [None, 1, 9]  # none chosen, an involved one, one not involved
UNMARKED = [0, 1, 3]


def expected(
    *, outcome, agreed, level, override, agency, plan, contingency, unmarked, capacity, detail
) -> dict[str, str]:
    """The rule as docs/risk-assessment.md states it, field by field."""
    problems = {}
    if not outcome:
        problems["outcome"] = closure.OUTCOME_NEEDED
    if not agreed:
        problems["agreed_on"] = closure.AGREED_ON_NEEDED
    if outcome == closure.STEPPED_DOWN:
        if agency is None:
            problems["step_down_agency"] = closure.STEP_DOWN_AGENCY_NEEDED
        elif agency not in INVOLVED:
            problems["step_down_agency"] = closure.STEP_DOWN_AGENCY_NOT_INVOLVED
        if not override and level is None:
            problems["override_reason"] = closure.NOT_REVIEWED
        if not override and level in ("critical", "high"):
            problems["override_reason"] = closure.STILL_HIGH.format(level=level)
        if not plan:
            problems["handover_plan"] = closure.HANDOVER_PLAN_NEEDED
        if not contingency:
            problems["handover_contingency"] = closure.HANDOVER_CONTINGENCY_NEEDED
        if unmarked:
            problems["desired_outcomes"] = closure.OUTCOMES_UNMARKED.format(count=unmarked)
    if outcome == closure.DECLINED_WITH_CAPACITY and not capacity:
        problems["outcome"] = closure.NO_CAPACITY_RECORDED
    if outcome == closure.OTHER and not detail:
        problems["outcome_detail"] = closure.OUTCOME_DETAIL_NEEDED
    return problems


def asked(
    *, outcome, agreed, level, override, agency, plan, contingency, unmarked, capacity, detail
):
    return closure.closure_problems(
        outcome=outcome,
        agreed_on_given=agreed,
        latest_reviewed_level=level,
        override_reason="The person moves to supported housing on Monday" if override else "",
        step_down_agency_id=agency,
        involved_agency_ids=INVOLVED,
        handover_plan="Weekly visits by the housing officer" if plan else "",
        handover_contingency="Call ASC the same day if she stops eating" if contingency else "",
        desired_outcomes_unmarked=unmarked,
        capacity_to_decline_recorded=capacity,
        outcome_detail="Went to live with her sister abroad" if detail else "",
    )


FACTS = {
    "outcome": OUTCOMES,
    "agreed": [True, False],
    "level": LEVELS,
    "override": [True, False],
    "agency": AGENCIES,
    "plan": [True, False],
    "contingency": [True, False],
    "unmarked": UNMARKED,
    "capacity": [True, False],
    "detail": [True, False],
}


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_every_combination_gets_exactly_the_problems_the_rule_states(outcome):
    checked = 0
    others = {name: values for name, values in FACTS.items() if name != "outcome"}
    for values in itertools.product(*others.values()):
        facts = {"outcome": outcome, **dict(zip(others, values, strict=True))}
        assert asked(**facts) == expected(**facts), facts
        checked += 1
    assert checked == 2 * 5 * 2 * 3 * 2 * 2 * 3 * 2 * 2


@pytest.mark.parametrize("level", ["medium", "low"])
def test_a_step_down_with_the_risk_reviewed_below_high_needs_no_reason(level):
    assert closure.ready_to_step_down(
        latest_reviewed_level=level,
        step_down_agency_id=1,
        involved_agency_ids=INVOLVED,
        handover_plan="Weekly visits",
        handover_contingency="Call ASC",
    )


@pytest.mark.parametrize("level", ["critical", "high"])
def test_a_step_down_with_the_risk_still_high_says_the_level_and_what_to_do(level):
    problems = closure.closure_problems(
        outcome=closure.STEPPED_DOWN,
        agreed_on_given=True,
        latest_reviewed_level=level,
        step_down_agency_id=1,
        involved_agency_ids=INVOLVED,
        handover_plan="Weekly visits",
        handover_contingency="Call ASC",
    )
    assert problems == {
        "override_reason": f"The latest review put the risk at {level}: a case steps down only "
        "once the high-level risk is reduced. Review it again, or record why the panel steps "
        "it down anyway."
    }


def test_the_count_of_outcomes_still_to_mark_is_said():
    problems = closure.closure_problems(
        outcome=closure.STEPPED_DOWN,
        agreed_on_given=True,
        latest_reviewed_level="low",
        step_down_agency_id=2,
        involved_agency_ids=INVOLVED,
        handover_plan="Weekly visits",
        handover_contingency="Call ASC",
        desired_outcomes_unmarked=2,
    )
    assert problems == {
        "desired_outcomes": "Mark each of the person's desired outcomes achieved, partly "
        "achieved or not achieved (2 still to mark)"
    }


BLANK = st.text(alphabet=" \t\n\r\u00a0\u2003", max_size=6)


@given(override=BLANK, plan=BLANK, contingency=BLANK, detail=BLANK)
def test_text_of_only_spaces_counts_as_not_given(override, plan, contingency, detail):
    stepping_down = closure.closure_problems(
        outcome=closure.STEPPED_DOWN,
        agreed_on_given=True,
        latest_reviewed_level="high",
        override_reason=override,
        step_down_agency_id=1,
        involved_agency_ids=INVOLVED,
        handover_plan=plan,
        handover_contingency=contingency,
    )
    assert set(stepping_down) == {"override_reason", "handover_plan", "handover_contingency"}
    other = closure.closure_problems(
        outcome=closure.OTHER,
        agreed_on_given=True,
        latest_reviewed_level=None,
        outcome_detail=detail,
    )
    assert other == {"outcome_detail": closure.OUTCOME_DETAIL_NEEDED}


@pytest.mark.parametrize(
    "outcome", [closure.MOVED_AWAY, closure.DIED, closure.DECLINED_WITH_CAPACITY, closure.OTHER]
)
@pytest.mark.parametrize("level", LEVELS)
def test_the_other_outcomes_ignore_the_review_the_handover_and_the_desired_outcomes(outcome, level):
    problems = closure.closure_problems(
        outcome=outcome,
        agreed_on_given=True,
        latest_reviewed_level=level,
        desired_outcomes_unmarked=4,
        capacity_to_decline_recorded=True,
        outcome_detail="Explained",
    )
    assert problems == {}


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("reason", ["", "  ", "She moves into a care home on Monday"])
def test_the_panels_reason_is_an_override_only_when_the_review_did_not_put_the_risk_below_high(
    level, reason
):
    used = closure.override_used(latest_reviewed_level=level, override_reason=reason)
    assert used == (bool(reason.strip()) and level not in ("medium", "low"))


@pytest.mark.parametrize("reviewed", ["medium", "low"])
@pytest.mark.parametrize("now", list(BANDS))
def test_a_risk_re_scored_high_since_a_review_below_high_needs_another_review_or_a_reason(
    reviewed, now
):
    facts = {
        "latest_reviewed_level": reviewed,
        "current_level": now,
        "step_down_agency_id": 1,
        "involved_agency_ids": INVOLVED,
        "handover_plan": "Weekly visits",
        "handover_contingency": "Call ASC",
    }
    risen = now in ("critical", "high")
    problems = closure.closure_problems(outcome=closure.STEPPED_DOWN, agreed_on_given=True, **facts)
    assert problems == (
        {"override_reason": closure.RISEN_SINCE_REVIEW.format(level=now)} if risen else {}
    )
    assert closure.ready_to_step_down(**facts, override_reason="The panel accepts it") is True
