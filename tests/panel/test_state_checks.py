"""Services check the state they need themselves: the page hiding a form is not a guard.

A closed case takes no more actions, MDT meetings, reviews, agencies or leads; the chair
cannot approve the minutes of a meeting that has not happened or has nothing on it; approving
twice (a double click, two tabs) says so instead of failing.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from actions import services as action_services
from panel import meetings, reviews, services
from panel.models import Case, MinutesStatus, PanelMeeting
from tests.factories import fill_pathway


@pytest.fixture
def closed_case(rosa, cora):
    [(referral, _)] = fill_pathway(rosa, cora, 1)
    case = referral.case
    services.case_close(
        case_id=case.pk,
        by=cora,
        version=case.version,
        outcome="moved_away",
        agreed_on=timezone.localdate(),
    )
    return Case.objects.get(pk=case.pk)


def refused(closed_case) -> str:
    return (
        f"{closed_case.reference} is not on the caseload (closed): the panel records decisions, "
        "actions and MDT meetings only for a case it holds."
    )


CHANGES = {
    "an action": lambda case, by, agency: action_services.action_agree(
        case=case, by=by, owner_agency=agency, description="Visit", due_on=timezone.localdate()
    ),
    "an MDT meeting": lambda case, by, agency: services.mdt_record(
        case_id=case.pk,
        by=by,
        held_on=timezone.localdate(),
        invited=[agency],
        attended=[agency],
        notes="",
    ),
    "a review of the risk assessment": lambda case, by, agency: reviews.assessment_review(
        case_id=case.pk, by=by, version=case.version, level="high"
    ),
    "the agencies": lambda case, by, agency: services.case_set_agencies(
        case_id=case.pk, by=by, version=case.version, agencies=[agency]
    ),
    "a lead agency": lambda case, by, agency: services.case_appoint_lead(
        case_id=case.pk, by=by, version=case.version, agency=agency, officer="", reason="Agreed"
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_closed_case_takes_no_more_changes(closed_case, cora, housing, change):
    events_before = closed_case.events.count()
    with pytest.raises(ValidationError) as error:
        CHANGES[change](closed_case, cora, housing)
    assert error.value.messages == [refused(closed_case)]
    assert closed_case.events.count() == events_before
    assert closed_case.actions.count() == closed_case.mdt_meetings.count() == 0


def test_posting_a_decision_to_a_closed_case_says_why_on_the_page(
    client_for, closed_case, cora, housing
):
    response = client_for(cora).post(
        reverse("panel:assessment_review", args=[closed_case.pk]),
        {"version": closed_case.version, "level": "high"},
    )
    assert response.status_code == 200
    assert refused(closed_case) in response.content.decode().replace("&#x27;", "'")
    closed_case.refresh_from_db()
    assert closed_case.risk_level == "critical"


@pytest.fixture
def future_meeting(db):
    return PanelMeeting.objects.create(date=timezone.localdate() + timedelta(days=14))


def test_the_chair_cannot_approve_the_minutes_of_a_meeting_not_yet_held(
    client_for, chidi, future_meeting, rosa, cora
):
    fill_pathway(rosa, cora, 1)
    meetings.agenda_build(meeting_id=future_meeting.pk, by=cora)
    response = client_for(chidi).post(
        reverse("panel:minutes_approve", args=[future_meeting.pk]), follow=True
    )
    assert response.status_code == 200
    assert "has not been held yet: its minutes can be approved once it has ended." in response.text
    future_meeting.refresh_from_db()
    assert future_meeting.minutes_status == MinutesStatus.DRAFT


def test_the_chair_cannot_approve_minutes_with_no_items(client_for, chidi, db):
    meeting = PanelMeeting.objects.create(date=timezone.localdate() - timedelta(days=1))
    response = client_for(chidi).post(
        reverse("panel:minutes_approve", args=[meeting.pk]), follow=True
    )
    assert "The meeting has no agenda items: there are no minutes to approve." in response.text
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.DRAFT


def test_approving_twice_says_they_are_already_approved(client_for, chidi, rosa, cora, db):
    meeting = PanelMeeting.objects.create(
        date=timezone.localdate() - timedelta(days=1)
    )  # held yesterday
    fill_pathway(rosa, cora, 1)
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    chair = client_for(chidi)
    url = reverse("panel:minutes_approve", args=[meeting.pk])
    chair.post(url)
    second = chair.post(url, follow=True)
    assert second.status_code == 200
    assert "The chair has already approved these minutes." in second.text
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.APPROVED
    assert meeting.minutes_approved_by == chidi


def test_a_case_with_open_actions_does_not_close_until_each_is_finished(rosa, cora, housing):
    [(referral, _)] = fill_pathway(rosa, cora, 1)
    case = referral.case
    action = action_services.action_agree(
        case=case, by=cora, owner_agency=housing, description="Visit", due_on=timezone.localdate()
    )
    with pytest.raises(ValidationError) as refused:
        services.case_close(
            case_id=case.pk,
            by=cora,
            version=case.version,
            outcome="moved_away",
            agreed_on=timezone.localdate(),
        )
    assert f"The case still has 1 open action ({action.reference})" in refused.value.messages[0]
    action_services.action_update(
        action_id=action.pk,
        by=cora,
        version=action.version,
        status="no_longer_needed",
        note="Moved to Bedford",
    )
    services.case_close(
        case_id=case.pk,
        by=cora,
        version=case.version,
        outcome="moved_away",
        agreed_on=timezone.localdate(),
    )
    assert Case.objects.get(pk=case.pk).status == "closed"


def test_the_panels_services_refuse_people_who_do_not_run_it(rosa, cora, harriet, chidi):
    """Called directly, without any page, a service still checks who is asking."""
    from django.core.exceptions import PermissionDenied

    [(referral, _)] = fill_pathway(rosa, cora, 1)
    case = referral.case
    with pytest.raises(PermissionDenied):
        reviews.assessment_review(case_id=case.pk, by=harriet, version=case.version, level="high")
    meeting = PanelMeeting.objects.create(date=timezone.localdate())
    with pytest.raises(PermissionDenied):
        meetings.agenda_build(meeting_id=meeting.pk, by=chidi)
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    with pytest.raises(PermissionDenied):
        meetings.minutes_approve(meeting_id=meeting.pk, by=cora)
    assert Case.objects.get(pk=case.pk).risk_level == "critical"
