"""An escalation reaches someone who can act on it: the lead agency's SPoC, e-mailed about
another agency's stalled action, opens the link and finds the action, its case, and the
action on their own actions page and home page. The chair, told at the second level, can open
it too."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.services import agency_appoint_spoc
from actions import services
from actions.models import Action
from actions.sweep import run_sweep
from tests.factories import case_with_lead


@pytest.fixture
def police_action_on_a_housing_led_case(rosa, cora, harriet, housing, piers, police):
    """Housing leads the case; the Police own an action on it that is 8 days overdue."""
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    agency_appoint_spoc(agency=police, spoc=piers, by=cora)
    case = case_with_lead(rosa, cora, agencies=[housing, police], lead=housing)
    action = services.action_agree(
        case=case,
        by=cora,
        owner_agency=police,
        description="Welfare visit",
        due_on=timezone.localdate(),
    )
    Action.objects.filter(pk=action.pk).update(due_on=timezone.localdate() - timedelta(days=8))
    return action


def link_in(email) -> str:
    [line] = [line for line in email.body.splitlines() if line.startswith("http")]
    return line.removeprefix("http://127.0.0.1:8000")


def test_the_lead_agencys_spoc_can_open_the_escalation_they_are_sent(
    client_for, police_action_on_a_housing_led_case, harriet
):
    action = police_action_on_a_housing_led_case
    run_sweep(today=timezone.localdate())
    [escalation] = [
        email
        for email in mail.outbox
        if email.to == [harriet.email] and "escalated to your agency" in email.subject
    ]
    lead_spoc = client_for(harriet)
    page = lead_spoc.get(link_in(escalation))
    assert page.status_code == 200
    assert action.reference in page.text
    assert "Welfare visit" in page.text
    # Read-only for them: the Police own it; the lead follows it up.
    assert reverse("actions:update", args=[action.pk]) not in page.text
    assert lead_spoc.get(action.case.get_absolute_url()).status_code == 200
    assert action.reference in lead_spoc.get(reverse("actions:list")).text
    assert action.reference in lead_spoc.get(reverse("home")).text


def test_the_lead_agencys_spoc_cannot_update_another_agencys_action(
    client_for, police_action_on_a_housing_led_case, harriet
):
    action = police_action_on_a_housing_led_case
    response = client_for(harriet).post(
        reverse("actions:update", args=[action.pk]),
        {"version": action.version, "status": "done", "note": ""},
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == "open"


def test_the_chair_can_open_an_action_escalated_to_the_chair(
    client_for, police_action_on_a_housing_led_case, chidi
):
    action = police_action_on_a_housing_led_case
    Action.objects.filter(pk=action.pk).update(due_on=timezone.localdate() - timedelta(days=30))
    run_sweep(today=timezone.localdate())
    [escalation] = [
        email
        for email in mail.outbox
        if email.to == [chidi.email] and "escalated to the panel chair" in email.subject
    ]
    chair = client_for(chidi)
    assert chair.get(link_in(escalation)).status_code == 200
    assert action.reference in chair.get(reverse("home")).text
    assert action.reference in chair.get(reverse("actions:list")).text


def test_an_owners_update_steps_the_escalation_back_and_says_so(
    police_action_on_a_housing_led_case, piers
):
    action = police_action_on_a_housing_led_case
    Action.objects.filter(pk=action.pk).update(due_on=timezone.localdate() - timedelta(days=30))
    run_sweep(today=timezone.localdate())
    action.refresh_from_db()
    assert action.escalation_level == 2
    services.action_update(
        action_id=action.pk, by=piers, version=action.version, status="in_progress", note="Booked"
    )
    run_sweep(today=timezone.localdate())
    action.refresh_from_db()
    assert action.escalation_level == 1
    summaries = list(action.case.events.values_list("summary", flat=True))
    assert summaries[-1] == (
        f"Action {action.reference} updated since: back with the lead agency's SPoC"
    )


def test_an_agency_not_involved_still_gets_404(client_for, police_action_on_a_housing_led_case):
    from accounts.roles import Role
    from tests.factories import AgencyFactory, UserFactory

    fire = UserFactory(
        username="fiona", role=Role.SPOC, agency=AgencyFactory(name="Fire", short_name="Fire")
    )
    action = police_action_on_a_housing_led_case
    assert client_for(fire).get(reverse("actions:detail", args=[action.pk])).status_code == 404
