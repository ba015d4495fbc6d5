"""A meeting runs from when the coordinator starts it to when they end it; while it runs, the
members marked present follow it, and the decisions taken on its cases are its decisions
(docs/meeting-room.md)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from panel import meetings, permissions, services
from panel.models import CaseEvent, ItemDraft, PanelMeeting
from panel.rules import meeting_room
from tests.factories import fill_pathway


@pytest.fixture
def meeting(cora, rosa):
    fill_pathway(rosa, cora, 2)
    meeting = PanelMeeting.objects.create(date=timezone.localdate())
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    return meeting


def test_a_meeting_starts_only_on_its_day_and_once(cora, meeting):
    tomorrow = PanelMeeting.objects.create(date=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ValidationError, match="only on its day"):
        meetings.meeting_start(meeting_id=tomorrow.pk, by=cora)
    meetings.meeting_start(meeting_id=meeting.pk, by=cora)
    assert PanelMeeting.objects.get(pk=meeting.pk).is_running
    with pytest.raises(ValidationError, match="already started"):
        meetings.meeting_start(meeting_id=meeting.pk, by=cora)
    meetings.meeting_end(meeting_id=meeting.pk, by=cora)
    ended = PanelMeeting.objects.get(pk=meeting.pk)
    assert not ended.is_running
    assert ended.ended_at is not None
    with pytest.raises(ValidationError, match="has ended"):
        meetings.meeting_end(meeting_id=meeting.pk, by=cora)


def test_only_the_coordinator_starts_ends_and_moves_the_room(milo, chidi, meeting):
    for user in (milo, chidi):
        for change in (meetings.meeting_start, meetings.meeting_end):
            with pytest.raises(PermissionDenied):
                change(meeting_id=meeting.pk, by=user)
        with pytest.raises(PermissionDenied):
            meetings.meeting_show_item(meeting_id=meeting.pk, by=user, position=1)


def test_the_room_moves_only_to_an_item_on_the_agenda(cora, meeting):
    meetings.meeting_show_item(meeting_id=meeting.pk, by=cora, position=2)
    assert PanelMeeting.objects.get(pk=meeting.pk).current_position == 2
    with pytest.raises(ValidationError, match="no item 3"):
        meetings.meeting_show_item(meeting_id=meeting.pk, by=cora, position=3)


def test_a_member_follows_only_while_it_runs_present_and_agreed(cora, milo, housing, meeting):
    def allowed():
        return permissions.following(milo, PanelMeeting.objects.get(pk=meeting.pk))

    assert allowed().problem == meeting_room.NOT_RUNNING
    meetings.meeting_start(meeting_id=meeting.pk, by=cora)
    assert allowed().problem == meeting_room.NOT_PRESENT
    meetings.attendance_record(
        meeting_id=meeting.pk,
        by=cora,
        agency=housing,
        attendee="Milo",
        agreed_to_confidentiality=False,
        user=milo,
    )
    assert allowed().problem == meeting_room.NOT_AGREED
    meetings.attendance_agree(meeting_id=meeting.pk, by=milo)
    assert allowed().allowed
    meetings.meeting_end(meeting_id=meeting.pk, by=cora)
    assert allowed().problem == meeting_room.NOT_RUNNING


def test_someone_who_sent_apologies_does_not_follow(cora, milo, housing, meeting):
    meetings.meeting_start(meeting_id=meeting.pk, by=cora)
    meetings.attendance_record(
        meeting_id=meeting.pk,
        by=cora,
        agency=housing,
        attendee="Milo",
        agreed_to_confidentiality=False,
        apologies=True,
        user=milo,
    )
    running = PanelMeeting.objects.get(pk=meeting.pk)
    assert permissions.following(milo, running).problem == meeting_room.NOT_PRESENT
    with pytest.raises(ValidationError, match="not marked present"):
        meetings.attendance_agree(meeting_id=meeting.pk, by=milo)


def test_attendance_refuses_an_account_of_another_agency(cora, piers, housing, meeting):
    with pytest.raises(ValidationError) as refused:
        meetings.attendance_record(
            meeting_id=meeting.pk,
            by=cora,
            agency=housing,
            attendee="Piers",
            agreed_to_confidentiality=True,
            user=piers,
        )
    assert "works for Bedfordshire Police, not Housing" in refused.value.message_dict["user"][0]


def test_a_decision_taken_while_the_meeting_runs_is_minuted_as_its_own(cora, housing, meeting):
    item = meeting.items.order_by("position").first()
    case = item.case
    meetings.meeting_start(meeting_id=meeting.pk, by=cora)
    services.case_adopt(case_id=case.pk, by=cora, version=case.version, meeting=meeting)
    case.refresh_from_db()
    services.case_appoint_lead(
        case_id=case.pk,
        by=cora,
        version=case.version,
        agency=housing,
        officer="Harriet Lomax",
        reason="Holds the tenancy",
    )
    meetings.meeting_end(meeting_id=meeting.pk, by=cora)
    case.refresh_from_db()
    services.case_appoint_lead(
        case_id=case.pk,
        by=cora,
        version=case.version,
        agency=housing,
        officer="Harriet Lomax",
        reason="Still holds the tenancy",
    )
    minuted = list(CaseEvent.objects.filter(meeting=meeting).values_list("summary", flat=True))
    assert minuted[0].startswith("Adopted by the panel meeting")
    assert "Holds the tenancy" in minuted[1]
    assert not any("Still holds" in line for line in minuted)


def test_a_draft_is_kept_per_user_and_box_and_an_empty_box_removes_it(cora, adam, meeting):
    item = meeting.items.first()
    meetings.item_draft_keep(item_id=item.pk, by=cora, field="minute-minute", text="Agreed to")
    meetings.item_draft_keep(item_id=item.pk, by=cora, field="minute-minute", text="Agreed to a")
    meetings.item_draft_keep(item_id=item.pk, by=adam, field="minute-minute", text="Mine")
    assert ItemDraft.objects.get(item=item, user=cora).text == "Agreed to a"
    meetings.item_draft_keep(item_id=item.pk, by=cora, field="minute-minute", text="  ")
    assert list(ItemDraft.objects.values_list("user__username", flat=True)) == ["adam"]


@given(
    sees_every_case=st.booleans(),
    follows_meetings=st.booleans(),
    running=st.booleans(),
    present=st.booleans(),
    agreed=st.booleans(),
)
def test_only_a_present_agreed_member_of_a_running_meeting_or_the_panels_staff_follow(
    sees_every_case, follows_meetings, running, present, agreed
):
    decision = meeting_room.may_follow(
        sees_every_case=sees_every_case,
        follows_meetings=follows_meetings,
        running=running,
        present=present,
        agreed=agreed,
    )
    assert decision.allowed == (
        sees_every_case or (follows_meetings and running and present and agreed)
    )
    assert decision.allowed == (decision.problem == "")


def test_the_agenda_builders_count_is_in_plain_english():
    assert meeting_room.added_in_words(new=1, reviews=0) == "Added 1 new referral to the agenda."
    assert (
        meeting_room.added_in_words(new=2, reviews=1)
        == "Added 2 new referrals and 1 case review to the agenda."
    )
    assert meeting_room.added_in_words(new=0, reviews=0).startswith("Nothing to add")
