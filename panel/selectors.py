"""Reads of the pathway: the cap and how full it is. The one place the cap is read from."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import (
    DateField,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Subquery,
    prefetch_related_objects,
)
from django.utils import timezone

from panel.models import (
    AgencyReturn,
    AgendaItem,
    CapacityAssessment,
    CapacityOutcome,
    Case,
    DesiredOutcome,
    Intervention,
    Pathway,
    Risk,
    RiskReview,
)
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
    """How full the pathway is: the cap and both counts in one query (docs/performance.md)."""
    row = (
        Pathway.objects.filter(pk=1)
        .annotate(
            held=_count(Case.objects.on_caseload()), waiting=_count(Case.objects.waiting_list())
        )
        .values("cap", "held", "waiting")
        .first()
    )
    if row is None:  # the pathway row lost (a flushed test database): made again
        pathway()
        return caseload()
    return Caseload(held=row["held"], cap=row["cap"], waiting=row["waiting"])


def _count(cases) -> Subquery:
    """How many rows `cases` holds, as a subquery of one row."""
    return Subquery(
        cases.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"),
        output_field=IntegerField(),
    )


def last_review_before(case: Case, meeting) -> datetime | None:
    """When the panel last looked at this case before this meeting (None: never): the start
    of that meeting's day, so that what changed since can be shown. Read with the agenda
    when it was read by `agenda_with_last_reviews`."""
    kept = case.__dict__.get("_last_review_before", {})
    if meeting.pk in kept:
        return kept[meeting.pk]
    return last_reviews_before([case.pk], meeting)[case.pk]


def _last_on_agenda_before(case_id, day) -> Subquery:
    """The day of the latest meeting before `day` (a meeting's) with the case on its agenda."""
    return Subquery(
        AgendaItem.objects.filter(case_id=case_id, meeting__date__lt=day)
        .order_by()
        .values("case_id")
        .annotate(last=Max("meeting__date"))
        .values("last"),
        output_field=DateField(),
    )


def _start_of(day: date | None) -> datetime | None:
    return timezone.make_aware(datetime.combine(day, time.min)) if day else None


def last_reviews_before(case_ids, meeting) -> dict[int, datetime | None]:
    """`last_review_before` for each of these cases, in one query."""
    last = Case.objects.filter(pk__in=list(case_ids)).annotate(
        last=_last_on_agenda_before(OuterRef("pk"), meeting.date)
    )
    earlier = dict(last.order_by().values_list("pk", "last"))
    return {case_id: _start_of(earlier.get(case_id)) for case_id in case_ids}


def agenda_with_last_reviews(items) -> list[AgendaItem]:
    """The agenda items (a queryset of a meeting's, with their cases), each case knowing
    when the panel last looked at it before that meeting (`last_review_before`): read in
    the same query."""
    before = _last_on_agenda_before(OuterRef("case_id"), OuterRef("meeting__date"))
    rows = list(items.annotate(_last_before=before))
    for item in rows:
        if item.case_id and AgendaItem.case.is_cached(item):
            kept = item.case.__dict__.setdefault("_last_review_before", {})
            kept[item.meeting_id] = _start_of(item._last_before)
    return rows


# --- what a page reads of a case in several places, read once per case object ---------------
#
# A page asks for a case's risks, actions and reviews in several places (its summary, its
# forms, what changed since the last review): each is read once per case object and kept on
# it, or loaded for many cases at once (`load_case_reads`: one query per kind, however many
# cases: the agenda pack). docs/performance.md. A service that changes them locks and reads the
# case afresh, so a case object it is given never holds them stale.

CASE_READS = {
    "_risks": (
        "risks",
        lambda: Risk.objects.select_related("source_agency", "monitored_by").order_by(
            "retired_on", "pk"
        ),
    ),
    # With the moment of each one's latest update (an owner's update, or an escalation
    # resolved: reassigned or given a new date), and the status and note of the owner's latest
    # update (what the panel reviews: actions.selectors.actions_for_review).
    "_actions": ("actions", lambda: _actions_with_latest_update()),
    "_outcomes": ("desired_outcomes", lambda: DesiredOutcome.objects.order_by("pk")),
    "_capacity": (
        "capacity_assessments",
        lambda: CapacityAssessment.objects.order_by("-assessed_on", "-pk"),
    ),
    "_interventions": (
        "interventions",
        lambda: Intervention.objects.select_related("agency").order_by("started_on", "pk"),
    ),
    "_reviews": (
        "reviews",
        lambda: RiskReview.objects.select_related("meeting", "by").order_by("reviewed_on", "pk"),
    ),
}


def _actions_with_latest_update():
    action_model = Case.actions.rel.related_model
    latest = (
        action_model.updates.rel.related_model.objects.filter(action=OuterRef("pk"))
        .order_by("-written_at", "-pk")
        .values
    )
    return (
        action_model.objects.annotate(
            last_update=Max("updates__written_at"),
            last_resolved=Max("escalations__resolved_at"),
            last_update_status=Subquery(latest("status")[:1]),
            last_update_note=Subquery(latest("note")[:1]),
        )
        .select_related("owner_agency")
        .order_by("due_on", "pk")
    )


def _case_read(case: Case, attr: str) -> list:
    if not hasattr(case, attr):
        relation, rows = CASE_READS[attr]
        setattr(case, attr, list(rows().filter(case=case)))
    return getattr(case, attr)


def load_case_reads(cases: list[Case], *attrs: str) -> None:
    """Read these (all, by default) for each of the cases at once: one query each."""
    prefetch_related_objects(
        [case for case in cases],
        *(
            Prefetch(CASE_READS[attr][0], queryset=CASE_READS[attr][1](), to_attr=attr)
            for attr in attrs or CASE_READS
        ),
    )


def risks_of(case: Case) -> list:
    """Every risk of the case, current and retired, with the agencies that raised and monitor
    them."""
    return _case_read(case, "_risks")


def actions_of(case: Case) -> list:
    """Every action on the case, due first, each with `last_update` and `last_resolved`."""
    return _case_read(case, "_actions")


def outcomes_of(case: Case) -> list:
    return _case_read(case, "_outcomes")


def capacity_of(case: Case) -> list:
    """Its capacity assessments, the latest first."""
    return _case_read(case, "_capacity")


def interventions_of(case: Case) -> list:
    return _case_read(case, "_interventions")


def reviews_of(case: Case) -> list[RiskReview]:
    """Every review of the case, oldest first."""
    return _case_read(case, "_reviews")


def returns_of(case: Case, meeting) -> list[AgencyReturn]:
    """The returns asked of the agencies for the case at this meeting, with their agency,
    sender and meeting: read once per case object and meeting."""
    kept = case.__dict__.setdefault("_returns_at", {})
    if meeting.pk not in kept:
        kept[meeting.pk] = list(
            AgencyReturn.objects.select_related("agency", "submitted_by", "meeting").filter(
                case=case, meeting=meeting
            )
        )
    return kept[meeting.pk]


def load_returns(cases: list[Case], meeting) -> None:
    """`returns_of(case, meeting)` for each of these cases, in one query."""
    by_case = {case.pk: [] for case in cases}
    rows = AgencyReturn.objects.select_related("agency", "submitted_by", "meeting")
    for row in rows.filter(case__in=by_case, meeting=meeting):
        by_case[row.case_id].append(row)
    for case in cases:
        case.__dict__.setdefault("_returns_at", {})[meeting.pk] = by_case[case.pk]


def load_reviews(cases: list[Case]) -> None:
    load_case_reads(cases, "_reviews")


def latest_review(case: Case, *, before: date | None = None) -> RiskReview | None:
    """The panel's latest review of the case's assessment (None if it has had none); with
    `before`, the latest one before that day (a meeting compares with the review before it,
    not with one it has just made)."""
    reviews = [r for r in reviews_of(case) if before is None or r.reviewed_on < before]
    return reviews[-1] if reviews else None


def current_risks(case: Case) -> list:
    """The case's current risks (not retired), in `risks_of`'s order."""
    return [risk for risk in risks_of(case) if risk.is_current]


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
