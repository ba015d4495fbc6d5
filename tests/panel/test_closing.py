"""Leaving the pathway from the closing page: a step-down needs the risk reviewed below high
(or the panel's reason), a handover and each desired outcome marked; declining with capacity
needs the capacity assessment; the freed place still goes to the first waiting."""

from datetime import date
from html import escape

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from audit.models import RecordRead
from panel import closure, services
from panel.models import (
    Achievement,
    CapacityAssessment,
    CapacityOutcome,
    Case,
    CaseStatus,
    DesiredOutcome,
    Outcome,
    RiskReview,
)
from panel.rules import closure as rules
from tests.factories import fill_pathway, ready_to_step_down
from tests.strategies import ANY_VALUE, SLOW_OK, VALUE

AGREED = {"agreed_on_day": "4", "agreed_on_month": "3", "agreed_on_year": "2027"}
HANDOVER = {
    "handover_plan": "Adult Social Care keeps the fortnightly care review and the key safe.",
    "handover_contingency": "If she stops letting carers in, the duty team visits that day.",
}


def review(case, by, level, on=None):
    return RiskReview.objects.create(
        case=case,
        reviewed_on=on or timezone.localdate(),
        level=level,
        derived_level=level,
        by=by,
    )


def desired(case, by, words="To stay in my own home with my cat"):
    return DesiredOutcome.objects.create(
        case=case, outcome=words, added_on=timezone.localdate(), added_by=by
    )


def closing(case):
    return reverse("panel:case_closing", args=[case.pk])


def close_from_the_page(client, case, **fields):
    case.refresh_from_db()
    data = {"version": case.version, **AGREED, **fields}
    return client.post(reverse("panel:case_close", args=[case.pk]), data)


def error_beside(page: str, field: str) -> str:
    """The error message shown beside a field of the closure form."""
    start = page.index(f'id="id_close_{field}-error"')
    return page[start : page.index("</p>", start)]


@pytest.fixture
def asc_involved(case, asc):
    case.involved_agencies.add(asc)
    return asc


def test_a_step_down_is_refused_while_the_latest_review_is_high(
    client_for, case, cora, asc_involved
):
    review(case, cora, "medium", on=date(2026, 10, 1))
    review(case, cora, "high", on=date(2026, 11, 1))  # the latest is the one that counts
    response = close_from_the_page(
        client_for(cora),
        case,
        outcome=Outcome.STEPPED_DOWN,
        step_down_agency=asc_involved.pk,
        **HANDOVER,
    )
    assert response.status_code == 200
    page = response.text
    assert "There is a problem" in page
    assert "The latest review put the risk at high" in error_beside(page, "override_reason")
    assert HANDOVER["handover_plan"] in page  # what was typed is kept
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_PANEL


def test_a_step_down_is_accepted_after_a_review_at_medium_with_the_handover_and_outcomes_marked(
    client_for, case, cora, asc_involved
):
    wish = desired(case, cora, "To stay in my own home with my cat, and see my grandson")
    review(case, cora, "medium")
    client = client_for(cora)
    refused = close_from_the_page(
        client, case, outcome=Outcome.STEPPED_DOWN, step_down_agency=asc_involved.pk, **HANDOVER
    )
    assert "(1 still to mark)" in refused.text
    marked = client.post(
        reverse("panel:desired_outcome_mark", args=[case.pk, wish.pk]),
        {"version": wish.version, "achievement": "partly", "note": "Home kept; visits monthly"},
    )
    assert marked.status_code == 302
    assert marked["Location"] == closing(case)

    response = close_from_the_page(
        client, case, outcome=Outcome.STEPPED_DOWN, step_down_agency=asc_involved.pk, **HANDOVER
    )
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.step_down_agency == asc_involved
    assert case.handover_plan == HANDOVER["handover_plan"]
    assert case.handover_contingency == HANDOVER["handover_contingency"]
    assert case.step_down_override_reason == ""
    assert case.events.last().summary == (
        "Closed: risk reduced, stepped down to Adult Social Care (agreed 4 March 2027). "
        "Handover: Adult Social Care keeps the fortnightly care review and the key safe."
    )
    page = client.get(case.get_absolute_url()).text
    assert HANDOVER["handover_plan"] in page
    assert HANDOVER["handover_contingency"] in page
    assert "To stay in my own home with my cat, and see my grandson" in page
    assert "partly achieved. Home kept; visits monthly" in page


def test_the_panel_may_step_a_case_down_at_high_with_its_reason(
    client_for, case, cora, asc_involved
):
    review(case, cora, "high")
    reason = "She moves to a care home out of area on Monday; ASC's placement team carries on."
    response = close_from_the_page(
        client_for(cora),
        case,
        outcome=Outcome.STEPPED_DOWN,
        step_down_agency=asc_involved.pk,
        override_reason=reason,
        **HANDOVER,
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.step_down_override_reason == reason
    assert case.events.last().summary == (
        "Closed: stepped down to Adult Social Care with the risk still high (agreed 4 March "
        "2027). Handover: Adult Social Care keeps the fortnightly care review and the key safe. "
        f"The panel's reason: {reason}"
    )
    page = client_for(cora).get(case.get_absolute_url()).text
    assert "Stepped down with the risk still high, because" in page
    assert escape(reason) in page


def test_a_reason_typed_when_the_risk_is_already_below_high_is_not_kept_as_an_override(
    case, cora, asc_involved
):
    handover = ready_to_step_down(case, by=cora, level="low")
    closed = services.case_close(
        case_id=case.pk,
        by=cora,
        version=case.version,
        outcome=Outcome.STEPPED_DOWN,
        step_down_agency=asc_involved,
        agreed_on=timezone.localdate(),
        override_reason="Just in case",
        **handover,
    ).case
    assert closed.step_down_override_reason == ""
    assert closed.events.last().summary.startswith("Closed: risk reduced, stepped down to")
    assert "The panel's reason" not in closed.events.last().summary


def test_the_agency_taking_the_case_on_must_be_involved(client_for, case, cora, police):
    ready_to_step_down(case, by=cora)
    response = close_from_the_page(
        client_for(cora), case, outcome=Outcome.STEPPED_DOWN, step_down_agency=police.pk, **HANDOVER
    )
    assert rules.STEP_DOWN_AGENCY_NOT_INVOLVED in error_beside(response.text, "step_down_agency")


def test_declining_with_capacity_needs_a_capacity_assessment_finding_capacity(
    client_for, case, cora
):
    client = client_for(cora)
    refused = close_from_the_page(client, case, outcome=Outcome.DECLINED_WITH_CAPACITY)
    assert rules.NO_CAPACITY_RECORDED in error_beside(refused.text, "outcome")
    assessment = {
        "case": case,
        "decision": "Whether to accept care at home",
        "assessed_by": "Sam Example, social worker",
        "assessed_on": timezone.localdate(),
        "recorded_by": cora,
    }
    CapacityAssessment.objects.create(**assessment, outcome=CapacityOutcome.LACKS_CAPACITY)
    still = close_from_the_page(client, case, outcome=Outcome.DECLINED_WITH_CAPACITY)
    assert rules.NO_CAPACITY_RECORDED in error_beside(still.text, "outcome")
    CapacityAssessment.objects.create(**assessment, outcome=CapacityOutcome.HAS_CAPACITY)
    accepted = close_from_the_page(client, case, outcome=Outcome.DECLINED_WITH_CAPACITY)
    assert accepted.status_code == 302
    case.refresh_from_db()
    assert case.outcome == Outcome.DECLINED_WITH_CAPACITY
    assert case.handover_plan == ""


def test_a_step_down_still_gives_the_freed_place_to_the_first_waiting(client_for, rosa, cora, asc):
    results = fill_pathway(rosa, cora, 16)
    case = results[0][0].case
    case.involved_agencies.add(asc)
    ready_to_step_down(case, by=cora)
    client = client_for(cora)
    response = close_from_the_page(
        client, case, outcome=Outcome.STEPPED_DOWN, step_down_agency=asc.pk, **HANDOVER
    )
    assert response.status_code == 302
    first_waiting = results[15][0].case
    first_waiting.refresh_from_db()
    assert first_waiting.status == CaseStatus.AWAITING_PANEL
    page = client.get(response["Location"]).text
    assert f"A place came free: {results[15][0].reference}" in page


def test_a_closure_from_a_stale_page_is_refused_and_keeps_what_was_typed(
    client_for, case, cora, asc_involved, housing
):
    ready_to_step_down(case, by=cora)
    seen = case.version
    services.case_appoint_lead(
        case_id=case.pk, by=cora, version=seen, agency=housing, officer="", reason="Tenancy"
    )
    response = client_for(cora).post(
        reverse("panel:case_close", args=[case.pk]),
        {
            "version": seen,
            "outcome": Outcome.STEPPED_DOWN,
            "step_down_agency": asc_involved.pk,
            **HANDOVER,
            **AGREED,
        },
    )
    assert response.status_code == 409
    assert "Someone else changed this case" in response.text
    assert HANDOVER["handover_contingency"] in response.text
    assert Case.objects.get(pk=case.pk).status == CaseStatus.AWAITING_PANEL


# --- the closing page ---------------------------------------------------------------------


def test_the_closing_page_shows_what_a_step_down_still_needs_from_the_same_rule(
    client_for, case, cora
):
    wish = desired(case, cora)
    client = client_for(cora)
    page = client.get(closing(case)).text
    assert page.count("Not yet") == 3
    assert escape(rules.NOT_REVIEWED) in page
    assert rules.HANDOVER_PLAN_NEEDED in page
    assert "(1 still to mark)" in page
    assert "To stay in my own home with my cat" in page

    review(case, cora, "medium")
    closure.desired_outcome_mark(
        outcome_id=wish.pk, by=cora, version=wish.version, achievement="achieved"
    )
    page = client.get(closing(case)).text
    assert page.count("Not yet") == 1  # only the handover, written in the form below
    assert "Every action is finished" in page
    assert "Latest review: " in page
    assert ", medium." in page
    assert "Marked achieved" in page


def test_the_checklist_counts_the_panels_reason_as_typed_when_the_risk_is_still_high(
    client_for, case, cora, asc_involved
):
    review(case, cora, "critical")
    response = close_from_the_page(
        client_for(cora),
        case,
        outcome=Outcome.STEPPED_DOWN,
        step_down_agency=asc_involved.pk,
        override_reason="She moves into a care home on Monday",
    )
    page = response.text
    assert "The latest review put the risk at critical" not in page
    assert "The panel records why it steps the case down with the risk not reviewed" in page
    assert "Latest review: " in page
    assert ", critical." in page
    assert rules.HANDOVER_PLAN_NEEDED in error_beside(page, "handover_plan")


def test_the_case_page_links_to_closing_and_the_closing_page_is_the_coordinators(
    client_for, case, cora, harriet, piers
):
    page = client_for(cora).get(case.get_absolute_url()).text
    assert f'href="{closing(case)}">Close the case</a>' in page
    reads = RecordRead.objects.filter(record_type="panel.case", record_id=case.pk, reader=cora)
    before = reads.count()
    client_for(cora).get(closing(case))
    assert reads.count() == before + 1  # the closing page shows the person: a read
    assert "Date the panel agreed to close it" not in page  # the form is on its own page
    assert "Close the case" not in client_for(harriet).get(case.get_absolute_url()).text
    assert client_for(harriet).get(closing(case)).status_code == 403
    assert client_for(piers).get(closing(case)).status_code == 404


def test_a_closed_case_has_no_closing_page(client_for, case, cora):
    services.case_close(
        case_id=case.pk,
        by=cora,
        version=case.version,
        outcome=Outcome.DIED,
        agreed_on=timezone.localdate(),
    )
    response = client_for(cora).get(closing(case))
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    assert "Close the case" not in client_for(cora).get(case.get_absolute_url()).text


# --- marking the desired outcomes ---------------------------------------------------------


def test_marking_a_desired_outcome_is_in_its_history_and_the_chronology(case, cora):
    wish = desired(case, cora, "To be able to cook for myself again and have friends round")
    marked = closure.desired_outcome_mark(
        outcome_id=wish.pk, by=cora, version=wish.version, achievement="partly", note="Cooks"
    )
    assert marked.achievement == Achievement.PARTLY
    assert marked.achievement_note == "Cooks"
    assert marked.history.latest().history_user == cora
    assert case.events.last().summary == (
        "Desired outcome marked partly achieved: "
        "'To be able to cook for myself again and have friends round'"
    )
    closure.desired_outcome_mark(
        outcome_id=wish.pk, by=cora, version=marked.version, achievement="achieved"
    )
    assert case.events.last().summary.startswith(
        "Desired outcome marked achieved (was partly achieved): "
    )


def test_a_long_desired_outcome_is_shortened_in_the_chronology(case, cora):
    wish = desired(case, cora, "x" * 59 + "yz and much more besides")
    closure.desired_outcome_mark(
        outcome_id=wish.pk, by=cora, version=wish.version, achievement="not_achieved"
    )
    assert case.events.last().summary == (f"Desired outcome marked not achieved: '{'x' * 59}y…'")


def test_marking_without_saying_whether_it_was_achieved_says_so_beside_the_choice(
    client_for, case, cora
):
    wish = desired(case, cora)
    response = client_for(cora).post(
        reverse("panel:desired_outcome_mark", args=[case.pk, wish.pk]),
        {"version": wish.version, "note": "She says it went well"},
    )
    assert response.status_code == 200
    assert f'id="id_mark_{wish.pk}_achievement-error"' in response.text
    assert closure.ACHIEVEMENT_NEEDED in response.text
    assert "She says it went well" in response.text


def test_marking_from_a_stale_page_is_refused_and_keeps_the_note(client_for, case, cora, adam):
    wish = desired(case, cora)
    closure.desired_outcome_mark(
        outcome_id=wish.pk, by=adam, version=wish.version, achievement="achieved"
    )
    response = client_for(cora).post(
        reverse("panel:desired_outcome_mark", args=[case.pk, wish.pk]),
        {"version": wish.version, "achievement": "not_achieved", "note": "She moved away"},
    )
    assert response.status_code == 409
    assert "She moved away" in response.text
    wish.refresh_from_db()
    assert wish.achievement == Achievement.ACHIEVED


def test_only_the_coordinator_marks_and_only_while_the_case_is_held(
    client_for, case, cora, harriet
):
    wish = desired(case, cora)
    url = reverse("panel:desired_outcome_mark", args=[case.pk, wish.pk])
    form = {"version": wish.version, "achievement": "achieved"}
    assert client_for(harriet).post(url, form).status_code == 403
    services.case_close(
        case_id=case.pk,
        by=cora,
        version=case.version,
        outcome=Outcome.MOVED_AWAY,
        agreed_on=timezone.localdate(),
    )
    response = client_for(cora).post(url, form)
    assert "is not on the caseload (closed)" in response.text
    wish.refresh_from_db()
    assert wish.achievement == ""


def test_an_outcome_of_another_case_cannot_be_marked_through_this_one(client_for, rosa, cora):
    [(first, _), (second, _)] = fill_pathway(rosa, cora, 2)
    wish = desired(second.case, cora)
    url = reverse("panel:desired_outcome_mark", args=[first.case.pk, wish.pk])
    response = client_for(cora).post(url, {"version": wish.version, "achievement": "achieved"})
    assert response.status_code == 404


@SLOW_OK
@given(data=st.data())
def test_no_input_to_marking_an_outcome_causes_a_server_error(cora_client, case, cora, data):
    wish = DesiredOutcome.objects.filter(case=case).first() or desired(case, cora)
    wish.refresh_from_db()
    form = data.draw(
        st.fixed_dictionaries(
            {"version": st.one_of(st.just(str(wish.version)), VALUE)},
            optional={"achievement": ANY_VALUE, "note": ANY_VALUE},
        )
    )
    url = reverse("panel:desired_outcome_mark", args=[case.pk, wish.pk])
    assert cora_client.post(url, form).status_code in (200, 302, 409)


def test_the_checklist_names_the_open_actions_that_would_stop_the_case_closing(
    client_for, case, cora, housing
):
    from actions.services import action_agree

    action = action_agree(
        case=case, by=cora, owner_agency=housing, description="Visit", due_on=timezone.localdate()
    )
    page = client_for(cora).get(closing(case)).text
    assert page.count("Not yet") == 3  # the review, the handover and the open action
    assert f'1 open action (<span class="caspa-ref">{action.reference}</span>)' in page
