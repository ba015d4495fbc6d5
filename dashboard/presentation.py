"""The dashboard as tables, for one viewer: exact for the coordinator and the chair, with small
numbers hidden for managers and for the Board's report (dashboard/rules.py says the rule)."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from accounts.roles import Perm
from dashboard import census, figures, rules
from dashboard.rules import Period
from dashboard.tables import Cell, ChartKind, Row, Table
from panel.models import Outcome
from referrals.choices import Need


def sees_exact_figures(user) -> bool:
    """Who sees every case anyway sees exact counts; everyone else sees them suppressed."""
    return user.has_perm(Perm.VIEW_ALL_CASES)


def count_table(
    *,
    key: str,
    title: str,
    row_header: str,
    columns: Sequence[str],
    rows: Sequence[tuple[str, Sequence[int]]],
    exact: bool,
    row_totals: bool = False,
    column_totals: bool = True,
    **options,
) -> Table:
    """A table of counts, small ones hidden unless `exact`. Totals are added as a last column
    (`row_totals`) and a footer row (`column_totals`); the secondary rule protects both."""
    grid = [list(counts) for _label, counts in rows]
    if row_totals:
        grid = [counts + [sum(counts)] for counts in grid]
        columns = (*columns, "Total")
    width = len(columns)
    counted = [counts[: width - 1] if row_totals else counts for counts in grid]
    hidden = (
        [[False] * len(counts) for counts in counted]
        if exact
        else rules.hidden_grid(counted, row_totals=row_totals, column_totals=column_totals)
    )
    if row_totals:
        hidden = [
            flags + [not exact and rules.is_small(counts[-1])]
            for flags, counts in zip(hidden, grid, strict=True)
        ]
    table_rows = tuple(
        Row(label, tuple(_cell(n, h) for n, h in zip(counts, flags, strict=True)))
        for (label, _), counts, flags in zip(rows, grid, hidden, strict=True)
    )
    footer = None
    if column_totals and grid:
        sums = [sum(column) for column in zip(*grid, strict=True)]
        footer = Row("Total", tuple(_cell(n, not exact and rules.is_small(n)) for n in sums))
    if row_totals and options.get("charted") is None:
        options["charted"] = tuple(range(width - 1))
    return Table(
        key=key,
        title=title,
        row_header=row_header,
        columns=tuple(columns),
        rows=table_rows,
        footer=footer,
        **options,
    )


def _cell(count: int, hidden: bool) -> Cell:
    return Cell(None if hidden else count, rules.count_text(count, hidden))


@dataclass(frozen=True)
class Headline:
    cap: int
    on_caseload: int
    waiting: int
    places_left: int


@dataclass
class Dashboard:
    period: Period
    exact: bool
    headline: Headline
    today: list[Table] = field(default_factory=list)
    over_period: list[Table] = field(default_factory=list)
    long_running_total: int = 0
    long_running_text: str = "0"
    long_running_cases: list[dict] = field(default_factory=list)
    median_days_to_panel: str = ""

    def table(self, key: str) -> Table | None:
        return next((t for t in self.today + self.over_period if t.key == key), None)


def build(period: Period, *, exact: bool, today: date) -> Dashboard:
    load = figures.caseload(today)
    board = Dashboard(
        period=period,
        exact=exact,
        headline=Headline(
            cap=load.cap,
            on_caseload=load.on_caseload,
            waiting=load.waiting,
            places_left=max(load.cap - load.on_caseload, 0),
        ),
    )
    board.today = [
        _age_table(load, exact),
        *_long_running(board, today, exact),
        _actions_table(today, exact),
    ]
    board.over_period = [
        _managed_table(period, exact),
        _referrals_by_month_table(period, exact),
        _referrals_by_agency_table(period, exact),
        _first_panel_table(board, period, exact),
        _outcomes_table(period, exact),
        _needs_table(period, exact),
        _ethnicity_table(period, exact),
    ]
    return board


def _age_table(load, exact) -> Table:
    return count_table(
        key="case-age",
        title="Open cases by how long they have been open",
        row_header="Open for",
        columns=("Cases",),
        rows=[(band, [n]) for band, n in load.by_age.items()],
        exact=exact,
        unit="cases",
        note="Counted from the day each case joined the caseload.",
    )


def _long_running(board, today, exact) -> list[Table]:
    counts = figures.long_running_counts(today)
    board.long_running_total = counts["total"]
    board.long_running_text = rules.count_text(
        counts["total"], not exact and rules.is_small(counts["total"])
    )
    if exact:
        board.long_running_cases = [
            {**case, "checks": [case[key] for key, _ in rules.LONG_RUNNING_CHECKS]}
            for case in figures.long_running_cases(today)
        ]
    total = counts["total"]
    rows = []
    for key, label in rules.LONG_RUNNING_CHECKS:
        yes = counts[key]
        rows.append((label, [yes, total - yes]))
    table = count_table(
        key="long-running",
        title="Cases open for 6 months or more: what they have in place",
        row_header="In place",
        columns=("Has it", "Does not"),
        rows=rows,
        exact=exact,
        column_totals=False,
        chart=ChartKind.BAR,
        unit="cases",
        note=f"{_count_phrase(total, exact)} open for 6 months or more.",
    )
    return [table]


def _count_phrase(total: int, exact: bool) -> str:
    if not exact and rules.is_small(total):
        return "Fewer than 5 cases have been"
    if total == 1:
        return "1 case has been"
    return f"{total:,} cases have been"


def _actions_table(today, exact) -> Table:
    rows = [
        (agency, [open_, overdue, escalated])
        for agency, open_, overdue, escalated in figures.actions_by_agency(today)
    ]
    return count_table(
        key="actions-by-agency",
        title="Open actions by the agency that owns them",
        row_header="Agency",
        columns=("Open", "Overdue", "Escalated"),
        rows=rows,
        exact=exact,
        charted=(1, 2),
        unit="actions",
        note="Overdue: past the date agreed. Escalated: raised with the lead agency's SPoC "
        "or the panel chair, and still open.",
    )


def _managed_table(period, exact) -> Table:
    # The number of cases the pathway held is a headline figure about the service (at most
    # 15), not a group of people: it is shown as it is.
    rows = tuple(
        Row(f"{month:%b %Y}", (Cell(n, f"{n:,}"),))
        for month, n in figures.cases_managed_by_month(period)
    )
    return Table(
        key="cases-managed",
        title="Cases managed each month",
        row_header="Month",
        columns=("Cases on the caseload",),
        rows=rows,
        chart=ChartKind.COLUMN,
        unit="cases",
        note="Every case on the caseload at some point in the month, against the cap of 15.",
    )


def _referrals_by_month_table(period, exact) -> Table:
    months = figures.referrals_by_month(period)
    return count_table(
        key="referrals-by-month",
        title="Referrals each month, by screening decision",
        row_header="Month",
        columns=tuple(label for _, label in figures.DECISIONS),
        rows=[
            (f"{month:%b %Y}", [counts[status] for status, _ in figures.DECISIONS])
            for month, counts in months.items()
        ],
        exact=exact,
        row_totals=True,
        chart=ChartKind.COLUMN,
        unit="referrals",
        note="By the month the referral was submitted, and what screening has decided so far.",
    )


def _referrals_by_agency_table(period, exact) -> Table:
    return count_table(
        key="referrals-by-agency",
        title="Referrals by referring agency and screening decision",
        row_header="Referring agency",
        columns=tuple(label for _, label in figures.DECISIONS),
        rows=[
            (agency, [counts[status] for status, _ in figures.DECISIONS])
            for agency, counts in figures.referrals_by_agency(period)
        ],
        exact=exact,
        row_totals=True,
        unit="referrals",
    )


def _first_panel_table(board, period, exact) -> Table:
    days = figures.days_to_first_panel(period)
    bands = {band: 0 for band in rules.WAIT_BANDS}
    for n in days:
        bands[rules.wait_band(n)] += 1
    middle = rules.median(days)
    if middle is None or (not exact and len(days) < rules.THRESHOLD):
        board.median_days_to_panel = rules.NOT_SHOWN
    else:
        board.median_days_to_panel = f"{middle:g} days"
    return count_table(
        key="time-to-first-panel",
        title="Time from referral to first panel meeting",
        row_header="Heard within",
        columns=("Cases",),
        rows=[(band, [n]) for band, n in bands.items()],
        exact=exact,
        unit="cases",
        note="Cases whose first panel meeting fell in the period, by the days from the "
        "referral's submission to that meeting.",
    )


def _outcomes_table(period, exact) -> Table:
    counts = figures.outcomes(period)
    rows = [(label, [counts.get(value, 0)]) for value, label in Outcome.choices]
    rows.append(("Not adopted by the panel", [figures.not_adopted(period)]))
    return count_table(
        key="outcomes",
        title="Cases leaving the pathway, by outcome",
        row_header="Outcome",
        columns=("Cases",),
        rows=rows,
        exact=exact,
        unit="cases",
        note="Every closure has its outcome recorded: CASPA will not close a case without one.",
    )


def _needs_table(period, exact) -> Table:
    counts = figures.primary_needs(period)
    rows = [(label, [counts.get(value, 0)]) for value, label in Need.choices]
    rows.sort(key=lambda row: -row[1][0])
    return count_table(
        key="primary-need",
        title="Cases accepted, by primary need",
        row_header="Primary need",
        columns=("Cases",),
        rows=rows,
        exact=exact,
        unit="cases",
        note="Cases accepted at screening in the period, by the need the referrer put first.",
    )


def _ethnicity_table(period, exact) -> Table:
    by_group = {group: 0 for group in census.population()}
    by_group[census.NOT_RECORDED] = 0
    for ethnicity, n in figures.ethnicities(period).items():
        by_group[census.broad_group(ethnicity)] += n
    groups = list(census.population())
    counts = [by_group[group] for group in groups]
    recorded = sum(counts)
    hidden = [False] * len(counts) if exact else rules.hidden_counts(counts, with_total=True)
    shares = census.population_shares()
    rows = []
    for group, n, hide in zip(groups, counts, hidden, strict=True):
        shown = not hide and (exact or recorded >= rules.THRESHOLD)
        share = rules.percent(n, recorded) if shown else None
        difference = None if share is None else round(share - shares[group], 1)
        rows.append(
            Row(
                group,
                (
                    _cell(n, hide),
                    Cell(share, rules.percent_text(share)),
                    Cell(shares[group], rules.percent_text(shares[group])),
                    Cell(difference, _points(difference)),
                ),
            )
        )
    unrecorded = by_group[census.NOT_RECORDED]
    hide = not exact and rules.is_small(unrecorded)
    rows.append(
        Row(
            census.NOT_RECORDED,
            (_cell(unrecorded, hide), Cell(None, "–"), Cell(None, "–"), Cell(None, "–")),
        )
    )
    return Table(
        key="ethnicity",
        title=f"Ethnicity of people referred, against {census.AREA}'s population",
        row_header="Ethnic group",
        columns=("Referrals", "Referred (%)", f"{census.AREA} population (%)", "Difference"),
        rows=tuple(rows),
        charted=(1, 2),
        unit="per cent",
        note=f"Shares of the referrals with an ethnicity recorded. Population: {census.SOURCE}. "
        "A positive difference means the group is referred more than its share of the "
        "population.",
    )


def _points(difference: float | None) -> str:
    if difference is None:
        return rules.NOT_SHOWN
    sign = "+" if difference > 0 else ""
    return f"{sign}{difference:.1f} points"
