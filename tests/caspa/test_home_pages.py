"""Each role's home page lists exactly what the data says it has to do, each item a link to
where it is done, with an honest empty state; and "Since you last signed in" shows what
others changed on the user's cases since their previous sign-in, and only on cases they see."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services import agency_appoint_spoc
from actions import services as action_services
from actions.models import Action
from audit.models import RecordRead
from caspa import home
from panel import meetings
from panel import services as panel_services
from panel.chronology import record_event
from panel.models import AgencyReturn, Case, CaseEvent, EventKind, PanelMeeting
from referrals import services as referral_services
from tests.conftest import persona
from tests.factories import PASSWORD, fill_pathway, make_referral


def block(page: str, element_id: str) -> str:
    """The text of the list (or paragraph) with this id."""
    match = re.search(rf'id="{element_id}"(.*?)</(ul|p|div)>', page, re.S)
    assert match, f"no #{element_id} on the page"
    return match.group(1)


def references(page: str, element_id: str) -> list[str]:
    return re.findall(r"\b[ARC]-\d{6}\b", block(page, element_id))


def agree(case, cora, agency, due_in_days, what="Visit"):
    action = action_services.action_agree(
        case=case, by=cora, owner_agency=agency, description=what, due_on=timezone.localdate()
    )
    Action.objects.filter(pk=action.pk).update(
        due_on=timezone.localdate() + timedelta(days=due_in_days)
    )
    return action


def close(cases, days_ago=300):
    """As if the cases had closed long ago (moved out of the area)."""
    closed_at = timezone.now() - timedelta(days=days_ago)
    Case.objects.filter(pk__in=[case.pk for case in cases]).update(
        status="closed",
        closed_at=closed_at,
        closure_agreed_on=closed_at.date(),
        outcome="moved_away",
    )


def seen_before(user, *, hours=1):
    """As if the user had last signed in `hours` ago."""
    User.objects.filter(pk=user.pk).update(
        previous_sign_in_at=timezone.now() - timedelta(hours=hours)
    )
    user.refresh_from_db()


# --- the coordinator ------------------------------------------------------------------------


def test_the_coordinator_sees_the_overdue_and_escalated_actions_and_not_those_on_time(
    client_for, rosa, cora, housing
):
    [(first, _), (second, _)] = fill_pathway(rosa, cora, 2)
    late = agree(first.case, cora, housing, -3)
    later = agree(second.case, cora, housing, -10)
    on_time = agree(first.case, cora, housing, 5)
    escalated = agree(second.case, cora, housing, 2)
    Action.objects.filter(pk=escalated.pk).update(escalation_level=1)
    done = agree(first.case, cora, housing, -20)
    Action.objects.filter(pk=done.pk).update(status="done")

    page = client_for(cora).get(reverse("home")).text
    shown = references(page, "home-chase")
    assert set(shown) == {
        late.reference,
        later.reference,
        escalated.reference,
        *[
            first.case.reference,
            second.case.reference,
        ],
    }
    actions_shown = [ref for ref in shown if ref.startswith("A-")]
    # Escalated first, then the longest overdue.
    assert actions_shown == [escalated.reference, later.reference, late.reference]
    assert on_time.reference not in block(page, "home-chase")
    assert "2 overdue, 1 escalated." in page
    assert f'href="{reverse("actions:detail", args=[late.pk])}"' in page


def test_the_coordinator_is_told_when_no_action_is_overdue(client_for, cora):
    page = client_for(cora).get(reverse("home")).text
    assert "No action is overdue or escalated." in page
    assert "Nothing to screen." in page
    assert "No case is past its review date." in page


def test_referrals_to_screen_put_an_answered_question_first(client_for, rosa, cora):
    waiting = make_referral(rosa, submit=True)
    asked = make_referral(rosa, submit=True, family_name="Other")
    asked = referral_services.referral_ask_for_information(
        referral_id=asked.pk, by=cora, version=asked.version, question="Which GP?"
    )
    referral_services.referral_answer_question(
        referral_id=asked.pk, by=rosa, version=asked.version, answer="Dr Example's surgery."
    )
    make_referral(rosa)  # a draft: not the coordinator's to screen

    page = client_for(cora).get(reverse("home")).text
    assert references(page, "home-screening") == [asked.reference, waiting.reference]
    assert "2 referrals waiting for screening" in page
    first_item = block(page, "home-screening").split("</li>")[0]
    assert "Answered your question" in first_item
    assert "Answered your question" not in block(page, "home-screening").split("</li>")[1]
    assert f'href="{reverse("referrals:screening_detail", args=[asked.pk])}"' in page


def test_the_next_meeting_shows_its_agenda_and_its_returns_in_and_missing(
    client_for, rosa, cora, housing, harriet
):
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    [(first, _), (second, _)] = fill_pathway(rosa, cora, 2)
    PanelMeeting.objects.create(date=timezone.localdate() - timedelta(days=20))
    meeting = PanelMeeting.objects.create(date=timezone.localdate() + timedelta(days=10))
    PanelMeeting.objects.create(date=timezone.localdate() + timedelta(days=40))
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    for case, is_in in ((first.case, True), (second.case, False)):
        AgencyReturn.objects.create(
            meeting=meeting,
            case=case,
            agency=housing,
            requested_on=timezone.localdate(),
            due_on=timezone.localdate() + timedelta(days=5),
            submitted_at=timezone.now() if is_in else None,
            submitted_by=harriet if is_in else None,
        )

    page = client_for(cora).get(reverse("home")).text
    shown = block(page, "home-meeting")
    day = meeting.date
    assert f"Panel meeting of {day.day} {day:%B %Y}" in shown
    assert f'href="{meeting.get_absolute_url()}"' in shown
    assert "2 items on the agenda" in shown
    assert "Agencies' returns: 1 in, 1 missing" in shown


def test_with_no_meeting_ahead_the_coordinator_is_told_to_add_them(client_for, cora):
    PanelMeeting.objects.create(date=timezone.localdate() - timedelta(days=3))
    page = client_for(cora).get(reverse("home")).text
    assert "No panel meeting is scheduled." in block(page, "home-meeting")


def test_cases_past_review_and_the_caseload_against_the_cap(client_for, rosa, cora):
    placements = fill_pathway(rosa, cora, 3)
    late, due, _unset = (referral.case for referral, _ in placements)
    Case.objects.filter(pk=late.pk).update(next_review_on=timezone.localdate() - timedelta(days=1))
    Case.objects.filter(pk=due.pk).update(next_review_on=timezone.localdate())

    page = client_for(cora).get(reverse("home")).text
    assert references(page, "home-review") == [late.reference]
    caseload = block(page, "home-caseload")
    assert "3 of 15 places held" in caseload
    assert "12 free" in caseload
    assert "Nobody is waiting for a place" in page


def test_admin_staff_see_the_coordinators_lists_but_not_a_referrers(client_for, adam, cora):
    page = client_for(adam).get(reverse("home")).text
    for heading in ("Referrals to screen", "Actions overdue or escalated", "The caseload"):
        assert heading in page
    assert "Your referrals" not in page
    assert "The pathway today" not in page


# --- a SPoC ---------------------------------------------------------------------------------


def test_a_spoc_sees_their_agencys_actions_overdue_first_and_returns_due(
    client_for, rosa, cora, housing, police, harriet
):
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    [(first, _), (second, _)] = fill_pathway(rosa, cora, 2)
    soon = agree(first.case, cora, housing, 3)
    late = agree(second.case, cora, housing, -2)
    involved = first.case
    panel_services.case_set_agencies(
        case_id=involved.pk, by=cora, version=involved.version, agencies=[housing, police]
    )
    agree(first.case, cora, police, -5)  # another agency's, on a case Housing is involved in
    meeting = PanelMeeting.objects.create(date=timezone.localdate() + timedelta(days=12))
    due = AgencyReturn.objects.create(
        meeting=meeting,
        case=first.case,
        agency=housing,
        requested_on=timezone.localdate(),
        due_on=timezone.localdate() + timedelta(days=4),
    )

    page = client_for(harriet).get(reverse("home")).text
    assert [r for r in references(page, "home-agency-actions")] == [late.reference, soon.reference]
    assert "2 open, 1 overdue." in page
    assert f'href="{reverse("panel:return", args=[due.pk])}"' in block(page, "home-returns")
    assert first.case.reference in block(page, "home-returns")


def test_a_spoc_with_nothing_to_do_is_told_so(client_for, harriet):
    page = client_for(harriet).get(reverse("home")).text
    assert "Your agency has no open actions." in page
    assert "No returns are due." in page


# --- since the last visit -------------------------------------------------------------------


def test_since_the_last_visit_shows_others_changes_on_the_users_cases_only(
    client_for, rosa, cora, housing, police, harriet, piers
):
    [(ours, _)] = fill_pathway(rosa, cora, 1)
    police_referrer = persona("pat", "Pat", Role.REFERRER, police)
    [(theirs, _)] = fill_pathway(police_referrer, cora, 1)
    old = record_event(
        ours.case, "Said long ago", cora, timezone.now() - timedelta(days=2), kind=EventKind.ACTIONS
    )
    seen_before(harriet, hours=24)
    new = record_event(ours.case, "Lead agency appointed: Housing", cora, kind=EventKind.AGENCIES)
    own = record_event(ours.case, "Harriet's own note", harriet, kind=EventKind.ACTIONS)
    other = record_event(theirs.case, "Police-only news", cora, kind=EventKind.ACTIONS)

    page = client_for(harriet).get(reverse("home")).text
    since = block(page, "home-since")
    assert new.summary in since
    assert old.summary not in since
    assert own.summary not in since  # their own change: they know it
    assert other.summary not in page  # a case Housing is not involved in
    assert theirs.case.reference not in page
    assert f'href="{ours.case.get_absolute_url()}"' in since
    reads = RecordRead.objects.filter(reader=harriet, record_type="panel.case")
    assert list(reads.values_list("record_id", flat=True)) == [ours.case.pk]


def test_since_the_last_visit_groups_by_case_newest_first_and_counts_the_rest(
    client_for, rosa, cora, harriet
):
    [(a, _), (b, _)] = fill_pathway(rosa, cora, 2)
    CaseEvent.objects.update(happened_at=timezone.now() - timedelta(days=1))
    seen_before(harriet, hours=5)
    start = timezone.now() - timedelta(hours=4)
    for n in range(home.CHANGES_SHOWN + 3):
        record_event(a.case, f"Change {n} on A", cora, start + timedelta(minutes=n), kind="actions")
    record_event(b.case, "Newest on B", cora, timezone.now(), kind=EventKind.ACTIONS)

    since = home.since_last_visit(harriet, timezone.now())
    assert [group.case for group in since.cases] == [b.case, a.case]
    assert [e.summary for e in since.cases[0].events] == ["Newest on B"]
    assert since.cases[1].events[0].summary == f"Change {home.CHANGES_SHOWN + 2} on A"
    assert len(since.cases[1].events) == home.CHANGES_SHOWN - 1
    # 23 changes on A since the visit (the referrals' own lines are older than it).
    a_since = CaseEvent.objects.filter(case=a.case, happened_at__gt=harriet.previous_sign_in_at)
    assert since.cases[1].total == a_since.count()
    assert since.cases[1].more == a_since.count() - (home.CHANGES_SHOWN - 1)
    page = client_for(harriet).get(reverse("home")).text
    assert f"and {since.cases[1].more} more on this case" in page


def test_a_first_sign_in_shows_the_last_seven_days_and_says_so(client_for, rosa, cora, harriet):
    [(ours, _)] = fill_pathway(rosa, cora, 1)
    CaseEvent.objects.filter(case=ours.case).update(happened_at=timezone.now() - timedelta(days=9))
    record_event(
        ours.case, "Six days ago", cora, timezone.now() - timedelta(days=6), kind="actions"
    )
    assert harriet.previous_sign_in_at is None
    page = client_for(harriet).get(reverse("home")).text
    assert "This is your first time signing in" in page
    since = block(page, "home-since")
    assert "Six days ago" in since
    assert "Referral" not in since


def test_signing_in_keeps_the_previous_sign_in(client, cora):
    before = timezone.now() - timedelta(days=3)
    User.objects.filter(pk=cora.pk).update(last_login=before)
    client.post(reverse("accounts:sign_in"), {"username": "cora", "password": PASSWORD})
    cora.refresh_from_db()
    assert cora.previous_sign_in_at == before
    assert cora.last_login > before


def test_nothing_changed_says_so(client_for, cora):
    seen_before(cora)
    page = client_for(cora).get(reverse("home")).text
    assert "Nothing has changed on your cases since then." in page


# --- a referrer -----------------------------------------------------------------------------


def test_a_referrer_sees_each_referral_where_it_truly_stands(client_for, rosa, cora):
    draft = make_referral(rosa)
    waiting = make_referral(rosa, submit=True, family_name="Waiting")
    asked = make_referral(rosa, submit=True, family_name="Asked")
    referral_services.referral_ask_for_information(
        referral_id=asked.pk, by=cora, version=asked.version, question="Which GP do they see?"
    )
    [(closed, _)] = fill_pathway(rosa, cora, 1)
    close([closed.case], days_ago=400)

    page = client_for(rosa).get(reverse("home")).text
    assert references(page, "home-questions") == [asked.reference]
    assert "Which GP do they see?" in block(page, "home-questions")
    listed = block(page, "home-referrals")
    assert set(re.findall(r"R-\d{6}", listed)) == {
        draft.reference,
        waiting.reference,
        closed.reference,
    }
    assert listed.index(draft.reference) < listed.index(waiting.reference)
    item = {
        ref: listed.split(ref, 1)[1].split("</li>")[0] for ref in re.findall(r"R-\d{6}", listed)
    }
    assert "Draft" in item[draft.reference]
    assert "Waiting for screening" in item[waiting.reference]
    assert "Case closed" in item[closed.reference]
    assert "Accepted" not in item[closed.reference]


def test_a_referrer_with_no_referrals_is_offered_to_make_one(client_for, rosa):
    page = client_for(rosa).get(reverse("home")).text
    assert "You have not referred anyone yet." in page
    assert f'href="{reverse("referrals:start")}"' in page
    assert "Since you last signed in" not in page  # a referrer sees no case


# --- the chair, managers and panel members --------------------------------------------------


def test_the_chair_sees_minutes_waiting_escalations_and_the_headlines(
    client_for, rosa, cora, chidi, housing
):
    [(first, _)] = fill_pathway(rosa, cora, 1)
    to_chair = agree(first.case, cora, housing, -30)
    Action.objects.filter(pk=to_chair.pk).update(escalation_level=2)
    page = client_for(chidi).get(reverse("home")).text
    assert "No minutes wait for your approval." in page
    assert to_chair.reference in block(page, "home-chair")
    assert "Cases on the pathway: <strong>1 of 15</strong>" in page  # exact for the chair


def _dashboard_headline(page: str, key: str) -> str:
    return re.search(rf'id="headline-{key}">([^<]*)<', page).group(1)


def test_a_managers_home_repeats_the_dashboards_headlines_as_the_dashboard_shows_them(
    client_for, rosa, cora, maya
):
    [(first, _), (second, _)] = fill_pathway(rosa, cora, 2)
    Case.objects.filter(pk=first.case.pk).update(
        next_review_on=timezone.localdate() - timedelta(days=2)
    )
    manager = client_for(maya)
    page = manager.get(reverse("home")).text
    board = manager.get(reverse("dashboard:index")).text
    for label, key in (
        ("Past their review date", "review-past"),
        ("No review date set", "review-not-set"),
        ("Open for 6 months or more", "long-running"),
    ):
        assert f"{label}: <strong>{_dashboard_headline(board, key)}</strong>" in page
    # Small numbers are hidden for a manager, as on the dashboard: never "1".
    assert "Past their review date: <strong>1</strong>" not in page
    assert f'href="{reverse("dashboard:index")}"' in page
    assert first.case.reference not in page


def test_a_panel_member_sees_their_agencys_cases_the_next_meeting_and_its_minutes(
    client_for, rosa, cora, milo
):
    fill_pathway(rosa, cora, 2)
    meeting = PanelMeeting.objects.create(date=timezone.localdate() + timedelta(days=9))
    page = client_for(milo).get(reverse("home")).text
    panel = block(page, "home-panel")
    assert "2 open cases your agency is involved in" in panel
    assert f"{meeting.date.day} {meeting.date:%B %Y}" in panel
    assert "No minutes have been approved yet" in panel


# --- queries --------------------------------------------------------------------------------


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["cora", "harriet"])
def test_the_home_pages_queries_do_not_grow_with_closed_cases_and_finished_actions(
    who, client_for, rosa, cora, harriet, housing
):
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    user = {"cora": cora, "harriet": harriet}[who]

    def add_history(count):
        placements = fill_pathway(rosa, cora, count)
        for referral, _ in placements:
            action = agree(referral.case, cora, housing, -5)
            Action.objects.filter(pk=action.pk).update(status="done")
        close([referral.case for referral, _ in placements])
        seen_before(user, hours=0)

    add_history(1)
    client = client_for(user)
    small = _queries(client)
    add_history(5)
    assert _queries(client) == small
