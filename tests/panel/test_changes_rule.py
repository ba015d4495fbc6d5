"""What has changed since the last review (panel/rules/changes.py), the next review date's
rules (panel/rules/next_review.py) and the band-over-time chart (panel/trend_svg.py), without
a database: the comparison of two snapshots over generated assessments."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from panel import trend_svg
from panel.rules import changes
from panel.rules import next_review as review_rules
from panel.rules import risk as risk_rules
from panel.rules.changes import ActionFacts, ReturnFacts, changes_since_review, quoted

REVIEWED = date(2027, 3, 4)
TODAY = date(2027, 3, 30)

# --- generated snapshots ------------------------------------------------------------------

texts = st.text(alphabet="abcdefgh ", max_size=12)
agencies = st.sampled_from(["", "Housing", "Bedfordshire Police", "Adult Social Care"])


def risk_row(risk_id: int, draw) -> dict:
    likelihood = draw(st.sampled_from(list(risk_rules.SCALE)))
    severity = draw(st.sampled_from(list(risk_rules.SCALE)))
    current = draw(st.booleans())
    value = likelihood * severity
    return {
        # Each risk is named by its id first, so a sentence can be traced to its risk.
        "id": risk_id,
        "description": f"R{risk_id} " + draw(texts),
        "likelihood": likelihood,
        "severity": severity,
        "score": value,
        "band": risk_rules.band_for_score(value),
        "current": current,
        "retired_reason": "" if current else "Moved on " + draw(texts),
        **{
            part: draw(agencies if part == "monitored_by" else texts) for part in changes.PLAN_PARTS
        },
        "actions": [
            {"reference": f"A-{n:06d}"} for n in draw(st.sets(st.integers(1, 5), max_size=3))
        ],
    }


def outcome_row(outcome_id: int, draw) -> dict:
    achievement = draw(st.sampled_from(["", "achieved", "partly", "not_achieved"]))
    return {
        "id": outcome_id,
        "outcome": f"O{outcome_id} " + draw(texts),
        "achievement": achievement,
        "achievement_display": achievement.replace("_", " "),
    }


@st.composite
def snapshot_pairs(draw):
    """(before, now): ids drawn once, each risk or outcome in either, both or neither; a risk
    in both keeps its id and may change anything."""
    before, now = {"risks": [], "desired_outcomes": []}, {"risks": [], "desired_outcomes": []}
    for risk_id in sorted(draw(st.sets(st.integers(1, 40), max_size=8))):
        where = draw(st.sampled_from(["before", "now", "both"]))
        if where in ("before", "both"):
            before["risks"].append(risk_row(risk_id, draw))
        if where in ("now", "both"):
            now["risks"].append(
                draw(st.sampled_from([before["risks"][-1], risk_row(risk_id, draw)]))
                if where == "both"
                else risk_row(risk_id, draw)
            )
    for outcome_id in sorted(draw(st.sets(st.integers(1, 20), max_size=5))):
        where = draw(st.sampled_from(["before", "now", "both"]))
        if where in ("before", "both"):
            before["desired_outcomes"].append(outcome_row(outcome_id, draw))
        if where in ("now", "both"):
            now["desired_outcomes"].append(outcome_row(outcome_id, draw))
    return before, now


@st.composite
def snapshots(draw):
    return draw(snapshot_pairs())[1]


def sentences(groups, kind) -> list[str]:
    return next((list(g.sentences) for g in groups if g.kind == kind), [])


def about(sentence_list, name) -> list[str]:
    return [s for s in sentence_list if f"“{name} " in s or f"“{name}”" in s]


def compare(before, now, **kwargs):
    return changes_since_review(before=before, now=now, reviewed_on=REVIEWED, today=TODAY, **kwargs)


# --- the comparison ------------------------------------------------------------------------


@given(snapshot=snapshots())
def test_an_assessment_that_has_not_changed_has_nothing_to_say(snapshot):
    assert compare(snapshot, snapshot) == []


@given(pair=snapshot_pairs())
def test_the_groups_come_in_one_order_and_none_is_empty(pair):
    groups = compare(*pair)
    kinds = [g.kind for g in groups]
    assert kinds == [k for k in changes.KINDS if k in kinds]
    assert all(g.sentences for g in groups)


@given(pair=snapshot_pairs())
def test_each_risk_added_retired_or_re_scored_is_named_and_no_other(pair):
    before, now = pair
    was = {r["id"]: r for r in before["risks"]}
    is_ = {r["id"]: r for r in now["risks"]}
    said = sentences(compare(before, now), changes.RISKS)
    expected = 0
    for risk_id, risk in is_.items():
        name = f"R{risk_id}"
        mine = about(said, name)
        old = was.get(risk_id)
        if old is None:
            expected += 1
            if risk["current"]:
                assert mine == [
                    f"New risk {quoted(risk['description'])}: {risk['band']} ({risk['score']})."
                ]
            else:
                assert mine == [
                    f"Risk {quoted(risk['description'])} was added and retired since the review."
                ]
            continue
        retired = old["current"] and not risk["current"]
        back = risk["current"] and not old["current"]
        rescored = risk["current"] and (old["likelihood"], old["severity"]) != (
            risk["likelihood"],
            risk["severity"],
        )
        assert any(" retired" in s for s in mine) == retired
        assert any("current again" in s for s in mine) == back
        scored = [s for s in mine if "re-scored" in s]
        if rescored:
            assert scored == [
                f"Risk {quoted(risk['description'])} re-scored: {old['band']} ({old['score']}) "
                f"→ {risk['band']} ({risk['score']})."
            ]
        else:
            assert scored == []
        expected += retired + back + rescored
    for risk_id, old in was.items():
        if risk_id not in is_:
            mine = about(said, f"R{risk_id}")
            assert (mine != []) == old["current"]
            assert all("no longer in the assessment" in s for s in mine)
            expected += old["current"]
    assert len(said) == expected


@given(pair=snapshot_pairs())
def test_a_plan_is_said_to_change_only_when_a_part_of_it_did(pair):
    before, now = pair
    was = {r["id"]: r for r in before["risks"]}
    said = sentences(compare(before, now), changes.PLAN)
    for risk in now["risks"]:
        old = was.get(risk["id"])
        mine = about(said, f"R{risk['id']}")
        if old is None or not risk["current"]:
            assert mine == []
            continue
        parts = [label for key, label in changes.PLAN_PARTS.items() if old[key] != risk[key]]
        new_actions = {a["reference"] for a in risk["actions"]} - {
            a["reference"] for a in old["actions"]
        }
        assert (mine != []) == bool(parts or new_actions)
        for label in parts:
            assert label in mine[0]
        for reference in new_actions:
            assert reference in mine[0]
    assert len(said) == len({s for s in said})


@given(pair=snapshot_pairs())
def test_each_desired_outcome_added_or_newly_marked_is_named(pair):
    before, now = pair
    was = {o["id"]: o for o in before["desired_outcomes"]}
    said = sentences(compare(before, now), changes.OUTCOMES)
    for outcome in now["desired_outcomes"]:
        mine = about(said, f"O{outcome['id']}")
        old = was.get(outcome["id"])
        if old is None:
            assert mine == [f"New desired outcome {quoted(outcome['outcome'])}."]
        elif outcome["achievement"] and outcome["achievement"] != old["achievement"]:
            assert mine == [
                f"Desired outcome {quoted(outcome['outcome'])} marked "
                f"{outcome['achievement_display']}."
            ]
        else:
            assert mine == []


def test_a_long_risk_is_named_by_its_first_words():
    name = quoted("Eviction " * 20)
    assert name.startswith("“Eviction Eviction")
    assert name.endswith("…”")
    assert len(name) <= changes.QUOTE_AT + 2


# --- the actions and the returns since the review -----------------------------------------


def action(**overrides) -> ActionFacts:
    facts = {
        "reference": "A-000001",
        "description": "Joint visit",
        "owner": "Housing",
        "is_open": True,
        "due_on": TODAY + timedelta(days=5),
        "agreed_on": REVIEWED - timedelta(days=30),
        "last_update_on": REVIEWED + timedelta(days=3),
        "status_display": "In progress",
    }
    return ActionFacts(**{**facts, **overrides})


ACTIONS = {
    "finished since the review": (
        action(is_open=False, status_display="Done"),
        "Finished: A-000001 (Housing): “Joint visit”, done.",
    ),
    "finished on the review's day": (
        action(is_open=False, last_update_on=REVIEWED, status_display="Could not be done"),
        "Finished: A-000001 (Housing): “Joint visit”, could not be done.",
    ),
    "finished before the review": (
        action(is_open=False, last_update_on=REVIEWED - timedelta(days=1)),
        None,
    ),
    "open and overdue": (
        action(due_on=TODAY - timedelta(days=1)),
        "Stalled: A-000001 (Housing): “Joint visit”, overdue since 29 March 2027.",
    ),
    "open, never updated, agreed before the review": (
        action(last_update_on=None),
        "Stalled: A-000001 (Housing): “Joint visit”, no update since the review.",
    ),
    "open, last updated before the review": (
        action(last_update_on=REVIEWED - timedelta(days=2)),
        "Stalled: A-000001 (Housing): “Joint visit”, no update since the review.",
    ),
    "open, agreed at the review, not updated": (
        action(agreed_on=REVIEWED, last_update_on=None),
        None,
    ),
    "open, agreed after the review, not yet due": (
        action(agreed_on=REVIEWED + timedelta(days=1), last_update_on=None),
        None,
    ),
    "open, updated since the review, not yet due": (action(), None),
    "due today is not yet overdue": (action(due_on=TODAY), None),
}


@pytest.mark.parametrize("case", ACTIONS)
def test_actions_finished_and_stalled_since_the_review(case):
    facts, sentence = ACTIONS[case]
    said = sentences(compare({}, {}, actions=[facts]), changes.ACTIONS)
    assert said == ([sentence] if sentence else [])


def test_finished_actions_come_before_stalled_ones():
    said = sentences(
        compare(
            {},
            {},
            actions=[
                action(reference="A-000002", due_on=TODAY - timedelta(days=3)),
                action(reference="A-000003", is_open=False, status_display="Done"),
            ],
        ),
        changes.ACTIONS,
    )
    assert [s.split(":")[0] for s in said] == ["Finished", "Stalled"]


def test_the_returns_for_the_meeting_name_who_has_sent_one_and_who_has_not():
    returns = [
        ReturnFacts(agency="Bedfordshire Police", is_in=False, due_on=date(2027, 3, 31)),
        ReturnFacts(agency="Housing", is_in=True, due_on=date(2027, 3, 31)),
    ]
    assert sentences(compare({}, {}, returns=returns), changes.RETURNS) == [
        "No return from Bedfordshire Police (due 31 March 2027).",
        "Return received from Housing.",
    ]


# --- the next review date -------------------------------------------------------------------

days = st.dates(min_value=date(2026, 1, 1), max_value=date(2030, 12, 31))


@given(today=days, meetings=st.lists(days, max_size=6), weeks=st.integers(1, 12))
def test_the_next_review_is_the_next_meeting_after_today_else_the_usual_interval(
    today, meetings, weeks
):
    chosen = review_rules.default_next_review(
        today=today, meeting_dates=meetings, every_weeks=weeks
    )
    later = [d for d in meetings if d > today]
    assert chosen == (min(later) if later else today + timedelta(weeks=weeks))
    assert chosen > today


@pytest.mark.parametrize(
    ("offset", "problem"),
    [
        (-1, review_rules.NEXT_REVIEW_IN_THE_FUTURE),
        (0, review_rules.NEXT_REVIEW_IN_THE_FUTURE),
        (1, None),
    ],
)
def test_the_next_review_date_must_be_in_the_future(offset, problem):
    assert (
        review_rules.next_review_problem(next_review_on=TODAY + timedelta(days=offset), today=TODAY)
        == problem
    )


@pytest.mark.parametrize(
    ("next_review_on", "on_caseload", "past"),
    [
        (TODAY - timedelta(days=1), True, True),
        (TODAY, True, False),
        (TODAY + timedelta(days=1), True, False),
        (None, True, False),
        (TODAY - timedelta(days=30), False, False),
    ],
)
def test_past_its_review_date_is_a_case_held_whose_date_has_gone_by(
    next_review_on, on_caseload, past
):
    assert (
        review_rules.is_past_review(
            next_review_on=next_review_on, today=TODAY, on_caseload=on_caseload
        )
        is past
    )


# --- the band over time -----------------------------------------------------------------------


@given(points=st.lists(st.tuples(days, st.sampled_from(risk_rules.BANDS)), min_size=1, max_size=12))
def test_the_chart_is_an_image_described_in_words_with_a_point_per_review(points):
    drawn = [trend_svg.Point(when=d, level=b, label=b.title()) for d, b in points]
    svg = trend_svg.step_chart(drawn, title="C-000001: risk level at each review")
    assert svg.startswith("<svg")
    assert svg.endswith("</svg>")
    assert 'role="img"' in svg
    assert 'aria-labelledby="trend-title trend-desc"' in svg
    assert '<title id="trend-title">C-000001: risk level at each review</title>' in svg
    assert svg.count('class="caspa-point"') == len(points)
    for when, band in points:
        assert f"{band} on {when:%-d %B %Y}" in svg
    assert "<script" not in svg


def test_no_reviews_draw_no_chart():
    assert trend_svg.step_chart([], title="Nothing") == ""


def test_a_capacity_assessment_and_what_agencies_tried_since_the_review_are_named():
    capacity = {
        "id": 1,
        "decision": "Managing medication",
        "outcome_display": "Lacks capacity for this decision",
    }
    tried = {"id": 7, "agency": "Housing", "what": "Emergency repairs", "ended_on": None}
    before = {"capacity_assessments": [], "interventions": [tried]}
    now = {
        "capacity_assessments": [capacity],
        "interventions": [
            {**tried, "ended_on": "2026-11-30"},
            {"id": 8, "agency": "CGL", "what": "Same-day script", "ended_on": None},
        ],
    }
    groups = changes.changes_since_review(
        before=before, now=now, reviewed_on=REVIEWED, today=REVIEWED
    )
    assert [(group.kind, list(group.sentences)) for group in groups] == [
        (
            changes.CAPACITY,
            ["Capacity assessed for “Managing medication”: lacks capacity for this decision."],
        ),
        (
            changes.TRIED,
            ["Ended: Housing: “Emergency repairs”.", "Recorded as tried: CGL: “Same-day script”."],
        ),
    ]
    unchanged = changes.changes_since_review(
        before=now, now=now, reviewed_on=REVIEWED, today=REVIEWED
    )
    assert unchanged == []
