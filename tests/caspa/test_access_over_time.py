"""The access table over time, on its case: an agency added to the case, an agency removed
from it, the case closed (read for the handover period, then only by the coordinator's staff
and the agency taking it on). Each step through the services a coordinator would use."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from caspa.core.choices import ActionStatus
from panel import services
from panel.models import Case, Outcome
from tests.caspa.access_world import build_world, people_seen_by, words_of
from tests.caspa.test_access_table import text_of
from tests.factories import ready_to_step_down

# The pages that show the case, and the one action of the involved agency's on it.
CASE_PAGES = [
    "panel:case",
    "panel:case_actions",
    "panel:case_meetings",
    "panel:case_chronology",
    "panel:case_people",
    "panel:case_plan_pdf",
    "actions:detail",
]

pytestmark = pytest.mark.django_db


def outcomes_for(world, persona) -> dict[str, int]:
    client = Client()
    client.force_login(world.users[persona])
    return {
        name: client.get(reverse(name, kwargs=world.kwargs(name))).status_code
        for name in CASE_PAGES
    }


def every(code) -> dict[str, int]:
    return dict.fromkeys(CASE_PAGES, code)


def involve(world, agencies) -> Case:
    case = Case.objects.get(pk=world.case.pk)
    services.case_set_agencies(
        case_id=case.pk, by=world.users["coordinator"], version=case.version, agencies=agencies
    )
    world.case = Case.objects.get(pk=case.pk)
    return world.case


def test_an_agency_added_to_the_case_sees_it_and_its_person_at_once(demo):
    world = build_world()
    elft = world.users["spoc_uninvolved"].agency
    assert outcomes_for(world, "spoc_uninvolved") == every(404)
    assert world.case.person_id not in people_seen_by(world.users["spoc_uninvolved"])

    involve(world, [*world.case.involved_agencies.all(), elft])

    assert outcomes_for(world, "spoc_uninvolved") == every(200)
    page = Client()
    page.force_login(world.users["spoc_uninvolved"])
    shown = page.get(reverse("panel:case", args=[world.case.pk])).text
    assert any(word in shown for word in words_of(world.case.person))


def test_an_agency_removed_from_the_case_loses_every_page_of_it(demo):
    world = build_world()
    police = world.users["spoc_involved"].agency
    assert outcomes_for(world, "spoc_involved") == every(200)
    # An agency with open actions cannot leave; the coordinator closes Police's first.
    Action.objects.open().filter(case=world.case, owner_agency=police).update(
        status=ActionStatus.NO_LONGER_NEEDED
    )

    involve(world, [a for a in world.case.involved_agencies.all() if a != police])

    assert outcomes_for(world, "spoc_involved") == every(404)
    client = Client()
    client.force_login(world.users["spoc_involved"])
    assert client.get(reverse("panel:return", args=[world.agency_return.pk])).status_code == 404
    listed = client.get(reverse("panel:cases")).text
    assert world.case.reference not in listed
    assert all(word not in listed for word in words_of(world.case.person))
    # The lead agency and the coordinator are unaffected.
    assert outcomes_for(world, "spoc_lead") == every(200)
    assert outcomes_for(world, "coordinator") == every(200)


def close(world) -> Case:
    case = Case.objects.get(pk=world.case.pk)
    Action.objects.open().filter(case=case).update(status=ActionStatus.DONE)
    handover = ready_to_step_down(case, by=world.users["coordinator"])
    services.case_close(
        case_id=case.pk,
        by=world.users["coordinator"],
        version=case.version,
        outcome=Outcome.STEPPED_DOWN,
        agreed_on=timezone.localdate(),
        step_down_agency=case.lead_agency,
        # The demo's risks are re-scored at its meetings; the panel records why it steps the
        # case down all the same.
        override_reason="The panel agreed Housing carries the plan with the tenancy visits.",
        **handover,
    )
    world.case = Case.objects.get(pk=case.pk)
    return world.case


def test_a_closed_case_is_read_by_the_agencies_involved_for_the_handover_period_only(demo):
    world = build_world()
    case = close(world)

    # Within the period: every agency involved still reads it, and changes nothing.
    for persona in ("spoc_involved", "spoc_lead", "panel_member", "coordinator", "chair"):
        assert outcomes_for(world, persona) == every(200), persona
    client = Client()
    client.force_login(world.users["spoc_involved"])
    update = client.post(
        reverse("actions:update", args=[world.action.pk]),
        {"version": world.action.version, "status": "in_progress", "note": "Visited."},
    )
    shown = client.get(update["Location"]) if update.status_code == 302 else update
    assert Action.objects.get(pk=world.action.pk).status == ActionStatus.DONE
    assert f"{case.reference} is not on the caseload (closed)" in text_of(shown)

    # After it: the coordinator's staff and the agency that took it on (Housing) only.
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=100))
    for persona in ("coordinator", "admin", "spoc_lead", "panel_member"):
        assert outcomes_for(world, persona) == every(200), persona
    for persona in ("spoc_involved", "chair"):
        assert outcomes_for(world, persona) == every(403), persona
    refused = client.get(reverse("panel:case", args=[case.pk]))
    assert "for the handover" in text_of(refused)
    assert all(word not in text_of(refused) for word in words_of(case.person))
    assert outcomes_for(world, "spoc_uninvolved") == every(404)
