"""What each action page costs in queries (tests/queries.py): an action's page the same however
many updates and escalations it has had, an agency's list and the chair's the same however
many actions they show; and within the budget. The coordinator's log is counted in
test_action_log.py."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import agency_appoint_spoc
from actions import escalations, services
from actions.models import Action
from actions.sweep import run_sweep
from tests.factories import case_with_lead, years_of_closed_cases
from tests.queries import PAGE_QUERY_LIMIT, assert_flat_and_within_budget, page_queries


@pytest.fixture
def case(rosa, cora, harriet, housing, piers, police):
    """Housing leads; the Police are involved too. Both have their SPoC."""
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    agency_appoint_spoc(agency=police, spoc=piers, by=cora)
    return case_with_lead(rosa, cora, agencies=[housing, police], lead=housing)


def agree(case, cora, agency, n=0):
    return services.action_agree(
        case=case,
        by=cora,
        owner_agency=agency,
        description=f"Welfare visit {n}",
        due_on=timezone.localdate(),
    )


def escalate_and_resolve(action, *, resolver, times):
    """`times` rounds of: overdue, escalated by the sweep, updated by its owner, resolved."""
    for n in range(times):
        Action.objects.filter(pk=action.pk).update(due_on=timezone.localdate() - timedelta(days=8))
        run_sweep(today=timezone.localdate())
        action.refresh_from_db()
        escalations.escalation_resolve(
            action_id=action.pk,
            by=resolver,
            version=action.version,
            response=f"Visit rebooked ({n})",
            outcome="re_dated",
            new_due_on=timezone.localdate() + timedelta(days=14),
        )
        action.refresh_from_db()
        action = services.action_update(
            action_id=action.pk,
            by=action.owner_agency.spoc,
            version=action.version,
            status="in_progress",
            note=f"Booked ({n})",
        )
    return action


@pytest.mark.parametrize("who", ["cora", "piers", "harriet"])
def test_an_actions_page_costs_the_same_however_many_updates_and_escalations(
    client_for, request, case, cora, harriet, police, who
):
    action = agree(case, cora, police)
    action = escalate_and_resolve(action, resolver=harriet, times=1)
    # The page of an action escalated now (its escalation and who is told shown too).
    Action.objects.filter(pk=action.pk).update(due_on=timezone.localdate() - timedelta(days=8))
    run_sweep(today=timezone.localdate())

    def grow():
        Action.objects.filter(pk=action.pk).update(due_on=timezone.localdate() + timedelta(days=14))
        action.refresh_from_db()
        now = escalate_and_resolve(action, resolver=harriet, times=3)
        Action.objects.filter(pk=now.pk).update(due_on=timezone.localdate() - timedelta(days=8))
        run_sweep(today=timezone.localdate())

    url = reverse("actions:detail", args=[action.pk])
    assert_flat_and_within_budget(client_for(request.getfixturevalue(who)), url, grow)


def test_an_agencys_list_costs_the_same_however_many_actions(
    client_for, case, cora, harriet, housing, police, asc
):
    """Housing's SPoC sees Housing's open actions and, as the case's lead, the Police's that
    are escalated to it; neither list grows with the years of closed cases."""

    def overdue_police_action(n):
        action = agree(case, cora, police, n)
        Action.objects.filter(pk=action.pk).update(due_on=timezone.localdate() - timedelta(days=8))

    agree(case, cora, housing)
    overdue_police_action(1)
    run_sweep(today=timezone.localdate())

    def grow():
        for n in range(2, 6):
            agree(case, cora, housing, n)
        for n in range(6, 8):
            overdue_police_action(n)
        run_sweep(today=timezone.localdate())
        years_of_closed_cases(20, by=cora, agencies=[housing, police, asc], actions_each=2)

    client = client_for(harriet)
    assert_flat_and_within_budget(client, reverse("actions:list"), grow)
    assert client.get(reverse("actions:list")).text.count("Welfare visit") == 5 + 3


def test_the_chairs_list_costs_the_same_however_many_actions(client_for, case, cora, chidi, police):
    first = agree(case, cora, police)
    Action.objects.filter(pk=first.pk).update(due_on=timezone.localdate() - timedelta(days=22))
    run_sweep(today=timezone.localdate())

    def grow():
        for n in range(1, 5):
            more = agree(case, cora, police, n)
            Action.objects.filter(pk=more.pk).update(
                due_on=timezone.localdate() - timedelta(days=22)
            )
        run_sweep(today=timezone.localdate())

    client = client_for(chidi)
    assert_flat_and_within_budget(client, reverse("actions:list"), grow)
    assert client.get(reverse("actions:list")).text.count("Welfare visit") == 5


def test_the_coordinators_log_is_within_the_budget(client_for, case, cora, housing, police):
    """Counted at two sizes in test_action_log.py; here, against the budget."""
    for n in range(3):
        agree(case, cora, police if n % 2 else housing, n)
    for status in ("", "all", "done"):
        url = reverse("actions:list") + (f"?status={status}" if status else "")
        assert len(page_queries(client_for(cora), url)) <= PAGE_QUERY_LIMIT
