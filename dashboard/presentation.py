"""The dashboard's sections, for one viewer: the headline, which breakdowns it shows today and
over a period, and each one's figures, title, columns and note. Exact for the coordinator and
the chair; for managers and the Board's report, small numbers are hidden by
dashboard/count_tables.py, following dashboard/rules.py.
"""

from dataclasses import dataclass, field
from datetime import date

from actions.models import EscalationOutcome
from actions.rules import TO_CHAIR, TO_LEAD_AGENCY
from dashboard import census, figures, rules
from dashboard.count_tables import count_cell, count_table
from dashboard.rules import Period
from dashboard.tables import Cell, ChartKind, Row, Table
from panel.models import Achievement, Outcome, RiskBand
from referrals.choices import Need


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
    long_running_footnotes: tuple[str, ...] = ()
    long_running_cases: list[dict] = field(default_factory=list)
    median_days_to_panel: str = ""
    median_footnotes: tuple[str, ...] = ()
    review_past_text: str = "0"
    review_not_set_text: str = "0"
    review_footnotes: tuple[str, ...] = ()

    def table(self, key: str) -> Table | None:
        return next((t for t in self.today + self.over_period if t.key == key), None)


def build(period: Period, *, exact: bool, today: date) -> Dashboard:
    cases = figures.case_figures(today, period)
    sent = figures.referral_figures(period)
    agencies = figures.agency_figures(today, period)
    board = build_today(period, exact=exact, today=today, cases=cases, agencies=agencies)
    leaving = figures.leaving(period)
    grids = _leaving_grids(leaving, exact)
    escalations = figures.escalations(period)
    board.over_period = [
        _managed_table(cases.managed, exact),
        _referrals_by_month_table(sent.by_month, exact),
        _referrals_by_agency_table(agencies.referrals, exact),
        _first_panel_table(board, period, exact),
        _outcomes_table(grids, exact),
        _risk_levels_table(grids, exact),
        _desired_outcomes_table(leaving, exact),
        _re_referrals_table(leaving, grids, exact),
        _needs_table(cases.needs, exact),
        _ethnicity_table(sent.ethnicities, exact),
        _returns_table(agencies.returns, exact),
        _escalations_raised_table(escalations, exact),
        _escalations_resolved_table(escalations, exact),
        _escalation_time_table(escalations, exact),
    ]
    return board


def build_today(
    period: Period,
    *,
    exact: bool,
    today: date,
    cases: figures.CaseFigures | None = None,
    agencies: figures.AgencyFigures | None = None,
) -> Dashboard:
    """The headline and the breakdowns of today only (not those over the period): what the
    home page of a manager or the chair repeats, with the same figures and the same hiding.
    `cases`, `agencies`: the figures over cases and for each agency, where `build` has
    counted them with the period's."""
    if cases is None:
        cases = figures.case_figures(today)
    if agencies is None:
        agencies = figures.agency_figures(today)
    load = cases.caseload
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
    ages = _age_table(load, exact)
    board.today = [
        ages,
        _long_running_table(board, today, exact, ages, cases.long_running),
        _review_table(board, load, exact),
        _actions_table(agencies.actions, exact),
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


def _long_running_table(board, today, exact, ages: Table, counts: dict[str, int]) -> Table:
    total = counts["total"]
    # The cases open 6 months or more are the age table's last band: one figure, shown (or
    # hidden, and why) the same way in the headline, in this table's note and in that table,
    # so that neither gives away what the other hides.
    (over_six,) = next(row.cells for row in ages.rows if row.label == rules.AGE_BANDS[-1])
    board.long_running_total = total
    board.long_running_text = over_six.text
    board.long_running_footnotes = rules.footnotes([over_six.hidden])
    if exact:
        board.long_running_cases = [
            {**case, "checks": [case[key] for key, _ in rules.LONG_RUNNING_CHECKS]}
            for case in figures.long_running_cases(today)
        ]
    rows = [(label, [counts[key], total - counts[key]]) for key, label in rules.LONG_RUNNING_CHECKS]
    if over_six.hidden:
        note = f"Cases open for 6 months or more: {over_six.text}."
    else:
        have = "case has" if total == 1 else "cases have"
        note = f"{total:,} {have} been open for 6 months or more."
    return count_table(
        key="long-running",
        title="Cases open for 6 months or more: what they have in place",
        row_header="In place",
        columns=("Has it", "Does not"),
        rows=rows,
        exact=exact,
        column_totals=False,
        # Each row adds up to the cases open 6 months or more, when that is shown.
        known_row_totals=over_six.hidden is None,
        chart=ChartKind.BAR,
        unit="cases",
        note=note,
    )


def _review_table(board, load, exact) -> Table:
    """Open cases by where they stand with their next review. The three add up to the cases on
    the pathway, which the headline shows as it is: they are protected against it."""
    table = count_table(
        key="review-dates",
        title="Open cases and their next review date",
        row_header="Cases",
        columns=rules.REVIEW_STATES,
        rows=[("Open cases", [load.by_review[state] for state in rules.REVIEW_STATES])],
        exact=exact,
        column_totals=False,
        known_row_totals=True,
        chart=ChartKind.BAR,
        unit="cases",
        note="Every case on the pathway today, by the next review date the panel set: past "
        "it (the date is before today), due today or later, or no date set.",
    )
    past, _to_come, not_set = table.rows[0].cells
    board.review_past_text = past.text
    board.review_not_set_text = not_set.text
    board.review_footnotes = rules.footnotes([past.hidden, not_set.hidden])
    return table


def _actions_table(by_agency: list, exact) -> Table:
    rows = [
        (agency, [open_, overdue, escalated]) for agency, open_, overdue, escalated in by_agency
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


def _managed_table(managed: list, exact) -> Table:
    # The number of cases the pathway held is a headline figure about the service (at most
    # 15), not a group of people: it is shown as it is.
    rows = tuple(Row(f"{month:%b %Y}", (Cell(n, f"{n:,}"),)) for month, n in managed)
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


def _referrals_by_month_table(months: dict, exact) -> Table:
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


def _referrals_by_agency_table(by_agency: list, exact) -> Table:
    return count_table(
        key="referrals-by-agency",
        title="Referrals by referring agency and screening decision",
        row_header="Referring agency",
        columns=tuple(label for _, label in figures.DECISIONS),
        rows=[
            (agency, [counts[status] for status, _ in figures.DECISIONS])
            for agency, counts in by_agency
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
    if middle is None:
        board.median_days_to_panel = "no case was first heard in the period"
    elif not exact and len(days) < rules.THRESHOLD:
        board.median_days_to_panel = rules.DERIVED.text
        board.median_footnotes = rules.footnotes([rules.DERIVED])
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


NOT_RECORDED = "Not recorded"


@dataclass(frozen=True)
class LeavingGrids:
    """The counts of three tables about the same closed cases, protected together: the risk
    levels' cross-table and the outcomes both count the cases closed in the period (the one
    as its total, the other by outcome), and when the period is the 12 months the
    re-referrals are counted over, so do the re-referrals. Protected one by one, a figure
    one table hides could be worked out from what another shows: the outcomes' total less
    the cases closed gives the cases not adopted."""

    levels: list[tuple[str, list[int]]]
    outcomes: list[tuple[str, list[int]]]
    re_referrals: list[int]  # referred again, not referred again
    hidden: list | None  # for each grid, why each figure is hidden; None: exact


def _leaving_grids(leaving: figures.Leaving, exact: bool) -> LeavingGrids:
    levels = leaving.risk_levels()
    bands = RiskBand.values

    def at_closure(adopted: set[str]) -> list[int]:
        return [
            sum(
                n
                for (at_adoption, closed_at), n in levels.items()
                if at_adoption in adopted and closed_at == band
            )
            for band in bands
        ]

    unrecorded = {at_adoption for at_adoption, _ in levels} - set(bands)
    level_rows = [(label, at_closure({value})) for value, label in RiskBand.choices]
    level_rows.append((NOT_RECORDED, at_closure(unrecorded)))
    counts = leaving.outcomes()
    outcome_rows = [(label, [counts.get(value, 0)]) for value, label in Outcome.choices]
    outcome_rows.append(("Not adopted by the panel", [leaving.not_adopted]))
    came_back = leaving.re_referrals()
    again = [came_back["referred_again"], came_back["closed"] - came_back["referred_again"]]
    hidden = None
    if not exact:
        closed = (0, (len(level_rows), len(bands)))  # the cross-table's grand total
        links = [[(1, (i, 0)) for i in range(len(Outcome.choices))] + [closed]]
        if leaving.closures == leaving.period:
            links.append([closed, (2, (2, 0))])  # the same cases: the re-referrals' total
        hidden = rules.hidden_grids(
            [
                rules.Grid([n for _, n in level_rows], row_totals=True, column_totals=True),
                rules.Grid([n for _, n in outcome_rows], column_totals=True),
                rules.Grid([[n] for n in again], column_totals=True),
            ],
            links=links,
        )
    return LeavingGrids(level_rows, outcome_rows, again, hidden)


def _outcomes_table(grids: LeavingGrids, exact) -> Table:
    return count_table(
        key="outcomes",
        title="Cases leaving the pathway, by outcome",
        row_header="Outcome",
        columns=("Cases",),
        rows=grids.outcomes,
        exact=exact,
        hidden=grids.hidden[1] if grids.hidden else None,
        unit="cases",
        note="Every closure has its outcome recorded: CASPA will not close a case without one.",
    )


def _risk_levels_table(grids: LeavingGrids, exact) -> Table:
    """A cross-table: its rows and its columns add up to their totals, and the secondary rule
    protects every one of those lines (dashboard/rules.py), with the outcomes' too."""
    return count_table(
        key="risk-levels",
        title="Risk level when adopted and when closed",
        row_header="Level when adopted",
        columns=tuple(f"{label} at closure" for label in RiskBand.labels),
        rows=grids.levels,
        exact=exact,
        row_totals=True,
        hidden=grids.hidden[0] if grids.hidden else None,
        chart=ChartKind.BAR,
        unit="cases",
        note="Cases closed in the period: each row is the risk level the panel agreed when it "
        "adopted the case, each column the level when it closed. Not recorded: cases adopted "
        "before CASPA kept the level at adoption.",
    )


def _desired_outcomes_table(leaving: figures.Leaving, exact) -> Table:
    counts = leaving.desired_outcomes()
    rows = [(label, [counts[value]]) for value, label in Achievement.choices]
    rows.append(("Not marked", [counts[""]]))
    return count_table(
        key="desired-outcomes",
        title="The person's desired outcomes, and whether they were achieved",
        row_header="Achieved?",
        columns=("Number of desired outcomes",),
        rows=rows,
        exact=exact,
        unit="desired outcomes",
        note="What each person said they wanted to achieve, in their own words, for the cases "
        "closed in the period, as the panel marked it at closure. A step-down needs every one "
        "marked; other closures may leave some unmarked.",
    )


RE_REFERRAL_RULE = (
    "A re-referral is any referral submitted within 365 days after the case closed that "
    "screening linked to the same person, whatever screening then decided (accepted, declined "
    "or not yet decided); it is counted as of today, so a case closed less than a year ago has "
    "had less time for one."
)


def _re_referrals_table(leaving: figures.Leaving, grids: LeavingGrids, exact) -> Table:
    """How many closed cases came back: a count, and a share of the closures only where
    neither it nor the number of closures is hidden, and those are 5 or more."""
    closures = leaving.closures
    again, not_again = grids.re_referrals
    closed = again + not_again
    numbers = [again, not_again, closed]
    flags = [row[0] for row in grids.hidden[2]] if grids.hidden else [None] * 3
    base_hidden = flags[2] or not (exact or closed >= rules.THRESHOLD)

    def share(n: int, hidden) -> Cell:
        if not closed:
            return _not_applicable()
        if hidden or base_hidden:
            return Cell(None, rules.DERIVED.text, rules.DERIVED)
        value = rules.percent(n, closed)
        return Cell(value, rules.percent_text(value))

    cells = [(count_cell(n, h), share(n, h)) for n, h in zip(numbers, flags, strict=True)]
    between = f"{closures.start:%-d %B %Y} and {closures.end:%-d %B %Y}"
    (closed_cell, _), (again_cell, again_share) = cells[2], cells[0]
    if not closed:
        summary = f"No case closed between {between}."
    else:
        if closed_cell.hidden:
            of = f"Of the cases that closed between {between} (how many: {closed_cell.text})"
        else:
            cases = "case" if closed == 1 else "cases"
            of = f"Of the {closed_cell.text} {cases} that closed between {between}"
        share_text = "share not shown" if again_share.hidden else again_share.text
        summary = (
            f"{of}, {again_cell.text} ({share_text}) had a new referral about the same "
            "person submitted within 12 months of closing."
        )
    return Table(
        key="re-referrals",
        title="Re-referrals within 12 months of a closure",
        row_header="Cases closed",
        columns=("Cases", "Share of the cases closed"),
        rows=(
            Row("Referred again within 12 months of closing", cells[0]),
            Row("Not referred again", cells[1]),
        ),
        footer=Row(f"Closed between {between}", cells[2]),
        charted=(0,),
        unit="cases",
        summary=summary,
        note=RE_REFERRAL_RULE,
    )


def _needs_table(counts: dict[str, int], exact) -> Table:
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


def _ethnicity_table(ethnicities: dict[str, int], exact) -> Table:
    by_group = {group: 0 for group in census.population()}
    by_group[census.NOT_RECORDED] = 0
    for ethnicity, n in ethnicities.items():
        by_group[census.broad_group(ethnicity)] += n
    groups = list(census.population())
    counts = [by_group[group] for group in groups]
    recorded = sum(counts)
    # The shares give the total away (a count over its share), so the counts are protected
    # as if it were shown.
    hidden = [None] * len(counts) if exact else rules.hidden_counts(counts, with_total=True)
    shares = census.population_shares()
    rows = []
    for group, n, hide in zip(groups, counts, hidden, strict=True):
        if not recorded:
            share = difference = _not_applicable()
        elif hide or not (exact or recorded >= rules.THRESHOLD):
            share = difference = Cell(None, rules.DERIVED.text, rules.DERIVED)
        else:
            value = rules.percent(n, recorded)
            share = Cell(value, rules.percent_text(value))
            difference = _points(round(value - shares[group], 1))
        population = Cell(shares[group], rules.percent_text(shares[group]))
        rows.append(Row(group, (count_cell(n, hide), share, population, difference)))
    unrecorded = by_group[census.NOT_RECORDED]
    hide = None if exact else rules.hidden_counts([unrecorded], with_total=False)[0]
    rows.append(
        Row(
            census.NOT_RECORDED,
            (count_cell(unrecorded, hide), *(_not_applicable() for _ in range(3))),
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


def _returns_table(by_agency: list, exact) -> Table:
    return count_table(
        key="returns-by-agency",
        title="Agencies' returns before panel meetings",
        row_header="Agency asked",
        columns=("On time", "Late", "Missing"),
        rows=[(agency, [on_time, late, missing]) for agency, on_time, late, missing in by_agency],
        exact=exact,
        row_totals=True,
        row_total_label="Asked",
        unit="returns",
        note="Every return asked of an agency on a case before a panel meeting held in the "
        "period. On time: submitted by the end of the day it was due (the working day before "
        "the meeting); late: submitted after that; missing: never submitted.",
    )


ESCALATED_TO = {TO_LEAD_AGENCY: "The lead agency's SPoC", TO_CHAIR: "The panel chair"}


def _escalations_raised_table(escalations: figures.Escalations, exact) -> Table:
    return count_table(
        key="escalations-raised",
        title="Escalations raised in the period, by the level they reached",
        row_header="Escalated to",
        columns=("Resolved", "Still unresolved today"),
        rows=[(label, list(escalations.raised[level])) for level, label in ESCALATED_TO.items()],
        exact=exact,
        row_totals=True,
        row_total_label="Raised",
        unit="escalations",
        note="An action not done is escalated to the lead agency's SPoC, then to the panel "
        "chair: each escalation is counted once, at the highest level it reached. Resolved: "
        "ended, by now, with a response and what was done about it.",
    )


def _escalations_resolved_table(escalations: figures.Escalations, exact) -> Table:
    return count_table(
        key="escalations-resolved",
        title="Escalations resolved in the period, by what was done",
        row_header="What was done",
        columns=("Escalations",),
        rows=[
            (label, [escalations.resolved.get(value, 0)])
            for value, label in EscalationOutcome.choices
        ],
        exact=exact,
        unit="escalations",
        note="Every escalation resolved in the period, whenever it was raised, by the outcome "
        "recorded when it was resolved.",
    )


def _escalation_time_table(escalations: figures.Escalations, exact) -> Table:
    """The median and the longest time to resolve: about one escalation when few were
    resolved (the longest of 2 is one of them), so hidden below the threshold."""
    days = escalations.days
    if not days:
        median = longest = _not_applicable()
    elif not exact and len(days) < rules.THRESHOLD:
        median = longest = Cell(None, rules.FEW_RESOLVED.text, rules.FEW_RESOLVED)
    else:
        middle = rules.median(days)
        median, longest = Cell(middle, f"{middle:g}"), Cell(max(days), f"{max(days):,}")
    return Table(
        key="escalation-time",
        title="How long escalations took to resolve",
        row_header="Of those resolved in the period",
        columns=("Days",),
        rows=(Row("Median", (median,)), Row("Longest", (longest,))),
        unit="days",
        note="Calendar days from the day an escalation was raised to the day it was resolved, "
        "for the escalations resolved in the period. The median: half took as long or less.",
    )


def _not_applicable() -> Cell:
    return Cell(None, rules.NOT_APPLICABLE)


def _points(difference: float) -> Cell:
    sign = "+" if difference > 0 else ""
    return Cell(difference, f"{sign}{difference:.1f} points")
