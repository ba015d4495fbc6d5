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

# Run again on SQLite by `make test` (docs/bounded-input.md).
pytestmark = pytest.mark.bad_input

OK = (200, 302, 409)

DATE = ["_day", "_month", "_year"]

# The decisions about a case, each with its own endpoint (panel/urls.py, actions/urls.py).
CASE_ENDPOINTS = {
    "panel:case_appoint_lead": ["agency", "officer", "reason"],
    "panel:assessment_review": [
        "level",
        "reason",
        *(f"next_review_on{part}" for part in DATE),
        "meeting",
    ],
    "panel:case_set_agencies": ["agencies"],
    "panel:case_close": [
        "outcome",
        "step_down_agency",
        "handover_plan",
        "handover_contingency",
        "override_reason",
        "outcome_detail",
        *(f"agreed_on{part}" for part in DATE),
    ],
    "panel:mdt_record": [*(f"held_on{part}" for part in DATE), "invited", "attended", "notes"],
    "panel:lead_disagreement_record": ["decided_agency", "officer", "reason", "meeting"],
    "actions:agree": [
        "description",
        "owner_agency",
        "owner_officer",
        *(f"due_on{part}" for part in DATE),
        "mdt",
        "meeting",
        "risk",
    ],
}
# The decisions only the meeting screen offers: their address names the meeting too.
MEETING_CASE_ENDPOINTS = {
    "panel:case_adopt": [],
    "panel:case_not_adopt": ["reason", "signpost"],
}
# Where a decision's form says it came from: the case page, the meeting screen at any
# position (in range or not), a meeting that does not exist, another page, another site.
RETURN_TO = [
    "/cases/{case}/",
    "/cases/{meeting}/",
    "/cases/meetings/{meeting}/screen/0/",
    "/cases/meetings/{meeting}/screen/1/",
    "/cases/meetings/{meeting}/screen/2/",
    "/cases/meetings/{meeting}/screen/9/",
    "/cases/meetings/999999/screen/1/",
    "/cases/meetings/{meeting}/",
    "/actions/",
    "https://elsewhere.example/cases/{case}/",
    "//elsewhere.example/cases/{case}/",
]


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


def with_return_to(data, form, meeting, case):
    """The form as sent from a page: its `return_to` one of RETURN_TO, anything, or left out."""
    pages = [path.format(case=case.pk, meeting=meeting.pk) for path in RETURN_TO]
    where = data.draw(st.one_of(st.none(), st.sampled_from(pages), VALUE))
    if where is not None:
        form["return_to"] = where
    return form


@pytest.mark.parametrize("endpoint", list(CASE_ENDPOINTS))
@SLOW_OK
@given(data=st.data())
def test_no_input_to_a_case_decision_causes_a_server_error(
    cora_client, a_meeting_with_a_case, endpoint, data
):
    meeting = a_meeting_with_a_case
    case = meeting.items.first().case
    case.refresh_from_db()
    form = payload(data, CASE_ENDPOINTS[endpoint], case.version)
    form = with_return_to(data, form, meeting, case)
    response = cora_client.post(reverse(endpoint, args=[case.pk]), form)
    assert response.status_code in OK


@pytest.mark.parametrize("endpoint", list(MEETING_CASE_ENDPOINTS))
@SLOW_OK
@given(data=st.data())
def test_no_input_to_a_meeting_screen_decision_causes_a_server_error(
    cora_client, a_meeting_with_a_case, endpoint, data
):
    meeting = a_meeting_with_a_case
    case = meeting.items.first().case
    case.refresh_from_db()
    form = payload(data, MEETING_CASE_ENDPOINTS[endpoint], case.version)
    form = with_return_to(data, form, meeting, case)
    response = cora_client.post(reverse(endpoint, args=[meeting.pk, case.pk]), form)
    assert response.status_code in OK


@SLOW_OK
@given(data=st.data(), position=st.integers(0, 4))
def test_no_input_to_a_minute_on_the_meeting_screen_causes_a_server_error(
    cora_client, a_meeting_with_a_case, data, position
):
    meeting = a_meeting_with_a_case
    items = list(meeting.items.all())
    version = items[position - 1].version if 1 <= position <= len(items) else 1
    form = payload(data, ["minute"], version)
    url = reverse("panel:agenda_item_minute", args=[meeting.pk, position])
    response = cora_client.post(url, form)
    # Positions past the agenda (and 0, the opening page) have no minute: not found.
    assert response.status_code in (OK if 1 <= position <= len(items) else (404,))


@SLOW_OK
@given(data=st.data())
def test_no_input_to_the_agenda_builder_causes_a_server_error(
    cora_client, a_meeting_with_a_case, data
):
    meeting = a_meeting_with_a_case
    item_pks = list(meeting.items.values_list("pk", flat=True))
    # One of the meeting's items, or an address of no item (drawn the same way each time: the
    # agenda grows as examples add items).
    which, stranger = data.draw(st.tuples(st.integers(0, 3), st.integers(0, 2**31 - 1)))
    item = item_pks[which] if which < len(item_pks) else stranger
    direction = data.draw(
        st.one_of(st.sampled_from(["up", "down"]), st.from_regex(r"\w{1,8}", fullmatch=True))
    )
    posts = [
        (reverse("panel:agenda_build", args=[meeting.pk]), []),
        (reverse("panel:agenda_move", args=[meeting.pk, item, direction]), []),
        (reverse("panel:agenda_add_item", args=[meeting.pk]), ["title", "notes"]),
        (reverse("panel:agenda_item_notes", args=[meeting.pk, item]), ["item", "notes"]),
        (
            reverse("panel:attendance_record", args=[meeting.pk]),
            ["agency", "attendee", "agreed_to_confidentiality"],
        ),
    ]
    for url, fields in posts:
        response = cora_client.post(url, payload(data, fields, 1))
        assert response.status_code in (*OK, 404), url


@SLOW_OK
@given(data=st.data())
def test_no_input_to_the_year_planner_or_minutes_causes_a_server_error(
    client_for, chidi, cora_client, a_meeting_with_a_case, data
):
    form = payload(data, ["year", "nth", "weekday"], 1)
    assert cora_client.post(reverse("panel:meetings_schedule_year"), form).status_code in OK
    meeting = a_meeting_with_a_case
    form = payload(data, ["item", "minute", "reason"], 1)
    amend = reverse("panel:minutes_amend", args=[meeting.pk])
    assert cora_client.post(amend, form).status_code in (*OK, 404)
    approve = reverse("panel:minutes_approve", args=[meeting.pk])
    assert client_for(chidi).post(approve, payload(data, [], 1)).status_code == 302


@SLOW_OK
@given(data=st.data())
def test_posting_anything_to_a_page_is_refused_as_the_wrong_method(
    cora_client, a_meeting_with_a_case, data
):
    """The pages only show: every change has its own endpoint, so a POST to a page (the old
    way, with an `action` field, or anything else) is 405, never a change or a server error."""
    meeting = a_meeting_with_a_case
    case = meeting.items.first().case
    pages = [
        reverse("panel:cases"),
        reverse("panel:waiting_list"),
        reverse("panel:case", args=[case.pk]),
        reverse("panel:case_closing", args=[case.pk]),
        reverse("panel:meetings"),
        reverse("panel:meeting", args=[meeting.pk]),
        reverse("panel:pack", args=[meeting.pk]),
        reverse("panel:screen", args=[meeting.pk, 1]),
        reverse("panel:minutes", args=[meeting.pk]),
    ]
    form = payload(data, ["action", "anything", "outcome", "title", "minute"], case.version)
    for url in pages:
        assert cora_client.post(url, form).status_code == 405, url
