"""What each user's home page lists: the things they have to do, most urgent first, each a link
to the page where it is done, and what changed on their cases since they last signed in.

Every item comes from the rule of the app it belongs to (docs/home-pages.md names each one):
this module only asks the apps' selectors and doors and cuts each list to what a home page
holds, counting the rest ("See all 14"). Its queries do not grow with the number of closed
cases or finished actions: each list is one bounded query that counts the whole list as it
reads its first rows (a window count, `COUNT(*) OVER ()`; docs/performance.md).
"""

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Case as SqlCase
from django.db.models import Count, F, Q, Value, When, Window
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from actions import permissions as action_permissions
from actions import selectors as action_selectors
from actions.models import Action, is_escalated_q, is_overdue_q
from audit import selectors as audit_selectors
from audit.models import How
from audit.services import record_reads
from caspa import retention
from dashboard import permissions as dashboard_permissions
from dashboard import presentation as dashboard_presentation
from dashboard import rules as dashboard_rules
from panel import minutes as panel_minutes
from panel import permissions as panel_permissions
from panel import returns as panel_returns
from panel import review_selectors, room_selectors
from panel import selectors as panel_selectors
from panel.models import ON_CASELOAD, AgendaItem, CaseEvent, MinutesStatus, PanelMeeting
from referrals import permissions as referral_permissions
from referrals import selectors as referral_selectors
from referrals.choices import Status
from referrals.models import Referral

# What one section of a home page lists; the rest are counted and linked.
SHOWN = 10
# The chronology lines "Since you last signed in" shows, newest first.
CHANGES_SHOWN = 20
# On a first sign-in there is no last visit: the changes of the last week stand in for it.
FIRST_VISIT_DAYS = 7


@dataclass
class HomeList:
    """One list of the home page: `rows` is what it shows, `total` how many there are."""

    rows: list
    total: int

    @property
    def more(self) -> int:
        return max(self.total - len(self.rows), 0)


def _counted(queryset, **among: Q):
    """The queryset with, on each row, how many rows the whole of it holds (`_total`) and,
    for each condition of `among`, how many of them meet it: counted by the same query that
    reads the rows, before any slice (window counts over the whole result)."""
    return queryset.annotate(
        _total=Window(Count("pk")),
        **{f"_{name}": Window(Count("pk", filter=q)) for name, q in among.items()},
    )


def _count_of(rows: list, name: str = "total") -> int:
    return getattr(rows[0], f"_{name}") if rows else 0


def _bounded(queryset, limit: int = SHOWN) -> HomeList:
    rows = list(_counted(queryset)[:limit])
    return HomeList(rows, _count_of(rows))


# --- the coordinator and admin staff -----------------------------------------------------------


def referrals_to_screen() -> HomeList:
    """The screening queue (Referral.objects.screening_queue), the referrals whose referrer
    has answered a question first (sent back: `resubmitted_at`), then oldest first."""
    queue = Referral.objects.screening_queue().select_related("referring_agency")
    answered_first = queue.annotate(
        not_answered=SqlCase(When(resubmitted_at__isnull=False, then=Value(0)), default=Value(1))
    ).order_by("not_answered", *queue.query.order_by)
    return _bounded(answered_first)


@dataclass
class ActionsToChase:
    """Open actions overdue or escalated (Action.objects.overdue, .escalated): escalated to the
    chair first, then to the lead agency, then overdue, the longest overdue first."""

    rows: list
    total: int
    overdue: int
    escalated: int

    @property
    def more(self) -> int:
        return max(self.total - len(self.rows), 0)


def actions_to_chase(today: date) -> ActionsToChase:
    overdue = Action.objects.overdue(today)
    escalated = Action.objects.escalated()
    stalled = (overdue | escalated).select_related("case", "owner_agency")
    # Every overdue or escalated action is among the stalled ones: counted with them.
    rows = list(
        _counted(
            stalled.order_by("-escalation_level", "due_on", "pk"),
            overdue=is_overdue_q(today),
            escalated=is_escalated_q(),
        )[:SHOWN]
    )
    return ActionsToChase(
        rows, _count_of(rows), _count_of(rows, "overdue"), _count_of(rows, "escalated")
    )


@dataclass
class NextMeeting:
    """The next panel meeting (today's included), its agenda and its agencies' returns."""

    meeting: PanelMeeting
    items: int
    returns_in: int
    returns_missing: int


def next_meeting(today: date) -> NextMeeting | None:
    # The next meeting's agenda, read with the meeting; a meeting with no agenda yet is read
    # on its own, and has no returns to count.
    next_one = review_selectors.meetings_from(today).values("pk")[:1]
    items = list(AgendaItem.objects.select_related("meeting").filter(meeting=next_one))
    meeting = items[0].meeting if items else review_selectors.next_meeting(today)
    if meeting is None:
        return None
    if items:
        # The meeting page's own count of returns in and missing (panel.returns.compile_returns).
        panel_returns.attach_returns(items, meeting)
    case_items = [item for item in items if item.case_id]
    return NextMeeting(
        meeting=meeting,
        items=len(items),
        returns_in=sum(len(item.returns.received) for item in case_items),
        returns_missing=sum(len(item.returns.missing) for item in case_items),
    )


def cases_past_review(today: date) -> HomeList:
    return _bounded(review_selectors.cases_past_review(today))


def unusual_reading(today: date) -> list:
    """The users who opened more records today than usual (audit.rules.is_unusual, with the
    settings' days, factor and minimum; docs/read-audit.md)."""
    return audit_selectors.unusual_readers(
        today,
        days=settings.AUDIT_USUAL_READS_DAYS,
        factor=settings.AUDIT_UNUSUAL_READS_FACTOR,
        minimum=settings.AUDIT_UNUSUAL_READS_MINIMUM,
    )


# --- the chair and managers ---------------------------------------------------------------------


def dashboard_headlines(user, today: date) -> dashboard_presentation.Dashboard:
    """The dashboard's headline figures as the dashboard shows them to this user: exact for
    the chair, small numbers hidden for managers (dashboard.presentation, dashboard.rules)."""
    return dashboard_presentation.build_today(
        dashboard_rules.last_twelve_months(today),
        exact=dashboard_permissions.sees_exact_figures(user),
        today=today,
    )


# --- a SPoC and panel members ------------------------------------------------------------------


def agency_actions(user, today: date) -> ActionsToChase:
    """The agency's open actions, overdue first: the same list as their actions page."""
    # The list is of the open ones, so its overdue and escalated are counted with it.
    actions = action_selectors.overdue_first(action_permissions.updatable_actions(user))
    rows = list(_counted(actions, overdue=is_overdue_q(today), escalated=is_escalated_q())[:5])
    return ActionsToChase(
        rows, _count_of(rows), _count_of(rows, "overdue"), _count_of(rows, "escalated")
    )


def latest_agency_minutes() -> PanelMeeting | None:
    """The latest meeting whose minutes the chair has approved: what a panel member or SPoC
    reads their agency's cut of (panel.permissions.minutes_for_reading)."""
    return (
        PanelMeeting.objects.filter(minutes_status=MinutesStatus.APPROVED).order_by("-date").first()
    )


def agency_open_cases(user) -> int:
    return panel_permissions.visible_cases(user).filter(status__in=ON_CASELOAD).count()


# --- a referrer -----------------------------------------------------------------------------------


def own_referrals(user, *, leave_out=()) -> HomeList:
    """The referrals the user made, with their case (for where each stands,
    panel.rules.referral_standing): drafts first, then the newest."""
    made = Referral.objects.filter(created_by=user).exclude(pk__in=[r.pk for r in leave_out])
    ordered = made.select_related("case").annotate(
        is_draft=SqlCase(When(status=Status.DRAFT, then=Value(1)), default=Value(0))
    )
    rows = list(_counted(ordered.order_by("-is_draft", "-created_at", "-pk"))[:SHOWN])
    return HomeList(rows, _count_of(rows) + len(leave_out))


# --- since the last visit -------------------------------------------------------------------------


@dataclass
class CaseChanges:
    case: object
    events: list = field(default_factory=list)
    total: int = 0  # every change on the case since then, shown or not

    @property
    def more(self) -> int:
        return max(self.total - len(self.events), 0)


@dataclass
class SinceLastVisit:
    since: datetime
    first_visit: bool
    cases: list[CaseChanges]
    total: int

    @property
    def more_elsewhere(self) -> int:
        """Changes on cases not shown at all."""
        return max(self.total - sum(c.total for c in self.cases), 0)


def since_last_visit(user, now: datetime) -> SinceLastVisit:
    """The chronology lines (CaseEvent) written since the user's previous sign-in on the cases
    they may see (panel.permissions.visible_cases), except their own: the newest
    CHANGES_SHOWN, grouped by case, the case changed most recently first. Showing them is a
    read of each case shown, recorded as one."""
    first_visit = user.previous_sign_in_at is None
    since = now - timedelta(days=FIRST_VISIT_DAYS) if first_visit else user.previous_sign_in_at
    changes = CaseEvent.objects.filter(
        case__in=panel_permissions.visible_cases(user), happened_at__gt=since
    ).exclude(by=user)
    # Each line with how many changes there are in all and on its case: the same query.
    latest = list(
        _counted(changes)
        .annotate(_on_case=Window(Count("pk"), partition_by=[F("case_id")]))
        .select_related("case", "case__person", "by", "by__agency")
        .order_by("-happened_at", "-pk")[:CHANGES_SHOWN]
    )
    by_case: OrderedDict[int, CaseChanges] = OrderedDict()
    for event in latest:
        group = by_case.setdefault(event.case_id, CaseChanges(event.case, total=event._on_case))
        group.events.append(event)
    return SinceLastVisit(since, first_visit, list(by_case.values()), _count_of(latest))


# --- the page -----------------------------------------------------------------------------------


def home_context(user) -> dict:
    """Everything the home page shows this user, each part only for those whose role does it."""
    today = timezone.localdate()
    context = {
        "today": today,
        "can_screen": referral_permissions.can_screen(user),
        "can_make_referrals": referral_permissions.can_make_referrals(user),
        # A running panel meeting the user may follow on the room display, or could once they
        # agree to its confidentiality statement there.
        "meetings_to_follow": room_selectors.meetings_to_follow(user),
    }
    if context["can_screen"]:
        context["to_screen"] = referrals_to_screen()
    if action_permissions.keeps_the_log(user):
        context["to_chase"] = actions_to_chase(today)
    if panel_permissions.can_run_panel(user):
        context["next_meeting"] = next_meeting(today)
        context["past_review"] = cases_past_review(today)
        context["caseload"] = panel_selectors.caseload()
    if dashboard_permissions.sees_unusual_reading(user):
        context["unusual_reading"] = unusual_reading(today)
    if referral_permissions.can_answer_persons_rights(user):
        context["past_retention"] = retention.people_past_retention().count()
        context["retention_years"] = retention.retention_years()
    if panel_permissions.can_chair(user):
        context["minutes_waiting"] = panel_minutes.waiting_for_approval(today)
    if action_permissions.receives_chair_escalations(user):
        context["escalated_to_chair"] = _bounded(action_selectors.escalated_to_chair())
    if action_permissions.updates_agency_actions(user):
        context["agency_actions"] = agency_actions(user, today)
        context["escalated_to_us"] = _bounded(action_selectors.escalated_to_agency(user), 5)
    if panel_permissions.submits_returns(user):
        context["returns_due"] = panel_returns.returns_due(user, today=today)
        context["returns_missed"] = panel_returns.returns_missed_today(user, today=today)
    if context["can_make_referrals"]:
        questions = referral_selectors.questions_for_referrer(user)
        context["questions"] = questions
        context["own_referrals"] = own_referrals(user, leave_out=questions)
        context["referrals_of_agency"] = referral_permissions.referrals_for_listing(user).agency
        context["is_referrer"] = user.role == Role.REFERRER
    if panel_permissions.receives_agency_minutes(user):
        context["agency_minutes"] = latest_agency_minutes()
        context["agency_open_cases"] = agency_open_cases(user)
        context["upcoming_meeting"] = review_selectors.next_meeting(today)
    if dashboard_permissions.can_view_dashboard(user) and not panel_permissions.can_run_panel(user):
        context["board"] = dashboard_headlines(user, today)
        context["dashboard_url"] = reverse("dashboard:index")
    if panel_permissions.can_see_cases(user):
        context["since"] = since_last_visit(user, timezone.now())
    # Every record the page lists is read, in one statement (docs/read-audit.md).
    record_reads(reader=user, records=shown_records(context), how=How.LIST)
    return context


def shown_records(context: dict) -> list:
    """The referrals, cases and actions the home page lists."""
    records = []
    for name in (
        "to_screen",
        "to_chase",
        "past_review",
        "escalated_to_chair",
        "agency_actions",
        "escalated_to_us",
        "own_referrals",
    ):
        if name in context:
            records += context[name].rows
    records += context.get("questions", [])
    if "since" in context:
        records += [group.case for group in context["since"].cases]
    return records
