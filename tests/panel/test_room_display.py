"""The room display of a running panel meeting: who may follow it and when, agreeing to the
confidentiality statement on one's own device, the polled fragment (204 while nothing
changed), the links that work without JavaScript, and every view of a case recorded."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import RecordRead
from panel import meetings
from panel import services as panel_services
from panel.models import Attendance, PanelMeeting
from panel.rules import meeting_room

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(case, cora):
    """Today's meeting with the case as its one item, not started yet."""
    meeting = PanelMeeting.objects.create(date=timezone.localdate())
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    return meeting


def start(meeting, cora, position=0):
    meetings.meeting_start(meeting_id=meeting.pk, by=cora)
    if position:
        meetings.meeting_show_item(meeting_id=meeting.pk, by=cora, position=position)


def present(meeting, cora, user, *, agreed=True, apologies=False):
    return meetings.attendance_record(
        meeting_id=meeting.pk,
        by=cora,
        agency=user.agency,
        attendee=user.get_full_name(),
        agreed_to_confidentiality=agreed,
        apologies=apologies,
        user=user,
    )


def reads(user, case) -> int:
    return RecordRead.objects.filter(reader=user, record_id=case.pk).count()


def room(meeting):
    return reverse("panel:room", args=[meeting.pk])


def shown_digest(html: str) -> str:
    return re.search(r"\?shown=([0-9a-f]{40})", html)[1]


def test_a_panel_member_marked_present_follows_only_while_the_meeting_runs(
    client_for, cora, milo, meeting, case
):
    present(meeting, cora, milo)
    milo_client = client_for(milo)

    before = milo_client.get(room(meeting))
    assert before.status_code == 403
    assert meeting_room.NOT_RUNNING in before.text
    assert case.reference not in before.text

    start(meeting, cora, position=1)
    during = milo_client.get(room(meeting))
    assert during.status_code == 200
    assert case.reference in during.text
    assert str(case.person) in during.text
    assert reads(milo, case) == 1

    meetings.meeting_end(meeting_id=meeting.pk, by=cora)
    after = milo_client.get(room(meeting))
    assert after.status_code == 403
    assert case.reference not in after.text


def test_a_member_not_yet_agreed_is_shown_the_statement_and_agreeing_lets_them_follow(
    client_for, cora, milo, meeting, case
):
    start(meeting, cora, position=1)
    present(meeting, cora, milo, agreed=False)
    milo_client = client_for(milo)

    asked = milo_client.get(room(meeting))
    assert asked.status_code == 200
    assert meeting.confidentiality_statement in asked.text
    assert "I agree" in asked.text
    assert case.reference not in asked.text
    assert reads(milo, case) == 0

    agreed = milo_client.post(reverse("panel:room_agree", args=[meeting.pk]))
    assert agreed.status_code == 302
    assert agreed.url == room(meeting)
    assert Attendance.objects.get(meeting=meeting, user=milo).agreed_to_confidentiality

    following = milo_client.get(room(meeting))
    assert following.status_code == 200
    assert case.reference in following.text
    assert reads(milo, case) == 1


def test_a_spoc_marked_present_follows_the_same_way(client_for, cora, piers, meeting, case):
    """Piers is Police's SPoC: Police is not involved in the case, but while he follows the
    meeting he sees what the room sees."""
    start(meeting, cora, position=1)
    piers_client = client_for(piers)
    assert piers_client.get(room(meeting)).status_code == 403

    present(meeting, cora, piers, agreed=False)
    assert "I agree" in piers_client.get(room(meeting)).text
    piers_client.post(reverse("panel:room_agree", args=[meeting.pk]))
    following = piers_client.get(room(meeting))
    assert following.status_code == 200
    assert case.reference in following.text
    assert reads(piers, case) == 1


def test_those_not_at_the_meeting_are_refused_with_the_reason(
    client_for, cora, milo, harriet, maya, meeting, case
):
    start(meeting, cora, position=1)
    present(meeting, cora, milo, agreed=False, apologies=True)

    for user, reason in (
        (milo, meeting_room.NOT_PRESENT),  # sent apologies
        (harriet, meeting_room.NOT_PRESENT),  # not recorded at all
        (maya, meeting_room.NO_FOLLOWING),  # a manager: aggregates only
    ):
        refused = client_for(user).get(room(meeting))
        assert refused.status_code == 403, user
        assert reason in refused.text
        assert case.reference not in refused.text
        assert (
            client_for(user).get(reverse("panel:room_item", args=[meeting.pk, 1])).status_code
            == 403
        )
        assert client_for(user).get(reverse("panel:room_now", args=[meeting.pk])).status_code == 403
        assert reads(user, case) == 0

    # Someone who sent apologies cannot agree to be let in either.
    agreeing = client_for(milo).post(reverse("panel:room_agree", args=[meeting.pk]))
    assert agreeing.status_code == 403
    assert not Attendance.objects.get(meeting=meeting, user=milo).agreed_to_confidentiality


def test_the_polled_fragment_answers_204_while_the_item_is_unchanged_and_sends_the_new_one(
    client_for, cora, milo, meeting, case
):
    start(meeting, cora)
    present(meeting, cora, milo)
    milo_client = client_for(milo)
    page = milo_client.get(room(meeting))
    assert "Confidentiality" in page.text
    now = reverse("panel:room_now", args=[meeting.pk])

    unchanged = milo_client.get(now, {"shown": shown_digest(page.text)})
    assert unchanged.status_code == 204
    assert unchanged.content == b""

    meetings.meeting_show_item(meeting_id=meeting.pk, by=cora, position=1)
    assert reads(milo, case) == 0
    moved = milo_client.get(now, {"shown": shown_digest(page.text)})
    assert moved.status_code == 200
    assert case.reference in moved.text
    assert f"<title>Item 1 of 1: {case.reference}" in moved.text
    assert 'hx-swap-oob="true"' in moved.text  # the bar's "Item 1 of 1"
    assert reads(milo, case) == 1

    again = milo_client.get(now, {"shown": shown_digest(moved.text)})
    assert again.status_code == 204
    assert reads(milo, case) == 1  # nothing sent, nothing read


def test_the_fragment_reloads_the_page_once_the_member_may_no_longer_follow(
    client, client_for, cora, milo, meeting
):
    start(meeting, cora)
    present(meeting, cora, milo)
    now = reverse("panel:room_now", args=[meeting.pk])
    assert client_for(milo).get(now).status_code == 200

    meetings.meeting_end(meeting_id=meeting.pk, by=cora)
    ended = client_for(milo).get(now)
    assert ended.status_code == 403
    assert ended["HX-Refresh"] == "true"
    signed_out = client.get(now)
    assert signed_out.status_code == 403
    assert signed_out["HX-Refresh"] == "true"


def test_previous_and_next_links_work_without_javascript(client_for, cora, meeting, case):
    meetings.agenda_add_item(meeting_id=meeting.pk, by=cora, title="Any other business")
    start(meeting, cora)
    cora_client = client_for(cora)

    opening = cora_client.get(room(meeting)).text
    assert 'hx-get="' in opening  # the display at the current item follows
    item_1 = reverse("panel:room_item", args=[meeting.pk, 1])
    item_2 = reverse("panel:room_item", args=[meeting.pk, 2])
    assert f'href="{item_1}" rel="next"' in opening
    assert 'rel="prev"' not in opening

    first = cora_client.get(item_1)
    assert first.status_code == 200
    assert case.reference in first.text
    assert f'href="{reverse("panel:room_item", args=[meeting.pk, 0])}" rel="prev"' in first.text
    assert f'href="{item_2}" rel="next"' in first.text
    assert 'hx-get="' not in first.text  # a pinned item does not follow
    assert f'href="{room(meeting)}">Follow the coordinator' in first.text

    second = cora_client.get(item_2)
    assert "Any other business" in second.text
    assert "Item 2 of 2" in second.text
    assert 'rel="next"' not in second.text
    assert cora_client.get(reverse("panel:room_item", args=[meeting.pk, 3])).status_code == 404
    assert reads(cora, case) == 1  # the case's item, not the others


def test_an_item_whose_case_was_not_adopted_since_says_so(client_for, cora, meeting, case):
    panel_services.case_not_adopt(
        case_id=case.pk,
        by=cora,
        version=case.version,
        meeting=meeting,
        reason="Another route fits better",
        signpost="marac",
    )
    start(meeting, cora, position=1)
    shown = client_for(cora).get(room(meeting)).text
    assert "Not adopted on" in shown
    assert "the panel does not hear this case as planned" in shown
    assert 'data-essential="actions"' not in shown


def test_the_home_page_points_a_member_at_the_running_meeting(client_for, cora, milo, meeting):
    banner = "is running: <a"
    present(meeting, cora, milo, agreed=False)
    assert banner not in client_for(milo).get(reverse("home")).text

    start(meeting, cora)
    home = client_for(milo).get(reverse("home")).text
    assert f'{banner} class="govuk-notification-banner__link" href="{room(meeting)}"' in home
    assert banner in client_for(cora).get(reverse("home")).text
    meetings.meeting_end(meeting_id=meeting.pk, by=cora)
    assert banner not in client_for(milo).get(reverse("home")).text
