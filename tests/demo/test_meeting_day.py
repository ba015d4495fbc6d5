"""The demo's panel meets on the day it is seeded, so that the coordinator can run today's
meeting from the control view (a meeting starts only on its own day); the meetings before it
were run the same way, so each decision's chronology line names its meeting. Seeded once a
session (the `demo` fixture, tests/conftest.py); a test that changes the data does so in its
own rolled-back transaction."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import Agency, User
from accounts.roles import Role
from demo.data import DEMO_PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

README = Path(settings.BASE_DIR) / "README.md"


def todays_meeting():
    from panel.models import PanelMeeting

    return PanelMeeting.objects.get(date=timezone.localdate())


def test_todays_meeting_has_its_agenda_and_returns_and_waits_for_the_coordinator_to_start_it():
    from caspa.core.working_days import working_days_before
    from panel.models import AgendaKind, CaseStatus

    meeting = todays_meeting()
    assert meeting.started_at is None
    assert meeting.ended_at is None
    assert not meeting.is_running
    kinds = list(meeting.items.order_by("position").values_list("kind", flat=True))
    assert kinds[:2] == [AgendaKind.NEW, AgendaKind.NEW]  # new referrals first,
    assert kinds[2:] == [AgendaKind.REVIEW] * (len(kinds) - 2)  # then every open case
    assert len(kinds) == 15  # the pathway's cap: it is full
    for item in meeting.items.filter(kind=AgendaKind.NEW).select_related("case"):
        assert item.case.status == CaseStatus.AWAITING_PANEL

    returns = meeting.returns.all()
    assert returns.count() >= 20
    yesterday_at_work = working_days_before(meeting.date, 1)
    assert set(returns.values_list("due_on", flat=True)) == {yesterday_at_work}
    sent = returns.exclude(submitted_at=None)
    assert sent.count() >= returns.count() * 0.6  # most are in,
    assert sent.count() < returns.count()  # and the missing are named on the agenda
    for submitted_at in sent.values_list("submitted_at", flat=True):
        assert timezone.localtime(submitted_at).date() <= yesterday_at_work


def test_todays_attendance_has_every_agency_with_accounts_and_one_member_still_to_agree():
    meeting = todays_meeting()
    rows = list(meeting.attendance.select_related("user", "agency"))
    assert {row.agency for row in rows} == set(Agency.objects.all())
    assert all(row.user is not None and row.user.agency == row.agency for row in rows)
    sorry = [row for row in rows if row.apologies]
    assert 1 <= len(sorry) <= 2
    assert not any(row.agreed_to_confidentiality for row in sorry)
    present = [row for row in rows if not row.apologies]
    not_agreed = [row.user.username for row in present if not row.agreed_to_confidentiality]
    assert not_agreed == ["member.housing"]
    roles = {row.user.role for row in present}
    assert {Role.PANEL_MEMBER, Role.SPOC, Role.CHAIR, Role.COORDINATOR} <= roles


def test_the_walkthrough_works_today_start_then_member_housing_agrees_and_follows():
    from panel import meetings
    from panel.permissions import following

    meeting = todays_meeting()
    coordinator = User.objects.get(username="coordinator")
    member = User.objects.get(username="member.housing")
    assert not following(member, meeting).allowed  # not before it starts
    meetings.meeting_start(meeting_id=meeting.pk, by=coordinator)
    meeting.refresh_from_db()
    assert meeting.is_running
    assert not following(member, meeting).allowed  # not before agreeing
    meetings.attendance_agree(meeting_id=meeting.pk, by=member)
    assert following(member, meeting).allowed
    police = User.objects.get(username="member.police")
    assert following(police, meeting).allowed  # marked present and agreed already


def test_held_meetings_were_started_and_ended_on_their_day_and_moved_through_the_agenda():
    from panel.models import PanelMeeting

    today = timezone.localdate()
    held = PanelMeeting.objects.filter(date__lt=today)
    assert held.count() >= 24
    for meeting in held:
        started, ended = (
            timezone.localtime(meeting.started_at),
            timezone.localtime(meeting.ended_at),
        )
        assert started.date() == ended.date() == meeting.date
        assert started.hour >= 9  # a morning's meeting
        assert ended.hour < 14
        assert (ended - started).total_seconds() >= 60 * 5 * meeting.items.count()
        assert meeting.current_position == meeting.items.count()  # the last item heard
        rows = list(meeting.attendance.select_related("user"))
        assert all(row.user is not None for row in rows)
        assert 1 <= sum(row.apologies for row in rows) <= 2
        assert all(row.agreed_to_confidentiality for row in rows if not row.apologies)


DECISIONS = (
    "Adopted by the panel meeting",
    "Not adopted by the panel meeting",
    "Lead agency appointed",
    "Lead agency changed",
    "Agencies disagreed over the lead",
    "Risk assessment reviewed at the panel meeting",
    "Agencies involved",
    "Closed:",
)


def test_decisions_at_held_meetings_record_the_meeting_that_took_them():
    from panel.models import CaseEvent

    for start in DECISIONS:
        events = CaseEvent.objects.filter(summary__startswith=start).select_related("meeting")
        assert events.exists(), start
        for event in events:
            meeting = event.meeting
            assert meeting is not None, event.summary
            assert meeting.started_at <= event.happened_at <= meeting.ended_at, event.summary
            assert meeting.items.filter(case=event.case_id).exists()


def printed_logins(printed: str) -> set[str]:
    """The usernames seed_demo printed: after each role's label, then "also …" lines."""
    names = set()
    for line in printed.splitlines()[3:]:
        names |= {w for w in line[43:].replace(",", " ").split() if w != "also" and w[0] != "("}
    return names


def test_every_login_the_readme_names_is_printed_and_signs_in(demo):
    printed = demo
    readme = README.read_text()
    logins = set(re.findall(r"`([a-z]+(?:\.[a-z]+)?)`", readme)) & set(
        User.objects.values_list("username", flat=True)
    )
    assert {"coordinator", "chair", "member.housing", "member.police"} <= logins
    for username in logins:
        assert username in printed_logins(printed)
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)
    # A panel member for a few agencies, the walkthrough's among them.
    members = User.objects.filter(role=Role.PANEL_MEMBER)
    assert members.values("agency").distinct().count() >= 3
    assert members.get(username="member.housing").agency.short_name == "Housing"
    section = readme.split("## Running a panel meeting in the demo", 1)[1].split("\n## ", 1)[0]
    for words in ("member.housing", "/cases/meetings/<id>/screen/0/", "/room/", "chair"):
        assert words in section
