"""Attendance at a meeting: for each agency, who is there or sent apologies, whether they agreed
to the confidentiality statement, and the CASPA account they follow the meeting with; the
service's refusals shown next to their fields; no input causes a server error."""

from datetime import date

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts.roles import Role
from panel.models import PanelMeeting
from tests.conftest import persona
from tests.strategies import SLOW_OK, VALUE

NO_ACCOUNT = "No account: they will not follow on a device"


@pytest.fixture
def meeting(db):
    return PanelMeeting.objects.create(date=date(2026, 12, 8))


def record_url(meeting):
    return reverse("panel:attendance_record", args=[meeting.pk])


def record(client, meeting, **fields):
    return client.post(record_url(meeting), fields)


def test_the_coordinator_records_someone_present_with_their_account_and_someone_sending_apologies(
    client_for, cora, meeting, housing, police, milo
):
    client = client_for(cora)
    response = record(
        client,
        meeting,
        agency=housing.pk,
        attendee="Milo Grant, Housing panel member",
        presence="present",
        agreed_to_confidentiality="on",
        user=milo.pk,
    )
    assert (response.status_code, response["Location"]) == (
        302,
        f"{meeting.get_absolute_url()}#attendance",
    )
    record(client, meeting, agency=police.pk, attendee="DS Patel", presence="apologies")

    present = meeting.attendance.get(agency=housing)
    assert (present.apologies, present.agreed_to_confidentiality, present.user) == (
        False,
        True,
        milo,
    )
    away = meeting.attendance.get(agency=police)
    assert (away.apologies, away.agreed_to_confidentiality, away.user) == (True, False, None)

    page = client.get(meeting.get_absolute_url()).text
    present_part = page[page.index("Present (1)") : page.index("Apologies (1)")]
    apologies_part = page[page.index("Apologies (1)") :]
    assert "Milo Grant, Housing panel member, Housing" in present_part
    assert "agreed to the confidentiality statement" in present_part
    assert "follows on their own device as" in present_part
    assert "DS Patel, Bedfordshire Police" in apologies_part
    assert "DS Patel" not in present_part


def test_someone_present_may_agree_on_their_own_device_later(client_for, cora, meeting, housing):
    response = record(
        client_for(cora), meeting, agency=housing.pk, attendee="Harriet Lomax", presence="present"
    )
    assert response.status_code == 302
    assert not meeting.attendance.get().agreed_to_confidentiality
    page = client_for(cora).get(meeting.get_absolute_url()).text
    assert "has not yet agreed to the confidentiality statement" in page


def test_the_account_list_offers_panel_members_spocs_and_chairs_with_a_clear_blank(
    client_for, cora, meeting, milo, harriet, chidi, rosa, maya
):
    page = client_for(cora).get(meeting.get_absolute_url()).text
    form = page[page.index('name="user"') :]
    form = form[: form.index("</select>")]
    assert f'<option value="" selected>{NO_ACCOUNT}</option>' in form
    assert "---------" not in page
    assert f'value="{milo.pk}"' in form
    assert f'value="{harriet.pk}"' in form
    assert f'value="{chidi.pk}"' in form
    assert f'value="{rosa.pk}"' not in form  # a referrer does not follow meetings
    assert f'value="{maya.pk}"' not in form
    assert "So they can follow the meeting on their own device." in page


def test_an_inactive_account_is_not_offered_and_cannot_be_sent(
    client_for, cora, meeting, housing, milo
):
    milo.is_active = False
    milo.save()
    client = client_for(cora)
    assert f'value="{milo.pk}"' not in client.get(meeting.get_absolute_url()).text
    response = record(
        client, meeting, agency=housing.pk, attendee="Milo", presence="present", user=milo.pk
    )
    assert response.status_code == 200
    assert "Select one of the accounts listed, or no account" in response.text
    assert not meeting.attendance.exists()


def error_next_to(page: str, field_id: str, message: str) -> bool:
    """The message is in the field's own error line (templates/govuk/field_error.html)."""
    start = page.find(f'id="{field_id}-error"')
    return start != -1 and message in page[start : page.index("</p>", start)]


def test_an_account_of_another_agency_is_refused_next_to_the_account_box(
    client_for, cora, meeting, police, milo
):
    response = record(
        client_for(cora),
        meeting,
        agency=police.pk,
        attendee="Milo Grant",
        presence="present",
        user=milo.pk,
    )
    assert response.status_code == 200
    page = response.text
    message = f"works for {milo.agency.name}, not Bedfordshire Police: choose their own agency"
    assert error_next_to(page, "id_user", message)
    assert 'class="govuk-error-summary"' in page
    assert '<a href="#id_user">' in page
    assert "<title>Error: " in page
    assert 'value="Milo Grant"' in page  # nothing typed is lost
    assert not meeting.attendance.exists()


def test_someone_sending_apologies_cannot_be_recorded_as_agreeing(
    client_for, cora, meeting, housing
):
    response = record(
        client_for(cora),
        meeting,
        agency=housing.pk,
        attendee="Harriet Lomax",
        presence="apologies",
        agreed_to_confidentiality="on",
    )
    assert response.status_code == 200
    assert error_next_to(
        response.text,
        "id_agreed_to_confidentiality",
        "Someone sending apologies is not at the meeting to agree",
    )
    assert not meeting.attendance.exists()


def test_missing_answers_are_each_explained_next_to_their_field(client_for, cora, meeting):
    page = record(client_for(cora), meeting).text
    assert error_next_to(page, "id_agency", "Select the agency")
    assert error_next_to(page, "id_attendee", "Enter the name and role of who is attending")
    assert error_next_to(page, "id_presence", "Select whether they are present or sent apologies")


@pytest.mark.parametrize("field", ["agency", "user"])
@pytest.mark.parametrize("value", ["99999999999999999999", "-1", "0", "1e9", "x", "1;drop"])
def test_an_absurd_agency_or_account_is_a_message_not_a_server_error(
    client_for, cora, meeting, housing, field, value
):
    fields = {"agency": housing.pk, "attendee": "Someone", "presence": "present", field: value}
    response = record(client_for(cora), meeting, **fields)
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in response.text
    assert not meeting.attendance.exists()


def test_only_those_who_run_the_panel_record_attendance(
    client_for, chidi, harriet, meeting, housing
):
    for who in (chidi, harriet):
        response = record(
            client_for(who), meeting, agency=housing.pk, attendee="Someone", presence="present"
        )
        assert response.status_code == 403
    assert not meeting.attendance.exists()


def test_an_agency_without_an_account_is_not_offered_a_chair_of_no_agency(
    client_for, cora, meeting
):
    floating = persona("floating", "Floating", Role.CHAIR, None)
    page = client_for(cora).get(meeting.get_absolute_url()).text
    assert f'value="{floating.pk}"' not in page


@SLOW_OK
@given(data=st.data())
def test_no_input_to_the_attendance_form_causes_a_server_error(cora_client, meeting, data):
    fields = ["agency", "attendee", "presence", "agreed_to_confidentiality", "user"]
    form = {name: data.draw(VALUE, label=name) for name in fields if data.draw(st.booleans())}
    response = cora_client.post(record_url(meeting), form)
    assert response.status_code in (200, 302)
