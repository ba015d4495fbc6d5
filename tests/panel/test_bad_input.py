"""Arbitrary input to every form of the panel app never causes a server error."""

from datetime import date

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from panel import meetings
from panel.models import PanelMeeting
from tests.factories import fill_pathway
from tests.strategies import ANY_VALUE, SLOW_OK, VALUE

OK = (200, 302, 409)

CASE_PAGE_FIELDS = {
    "lead": ["agency", "officer", "reason"],
    "close": [
        "outcome",
        "step_down_agency",
        "outcome_detail",
        "agreed_on_day",
        "agreed_on_month",
        "agreed_on_year",
    ],
    "action": [
        "description",
        "owner_agency",
        "owner_officer",
        "due_on_day",
        "due_on_month",
        "due_on_year",
    ],
    "mdt": ["held_on_day", "held_on_month", "held_on_year", "invited", "attended", "notes"],
    "junk": ["anything"],
}
SCREEN_FIELDS = {
    "adopt": [],
    "not_adopt": ["reason", "signpost"],
    "lead": ["agency", "officer", "reason"],
    "risk": ["risk_level"],
    "agencies": ["agencies"],
    "minute": ["minute"],
    "action": ["description", "owner_agency", "due_on_day", "due_on_month", "due_on_year"],
}
MEETING_FIELDS = {
    "build": [],
    "up": ["item"],
    "down": ["item"],
    "add": ["title", "notes"],
    "attend": ["agency", "attendee", "agreed_to_confidentiality"],
}


@pytest.fixture
def a_meeting_with_a_case(rosa, cora):
    fill_pathway(rosa, cora, 2)
    meeting = PanelMeeting.objects.create(date=date(2026, 12, 8))
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    return meeting


def payload(data, fields, version):
    drawn = data.draw(
        st.fixed_dictionaries(
            {"version": st.one_of(st.just(str(version)), VALUE)},
            optional={name: ANY_VALUE for name in fields},
        )
    )
    return drawn


@pytest.mark.parametrize("action", list(CASE_PAGE_FIELDS))
@SLOW_OK
@given(data=st.data())
def test_no_input_to_a_case_page_causes_a_server_error(
    cora_client, a_meeting_with_a_case, action, data
):
    case = a_meeting_with_a_case.items.first().case
    case.refresh_from_db()
    form = payload(data, CASE_PAGE_FIELDS[action], case.version)
    response = cora_client.post(case.get_absolute_url(), {**form, "action": action})
    assert response.status_code in OK


@pytest.mark.parametrize("action", list(SCREEN_FIELDS))
@SLOW_OK
@given(data=st.data(), position=st.integers(-1, 4))
def test_no_input_to_the_meeting_screen_causes_a_server_error(
    cora_client, a_meeting_with_a_case, action, data, position
):
    meeting = a_meeting_with_a_case
    case = meeting.items.first().case
    case.refresh_from_db()
    form = payload(data, SCREEN_FIELDS[action], case.version)
    url = f"/cases/meetings/{meeting.pk}/screen/{max(position, 0)}/"
    response = cora_client.post(url, {**form, "action": action})
    assert response.status_code in OK


@pytest.mark.parametrize("action", list(MEETING_FIELDS))
@SLOW_OK
@given(data=st.data())
def test_no_input_to_the_agenda_builder_causes_a_server_error(
    cora_client, a_meeting_with_a_case, action, data
):
    form = payload(data, MEETING_FIELDS[action], 1)
    response = cora_client.post(
        a_meeting_with_a_case.get_absolute_url(), {**form, "action": action}
    )
    assert response.status_code in (*OK, 404)


@SLOW_OK
@given(data=st.data())
def test_no_input_to_the_year_planner_or_minutes_causes_a_server_error(
    client_for, chidi, cora_client, a_meeting_with_a_case, data
):
    form = payload(data, ["year", "nth", "weekday"], 1)
    assert cora_client.post(reverse("panel:meetings"), form).status_code in OK
    minutes = reverse("panel:minutes", args=[a_meeting_with_a_case.pk])
    form = payload(data, ["item", "minute", "reason", "action"], 1)
    assert cora_client.post(minutes, form).status_code in (*OK, 404)
