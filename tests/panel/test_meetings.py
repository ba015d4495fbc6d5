"""Meetings: the year's dates, the agenda, attendance and decisions on the meeting screen."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from panel import meetings, services
from panel.models import AgendaKind, CaseStatus, MinutesStatus, PanelMeeting
from tests.factories import fill_pathway


@pytest.fixture
def meeting(db):
    return PanelMeeting.objects.create(date=date(2026, 12, 8))


def test_the_coordinator_plans_a_years_meetings(client_for, cora):
    client = client_for(cora)
    url = reverse("panel:meetings_schedule_year")
    response = client.post(url, {"year": "2027", "nth": "2", "weekday": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("panel:meetings")
    dates = list(PanelMeeting.objects.values_list("date", flat=True))
    assert len(dates) == 12
    assert dates[0] == date(2027, 1, 12)
    client.post(url, {"year": "2027", "nth": "2", "weekday": "1"})
    assert PanelMeeting.objects.count() == 12  # planning again adds nothing


def test_a_bad_year_is_explained(client_for, cora):
    response = client_for(cora).post(reverse("panel:meetings_schedule_year"), {"year": "20x7"})
    assert response.status_code == 200
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
    response = client.post(reverse("panel:agenda_build", args=[meeting.pk]), follow=True)
    assert "Added 2 new referrals to the agenda." in response.text
    first, second = meeting.items.all()
    client.post(reverse("panel:agenda_move", args=[meeting.pk, first.pk, "down"]))
    assert list(meeting.items.all()) == [second, first]
    client.post(reverse("panel:agenda_move", args=[meeting.pk, first.pk, "up"]))
    assert list(meeting.items.all()) == [first, second]
    add = reverse("panel:agenda_add_item", args=[meeting.pk])
    client.post(add, {"title": "Annual report to the SAB"})
    assert meeting.items.last().title == "Annual report to the SAB"
    response = client.post(add, {"title": ""})
    assert response.status_code == 200
    assert "Enter what the item is about" in response.text
    assert meeting.items.count() == 3


def test_attendance_records_who_is_present_and_whether_they_agreed(
    client_for, cora, meeting, housing
):
    url = reverse("panel:attendance_record", args=[meeting.pk])
    response = client_for(cora).post(url, {"agency": housing.pk, "attendee": "Harriet Lomax, SPoC"})
    assert "Select whether they are present or sent apologies" in response.text
    assert not meeting.attendance.exists()
    client_for(cora).post(
        url,
        {
            "agency": housing.pk,
            "attendee": "Harriet Lomax, SPoC",
            "presence": "present",
            "agreed_to_confidentiality": "on",
        },
    )
    attendance = meeting.attendance.get()
    assert attendance.agreed_to_confidentiality
    assert not attendance.apologies


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
        "Risk level the panel agrees",
        "Agencies involved",
        "What is to be done",
        "Minute of this item",
    ):
        assert form_label in page
    # The only item: back to the opening, nothing after it.
    assert 'data-control-move="previous"' in page
    assert 'data-control-move="next"' not in page
    screen = screen_url(meeting, 1)
    response = client.post(
        reverse("panel:case_adopt", args=[meeting.pk, case.pk]),
        {"version": case.version, "return_to": screen},
    )
    assert (response.status_code, response["Location"]) == (302, screen + "#decision-adopt")
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE
    response = client.post(
        reverse("panel:case_appoint_lead", args=[case.pk]),
        {
            "version": case.version,
            "agency": housing.pk,
            "officer": "H. Lomax",
            "reason": "Holds the tenancy",
            "return_to": screen,
        },
    )
    assert (response.status_code, response["Location"]) == (302, screen + "#decision-lead")
    response = client.post(
        reverse("panel:agenda_item_minute", args=[meeting.pk, 1]),
        {"version": 1, "minute": "Adopted; Housing to lead."},
    )
    assert (response.status_code, response["Location"]) == (302, screen + "#decision-minute")
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
    url = reverse("panel:case_not_adopt", args=[meeting.pk, case.pk])
    screen = screen_url(meeting, 1)
    response = client.post(url, {"version": case.version, "reason": "", "return_to": screen})
    assert response.status_code == 200
    assert "Say why the panel did not adopt the case" in response.text
    assert "Select the better route for the case" in response.text
    assert "Item 1 of" in response.text  # shown again on the meeting screen
    assert services.caseload_count() == 15
    response = client.post(
        url,
        {
            "version": case.version,
            "reason": "Domestic abuse is the risk",
            "signpost": "marac",
            "return_to": screen,
        },
        follow=True,
    )
    assert response.redirect_chain == [(screen + "#decision-adopt", 302)]
    assert "A place came free" in response.text
    case.refresh_from_db()
    assert case.status == CaseStatus.NOT_ADOPTED
    assert services.caseload_count() == 15


def test_agencies_added_on_the_screen_can_see_the_case_and_those_removed_cannot(
    client_for, rosa, cora, meeting, police, piers, harriet
):
    [(referral, _)] = fill_pathway(rosa, cora, 1)
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    case = referral.case
    response = client_for(cora).post(
        reverse("panel:case_set_agencies", args=[case.pk]),
        {"version": case.version, "agencies": [police.pk], "return_to": screen_url(meeting, 1)},
    )
    assert (response.status_code, response["Location"]) == (
        302,
        screen_url(meeting, 1) + "#decision-agencies",
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
    response = client_for(chidi).post(reverse("panel:agenda_build", args=[meeting.pk]))
    assert response.status_code == 403
    assert not meeting.items.exists()


def test_the_chair_approves_the_minutes_and_then_they_change_only_by_amendment(
    client_for, rosa, cora, chidi
):
    # Minutes are approved after the meeting has sat.
    meeting = PanelMeeting.objects.create(date=timezone.localdate() - timedelta(days=1))
    fill_pathway(rosa, cora, 1)
    [item] = meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    meetings.agenda_item_record(item_id=item.pk, by=cora, version=item.version, minute="Adopted.")
    url = reverse("panel:minutes", args=[meeting.pk])
    approve = reverse("panel:minutes_approve", args=[meeting.pk])
    amend = reverse("panel:minutes_amend", args=[meeting.pk])
    assert client_for(cora).post(approve).status_code == 403
    meeting.refresh_from_db()
    assert meeting.minutes_status != MinutesStatus.APPROVED
    response = client_for(chidi).post(approve, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "The minutes are approved." in response.text
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.APPROVED
    assert meeting.minutes_approved_by == chidi
    response = client_for(chidi).post(approve, follow=True)
    assert "The chair has already approved these minutes." in response.text
    response = client_for(cora).post(
        amend, {"item": item.pk, "minute": "Adopted; Housing leads.", "reason": ""}
    )
    assert response.status_code == 200
    assert "Say why the approved minute is being amended" in response.text
    client_for(cora).post(
        amend,
        {
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
    reference = f'<span class="caspa-ref">{referral.case.reference}</span>'
    assert f"1. New referral: {referral.case.person} ({reference})" in page
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
    again, _ = services.referral_accept_onto_pathway(
        referral_id=again.pk, by=cora, version=again.version
    )
    assert again.case.previous_case == old
    assert f"Reopens closed case {old.reference}" in [e.summary for e in again.case.events.all()]


def test_two_people_minuting_the_same_item_the_second_is_told_and_keeps_their_text(
    client_for, rosa, cora, adam, meeting
):
    fill_pathway(rosa, cora, 1)
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    url = reverse("panel:agenda_item_minute", args=[meeting.pk, 1])
    client_for(cora).post(url, {"version": 1, "minute": "Cora's minute"})
    response = client_for(adam).post(url, {"version": 1, "minute": "Adam's minute"})
    assert response.status_code == 409
    assert "Cora&#x27;s minute" in response.text  # what is saved now
    assert "Adam&#x27;s minute" in response.text  # what Adam typed, still in the box
    assert meeting.items.get().minute == "Cora's minute"


def test_the_coordinator_adds_notes_to_an_agenda_item(client_for, rosa, cora, meeting):
    fill_pathway(rosa, cora, 1)
    [item] = meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    # What the agenda page's notes form sends (templates/panel/meeting_detail.html).
    response = client_for(cora).post(
        reverse("panel:agenda_item_notes", args=[meeting.pk, item.pk]),
        {"version": item.version, "notes": "GP has been invited for this item"},
        follow=True,
    )
    assert "The notes were not saved" not in response.text
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


def test_every_box_on_the_meeting_screen_has_an_id_of_its_own(client_for, cora, rosa, meeting):
    """Labels and the error summary's links must reach the right box among the screen's forms."""
    import re
    from collections import Counter

    fill_pathway(rosa, cora, 1)
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    page = client_for(cora).get(reverse("panel:screen", args=[meeting.pk, 1])).text
    ids = Counter(re.findall(r'\bid="([^"]+)"', page))
    assert [name for name, times in ids.items() if times > 1] == []
    assert 'id="id_lead_reason"' in page
    assert 'id="id_not_adopt_reason"' in page
