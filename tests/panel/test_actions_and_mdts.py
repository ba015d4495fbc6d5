"""Actions agreed for a case, and MDT meetings between panels."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actions import rules
from actions.models import Action
from panel import meetings
from panel.models import PanelMeeting

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        ({}, {}),
        ({"description": " "}, {"description": rules.DESCRIPTION_NEEDED}),
        ({"due_on": TODAY - timedelta(days=1)}, {"due_on": rules.DUE_IN_THE_PAST}),
        ({"due_on": TODAY}, {}),
        ({"owner_agency_id": 9}, {"owner_agency": rules.OWNER_NOT_INVOLVED}),
    ],
)
def test_what_makes_an_action_agreeable(changes, problems):
    proposed = {
        "description": "Visit",
        "due_on": TODAY + timedelta(days=7),
        "today": TODAY,
        "owner_agency_id": 1,
        "involved_agency_ids": {1, 2},
        **changes,
    }
    assert rules.action_problems(**proposed) == problems


def due_fields(days):
    due = timezone.localdate() + timedelta(days=days)
    return {"due_on_day": due.day, "due_on_month": due.month, "due_on_year": due.year}


def test_the_panel_agrees_an_action_on_the_meeting_screen(client_for, case, cora, housing):
    meeting = PanelMeeting.objects.create(date=date(2026, 12, 8))
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    screen = reverse("panel:screen", args=[meeting.pk, 1])
    response = client_for(cora).post(
        reverse("actions:agree", args=[case.pk]),
        {
            "description": "Repair heating",
            "owner_agency": housing.pk,
            "meeting": meeting.pk,
            "return_to": screen,
            **due_fields(14),
        },
        follow=True,
    )
    assert response.redirect_chain == [(screen + "#decision-action", 302)]
    action = Action.objects.get()
    assert action.agreed_at_meeting == meeting
    assert "Repair heating" in response.text  # now among the case's open actions
    assert f"Action {action.reference} agreed at the panel meeting of 8 December 2026" in (
        case.events.last().summary
    )


def test_an_action_due_in_the_past_or_owned_by_an_uninvolved_agency_is_refused(
    client_for, case, cora, police
):
    response = client_for(cora).post(
        reverse("actions:agree", args=[case.pk]),
        {
            "description": "Check in",
            "owner_agency": police.pk,
            "return_to": case.get_absolute_url(),
            **due_fields(-1),
        },
    )
    assert response.status_code == 200
    assert rules.OWNER_NOT_INVOLVED in response.text
    assert "Check in" in response.text
    assert not Action.objects.exists()


def test_an_action_due_yesterday_is_refused_next_to_the_date(client_for, case, cora, housing):
    response = client_for(cora).post(
        reverse("actions:agree", args=[case.pk]),
        {
            "description": "Check in",
            "owner_agency": housing.pk,
            "return_to": case.get_absolute_url(),
            **due_fields(-1),
        },
    )
    assert response.status_code == 200
    assert rules.DUE_IN_THE_PAST in response.text
    assert not Action.objects.exists()


def test_the_coordinator_records_an_mdt_meeting_in_the_chronology(
    client_for, case, cora, housing, police
):
    response = client_for(cora).post(
        reverse("panel:mdt_record", args=[case.pk]),
        {
            "held_on_day": "20",
            "held_on_month": "11",
            "held_on_year": "2026",
            "invited": [housing.pk, police.pk],
            "attended": [housing.pk],
            "notes": "Met at home",
            "return_to": case.get_absolute_url(),
        },
    )
    assert (response.status_code, response["Location"]) == (302, case.get_absolute_url())
    mdt = case.mdt_meetings.get()
    assert list(mdt.attended.all()) == [housing]
    assert case.events.last().summary == "MDT meeting held 20 November 2026 (attended: Housing)"


def test_an_action_agreed_at_an_mdt_says_so_in_the_chronology(client_for, case, cora, housing):
    from panel import services

    mdt = services.mdt_record(
        case_id=case.pk,
        by=cora,
        held_on=date(2026, 11, 20),
        invited=[housing],
        attended=[housing],
        notes="",
    )
    response = client_for(cora).post(
        reverse("actions:agree", args=[case.pk]),
        {
            "description": "Book a GP review",
            "owner_agency": housing.pk,
            "mdt": mdt.pk,
            "return_to": case.get_absolute_url(),
            **due_fields(7),
        },
    )
    assert (response.status_code, response["Location"]) == (302, case.get_absolute_url())
    action = Action.objects.get()
    assert action.agreed_at_mdt == mdt
    assert "agreed at the MDT of 20 November 2026" in case.events.last().summary
