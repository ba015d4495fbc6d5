"""Reads of actions: an agency's list, overdue first, and what the panel reviews for a case."""

from datetime import datetime, time, timedelta

from django.db.models import Case as SqlCase
from django.db.models import IntegerField, QuerySet, Value, When
from django.utils import timezone

from actions.models import Action, ActionUpdate, Escalation, is_overdue_q
from panel.models import PanelMeeting
from panel.selectors import actions_of


def actions_for_review(case, *, since=None) -> list[Action]:
    """Every open action, stalled first (escalated, then overdue), then those agreed since the
    case's last review and since finished, each with its owner's latest update attached as
    `latest_update`, so the panel can tell 'not done' from 'circumstances changed'.

    Read from the case's actions as the panel's pages hold them (panel.selectors.actions_of:
    once per case object, or for all the agenda's cases at once), with no query of its own
    (docs/performance.md)."""
    today = timezone.localdate()
    actions = actions_of(case)
    for action in actions:
        action.latest_update = _latest_update(action)
    open_ones = sorted(
        (a for a in actions if a.is_open),
        key=lambda a: (-a.escalation_level, not a.is_overdue(today), a.due_on),
    )
    finished_since = [
        a for a in actions if not a.is_open and (since is None or a.created_at >= since)
    ]
    return open_ones + finished_since


def _latest_update(action) -> ActionUpdate | None:
    """The owner's latest update, as actions_of annotates it (its moment, status and note)."""
    if action.last_update is None or action.last_update_status is None:
        return None
    return ActionUpdate(
        action=action,
        written_at=action.last_update,
        status=action.last_update_status,
        note=action.last_update_note or "",
    )


def overdue_first(actions: QuerySet[Action]) -> QuerySet[Action]:
    """Open actions, overdue ones first, then by due date."""
    today = timezone.localdate()
    return (
        actions.open()
        .annotate(
            not_overdue=SqlCase(
                When(is_overdue_q(today), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .select_related("case", "owner_agency")
        .order_by("not_overdue", "due_on", "pk")
    )


def agency_open_actions_on_case(case, agency) -> QuerySet[Action]:
    """What an agency's return on a case reports progress on: its open actions, by due date."""
    return Action.objects.open().filter(case=case, owner_agency=agency).order_by("due_on", "pk")


def agency_actions_overdue_first(agency) -> QuerySet[Action]:
    return overdue_first(Action.objects.owned_by(agency))


def escalated_to_chair() -> QuerySet[Action]:
    return (
        Action.objects.escalated_to_chair()
        .select_related("case", "owner_agency")
        .order_by("due_on", "pk")
    )


def escalated_to_agency(user) -> QuerySet[Action]:
    """Other agencies' actions escalated to the user's agency (as the case's lead), which its
    SPoC is told about and must be able to find."""
    if not user.agency_id:
        return Action.objects.none()
    return (
        Action.objects.escalated_to(user.agency_id)
        .exclude(owner_agency=user.agency_id)
        .select_related("case", "owner_agency")
        .order_by("-escalation_level", "due_on", "pk")
    )


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def escalations_resolved_for_minutes(case_ids, meeting) -> list[Escalation]:
    """The escalations of the cases' actions resolved after the previous panel meeting's day
    and by the end of this meeting's: what this meeting's minutes record about them."""
    previous = (
        PanelMeeting.objects.filter(date__lt=meeting.date)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    resolved = Escalation.objects.resolved().filter(
        action__case__in=list(case_ids),
        resolved_at__lt=_start_of(meeting.date + timedelta(days=1)),
    )
    if previous is not None:
        resolved = resolved.filter(resolved_at__gte=_start_of(previous + timedelta(days=1)))
    return list(
        resolved.select_related("action", "resolved_by", "raised_by").order_by("resolved_at")
    )


def action_log(filters: dict) -> QuerySet[Action]:
    """The coordinator's log, as its filters (ActionLogFilterForm's cleaned data) ask: by
    default the open actions, soonest due first."""
    actions = Action.objects.select_related("case", "owner_agency")
    if filters.get("agency"):
        actions = actions.owned_by(filters["agency"])
    if filters.get("case"):
        actions = actions.filter(case_id=filters["case"])
    status = filters.get("status", "")
    if status == "":
        actions = actions.open()
    elif status != "all":
        actions = actions.filter(status=status)
    if filters.get("overdue"):
        actions = actions.overdue(timezone.localdate())
    order = LOG_SORTS.get(filters.get("sort") or "due", "due_on")
    return actions.order_by(order, "pk")


LOG_SORTS = {
    "due": "due_on",
    "-due": "-due_on",
    "agency": "owner_agency__name",
    "case": "case_id",
    "escalation": "-escalation_level",
}
