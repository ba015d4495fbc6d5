"""The demo data. Seeding plays more than two years of the pathway's story through the real
services and takes most of a minute, so it is seeded once a session (the `demo` fixture,
tests/conftest.py) and each test checks one whole area of it, as a manager or a coordinator
would notice it."""

import calendar
import re
from collections import Counter
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.db.models import F, Min
from django.utils import timezone

from accounts.models import Agency, User
from accounts.roles import Role
from demo.data import AGENCIES, DEMO_PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def months_ago(today: date, months: int) -> date:
    """The same day `months` calendar months earlier (or that month's last day)."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def test_the_demo_has_every_agency_a_working_login_per_role_and_only_fictional_people(demo):
    printed = demo
    assert Agency.objects.count() == len(AGENCIES)
    assert Agency.objects.get(is_host=True).name == "Adult Social Care"
    assert f"password for every account: {DEMO_PASSWORD}" in printed
    for role in Role:
        line = next(line for line in printed.splitlines() if line.strip().startswith(role.label))
        username = line.removeprefix(f"  {role.label}").split()[0]
        user = User.objects.get(username=username)
        assert user.role == role
        assert user.check_password(DEMO_PASSWORD)
    for user in User.objects.all():
        assert user.email.endswith("@example.org")
        assert user.job_title.endswith("(demo)")
    with_spoc = Agency.objects.exclude(spoc=None)
    assert with_spoc.count() >= 2
    for agency in with_spoc:
        assert agency.spoc.agency == agency


def readme_logins() -> dict[str, str]:
    """The README's table of demo logins: each username with the role its row names."""
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    section = readme.split("\n## Demo logins\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")][1:]  # no header
    logins = {}
    for row in rows:
        role, usernames = (cell.strip() for cell in row.strip("|").split("|"))
        for username in re.findall(r"`([^`]+)`", usernames):
            logins[username] = role
    return logins


def printed_logins(printed: str) -> dict[str, tuple[str, str]]:
    """What seed_demo printed: each username with its role and agency."""
    logins = {}
    for label in Role.labels:
        for line in printed.splitlines():
            if line.startswith(f"  {label} "):
                username, agency = line.removeprefix(f"  {label}").split()
                logins[username] = (label, agency.strip("()"))
    return logins


def test_every_seeded_login_is_printed_and_in_the_readme_with_its_role(demo):
    seeded = {user.username: user for user in User.objects.select_related("agency")}
    assert len(seeded) >= 20
    assert {user.role for user in seeded.values()} == set(Role.values)

    printed = printed_logins(demo)
    assert printed == {
        username: (Role(user.role).label, user.agency.short_name)
        for username, user in seeded.items()
    }
    readme = readme_logins()
    assert readme == {username: Role(user.role).label for username, user in seeded.items()}
    # Every agency has a SPoC who can sign in, and the README names each.
    spocs = {username for username, role in readme.items() if role == Role.SPOC.label}
    assert {seeded[username].agency.short_name for username in spocs} == {
        short_name for _name, short_name, _host in AGENCIES
    }


def test_the_demo_has_referrals_in_every_state_and_a_full_pathway_with_history():
    from panel.models import Case, CaseStatus, MinutesStatus, PanelMeeting
    from referrals.choices import Status
    from referrals.models import Person, Referral

    assert set(Referral.objects.values_list("status", flat=True)) == set(Status.values)
    assert Referral.objects.filter(may_be_known=True).exists()
    for nhs_number in Referral.objects.exclude(nhs_number="").values_list("nhs_number", flat=True):
        assert nhs_number.startswith("999")  # the NHS's test range
    for person in Person.objects.all():
        assert person.nhs_number == "" or person.nhs_number.startswith("999")
    assert Case.objects.on_caseload().count() == 15
    assert 1 <= Case.objects.filter(status=CaseStatus.WAITING).count() <= 5
    assert Case.objects.filter(status=CaseStatus.CLOSED).count() >= 3
    assert PanelMeeting.objects.filter(minutes_status=MinutesStatus.APPROVED).exists()
    assert Case.objects.filter(status=CaseStatus.ACTIVE).exclude(lead_agency=None).count() >= 10


def test_two_years_of_referrals_rising_from_many_agencies_and_communities():
    from referrals.choices import Status
    from referrals.models import Referral

    today = timezone.localdate()
    submitted = Referral.objects.exclude(submitted_at=None)
    months = {
        timezone.localtime(at).date().replace(day=1)
        for at in submitted.values_list("submitted_at", flat=True)
    }
    last_24 = {months_ago(today, n).replace(day=1) for n in range(24)}
    assert len(months & last_24) >= 20

    a_year_ago = timezone.now() - timedelta(days=365)
    last_year = submitted.filter(submitted_at__gte=a_year_ago)
    year_before = submitted.filter(
        submitted_at__lt=a_year_ago, submitted_at__gte=a_year_ago - timedelta(days=365)
    )
    assert 12 * 5 <= last_year.count() <= 12 * 9
    assert 12 * 4 <= year_before.count() < last_year.count()  # rising

    decisions = Counter(submitted.values_list("status", flat=True))
    assert (
        decisions[Status.ACCEPTED]
        > decisions[Status.DECLINED]
        > decisions[Status.MORE_INFORMATION]
        > 0
    )
    assert decisions[Status.ACCEPTED] > sum(decisions.values()) / 2  # mostly accepted
    declined = Referral.objects.filter(status=Status.DECLINED)
    assert len(set(declined.values_list("signpost", flat=True))) >= 4

    by_agency = Counter(submitted.values_list("referring_agency__short_name", flat=True))
    assert len(by_agency) >= 6
    assert sum(1 for n in by_agency.values() if n >= 10) >= 5  # not hidden as small numbers

    # Luton-like (2021 Census: 45% White, 37% Asian, 10% Black, 8% Mixed or other).
    ethnicity = Counter(submitted.values_list("ethnicity", flat=True))
    known = sum(n for code, n in ethnicity.items() if code not in ("not_known", "declined"))

    def share(prefixes):
        return 100 * sum(n for c, n in ethnicity.items() if c.startswith(prefixes)) / known

    assert 38 <= share("white") <= 52
    assert 28 <= share("asian") <= 42
    assert 6 <= share("black") <= 14
    assert 4 <= share(("mixed", "other")) <= 14
    asian = Counter({c: n for c, n in ethnicity.items() if c.startswith("asian")})
    assert {c for c, _n in asian.most_common(2)} == {"asian_pakistani", "asian_bangladeshi"}
    assert ethnicity["not_known"] > 0
    assert ethnicity["declined"] > 0
    assert len(set(submitted.values_list("primary_need", flat=True))) >= 10


def test_past_cases_went_through_the_pathway_and_closed_with_an_outcome():
    from actions.models import Action, ActionStatus
    from panel.models import AgendaKind, Case, CaseStatus, MinutesStatus, PanelMeeting

    today = timezone.localdate()
    closed = Case.objects.filter(status=CaseStatus.CLOSED)
    assert closed.count() >= 20
    outcomes = Counter(closed.values_list("outcome", flat=True))
    assert len(outcomes) >= 4
    assert outcomes.most_common(1)[0][0] == "stepped_down"
    assert Case.objects.filter(status=CaseStatus.NOT_ADOPTED).exists()

    with_first_panel = Case.objects.annotate(first_panel=Min("agenda_items__meeting__date"))
    for case in with_first_panel.exclude(status=CaseStatus.WAITING).select_related("referral"):
        if case.first_panel is None:
            assert case.status == CaseStatus.AWAITING_PANEL
            continue
        first_item = case.agenda_items.get(meeting__date=case.first_panel)
        assert first_item.kind == AgendaKind.NEW
        submitted = timezone.localtime(case.referral.submitted_at).date()
        assert 7 <= (case.first_panel - submitted).days <= 42  # 1 to 6 weeks
        assert case.joined_caseload_at.date() <= case.first_panel
        if case.status == CaseStatus.CLOSED:
            months_open = (case.closure_agreed_on - case.first_panel).days / 30.4
            assert 1.8 <= months_open <= 10.5
            assert case.closed_at > case.joined_caseload_at
            assert timezone.localtime(case.closed_at).date() == case.closure_agreed_on

    # One meeting a month, on today's weekday of the month (the first Wednesday, …), so that
    # one is today; every past one had an agenda and minutes.
    held = PanelMeeting.objects.filter(date__lt=today).exclude(items=None).distinct()
    assert held.count() >= 24
    for meeting in PanelMeeting.objects.filter(date__lt=today):
        assert meeting.date.weekday() == today.weekday()
        if today.day <= 28:
            assert (meeting.date.day - 1) // 7 == (today.day - 1) // 7
        else:  # the last of the month
            assert (
                meeting.date.day + 7 > calendar.monthrange(meeting.date.year, meeting.date.month)[1]
            )
        assert meeting.items.exists()
    assert held.exclude(minutes_status=MinutesStatus.APPROVED).count() == 1  # the latest

    past_actions = Action.objects.filter(case__status=CaseStatus.CLOSED)
    statuses = Counter(past_actions.values_list("status", flat=True))
    assert statuses[ActionStatus.DONE] > past_actions.count() / 2
    assert not past_actions.open().exists()
    done_late = past_actions.filter(
        status=ActionStatus.DONE, updates__status="done", updates__written_at__date__gt=F("due_on")
    )
    assert done_late.count() >= 5
    assert not Action.objects.filter(due_on__lt=F("case__waiting_since__date")).exists()
    assert not Action.objects.filter(due_on__lt=F("created_at__date")).exists()


def test_today_six_cases_open_over_six_months_each_with_a_plan_a_lead_and_a_risk_assessment():
    from actions.models import Action
    from panel.models import Case, CaseStatus

    today = timezone.localdate()
    caseload = Case.objects.on_caseload()
    assert caseload.count() == 15
    assert Case.objects.filter(status=CaseStatus.WAITING).count() == 2

    long_running = caseload.filter(joined_caseload_at__date__lte=months_ago(today, 6))
    assert long_running.count() == 6
    with_recent_mdt = 0
    for case in long_running:
        joined = timezone.localtime(case.joined_caseload_at).date()
        assert months_ago(today, 14) <= joined <= months_ago(today, 7)
        assert case.status == CaseStatus.ACTIVE
        assert case.actions.open().exists()
        assert case.lead_agency is not None
        assert case.lead_officer
        assert months_ago(today, 3) <= case.risk_assessed_on <= today
        assert case.involved_agencies.count() >= 2
        assert case.referral.submitted_at < case.joined_caseload_at
        assert case.events.earliest("happened_at").happened_at <= case.joined_caseload_at
        with_recent_mdt += case.mdt_meetings.filter(
            held_on__gte=today - timedelta(weeks=8)
        ).exists()
    assert with_recent_mdt in (4, 5)

    others = caseload.exclude(pk__in=long_running)
    three_to_six = others.filter(joined_caseload_at__date__lte=months_ago(today, 3))
    assert three_to_six.count() >= 2
    assert others.count() - three_to_six.count() >= 2

    # The action log has something to chase: overdue actions, some escalated.
    overdue = Action.objects.overdue(today)
    assert overdue.count() >= 2
    assert overdue.filter(escalation_level__gt=0).exists()


# Dates that are meant to be ahead: meetings planned for the year, and actions' due dates.
# Dates that are ahead by nature: meetings to come, actions' due dates, the next review.
MAY_BE_AHEAD = {
    ("panelmeeting", "date"),
    ("action", "due_on"),
    ("action", "sweep_next_on"),  # when the sweep is to look at it next
    ("notice", "due_on"),  # the action's due date a "due soon" notice gave
    ("case", "next_review_on"),
    ("riskreview", "next_review_on"),
}


def test_nothing_in_the_demo_is_dated_in_the_future():
    from panel.models import PanelMeeting

    now, today = timezone.now(), timezone.localdate()
    checked = 0
    for model in apps.get_models():
        if model._meta.app_label not in ("accounts", "referrals", "panel", "actions", "audit"):
            continue
        name = model._meta.model_name.removeprefix("historical")
        for field in model._meta.concrete_fields:
            if (name, field.name) in MAY_BE_AHEAD:
                continue
            if isinstance(field, models.DateTimeField):
                latest = now
            elif isinstance(field, models.DateField):
                latest = today
            else:
                continue
            checked += 1
            ahead = model._default_manager.filter(**{f"{field.name}__gt": latest})
            assert not ahead.exists(), f"{model.__name__}.{field.name} is in the future"
    assert checked > 30
    # Today's meeting has its agenda; none to come has one yet.
    assert not PanelMeeting.objects.filter(date__gt=today).exclude(items=None).exists()


def test_seeding_twice_changes_nothing():
    from actions.models import Action, ActionUpdate, Notice
    from panel.models import AgendaItem, Case, CaseEvent, MDTMeeting, PanelMeeting
    from referrals.models import Person, Referral

    tables = (Agency, User, Referral, Person, Case, CaseEvent, PanelMeeting, AgendaItem)
    tables += (Action, ActionUpdate, MDTMeeting, Notice, Referral.history.model)
    counts = [m.objects.count() for m in tables]
    call_command("seed_demo", stdout=StringIO())
    assert [m.objects.count() for m in tables] == counts


def test_the_demo_has_four_weeks_of_reads_and_the_admin_staff_reading_unusually_today(client):
    from django.urls import reverse

    manager = User.objects.get(username="manager")
    client.force_login(manager)
    report = client.get(reverse("dashboard:access_report")).text
    for agency in ("Adult Social Care", "Housing"):
        assert f'<th scope="row" class="govuk-table__header">{agency}</th>' in report
    coordinator = User.objects.get(username="coordinator")
    client.force_login(coordinator)
    home = client.get(reverse("home")).text
    assert "1 person opened more records than usual today" in home
    assert "Adam Birchwood (Adult Social Care)" in home
