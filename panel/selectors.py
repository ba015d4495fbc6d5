"""Reads of the pathway: the cap and how full it is. The one place the cap is read from."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

from panel.models import CapacityOutcome, Case, Pathway, RiskReview
from panel.rules import risk as risk_rules


def pathway() -> Pathway:
    """The one pathway row. A migration creates it; a flushed test database may have lost it."""
    return Pathway.objects.get_or_create(pk=1)[0]


def pathway_cap() -> int:
    return pathway().cap


def caseload_count() -> int:
    """How many adults the pathway holds now: accepted referrals and adopted cases alike."""
    return Case.objects.on_caseload().count()


@dataclass(frozen=True)
class Caseload:
    held: int
    cap: int
    waiting: int

    @property
    def places_left(self) -> int:
        return max(self.cap - self.held, 0)


def caseload() -> Caseload:
    return Caseload(
        held=caseload_count(),
        cap=pathway_cap(),
        waiting=Case.objects.waiting_list().count(),
    )


def last_review_before(case: Case, meeting) -> datetime | None:
    """When the panel last looked at this case before this meeting (None: never): the start
    of that meeting's day, so that what changed since can be shown."""
    earlier = (
        case.agenda_items.filter(meeting__date__lt=meeting.date)
        .order_by("-meeting__date")
        .values_list("meeting__date", flat=True)
        .first()
    )
    if earlier is None:
        return None
    return timezone.make_aware(datetime.combine(earlier, time.min))


def latest_review(case: Case, *, before: date | None = None) -> RiskReview | None:
    """The panel's latest review of the case's assessment (None if it has had none); with
    `before`, the latest one before that day (a meeting compares with the review before it,
    not with one it has just made)."""
    reviews = case.reviews.all()
    if before is not None:
        reviews = reviews.filter(reviewed_on__lt=before)
    return reviews.order_by("-reviewed_on", "-pk").select_related("meeting").first()


def derived_level_of(case: Case) -> str | None:
    """The level the case's current risks give: the highest band; None with no risks."""
    return risk_rules.derived_level(risk.band for risk in case.risks.current())


def closure_facts(case: Case) -> dict:
    """What the closure rule (panel/rules/closure.py) reads from the case, as its keyword
    arguments: the latest reviewed level and the level its current risks give now, who is
    involved, the desired outcomes still to mark, and whether a capacity assessment found the
    person has capacity."""
    review = latest_review(case)
    return {
        "current_level": derived_level_of(case),
        "latest_reviewed_level": review.level if review else None,
        "involved_agency_ids": frozenset(case.involved_agencies.values_list("pk", flat=True)),
        "desired_outcomes_unmarked": case.desired_outcomes.filter(achievement="").count(),
        "capacity_to_decline_recorded": case.capacity_assessments.filter(
            outcome=CapacityOutcome.HAS_CAPACITY
        ).exists(),
    }
