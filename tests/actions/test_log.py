"""The coordinator's action log, and escalating by hand."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actions import services
from actions.models import Action
from tests.factories import fill_pathway


@pytest.fixture
def actions(rosa, cora, housing, asc):
    cases = [r.case for r, _ in fill_pathway(rosa, cora, 2)]
    cases[1].involved_agencies.add(asc)
    made = [
        services.action_agree(
            case=cases[0],
            by=cora,
            owner_agency=housing,
            description="Housing visit",
            due_on=timezone.localdate() + timedelta(days=5),
        ),
        services.action_agree(
            case=cases[1],
            by=cora,
            owner_agency=asc,
            description="Care assessment",
            due_on=timezone.localdate() + timedelta(days=9),
        ),
        services.action_agree(
            case=cases[1],
            by=cora,
            owner_agency=housing,
            description="Tenancy review",
            due_on=timezone.localdate() + timedelta(days=1),
        ),
    ]
    Action.objects.filter(pk=made[2].pk).update(due_on=timezone.localdate() - timedelta(days=3))
    return made


def log(client, **filters):
    return client.get(reverse("actions:list"), filters).text


def test_the_log_filters_by_agency_case_status_and_overdue(client_for, cora, actions, asc):
    client = client_for(cora)
    visit, assessment, review = actions
    page = log(client, agency=asc.pk)
    assert assessment.reference in page
    assert visit.reference not in page
    page = log(client, case=visit.case.reference)
    assert visit.reference in page
    assert assessment.reference not in page
    page = log(client, overdue="on")
    assert review.reference in page
    assert visit.reference not in page


def test_the_log_sorts_by_due_date_either_way(client_for, cora, actions):
    visit, assessment, review = actions
    soonest_first = log(client_for(cora), sort="due")
    assert soonest_first.index(review.reference) < soonest_first.index(assessment.reference)
    latest_first = log(client_for(cora), sort="-due")
    assert latest_first.index(assessment.reference) < latest_first.index(review.reference)


def test_a_bad_filter_is_explained_and_no_action_is_shown_until_it_is_right(
    client_for, cora, actions
):
    page = log(client_for(cora), case="banana", sort="sideways")
    assert "Enter a case reference, like" in page
    assert 'value="banana"' in page
    assert actions[0].reference not in page
    assert "Correct the filters above to see the actions." in page


def test_the_log_is_paginated(client_for, cora, actions, housing):
    for n in range(30):
        services.action_agree(
            case=actions[0].case,
            by=cora,
            owner_agency=housing,
            description=f"Visit {n}",
            due_on=timezone.localdate() + timedelta(days=20),
        )
    page = log(client_for(cora))
    assert "Page 1 of 2" in page
    assert "33 actions" in page


def test_the_coordinator_escalates_by_hand_with_a_reason(client_for, cora, actions):
    visit = actions[0]
    url = reverse("actions:escalate", args=[visit.pk])
    response = client_for(cora).post(url, {"version": visit.version, "level": "2", "reason": ""})
    assert response.status_code == 200
    assert "Say why you are escalating it" in response.text
    visit.refresh_from_db()
    assert visit.escalation_level == 0
    response = client_for(cora).post(
        url, {"version": visit.version, "level": "2", "reason": "No contact for a month"}
    )
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("actions:detail", args=[visit.pk]),
    )
    visit.refresh_from_db()
    assert visit.escalation_level == 2
    assert "escalated by hand to the panel chair" in visit.case.events.last().summary
    assert "Escalated to the chair" in log(client_for(cora))


def test_a_spoc_cannot_escalate(client_for, harriet, actions):
    visit = actions[0]
    response = client_for(harriet).post(
        reverse("actions:escalate", args=[visit.pk]),
        {"version": visit.version, "level": "1", "reason": "x"},
    )
    assert response.status_code == 403
    visit.refresh_from_db()
    assert visit.escalation_level == 0
