"""The panel's review of a case's assessment: the level it agrees, why when that differs from
what the risks give, when it next looks again, and the whole assessment kept as it was.

Each panel that discusses a case reviews it (docs/risk-assessment.md). A review is a dated
version: `RiskReview.snapshot` holds the assessment as it stood (`assessment_snapshot`), so a
past review reads as the panel saw it however the records change after, and what has changed
since is a comparison of two snapshots (panel/rules/changes.py).
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from caspa.core.choices import ActionStatus
from caspa.core.locking import lock_at_version, save_as
from caspa.core.references import action_reference
from panel import permissions
from panel.chronology import EventKind, decided_at, record_event
from panel.models import (
    AgendaKind,
    Case,
    PanelMeeting,
    RiskBand,
    RiskReview,
)
from panel.rules import next_review as review_rules
from panel.rules import risk as risk_rules
from panel.selectors import (
    actions_of,
    capacity_of,
    derived_level_of,
    interventions_of,
    load_case_reads,
    outcomes_of,
    risks_of,
)
from panel.services import require_on_caseload

SNAPSHOT_SCHEMA = 1
LEVEL_NEEDED = "Select the level the panel agrees"
NO_RISKS_TO_REVIEW = (
    "This case has no current risks, so there is no assessment to review: record its risks "
    "first, then the panel agrees the level they give."
)
MEETING_NOT_FOR_THIS_CASE = "This case is not on that meeting's agenda."


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _name(agency) -> str:
    return agency.name if agency else ""


def load_for_snapshots(cases: list[Case]) -> None:
    """What `assessment_snapshot` reads, for each of these cases: one query per kind."""
    load_case_reads(cases, "_risks", "_actions", "_outcomes", "_capacity", "_interventions")


def _mitigations(case: Case) -> dict[int, list[dict]]:
    """The actions linked to each risk."""
    by_risk: dict[int, list[dict]] = {}
    for action in (action for action in actions_of(case) if action.risk_id):
        by_risk.setdefault(action.risk_id, []).append(
            {
                "id": action.pk,
                "reference": action_reference(action.pk),
                "description": action.description,
                "due_on": _iso(action.due_on),
                "status": action.status,
                "status_display": ActionStatus(action.status).label,
            }
        )
    return by_risk


def assessment_snapshot(case: Case) -> dict:
    """The whole assessment as it is now, in plain JSON: what a review keeps."""
    mitigations = _mitigations(case)
    risks = [
        {
            "id": risk.pk,
            "description": risk.description,
            "to_whom": list(risk.to_whom),
            "to_whom_display": risk.to_whom_display(),
            "need": risk.need,
            "need_display": risk.get_need_display() if risk.need else "",
            "likelihood": risk.likelihood,
            "severity": risk.severity,
            "score": risk.score,
            "band": risk.band,
            "warning_signs": risk.warning_signs,
            "protective_factors": risk.protective_factors,
            "source_agency": _name(risk.source_agency),
            "monitored_by": _name(risk.monitored_by),
            "monitoring_officer": risk.monitoring_officer,
            "contingency_trigger": risk.contingency_trigger,
            "contingency_response": risk.contingency_response,
            "out_of_hours_contact": risk.out_of_hours_contact,
            "raised_on": _iso(risk.raised_on),
            "retired_on": _iso(risk.retired_on),
            "retired_reason": risk.retired_reason,
            "current": risk.is_current,
            "actions": mitigations.get(risk.pk, []),
        }
        for risk in risks_of(case)
    ]
    return {
        "schema": SNAPSHOT_SCHEMA,
        "persons_views": case.persons_views,
        "risks": risks,
        "desired_outcomes": [
            {
                "id": outcome.pk,
                "outcome": outcome.outcome,
                "achievement": outcome.achievement,
                "achievement_display": outcome.get_achievement_display().lower()
                if outcome.achievement
                else "",
                "achievement_note": outcome.achievement_note,
                "added_on": _iso(outcome.added_on),
            }
            for outcome in outcomes_of(case)
        ],
        "capacity_assessments": [
            {
                "id": capacity.pk,
                "decision": capacity.decision,
                "assessed_by": capacity.assessed_by,
                "assessed_on": _iso(capacity.assessed_on),
                "outcome": capacity.outcome,
                "outcome_display": capacity.get_outcome_display(),
                "notes": capacity.notes,
            }
            for capacity in capacity_of(case)
        ],
        "interventions": [
            {
                "id": intervention.pk,
                "agency": _name(intervention.agency),
                "what": intervention.what,
                "started_on": _iso(intervention.started_on),
                "ended_on": _iso(intervention.ended_on),
                "what_happened": intervention.what_happened,
            }
            for intervention in interventions_of(case)
        ],
    }


def next_meeting_date_after(today: date):
    """The date of the next panel meeting after today (a query of one row, at most)."""
    return PanelMeeting.objects.filter(date__gt=today).order_by("date").values("date")[:1]


def default_next_review(today: date, *, next_meeting_on=...) -> date:
    """The next panel meeting after today, if one is scheduled; else the usual interval.
    `next_meeting_on`: that meeting's date (None: none scheduled), when the page has read it
    already (`next_meeting_date_after`, read with the meeting)."""
    if next_meeting_on is ...:
        dates = next_meeting_date_after(today).values_list("date", flat=True)
    else:
        dates = [next_meeting_on] if next_meeting_on else []
    return review_rules.default_next_review(
        today=today, meeting_dates=dates, every_weeks=settings.PANEL_REVIEW_EVERY_WEEKS
    )


def _in_words(review: RiskReview, meeting) -> str:
    at = f" at the panel meeting of {meeting.date:%-d %B %Y}" if meeting else ""
    level, derived = review.get_level_display(), review.get_derived_level_display()
    said = f"{level.lower()} (its risks give {derived.lower()})"
    if review.level_reason:
        reason = Truncator(" ".join(review.level_reason.split())).chars(300)
        said += f", because: {reason}"
    return f"Risk assessment reviewed{at}: {said}; next review {review.next_review_on:%-d %B %Y}"


@transaction.atomic
def assessment_review(
    *,
    case_id: int,
    by,
    version: int,
    level: str,
    reason: str = "",
    next_review_on=None,
    meeting: PanelMeeting | None = None,
) -> RiskReview:
    """The panel reviews the case's assessment: it agrees the level (another level than the
    risks give only with a reason), sets the next review date, and the assessment as it is
    now is kept with the review."""
    permissions.require_running_the_panel(by)
    case = lock_at_version(Case.objects, pk=case_id, version=version)
    require_on_caseload(case)
    today = timezone.localdate()
    derived = derived_level_of(case)
    if derived is None:
        raise ValidationError({"level": NO_RISKS_TO_REVIEW})
    errors = {}
    if level not in RiskBand.values:
        errors["level"] = LEVEL_NEEDED
    else:
        errors.update(risk_rules.level_problems(derived=derived, recorded=level, reason=reason))
    if next_review_on is None:
        next_review_on = default_next_review(today)
    else:
        problem = review_rules.next_review_problem(next_review_on=next_review_on, today=today)
        if problem:
            errors["next_review_on"] = problem
    if meeting is not None and not meeting.items.filter(case=case).exists():
        errors["meeting"] = MEETING_NOT_FOR_THIS_CASE
    if errors:
        raise ValidationError(errors)

    overridden = level != derived
    review = RiskReview.objects.create(
        case=case,
        meeting=meeting,
        reviewed_on=today,
        level=level,
        derived_level=derived,
        level_reason=reason.strip() if overridden else "",
        next_review_on=next_review_on,
        snapshot=assessment_snapshot(case),
        by=by,
    )
    case.risk_level = level
    case.risk_level_reason = review.level_reason
    case.risk_assessed_on = today
    case.next_review_on = next_review_on
    if meeting is not None and _adopted_at(case, meeting):
        # Adopted earlier at this same meeting: the level at adoption is the one it agreed.
        case.risk_level_at_adoption = level
    save_as(case, by=by)
    record_event(
        case,
        _in_words(review, meeting),
        by,
        meeting=decided_at(case, meeting),
        kind=EventKind.ASSESSMENT,
    )
    return review


def _adopted_at(case: Case, meeting: PanelMeeting) -> bool:
    """The case came to this meeting as a new referral and has been adopted."""
    return (
        case.risk_level_at_adoption != ""
        and meeting.items.filter(case=case, kind=AgendaKind.NEW).exists()
    )
