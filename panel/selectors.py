"""Reads of the pathway: the cap and how full it is. The one place the cap is read from."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, Max, Q
from django.utils import timezone

from panel.models import AgendaItem, CapacityOutcome, Case, Pathway, RiskReview
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
    """How full the pathway is: both counts in one query (docs/performance.md)."""
    counts = Case.objects.aggregate(
        held=Count("pk", filter=Q(pk__in=Case.objects.on_caseload().values("pk"))),
        waiting=Count("pk", filter=Q(pk__in=Case.objects.waiting_list().values("pk"))),
    )
    return Caseload(held=counts["held"], cap=pathway_cap(), waiting=counts["waiting"])


def last_review_before(case: Case, meeting) -> datetime | None:
    """When the panel last looked at this case before this meeting (None: never): the start
    of that meeting's day, so that what changed since can be shown."""
    return last_reviews_before([case.pk], meeting)[case.pk]


def last_reviews_before(case_ids, meeting) -> dict[int, datetime | None]:
    """`last_review_before` for each of these cases, in one query."""
    earlier = dict(
        AgendaItem.objects.filter(case_id__in=case_ids, meeting__date__lt=meeting.date)
        .order_by()
        .values("case_id")
        .annotate(last=Max("meeting__date"))
        .values_list("case_id", "last")
    )
    return {
        case_id: timezone.make_aware(datetime.combine(earlier[case_id], time.min))
        if case_id in earlier
        else None
        for case_id in case_ids
    }


def reviews_of(case: Case) -> list[RiskReview]:
    """Every review of the case, oldest first, read once per case object (or loaded for many
    cases at once by `load_reviews`)."""
    if not hasattr(case, "_reviews"):
        case._reviews = list(
            case.reviews.select_related("meeting", "by").order_by("reviewed_on", "pk")
        )
    return case._reviews


def load_reviews(cases: list[Case]) -> None:
    """`reviews_of` for each of these cases, in one query."""
    by_case = {case.pk: [] for case in cases}
    reviews = RiskReview.objects.filter(case__in=by_case).select_related("meeting", "by")
    for review in reviews.order_by("reviewed_on", "pk"):
        by_case[review.case_id].append(review)
    for case in cases:
        case._reviews = by_case[case.pk]


def latest_review(case: Case, *, before: date | None = None) -> RiskReview | None:
    """The panel's latest review of the case's assessment (None if it has had none); with
    `before`, the latest one before that day (a meeting compares with the review before it,
    not with one it has just made)."""
    reviews = [r for r in reviews_of(case) if before is None or r.reviewed_on < before]
    return reviews[-1] if reviews else None


def remember_current_risks(case: Case, risks: list) -> None:
    """What `current_risks` answers, when a page has read them already with more."""
    case._current_risks = [risk for risk in risks if risk.is_current]


def current_risks(case: Case) -> list:
    """The case's current risks, read once per case object: a page asks for them in several
    places (docs/performance.md). A service that changes them locks and reads the case afresh,
    so a case object it is given never holds them stale."""
    if not hasattr(case, "_current_risks"):
        case._current_risks = list(case.risks.current())
    return case._current_risks


def derived_level_of(case: Case) -> str | None:
    """The level the case's current risks give: the highest band; None with no risks."""
    return risk_rules.derived_level(risk.band for risk in current_risks(case))


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
