"""Meetings: the year's dates, the agenda, attendance and decisions on the meeting screen."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from panel import meetings, services
from panel.models import AgendaKind, CaseStatus, MinutesStatus, PanelMeeting
from tests.factories import fill_pathway


@pytest.fixture
def meeting(db):
    return PanelMeeting.objects.create(date=date(2026, 12, 8))


def test_the_coordinator_plans_a_years_meetings(client_for, cora):
    client = client_for(cora)
    client.post(reverse("panel:meetings"), {"year": "2027", "nth": "2", "weekday": "1"})
    dates = list(PanelMeeting.objects.values_list("date", flat=True))
    assert len(dates) == 12
    assert dates[0] == date(2027, 1, 12)
    client.post(reverse("panel:meetings"), {"year": "2027", "nth": "2", "weekday": "1"})
    assert PanelMeeting.objects.count() == 12  # planning again adds nothing


def test_a_bad_year_is_explained(client_for, cora):
    response = client_for(cora).post(reverse("panel:meetings"), {"year": "20x7"})
    assert "Enter the year as 4 numbers" in response.text
    assert "Select which week" in response.text


def test_the_agenda_lists_new_referrals_first_then_every_open_case(rosa, cora, meeting):
    results = fill_pathway(rosa, cora, 3)
    first = results[0][0].case
    services.case_adopt(case_id=first.pk, by=cora, version=first.version, meeting=meeting)
    items = meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    assert [(i.kind, i.case) for i in items] == [
        (AgendaKind.NEW, results[1][0].case),
        (AgendaKind.NEW, results[2][0].case),
        (AgendaKind.REVIEW, first),
    ]
    assert meetings.agenda_build(meeting_id=meeting.pk, by=cora) == []


def test_the_coordinator_reorders_and_adds_items(client_for, rosa, cora, meeting):
    fill_pathway(rosa, cora, 2)
    client = client_for(cora)
    url = meeting.get_absolute_url()
    client.post(url, {"action": "build"})
    first, second = meeting.items.all()
    client.post(url, {"action": "down", "item": first.pk})
    assert list(meeting.items.all()) == [second, first]
    client.post(url, {"action": "add", "title": "Annual report to the SAB"})
    assert meeting.items.last().title == "Annual report to the SAB"
    response = client.post(url, {"action": "add", "title": ""})
    assert "Enter what the item is about" in response.text


def test_attendance_needs_agreement_to_confidentiality(client_for, cora, meeting, housing):
    url = meeting.get_absolute_url()
    response = client_for(cora).post(
        url, {"action": "attend", "agency": housing.pk, "attendee": "Harriet Lomax, SPoC"}
    )
    assert "must agree to the confidentiality statement" in response.text
    client_for(cora).post(
        url,
        {
            "action": "attend",
            "agency": housing.pk,
            "attendee": "Harriet Lomax, SPoC",
            "agreed_to_confidentiality": "on",
        },
    )
    assert meeting.attendance.get().agreed_to_confidentiality


def screen_url(meeting, position):
    return reverse("panel:screen", args=[meeting.pk, position])


def test_the_meeting_screen_opens_with_the_confidentiality_statement(client_for, cora, meeting):
    page = client_for(cora).get(screen_url(meeting, 0)).text
    assert "Everything discussed at this meeting is confidential" in page


def test_the_panel_adopts_a_case_and_appoints_its_lead_on_the_screen(
    client_for, rosa, cora, meeting, housing
):
    [(referral, _)] = fill_pathway(rosa, cora, 1)
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    client = client_for(cora)
    case = referral.case
    page = client.get(screen_url(meeting, 1)).text
    assert "Adopt the case" in page
    for form_label in (
        "Lead agency",
        "Risk level now",
        "Agencies involved",
        "What is to be done",
        "Minute of this item",
    ):
        assert form_label in page
    assert 'rel="prev"' in page
    assert 'rel="next"' not in page
    client.post(screen_url(meeting, 1), {"action": "adopt", "version": case.version})
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE
    client.post(
        screen_url(meeting, 1),
        {
            "action": "lead",
            "version": case.version,
            "agency": housing.pk,
            "officer": "H. Lomax",
            "reason": "Holds the tenancy",
        },
    )
    client.post(
        screen_url(meeting, 1),
        {"action": "minute", "version": 1, "minute": "Adopted; Housing to lead."},
    )
    case.refresh_from_db()
    assert case.lead_agency == housing
    assert meeting.items.get().minute == "Adopted; Housing to lead."
    assert "Adopted by the panel meeting of 8 December 2026" in [
        e.summary for e in case.events.all()
    ]


def test_not_adopting_on_the_screen_needs_a_reason_and_frees_the_place(
    client_for, rosa, cora, meeting
):
    results = fill_pathway(rosa, cora, 16)
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    case = results[0][0].case
    client = client_for(cora)
    response = client.post(
        screen_url(meeting, 1), {"action": "not_adopt", "version": case.version, "reason": ""}
    )
    assert "Say why the panel did not adopt the case" in response.text
    assert "Select the better route for the case" in response.text
    response = client.post(
        screen_url(meeting, 1),
        {
            "action": "not_adopt",
            "version": case.version,
            "reason": "Domestic abuse is the risk",
            "signpost": "marac",
        },
        follow=True,
    )
    assert "A place came free" in response.text
    assert services.caseload_count() == 15


def test_agencies_added_on_the_screen_can_see_the_case_and_those_removed_cannot(
    client_for, rosa, cora, meeting, police, piers, harriet
):
    [(referral, _)] = fill_pathway(rosa, cora, 1)
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    case = referral.case
    client_for(cora).post(
        screen_url(meeting, 1),
        {"action": "agencies", "version": case.version, "agencies": [police.pk]},
    )
    assert client_for(piers).get(case.get_absolute_url()).status_code == 200
    assert client_for(harriet).get(case.get_absolute_url()).status_code == 404


def test_approved_minutes_cannot_be_edited(rosa, cora, meeting):
    [(referral, _)] = fill_pathway(rosa, cora, 1)
    [item] = meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    PanelMeeting.objects.filter(pk=meeting.pk).update(
        minutes_status=MinutesStatus.APPROVED,
        minutes_approved_by=cora,
        minutes_approved_at="2026-12-09T10:00Z",
    )
    with pytest.raises(ValidationError):
        meetings.agenda_item_record(
            item_id=item.pk, by=cora, version=item.version, minute="Changed"
        )


def test_only_the_coordinator_chair_and_admin_follow_meetings(
    client_for, harriet, maya, chidi, meeting
):
    assert client_for(harriet).get(meeting.get_absolute_url()).status_code == 403
    assert client_for(maya).get(reverse("panel:meetings")).status_code == 403
    assert client_for(chidi).get(meeting.get_absolute_url()).status_code == 200
    response = client_for(chidi).post(meeting.get_absolute_url(), {"action": "build"})
    assert response.status_code == 403


def test_the_chair_approves_the_minutes_and_then_they_change_only_by_amendment(
    client_for, rosa, cora, chidi, meeting
):
    fill_pathway(rosa, cora, 1)
    [item] = meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    meetings.agenda_item_record(item_id=item.pk, by=cora, version=item.version, minute="Adopted.")
    url = reverse("panel:minutes", args=[meeting.pk])
    assert client_for(cora).post(url, {"action": "approve"}).status_code == 403
    client_for(chidi).post(url, {"action": "approve"})
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.APPROVED
    assert meeting.minutes_approved_by == chidi
    response = client_for(cora).post(
        url, {"action": "amend", "item": item.pk, "minute": "Adopted; Housing leads.", "reason": ""}
    )
    assert "Say why the approved minute is being amended" in response.text
    client_for(cora).post(
        url,
        {
            "action": "amend",
            "item": item.pk,
            "minute": "Adopted; Housing leads.",
            "reason": "Lead omitted",
        },
    )
    page = client_for(chidi).get(url).text
    assert "Adopted; Housing leads." in page
    assert "Lead omitted. It read: “Adopted.”" in page


def test_the_agenda_pack_has_every_item_with_its_actions(client_for, rosa, cora, meeting, housing):
    from datetime import timedelta

    from django.utils import timezone

    from actions.services import action_agree

    [(referral, _)] = fill_pathway(rosa, cora, 1)
    action_agree(
        case=referral.case,
        by=cora,
        owner_agency=housing,
        description="Repair heating",
        due_on=timezone.localdate() + timedelta(days=7),
    )
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    page = client_for(cora).get(reverse("panel:pack", args=[meeting.pk])).text
    assert f"1. New referral: {referral.case.person} ({referral.case.reference})" in page
    assert "Repair heating" in page
    assert "OFFICIAL-SENSITIVE" in page


def test_a_new_referral_for_someone_whose_case_closed_reopens_it_linked(rosa, cora):
    from panel.models import Outcome
    from referrals import services as referral_services
    from tests.factories import make_referral

    [(referral, _)] = fill_pathway(rosa, cora, 1)
    old = referral.case
    services.case_close(
        case_id=old.pk,
        by=cora,
        version=old.version,
        outcome=Outcome.MOVED_AWAY,
        agreed_on=date(2026, 11, 1),
    )
    again = make_referral(
        rosa,
        submit=True,
        nhs_number="",
        family_name=referral.family_name,
        date_of_birth=referral.date_of_birth,
    )
    again = referral_services.referral_link_person(
        referral_id=again.pk, by=cora, version=again.version, person_id=old.person_id
    )
    again, _ = referral_services.referral_accept(
        referral_id=again.pk, by=cora, version=again.version
    )
    assert again.case.previous_case == old
    assert f"Reopens closed case {old.reference}" in [e.summary for e in again.case.events.all()]


def test_two_people_minuting_the_same_item_the_second_is_told_and_keeps_their_text(
    client_for, rosa, cora, adam, meeting
):
    fill_pathway(rosa, cora, 1)
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    url = screen_url(meeting, 1)
    client_for(cora).post(url, {"action": "minute", "version": 1, "minute": "Cora's minute"})
    response = client_for(adam).post(
        url, {"action": "minute", "version": 1, "minute": "Adam's minute"}
    )
    assert response.status_code == 409
    assert "Cora&#x27;s minute" in response.text  # what is saved now
    assert "Adam&#x27;s minute" in response.text  # what Adam typed, still in the box
    assert meeting.items.get().minute == "Cora's minute"


def test_the_coordinator_adds_notes_to_an_agenda_item(client_for, rosa, cora, meeting):
    fill_pathway(rosa, cora, 1)
    [item] = meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    client_for(cora).post(
        meeting.get_absolute_url(),
        {
            "action": "notes",
            "item": item.pk,
            "version": item.version,
            "notes": "GP has been invited for this item",
        },
    )
    item.refresh_from_db()
    assert item.notes == "GP has been invited for this item"


def test_the_screen_shows_stalled_actions_first_with_the_owners_latest_update(
    client_for, rosa, cora, harriet, meeting, housing
):
    from datetime import timedelta

    from django.utils import timezone

    from actions.models import Action
    from actions.services import action_agree, action_update

    [(referral, _)] = fill_pathway(rosa, cora, 1)
    case = referral.case
    due = timezone.localdate() + timedelta(days=5)
    action_agree(case=case, by=cora, owner_agency=housing, description="Book a review", due_on=due)
    stalled = action_agree(
        case=case, by=cora, owner_agency=housing, description="Fix heating", due_on=due
    )
    Action.objects.filter(pk=stalled.pk).update(due_on=timezone.localdate() - timedelta(days=3))
    changed = action_agree(
        case=case, by=cora, owner_agency=housing, description="Day centre", due_on=due
    )
    action_update(
        action_id=changed.pk,
        by=harriet,
        version=changed.version,
        status="no_longer_needed",
        note="Moved to supported housing with day care",
    )
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    for url in (screen_url(meeting, 1), reverse("panel:pack", args=[meeting.pk])):
        page = client_for(cora).get(url).text
        assert page.index("Fix heating") < page.index("Book a review") < page.index("Day centre")
        assert "Moved to supported housing with day care" in page
