"""Every figure on the dashboard, from aggregate queries: counts grouped in the database,
never a list of people. The number of queries is the same whatever the amount of data (the
tests hold it to that), so the page stays fast as the years of records grow.

Each function returns raw counts; `dashboard.presentation` turns them into tables, hiding
small numbers for the viewers who must not see them.

What an open, overdue or escalated action is, what the caseload is and what the cap is are
defined once, by their own apps (`Action.objects.open()`, `.overdue(today)`, `.escalated()`;
`Case.objects.on_caseload()`, `.waiting_list()`; `panel.selectors.pathway_cap()`): the figures
count those querysets, never a copy of their conditions.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from accounts.models import Agency
from actions.models import Action, Escalation
from actions.rules import TO_CHAIR, TO_LEAD_AGENCY
from dashboard import rules
from dashboard.rules import Period
from panel.models import Achievement, AgencyReturn, Case, CaseStatus, MDTMeeting
from panel.selectors import pathway_cap
from referrals.choices import Ethnicity, Need, Status
from referrals.models import Referral


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _during(period: Period) -> tuple[datetime, datetime]:
    """The period as [start, end) instants in local time, for filtering timestamps."""
    return _midnight(period.start), _midnight(period.end + timedelta(days=1))


def _among(queryset) -> Q:
    """A condition for an aggregate's filter: the row is one of `queryset` (a set defined once,
    by its own app, such as `Action.objects.overdue(today)`)."""
    return Q(pk__in=queryset.values("pk"))


def _opened_before(today: date, months: int) -> datetime:
    """Cases that joined the caseload before this instant have been open `months` or more."""
    return _midnight(rules.months_before(today, months) + timedelta(days=1))


# --- today --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Caseload:
    cap: int
    on_caseload: int
    waiting: int
    by_age: dict[str, int]  # rules.AGE_BANDS to counts
    by_review: dict[str, int]  # rules.REVIEW_STATES to counts


def _caseload_counts(today: date) -> dict:
    """`caseload`'s counts, as aggregates over every case (for `case_figures`)."""
    three, six = (_opened_before(today, n) for n in (3, 6))
    held = _among(Case.objects.on_caseload())
    return {
        "on_caseload": Count("pk", filter=held),
        "under_three": Count("pk", filter=held & Q(joined_caseload_at__gte=three)),
        "three_to_six": Count(
            "pk", filter=held & Q(joined_caseload_at__lt=three, joined_caseload_at__gte=six)
        ),
        "over_six": Count("pk", filter=held & Q(joined_caseload_at__lt=six)),
        "review_past": Count("pk", filter=held & Q(next_review_on__lt=today)),
        "review_to_come": Count("pk", filter=held & Q(next_review_on__gte=today)),
        "review_not_set": Count("pk", filter=held & Q(next_review_on__isnull=True)),
        "waiting": Count("pk", filter=_among(Case.objects.waiting_list())),
    }


def _caseload_from(counts: dict) -> Caseload:
    return Caseload(
        cap=pathway_cap(),
        on_caseload=counts["on_caseload"],
        waiting=counts["waiting"],
        by_age=dict(
            zip(
                rules.AGE_BANDS,
                (counts["under_three"], counts["three_to_six"], counts["over_six"]),
                strict=True,
            )
        ),
        by_review=dict(
            zip(
                rules.REVIEW_STATES,
                (counts["review_past"], counts["review_to_come"], counts["review_not_set"]),
                strict=True,
            )
        ),
    )


def caseload(today: date) -> Caseload:
    """Open cases against the cap, the waiting list, how long open cases have been open, and
    where they stand with their next review (rules.review_state, in SQL)."""
    return _caseload_from(Case.objects.aggregate(**_caseload_counts(today)))


def _long_running_checks(today: date) -> dict:
    """Each of the Board's checks on a long-running case, as a condition on the case."""
    agencies = (
        Case.involved_agencies.through.objects.filter(case_id=OuterRef("pk"))
        .values("case_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    fresh = rules.months_before(today, rules.RISK_ASSESSMENT_FRESH_MONTHS)
    checks = {
        "active_plan": Q(Exists(Action.objects.open().filter(case_id=OuterRef("pk")))),
        "risk_assessment": Q(risk_assessed_on__gte=fresh)
        & Q(GreaterThanOrEqual(Coalesce(Subquery(agencies, output_field=IntegerField()), 0), 2)),
        "lead_named": Q(lead_agency__isnull=False) & ~Q(lead_officer=""),
        "recent_mdt": Q(
            Exists(
                MDTMeeting.objects.filter(
                    case_id=OuterRef("pk"),
                    held_on__gte=today - timedelta(weeks=rules.MDT_RECENT_WEEKS),
                )
            )
        ),
    }
    assert list(checks) == [key for key, _ in rules.LONG_RUNNING_CHECKS]
    return checks


def _long_running(today: date):
    """Cases on the caseload that joined it six months ago or more: the age band "Over 6
    months" of `caseload`, case by case."""
    return Case.objects.on_caseload().filter(joined_caseload_at__lt=_opened_before(today, 6))


def _long_running_counts(today: date) -> dict:
    """`long_running_counts`, as aggregates over every case (for `case_figures`)."""
    among = _among(_long_running(today))
    checks = _long_running_checks(today)
    return {
        "long_running": Count("pk", filter=among),
        **{
            f"long_running_{key}": Count("pk", filter=among & check)
            for key, check in checks.items()
        },
    }


def _long_running_from(counts: dict) -> dict[str, int]:
    return {
        "total": counts["long_running"],
        **{key: counts[f"long_running_{key}"] for key, _ in rules.LONG_RUNNING_CHECKS},
    }


def long_running_counts(today: date) -> dict[str, int]:
    """How many cases open six months or more, and how many of them pass each check."""
    return _long_running_from(Case.objects.aggregate(**_long_running_counts(today)))


def long_running_cases(today: date) -> list[dict]:
    """The same cases one by one, with their checks: for the coordinator and the chair only,
    who see every case anyway. References and dates, never names."""
    checks = {
        key: ExpressionWrapper(check, output_field=BooleanField())
        for key, check in _long_running_checks(today).items()
    }
    return list(
        _long_running(today)
        .annotate(**checks)
        .order_by("joined_caseload_at")
        .values("pk", "joined_caseload_at", *checks)
    )


def _agencies():
    """Every agency, by name (as the database orders names, which the tables keep)."""
    return Agency.objects.order_by("name", "pk")


def _per_agency(rows, agency_field: str):
    """How many of `rows` belong to the agency of the outer query's row (in `agency_field`):
    a subquery, 0 when none."""
    counted = (
        rows.filter(**{agency_field: OuterRef("pk")})
        .order_by()
        .values(agency_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _actions_counts(today: date) -> dict:
    """`actions_by_agency`, as annotations of each agency (for `agency_figures`)."""
    open_ = Action.objects.open()
    return {
        "actions_open": _per_agency(open_, "owner_agency"),
        "actions_overdue": _per_agency(
            open_.filter(_among(Action.objects.overdue(today))), "owner_agency"
        ),
        "actions_escalated": _per_agency(
            open_.filter(_among(Action.objects.escalated())), "owner_agency"
        ),
    }


def _actions_from(agencies: list[Agency]) -> list[tuple[str, int, int, int]]:
    owning = [agency for agency in agencies if agency.actions_open]
    owning.sort(key=lambda agency: -agency.actions_overdue)  # stable: then by name
    return [
        (agency.name, agency.actions_open, agency.actions_overdue, agency.actions_escalated)
        for agency in owning
    ]


def actions_by_agency(today: date) -> list[tuple[str, int, int, int]]:
    """(agency, open actions, overdue, escalated) for every agency that owns an open action."""
    return _actions_from(list(_agencies().annotate(**_actions_counts(today))))


# --- over the period ----------------------------------------------------------------------------


def cases_managed_by_month(period: Period) -> list[tuple[date, int]]:
    """How many cases the pathway held at some point in each month: the Board's "cases
    managed per month". A case counts from the day it joined the caseload until the day it
    left it, closed or not adopted."""
    return _managed_from(Case.objects.aggregate(**_managed_counts(period)), period)


def _managed_counts(period: Period) -> dict:
    """`cases_managed_by_month`, as aggregates over every case (for `case_figures`)."""
    counts = {}
    for month in rules.months_in(period):
        start, end = _midnight(month), _midnight(rules.add_months(month, 1))
        counts[f"managed_{month:%Y%m}"] = Count(
            "pk",
            filter=Q(joined_caseload_at__isnull=False, joined_caseload_at__lt=end)
            & (Q(closed_at__isnull=True) | Q(closed_at__gte=start)),
        )
    return counts


def _managed_from(counts: dict, period: Period) -> list[tuple[date, int]]:
    return [(month, counts[f"managed_{month:%Y%m}"]) for month in rules.months_in(period)]


DECISIONS = (
    (Status.ACCEPTED, "Accepted"),
    (Status.DECLINED, "Declined"),
    (Status.MORE_INFORMATION, "More information asked for"),
    (Status.SUBMITTED, "Waiting for screening"),
)


def referrals_by_month(period: Period) -> dict[date, dict[str, int]]:
    """Referrals submitted in each month, by what screening decided."""
    return _by_month_from(_sent_in(period).aggregate(**_by_month_counts(period)), period)


def _sent_in(period: Period):
    """The referrals submitted in the period."""
    start, end = _during(period)
    return Referral.objects.filter(submitted_at__gte=start, submitted_at__lt=end)


def _by_month_counts(period: Period) -> dict:
    """`referrals_by_month`, as aggregates over `_sent_in(period)` (for `referral_figures`)."""
    counts = {}
    for month in rules.months_in(period):
        start, end = _midnight(month), _midnight(rules.add_months(month, 1))
        for status, _ in DECISIONS:
            counts[f"sent_{month:%Y%m}_{status}"] = Count(
                "pk", filter=Q(submitted_at__gte=start, submitted_at__lt=end, status=status)
            )
    return counts


def _by_month_from(counts: dict, period: Period) -> dict[date, dict[str, int]]:
    return {
        month: {status: counts[f"sent_{month:%Y%m}_{status}"] for status, _ in DECISIONS}
        for month in rules.months_in(period)
    }


def referrals_by_agency(period: Period) -> list[tuple[str, dict[str, int]]]:
    """Referrals submitted in the period by each partner agency, by screening decision."""
    return _by_agency_from(list(_agencies().annotate(**_by_agency_counts(period))))


def _by_agency_counts(period: Period) -> dict:
    """`referrals_by_agency`, as annotations of each agency (for `agency_figures`)."""
    return {
        f"sent_{status}": _per_agency(_sent_in(period).filter(status=status), "referring_agency")
        for status, _ in DECISIONS
    }


def _by_agency_from(agencies: list[Agency]) -> list[tuple[str, dict[str, int]]]:
    active = [agency for agency in agencies if agency.is_active]
    return [
        (agency.name, {status: getattr(agency, f"sent_{status}") for status, _ in DECISIONS})
        for agency in active
    ]


def days_to_first_panel(period: Period) -> list[int]:
    """For each case first heard by a panel in the period, the days from its referral's
    submission to that meeting. One grouped query; at most a few dozen a year."""
    first = (
        Case.objects.annotate(first_panel=Min("agenda_items__meeting__date"))
        .filter(first_panel__gte=period.start, first_panel__lte=period.end)
        .values_list("referral__submitted_at", "first_panel")
    )
    return [
        max((panel - timezone.localtime(submitted).date()).days, 0)
        for submitted, panel in first
        if submitted is not None
    ]


@dataclass(frozen=True)
class Leaving:
    """The cases that left the pathway, from one grouped query: each group's status, outcome,
    risk level at adoption and at closure, whether it left in the period, whether it is among
    the closures whose re-referrals are counted (`closures`) and was referred again, how many
    cases, and how many of their desired outcomes were marked each way."""

    groups: list[dict]
    period: Period
    closures: Period  # rules.re_referral_closures of the period

    def outcomes(self) -> dict[str, int]:
        """Cases closed in the period by the outcome recorded (a closure cannot lack one)."""
        counts: dict[str, int] = {}
        for group in self._closed():
            counts[group["outcome"]] = counts.get(group["outcome"], 0) + group["cases"]
        return counts

    @property
    def not_adopted(self) -> int:
        return sum(
            g["cases"]
            for g in self.groups
            if g["status"] == CaseStatus.NOT_ADOPTED and g["in_period"]
        )

    def risk_levels(self) -> dict[tuple[str, str], int]:
        """Cases closed in the period by (level at adoption, "" when not recorded; level at
        closure)."""
        counts: dict[tuple[str, str], int] = {}
        for group in self._closed():
            key = (group["risk_level_at_adoption"], group["risk_level"])
            counts[key] = counts.get(key, 0) + group["cases"]
        return counts

    def desired_outcomes(self) -> dict[str, int]:
        """The desired outcomes of the cases closed in the period, by how each was marked
        ("" not marked)."""
        return {
            value: sum(group[_desired_key(value)] for group in self._closed())
            for value in _ACHIEVEMENTS
        }

    def re_referrals(self) -> dict[str, int]:
        """Of the cases closed in `closures`, how many were referred again within a year of
        closing (rules.re_referred): {"closed": N, "referred_again": K}."""
        among = [group for group in self.groups if group["among_closures"]]
        return {
            "closed": sum(group["cases"] for group in among),
            "referred_again": sum(group["cases"] for group in among if group["referred_again"]),
        }

    def _closed(self) -> list[dict]:
        return [
            group
            for group in self.groups
            if group["status"] == CaseStatus.CLOSED and group["in_period"]
        ]


_ACHIEVEMENTS = (*Achievement.values, "")


def _desired_key(achievement: str) -> str:
    return f"desired_{achievement or 'not_marked'}"


def _referred_again() -> Exists:
    """Whether the case had a new referral about the same person submitted within a year
    after it closed (rules.re_referred, in SQL), whatever screening decided about it.

    A referral is about the same person once screening has linked it to the person's record.
    When that record was since merged into another, the referrals moved to the record kept
    (referrals.services.person_merge) while the case still names the old one: both count."""
    return Exists(
        Referral.objects.exclude(status=Status.DRAFT).filter(
            Q(person=OuterRef("person")) | Q(person=OuterRef("person__merged_into")),
            submitted_at__gt=OuterRef("closed_at"),
            submitted_at__lte=OuterRef("closed_at") + timedelta(days=rules.RE_REFERRAL_DAYS),
        )
    )


def _flag(condition) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def leaving(period: Period) -> Leaving:
    """Cases closed, or not adopted, in the period (their outcomes, their risk level at
    adoption against at closure, their desired outcomes by achievement), and the closures in
    the 12 months up to its end with whether each was referred again: in one query."""
    start, end = _during(period)
    closures = rules.re_referral_closures(period)
    since, _ = _during(closures)
    marked = {
        _desired_key(value): Count(
            "desired_outcomes", filter=Q(desired_outcomes__achievement=value)
        )
        for value in _ACHIEVEMENTS
    }
    groups = (
        Case.objects.filter(
            status__in=(CaseStatus.CLOSED, CaseStatus.NOT_ADOPTED),
            closed_at__gte=min(start, since),
            closed_at__lt=end,
        )
        .annotate(
            in_period=_flag(Q(closed_at__gte=start)),
            among_closures=_flag(Q(status=CaseStatus.CLOSED, closed_at__gte=since)),
            referred_again=_flag(Q(_referred_again())),
        )
        .values(
            "status",
            "outcome",
            "risk_level_at_adoption",
            "risk_level",
            "in_period",
            "among_closures",
            "referred_again",
        )
        # A case is counted once however many desired outcomes it has.
        .annotate(cases=Count("pk", distinct=True), **marked)
        .order_by()
    )
    return Leaving(list(groups), period, closures)


def outcomes(period: Period) -> dict[str, int]:
    """Cases closed in the period, by the outcome recorded (a closure cannot lack one)."""
    return leaving(period).outcomes()


def not_adopted(period: Period) -> int:
    return leaving(period).not_adopted


def primary_needs(period: Period) -> dict[str, int]:
    """Cases accepted onto the pathway in the period, by the referral's primary need."""
    return _needs_from(Case.objects.aggregate(**_needs_counts(period)))


def _needs_counts(period: Period) -> dict:
    """`primary_needs`, as aggregates over every case (for `case_figures`)."""
    start, end = _during(period)
    accepted = Q(waiting_since__gte=start, waiting_since__lt=end)
    return {
        f"need_{need}": Count("pk", filter=accepted & Q(referral__primary_need=need))
        for need in Need.values
    }


def _needs_from(counts: dict) -> dict[str, int]:
    return {need: counts[f"need_{need}"] for need in Need.values if counts[f"need_{need}"]}


def ethnicities(period: Period) -> dict[str, int]:
    """Referrals submitted in the period, by the ethnicity recorded for the person."""
    return _ethnicities_from(_sent_in(period).aggregate(**_ethnicity_counts()))


# Each ethnicity a referral may record, and none ("").
_ETHNICITIES = (*Ethnicity.values, "")


def _ethnicity_counts() -> dict:
    """`ethnicities`, as aggregates over `_sent_in(period)` (for `referral_figures`)."""
    return {
        f"ethnicity_{value or 'none'}": Count("pk", filter=Q(ethnicity=value))
        for value in _ETHNICITIES
    }


def _ethnicities_from(counts: dict) -> dict[str, int]:
    return {
        value: counts[f"ethnicity_{value or 'none'}"]
        for value in _ETHNICITIES
        if counts[f"ethnicity_{value or 'none'}"]
    }


# --- several figures in one query ------------------------------------------------------------


@dataclass(frozen=True)
class CaseFigures:
    """The figures counted over cases, from one aggregate query (`case_figures`)."""

    caseload: Caseload
    long_running: dict[str, int]  # as long_running_counts
    managed: list[tuple[date, int]] | None  # as cases_managed_by_month, with a period
    needs: dict[str, int] | None  # as primary_needs, with a period


# The SQL of the two widest queries below (some forty filtered counts each) depends only on
# the day and the period, and Django took twice as long to build it as the database to run
# it: each is built once per process for a day and a period, and run afresh every time
# (docs/performance.md). What they count is read from the database on every request.
SQL_KEPT = 16


def _where() -> tuple[str, str]:
    """What else the SQL depends on: the database it is for, and the time zone whose midnights
    bound the days."""
    return connection.vendor, timezone.get_current_timezone_name()


@lru_cache(maxsize=SQL_KEPT)
def _case_figures_sql(today: date, period: Period | None, where: tuple) -> tuple[str, tuple]:
    counts = {**_caseload_counts(today), **_long_running_counts(today)}
    if period is not None:
        counts |= {**_managed_counts(period), **_needs_counts(period)}
    # Grouped by a constant, which adds no GROUP BY: one row over every case, as aggregate().
    counted = Case.objects.order_by().values(_one=Value(1)).annotate(**counts)
    return counted.query.sql_with_params()


@lru_cache(maxsize=SQL_KEPT)
def _agency_figures_sql(today: date, period: Period | None, where: tuple) -> tuple[str, tuple]:
    counts = _actions_counts(today)
    if period is not None:
        counts |= {**_by_agency_counts(period), **_returns_counts(period)}
    return _agencies().annotate(**counts).query.sql_with_params()


def case_figures(today: date, period: Period | None = None) -> CaseFigures:
    """`caseload` and `long_running_counts` today and, for a period, `cases_managed_by_month`
    and `primary_needs`: the same figures as those functions give, in one query."""
    sql, params = _case_figures_sql(today, period, _where())
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        result = dict(zip(names, cursor.fetchone(), strict=True))
    return CaseFigures(
        caseload=_caseload_from(result),
        long_running=_long_running_from(result),
        managed=_managed_from(result, period) if period is not None else None,
        needs=_needs_from(result) if period is not None else None,
    )


@dataclass(frozen=True)
class ReferralFigures:
    """The figures counted over the referrals sent in a period, from one aggregate query."""

    by_month: dict[date, dict[str, int]]  # as referrals_by_month
    ethnicities: dict[str, int]  # as ethnicities


def referral_figures(period: Period) -> ReferralFigures:
    """`referrals_by_month` and `ethnicities`: the same figures, in one grouped query (a
    group for each local month, decision and ethnicity found: a few dozen rows), which the
    database plans and Django builds in a fraction of the time of one filtered count per
    month and decision."""
    groups = (
        _sent_in(period)
        .annotate(month=TruncMonth("submitted_at", output_field=DateField()))
        .values("month", "status", "ethnicity")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = dict.fromkeys(_by_month_counts_keys(period) + _ethnicity_keys(), 0)
    for group in groups:
        by_month = f"sent_{group['month']:%Y%m}_{group['status']}"
        if by_month in counts:
            counts[by_month] += group["n"]
        by_ethnicity = _ethnicity_key(group["ethnicity"])
        if by_ethnicity in counts:
            counts[by_ethnicity] += group["n"]
    return ReferralFigures(_by_month_from(counts, period), _ethnicities_from(counts))


def _by_month_counts_keys(period: Period) -> list[str]:
    return [
        f"sent_{month:%Y%m}_{status}"
        for month in rules.months_in(period)
        for status, _ in DECISIONS
    ]


def _ethnicity_key(value) -> str:
    return f"ethnicity_{value or 'none'}" if value in _ETHNICITIES else ""


def _ethnicity_keys() -> list[str]:
    return [_ethnicity_key(value) for value in _ETHNICITIES]


def returns_by_agency(period: Period) -> list[tuple[str, int, int, int]]:
    """(agency, on time, late, missing) for every agency asked for a return before a meeting
    held in the period. On time: submitted on or before the day it was due (in local time);
    late: after it; missing: not submitted. Each return asked for is one of the three."""
    return _returns_from(list(_agencies().annotate(**_returns_counts(period))))


def _returns_counts(period: Period) -> dict:
    """`returns_by_agency`, as annotations of each agency (for `agency_figures`)."""
    due = F("due_on")
    asked = AgencyReturn.objects.filter(
        meeting__date__gte=period.start, meeting__date__lte=period.end
    )
    return {
        "returns_asked": _per_agency(asked, "agency"),
        "returns_on_time": _per_agency(asked.filter(submitted_at__date__lte=due), "agency"),
        "returns_late": _per_agency(asked.filter(submitted_at__date__gt=due), "agency"),
        "returns_missing": _per_agency(asked.filter(submitted_at__isnull=True), "agency"),
    }


def _returns_from(agencies: list[Agency]) -> list[tuple[str, int, int, int]]:
    asked = [agency for agency in agencies if agency.returns_asked]
    return [
        (agency.name, agency.returns_on_time, agency.returns_late, agency.returns_missing)
        for agency in asked
    ]


@dataclass(frozen=True)
class Escalations:
    # Raised in the period, by the level reached (actions.rules: 1 the lead agency's SPoC,
    # 2 the chair), each as (resolved since, still unresolved today).
    raised: dict[int, tuple[int, int]]
    resolved: dict[str, int]  # resolved in the period, by EscalationOutcome
    # For each resolved in the period, the days it took: calendar days between the local dates
    # it was raised and resolved (raised on 3 March, resolved on 5 March: 2 days).
    days: list[int]


def escalations(period: Period) -> Escalations:
    """Escalations raised in the period by the level they reached and whether they are still
    unresolved; those resolved in the period by what was done, and how long each took. One
    grouped query: the groups are few (a level, an outcome, a number of days)."""
    start, end = _during(period)
    raised_in = Q(raised_at__gte=start, raised_at__lt=end)
    resolved_in = Q(resolved_at__gte=start, resolved_at__lt=end)
    groups = (
        Escalation.objects.filter(raised_in | resolved_in)
        .annotate(
            raised_in_period=_flag(raised_in),
            resolved_in_period=_flag(resolved_in),
            unresolved=_flag(Q(resolved_at__isnull=True)),
            took=ExpressionWrapper(
                TruncDate("resolved_at") - TruncDate("raised_at"), output_field=DurationField()
            ),
        )
        .values("level", "outcome", "raised_in_period", "resolved_in_period", "unresolved", "took")
        .annotate(n=Count("pk"))
        .order_by()
    )
    raised = {level: [0, 0] for level in (TO_LEAD_AGENCY, TO_CHAIR)}
    resolved: dict[str, int] = {}
    days: list[int] = []
    for group in groups:
        n = group["n"]
        if group["raised_in_period"]:
            level = TO_CHAIR if group["level"] >= TO_CHAIR else TO_LEAD_AGENCY
            raised[level][1 if group["unresolved"] else 0] += n
        if group["resolved_in_period"]:
            resolved[group["outcome"]] = resolved.get(group["outcome"], 0) + n
            days += [group["took"].days] * n
    return Escalations(
        raised={level: (done, open_) for level, (done, open_) in raised.items()},
        resolved=resolved,
        days=sorted(days),
    )


@dataclass(frozen=True)
class AgencyFigures:
    """The figures counted for each agency, from one query of the agencies (`agency_figures`)."""

    actions: list[tuple[str, int, int, int]]  # as actions_by_agency
    referrals: list[tuple[str, dict[str, int]]] | None  # as referrals_by_agency, with a period
    returns: list[tuple[str, int, int, int]] | None  # as returns_by_agency, with a period


def agency_figures(today: date, period: Period | None = None) -> AgencyFigures:
    """`actions_by_agency` today and, for a period, `referrals_by_agency` and
    `returns_by_agency`: the same figures as those functions give, in one query."""
    agencies = list(Agency.objects.raw(*_agency_figures_sql(today, period, _where())))
    return AgencyFigures(
        actions=_actions_from(agencies),
        referrals=_by_agency_from(agencies) if period is not None else None,
        returns=_returns_from(agencies) if period is not None else None,
    )
