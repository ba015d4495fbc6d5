"""Reads for the panel's reviews: a case's reviews and its band over time, what has changed
since the last review (the inputs of panel/rules/changes.py), and the cases past their
review date."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from caspa.core.choices import OPEN_ACTION_STATUSES, ActionStatus
from caspa.core.references import action_reference
from panel import trend_svg
from panel.models import Case, PanelMeeting, RiskBand, RiskReview
from panel.reviews import assessment_snapshot, load_for_snapshots
from panel.rules import changes as change_rules
from panel.rules import risk as risk_rules
from panel.selectors import (
    actions_of,
    latest_review,
    load_returns,
    load_reviews,
    returns_of,
    reviews_of,
)


def cases_past_review(today: date) -> QuerySet[Case]:
    """The caseload's cases past their next review date, the longest overdue first."""
    return (
        Case.objects.past_review(today)
        .select_related("person", "lead_agency")
        .order_by("next_review_on", "pk")
    )


def _local_day(moment) -> date | None:
    return timezone.localdate(moment) if moment else None


def action_facts(case: Case) -> list[change_rules.ActionFacts]:
    """The case's actions with the day of their latest update (an owner's update, or an
    escalation resolved: reassigned or given a new date)."""
    return [
        change_rules.ActionFacts(
            reference=action_reference(action.pk),
            description=action.description,
            owner=action.owner_agency.short_name,
            is_open=action.status in OPEN_ACTION_STATUSES,
            due_on=action.due_on,
            agreed_on=_local_day(action.created_at),
            last_update_on=_local_day(
                max(filter(None, (action.last_update, action.last_resolved)), default=None)
            ),
            status_display=ActionStatus(action.status).label,
        )
        for action in actions_of(case)
    ]


def return_facts(case: Case, meeting: PanelMeeting | None) -> list[change_rules.ReturnFacts]:
    if meeting is None:
        return []
    returns = returns_of(case, meeting)
    return [
        change_rules.ReturnFacts(agency=r.agency.name, is_in=r.is_in, due_on=r.due_on)
        for r in returns
    ]


def meetings_from(today: date) -> QuerySet[PanelMeeting]:
    """The panel meetings from today on, the next first."""
    return PanelMeeting.objects.filter(date__gte=today).order_by("date", "pk")


def next_meeting(today: date) -> PanelMeeting | None:
    return meetings_from(today).first()


def load_for_changes(cases: list[Case], meeting: PanelMeeting) -> None:
    """What `changes_since_last_review(case, meeting=meeting)` reads, for each of these cases:
    a fixed number of queries however many cases there are (docs/performance.md)."""
    load_reviews(cases)
    if any("_returns_at" not in case.__dict__ for case in cases):
        load_returns(cases, meeting)
    load_for_snapshots([case for case in cases if latest_review(case, before=meeting.date)])


@dataclass
class SinceReview:
    """What has changed since the last review; `review` None: the case has had none."""

    review: RiskReview | None
    groups: list[change_rules.Group] = field(default_factory=list)
    returns_for: PanelMeeting | None = None


def changes_since_last_review(
    case: Case, *, today: date | None = None, meeting: PanelMeeting | None = None
) -> SinceReview:
    """For the case page (the returns for the next meeting), or for a meeting (the review
    before it, and that meeting's returns)."""
    today = today or timezone.localdate()
    review = latest_review(case, before=meeting.date if meeting else None)
    returns_for = meeting or next_meeting(today)
    returns = return_facts(case, returns_for)
    if review is None:
        # Nothing to compare with yet: only the returns for the coming meeting.
        groups = change_rules.changes_since_review(
            before={}, now={}, returns=returns, reviewed_on=today, today=today
        )
        return SinceReview(None, groups, returns_for)
    groups = change_rules.changes_since_review(
        before=review.snapshot,
        now=assessment_snapshot(case),
        actions=action_facts(case),
        returns=returns,
        reviewed_on=review.reviewed_on,
        today=today,
    )
    return SinceReview(review, groups, returns_for)


@dataclass(frozen=True)
class History:
    reviews: list[RiskReview]
    trend: str | None
    chart: str


def review_history(case: Case) -> History:
    """Every review, oldest first, with the trend of the last two and the step chart."""
    reviews = reviews_of(case)
    points = [
        trend_svg.Point(when=r.reviewed_on, level=r.level, label=RiskBand(r.level).label)
        for r in reviews
    ]
    return History(
        reviews=reviews,
        trend=risk_rules.trend(r.level for r in reviews),
        chart=trend_svg.step_chart(points, title=f"{case.reference}: risk level at each review"),
    )


def _dated(row: dict) -> dict:
    """A snapshot's row with its ISO dates (keys ending `_on`) as dates, for the template."""
    return {
        key: date.fromisoformat(value) if key.endswith("_on") and value else value
        for key, value in row.items()
    }


def snapshot_for_reading(snapshot: dict) -> dict:
    """A review's snapshot as the page reads it: current risks first, then those retired."""
    risks = [
        {**_dated(risk), "actions": [_dated(a) for a in risk.get("actions", ())]}
        for risk in snapshot.get("risks", ())
    ]
    return {
        "persons_views": snapshot.get("persons_views", ""),
        "current_risks": [r for r in risks if r["current"]],
        "retired_risks": [r for r in risks if not r["current"]],
        "desired_outcomes": [_dated(o) for o in snapshot.get("desired_outcomes", ())],
        "capacity_assessments": [_dated(c) for c in snapshot.get("capacity_assessments", ())],
        "interventions": [_dated(i) for i in snapshot.get("interventions", ())],
    }
