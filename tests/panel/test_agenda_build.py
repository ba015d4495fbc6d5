"""Building the agenda again: new referrals come first, the coordinator's order within each
group stands, what was added is said in words, and a case that left the panel since the agenda
was built is shown as not for discussion (docs/meeting-room.md, "Building the agenda")."""

from datetime import date

import pytest
from django.urls import reverse

from panel import meetings, services
from panel.models import AgendaKind, Outcome, PanelMeeting
from tests.factories import fill_pathway


@pytest.fixture
def meeting(db):
    return PanelMeeting.objects.create(date=date(2026, 12, 8))


def agenda(meeting):
    """(position, kind, case or title) of each item, in order."""
    return [
        (item.position, item.kind, item.case or item.title)
        for item in meeting.items.select_related("case")
    ]


def adopt(case, cora, meeting):
    case.refresh_from_db()
    services.case_adopt(case_id=case.pk, by=cora, version=case.version, meeting=meeting)


def build(client, meeting):
    return client.post(reverse("panel:agenda_build", args=[meeting.pk]), follow=True)


def test_building_again_puts_a_new_referral_before_every_review_keeping_the_coordinators_order(
    client_for, rosa, cora, meeting
):
    [first, second, third] = [referral.case for referral, _ in fill_pathway(rosa, cora, 3)]
    earlier = PanelMeeting.objects.create(date=date(2026, 11, 10))
    for case in (first, second, third):
        adopt(case, cora, earlier)
    client = client_for(cora)
    response = build(client, meeting)
    assert "Added 3 case reviews to the agenda." in response.text
    meetings.agenda_add_item(meeting_id=meeting.pk, by=cora, title="Annual report")
    # The coordinator puts the third review first.
    third_item = meeting.items.get(case=third)
    for _ in range(2):
        meetings.agenda_move(item_id=third_item.pk, by=cora, up=True)
    assert agenda(meeting) == [
        (1, AgendaKind.REVIEW, third),
        (2, AgendaKind.REVIEW, first),
        (3, AgendaKind.REVIEW, second),
        (4, AgendaKind.OTHER, "Annual report"),
    ]

    [(referral, _)] = fill_pathway(rosa, cora, 1)
    new = referral.case
    response = build(client, meeting)

    assert "Added 1 new referral to the agenda." in response.text
    assert agenda(meeting) == [
        (1, AgendaKind.NEW, new),
        (2, AgendaKind.REVIEW, third),
        (3, AgendaKind.REVIEW, first),
        (4, AgendaKind.REVIEW, second),
        (5, AgendaKind.OTHER, "Annual report"),
    ]
    page = client.get(meeting.get_absolute_url()).text
    assert page.index(new.reference) < page.index(third.reference) < page.index(first.reference)


def test_new_referrals_already_on_the_agenda_stay_first_in_their_order_and_reviews_follow(
    client_for, rosa, cora, meeting
):
    [old_new, other_new] = [referral.case for referral, _ in fill_pathway(rosa, cora, 2)]
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    meetings.agenda_move(item_id=meeting.items.get(case=other_new).pk, by=cora, up=True)
    meetings.agenda_add_item(meeting_id=meeting.pk, by=cora, title="Any other business")
    # Since then: two new referrals, and a case adopted elsewhere that now needs its review.
    [review, newest] = [referral.case for referral, _ in fill_pathway(rosa, cora, 2)]
    adopt(review, cora, PanelMeeting.objects.create(date=date(2026, 11, 10)))

    response = build(client_for(cora), meeting)

    assert "Added 1 new referral and 1 case review to the agenda." in response.text
    assert agenda(meeting) == [
        (1, AgendaKind.NEW, other_new),
        (2, AgendaKind.NEW, old_new),
        (3, AgendaKind.NEW, newest),
        (4, AgendaKind.REVIEW, review),
        (5, AgendaKind.OTHER, "Any other business"),
    ]


def test_building_again_with_nothing_new_adds_nothing_and_leaves_the_order_alone(
    client_for, rosa, cora, meeting
):
    fill_pathway(rosa, cora, 2)
    client = client_for(cora)
    assert "Added 2 new referrals to the agenda." in build(client, meeting).text
    first, second = meeting.items.all()
    meetings.agenda_move(item_id=first.pk, by=cora, up=False)
    before = agenda(meeting)

    response = build(client, meeting)

    assert "Nothing to add: every case for this meeting is already on the agenda." in response.text
    assert agenda(meeting) == before
    assert meeting.items.count() == 2


def test_the_room_stays_on_the_item_it_was_showing_when_a_referral_is_added_before_it(
    rosa, cora, meeting
):
    [case] = [referral.case for referral, _ in fill_pathway(rosa, cora, 1)]
    adopt(case, cora, PanelMeeting.objects.create(date=date(2026, 11, 10)))
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    PanelMeeting.objects.filter(pk=meeting.pk).update(current_position=1)
    fill_pathway(rosa, cora, 1)

    meetings.agenda_build(meeting_id=meeting.pk, by=cora)

    meeting.refresh_from_db()
    assert meeting.items.get(position=meeting.current_position).case == case


def test_a_case_closed_since_the_agenda_was_built_is_shown_as_not_for_discussion(
    client_for, rosa, cora, meeting
):
    [closing, staying] = [referral.case for referral, _ in fill_pathway(rosa, cora, 2)]
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    closing.refresh_from_db()
    services.case_close(
        case_id=closing.pk,
        by=cora,
        version=closing.version,
        outcome=Outcome.MOVED_AWAY,
        agreed_on=date(2026, 11, 3),
    )
    closing.refresh_from_db()
    closed_on = f"{closing.closed_at:%-d %B %Y}"

    page = client_for(cora).get(meeting.get_absolute_url()).text
    assert f"Closed on {closed_on}" in page
    assert "Not for discussion" in page
    # Building again neither drops it nor adds it twice.
    response = build(client_for(cora), meeting)
    assert "Nothing to add" in response.text
    assert meeting.items.filter(case=closing).count() == 1
    assert page.count("Not for discussion") == 1  # only the closed case, not the one staying
    assert staying.reference in page
