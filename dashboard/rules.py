"""The dashboard's rules, as pure functions: small-number suppression, the reporting period,
months and quarters, the age of a case, and the long-running cases' checks.

Suppression (what managers and the Safeguarding Adults Board see): the pathway holds at most
15 adults, so a small count in a breakdown can point at one person ("the one Roma woman
referred by the ambulance service in March"). In every breakdown shown to them:
- a count from 1 to 4 shows as "fewer than 5" (primary suppression); 0 shows as 0, since an
  empty group says nothing about anybody;
- where a breakdown shows a total, each row and each column with its total is a "line", and
  a reader knows three things of it: the figures shown, that a "fewer than 5" is 1 to 4 and
  a "not shown" 5 or more, and that the counts add up to the total. So no line may leave a
  hidden figure only one value it could be: one hidden beside its total (the total less the
  others gives it away), two "fewer than 5" where the total leaves 2 (both 1) or 8 (both 4),
  a "fewer than 5" and a "not shown" where it leaves 6 (1 and 5). While one does, the
  smallest other non-zero count of that line is hidden too, or the total itself when no
  count is left (secondary suppression). A count hidden only for that is 5 or more: it shows
  as "not shown", never "fewer than 5";
- a percentage or an average worked out from a hidden count, or from fewer than 5 people,
  is not shown either; nor is how long escalations took to resolve (the median and the
  longest) when fewer than 5 were resolved, since the longest of 2 is one escalation's.
Every table with a hidden figure says under it why, one line for each kind it has (`footnotes`).
Headline figures about the whole pathway (how many cases it holds against the cap of 15, how
many wait) are shown as they are: they describe the service, not a group of people in it.
The coordinator and the chair, who see every case anyway, see exact figures.

What the secondary rule guarantees, and what it does not. It guarantees that no hidden
figure can be worked out exactly by a reader who takes the lines one at a time, carrying
what one line tells about a hidden figure (at most 6, say) into the row or column that
crosses it, and again, until nothing more follows (`known_ranges`). It does not guarantee:
- that a hidden figure could be more than two values: two "fewer than 5" where the
  total leaves 3 are a 1 and a 2, in some order;
- anything against working on all the rows and columns at once, as one set of equations;
  that is not checked, and may, rarely, pin a figure the line-at-a-time reading does not;
- a line with nothing left to hide: four "fewer than 5" in a line whose total is "fewer than
  5" are each 1, and so are figures in a table all of whose counts are that small; and in a
  table whose rows add up to a figure shown elsewhere (the cases open 6 months or more),
  that figure is never hidden here, so a row of two "fewer than 5" for 8 cases is 4 and 4.
  Those figures show as the rules say, and the rule hides nothing more for them;
- anything across tables, but for those protected together (`hidden_grids`): each table is
  protected on its own, so the same people counted in two tables (the referrals by month
  and by agency) are not checked against each other. The cases leaving the pathway are: the
  outcomes add up to the total of the cross-table of risk levels at adoption and closure,
  and, over the 12 months the re-referrals are counted for, so do the re-referrals, so the
  three tables are read together (`dashboard.presentation.LeavingGrids`).
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

THRESHOLD = 5
FEWER_THAN = f"fewer than {THRESHOLD}"
NOT_SHOWN = "not shown"
NOT_APPLICABLE = "–"  # nothing to work a figure out from: a share of no referrals


@dataclass(frozen=True)
class Hiding:
    """Why a figure is hidden: what is shown in its place, and the footnote that says why."""

    key: str  # a slug, for the page's markup
    text: str
    footnote: str


SMALL = Hiding(
    "small",
    FEWER_THAN,
    f"Fewer than {THRESHOLD}: a count from 1 to {THRESHOLD - 1}, hidden so that no one can be "
    "identified.",
)
PROTECTING = Hiding(
    "protecting",
    NOT_SHOWN,
    "Not shown: hidden so that another hidden count cannot be worked out from the total.",
)
DERIVED = Hiding(
    "derived",
    NOT_SHOWN,
    f"Not shown (a percentage or an average): worked out from a hidden count, or from fewer "
    f"than {THRESHOLD} people.",
)
FEW_RESOLVED = Hiding(
    "few-resolved",
    f"not shown: fewer than {THRESHOLD} resolved",
    f"Not shown: how long resolution took is given only when {THRESHOLD} or more escalations "
    "were resolved, so that no one escalation can be picked out.",
)
HIDINGS = (SMALL, PROTECTING, DERIVED, FEW_RESOLVED)  # the order of the footnotes

# What the page and the report say first, for readers who do not see exact figures.
SUMMARY = (
    f"To protect the people behind the figures, a count from 1 to {THRESHOLD - 1} shows as "
    f"“{FEWER_THAN}”, and where a total would give such a count away, another figure is "
    f"hidden too and shows as “{NOT_SHOWN}”."
)


def is_small(count: int) -> bool:
    """A count that could point at a person: 1 to 4."""
    return 0 < count < THRESHOLD


def with_totals(
    grid: Sequence[Sequence[int]], *, row_totals: bool = False, column_totals: bool = False
) -> list[list[int]]:
    """The counts with the totals a table shows: each row's total as a last column, each
    column's total as a last row (with the grand total in its corner when both are shown)."""
    table = [list(row) + ([sum(row)] if row_totals else []) for row in grid]
    if column_totals and table:
        table.append([sum(column) for column in zip(*table, strict=True)])
    return table


Cell = tuple[int, int]  # (row, column) of a figure in `with_totals(...)`
Range = tuple[float, float]  # the least and the most a hidden figure could be, both included


def hidden_grid(
    grid: Sequence[Sequence[int]],
    *,
    row_totals: bool = False,
    column_totals: bool = False,
    row_totals_shown_elsewhere: bool = False,
) -> list[list[Hiding | None]]:
    """Why each figure of `with_totals(grid, ...)` is hidden (None: it is shown): the primary
    rule, then the secondary rule, again until no hidden figure can be worked out to one
    value (`known_ranges`), or nothing is left to hide that would stop it.

    `row_totals_shown_elsewhere`: the row totals are shown as they are somewhere else, so
    they protect their rows but are never hidden to protect them."""
    columns = len(grid[0]) if grid else 0
    height = len(grid) + (1 if column_totals and grid else 0)
    kept = [(0, (r, columns)) for r in range(height)] if row_totals_shown_elsewhere else []
    (hidden,) = hidden_grids([Grid(grid, row_totals, column_totals)], never_hidden=kept)
    return hidden


@dataclass(frozen=True)
class Grid:
    """A table's counts, and the totals it shows with them (`with_totals`)."""

    counts: Sequence[Sequence[int]]
    row_totals: bool = False
    column_totals: bool = False


Figure = tuple[int, Cell]  # which of the grids, and the cell in its `with_totals`


def hidden_grids(
    grids: Sequence[Grid],
    *,
    links: Sequence[Sequence[Figure]] = (),
    never_hidden: Iterable[Figure] = (),
) -> list[list[list[Hiding | None]]]:
    """`hidden_grid` for tables shown together whose figures are tied to each other, one list
    of flags per grid. Each link is a line across the grids, its counts then their total: the
    cases closed, by outcome in one table, add up to the cases closed another table totals;
    a figure shown in two tables is a link of one count and its total. The rules read every
    line of every grid and every link together, so no table gives away what another hides."""
    table: list[list[int]] = []
    offsets = []
    for grid in grids:
        offsets.append(len(table))
        table += with_totals(
            grid.counts, row_totals=grid.row_totals, column_totals=grid.column_totals
        )
    offsets.append(len(table))
    lines: list[list[Cell]] = []  # each line: its counts, then the cell of their total
    totals: set[Cell] = set()
    for grid, top in zip(grids, offsets, strict=False):
        rows, columns = len(grid.counts), len(grid.counts[0]) if grid.counts else 0
        height = rows + (1 if grid.column_totals and grid.counts else 0)
        width = columns + (1 if grid.row_totals else 0)
        if grid.row_totals:
            lines += [[(top + r, c) for c in range(columns + 1)] for r in range(height)]
            totals |= {(top + r, columns) for r in range(height)}
        if grid.column_totals and grid.counts:
            lines += [[(top + r, c) for r in range(rows + 1)] for c in range(width)]
            totals |= {(top + rows, c) for c in range(width)}

    def place(figure: Figure) -> Cell:
        which, (r, c) = figure
        return offsets[which] + r, c

    lines += [[place(figure) for figure in link] for link in links]
    totals |= {place(link[-1]) for link in links}
    hidden = _protect(table, lines, totals=totals, kept={place(f) for f in never_hidden})
    return [hidden[top:bottom] for top, bottom in zip(offsets, offsets[1:], strict=False)]


# How many tables' hiding `_protect` keeps: what it works out depends only on the figures and
# how they add up, so the same figures (the same dashboard asked again) are not worked out
# again (docs/performance.md). A dashboard and the Board's report have some fifteen each.
PROTECTED_KEPT = 512


def _protect(
    table: Sequence[Sequence[int]],
    lines: Sequence[Sequence[Cell]],
    *,
    totals: set[Cell],
    kept: set[Cell],
) -> list[list[Hiding | None]]:
    """The primary rule on every figure, then the secondary rule along `lines`, hiding a
    count before a total (`totals`) and never a figure in `kept`."""
    hidden = _protected(
        tuple(tuple(row) for row in table),
        tuple(tuple(line) for line in lines),
        frozenset(totals),
        frozenset(kept),
    )
    return [list(row) for row in hidden]


@lru_cache(maxsize=PROTECTED_KEPT)
def _protected(
    table: tuple[tuple[int, ...], ...],
    lines: tuple[tuple[Cell, ...], ...],
    totals: frozenset[Cell],
    kept: frozenset[Cell],
) -> tuple[tuple[Hiding | None, ...], ...]:
    lines = [*lines, *nested_differences(lines)]
    hidden: list[list[Hiding | None]] = [
        [SMALL if is_small(count) else None for count in row] for row in table
    ]

    def to_hide(line: Sequence[Cell]) -> Cell | None:
        # The smallest shown count other than 0, else the total itself (which is not 0:
        # a hidden count is in it), unless it is shown elsewhere.
        *counts, (tr, tc) = line
        others = [(table[r][c], r, c) for r, c in counts if table[r][c] and not hidden[r][c]]
        if others:
            return min(others)[1:]
        if hidden[tr][tc] or (tr, tc) in kept:
            return None  # nothing left in the line to hide: see the module's docstring
        return tr, tc

    def first_to_hide(tier: Iterable[Sequence[Cell]]) -> Cell | None:
        # In a tier, hiding a count before a total.
        cells = [cell for cell in map(to_hide, tier) if cell]
        return next((cell for cell in cells if cell not in totals), cells[0] if cells else None)

    while True:
        # First a line that gives a figure away by itself; then one that does with what the
        # crossing lines tell of its other figures; then any line with a figure given away in
        # it (by it and the crossing lines together). What the crossing lines tell is worked
        # out only when no line gives a figure away by itself.
        kinds_only = {cell: possible_range(h) for cell, h in _hidden_cells(hidden)}
        cell = first_to_hide(line for line in lines if _gives_away(line, table, hidden, kinds_only))
        if cell is None:
            ranges = known_ranges(table, hidden, lines)
            cell = first_to_hide(line for line in lines if _gives_away(line, table, hidden, ranges))
        if cell is None:
            given_away = {cell for cell, (low, high) in ranges.items() if low == high}
            cell = first_to_hide(line for line in lines if given_away.intersection(line))
        if cell is None:
            return tuple(tuple(row) for row in hidden)
        hidden[cell[0]][cell[1]] = PROTECTING


def nested_differences(lines: Sequence[Sequence[Cell]]) -> list[list[Cell]]:
    """The lines a reader gets by taking one line from another whose counts include all of
    its counts: what is left, with the smaller line's total as one more count, adds up to
    the larger line's total. (The cases closed by outcome, less the cases closed as the
    cross-table totals them, leave the cases not adopted: 34 of the outcomes' total less 31
    closed is 3 not adopted, whatever each outcome's hidden count is.) Reading lines one at a
    time, with ranges, cannot see this; these lines let the rules see it. Only one line taken
    from one other is read: sums and differences of three or more lines are not searched."""
    derived = []
    for small in lines:
        *small_counts, small_total = small
        for large in lines:
            *large_counts, large_total = large
            if large is small or not set(small_counts) < set(large_counts):
                continue
            left = [cell for cell in large_counts if cell not in set(small_counts)]
            derived.append([*left, small_total, large_total])
    return derived


def _hidden_cells(hidden: Sequence[Sequence[Hiding | None]]) -> list[tuple[Cell, Hiding]]:
    return [((r, c), h) for r, row in enumerate(hidden) for c, h in enumerate(row) if h]


def possible_range(hidden: Hiding) -> Range:
    """What a reader knows of a hidden count from what it reads: "fewer than 5" is 1 to 4;
    "not shown" is 5 or more (it would read "fewer than 5" if smaller, or 0)."""
    return (1, THRESHOLD - 1) if hidden is SMALL else (THRESHOLD, math.inf)


def implied_ranges(figures: Sequence[int], ranges: Sequence[Range | None]) -> list[Range | None]:
    """What a line (its counts, then their total) says of each of its hidden figures (those
    with a range; None for a shown one), given what is known of the others: that the counts
    add up to the total. A hidden count lies between the total less the shown counts less
    the most the other hidden ones could be, and the same less the least they could be (the
    other way round for a hidden total).

    Counts are whole numbers and each range has no gaps, so the other hidden figures can
    make every value between their least and their most: for the line alone, with nothing
    known of its figures but their ranges, the range is exact."""
    # The line says: the counts less the total come to 0. A figure's part in that sum is the
    # figure (a count) or minus it (the total); the shown figures' parts are known.
    signs = [1] * (len(figures) - 1) + [-1]
    rest = -sum(sign * n for sign, n, r in zip(signs, figures, ranges, strict=True) if not r)
    parts = [  # each hidden figure: its place, sign, and the least and most its part could be
        (i, sign, *((r[0], r[1]) if sign > 0 else (-r[1], -r[0])))
        for i, (sign, r) in enumerate(zip(signs, ranges, strict=True))
        if r
    ]
    implied: list[Range | None] = [None] * len(figures)
    if not parts:
        return implied
    # The least and the most the other hidden figures' parts could come to: the sums over all
    # of them less this figure's own, counting the unbounded ones apart (inf less inf is not
    # a number), so that each figure costs one step, not one pass over the others.
    lows = _Sum(low for _, _, low, _ in parts)
    highs = _Sum(high for _, _, _, high in parts)
    for i, sign, own_low, own_high in parts:
        least, most = lows.without(own_low), highs.without(own_high)
        low, high = rest - most, rest - least  # what this figure's part must be
        implied[i] = (low, high) if sign > 0 else (-high, -low)
    return implied


class _Sum:
    """A sum of whole numbers and infinities, from which one term can be taken back."""

    def __init__(self, terms):
        self.finite, self.up, self.down = 0, 0, 0
        for term in terms:
            if term == math.inf:
                self.up += 1
            elif term == -math.inf:
                self.down += 1
            else:
                self.finite += term

    def without(self, term) -> float:
        up = self.up - (term == math.inf)
        down = self.down - (term == -math.inf)
        if up:
            return math.inf  # highs hold only +inf and lows only -inf: never both
        if down:
            return -math.inf
        return self.finite - (term if term not in (math.inf, -math.inf) else 0)


def known_ranges(
    table: Sequence[Sequence[int]],
    hidden: Sequence[Sequence[Hiding | None]],
    lines: Sequence[Sequence[Cell]],
) -> dict[Cell, Range]:
    """The least and the most each hidden figure could be, as a reader could work it out
    from what each figure reads as (`possible_range`) and from every line in turn
    (`implied_ranges`), carrying what one line tells into the lines that cross it, until
    no line tells any more. A figure whose range is one value is given away."""
    known = {cell: possible_range(h) for cell, h in _hidden_cells(hidden)}
    changed = True
    while changed:
        changed = False
        for line in lines:
            line_known = [known.get(cell) for cell in line]
            if not any(line_known):
                continue  # all shown: it tells nothing of a hidden figure
            figures = [table[r][c] for r, c in line]
            implied = implied_ranges(figures, line_known)
            for cell, narrower in zip(line, implied, strict=True):
                if narrower is None:
                    continue
                low, high = known[cell]
                new = (max(low, narrower[0]), min(high, narrower[1]))
                if new != (low, high):
                    known[cell] = new
                    changed = True
    return known


def _gives_away(line, table, hidden, ranges: dict[Cell, Range]) -> bool:
    """Whether a line, with what is known of its other figures, gives a hidden one away."""
    line_ranges = [ranges.get(cell) for cell in line]
    if not any(line_ranges):
        return False  # nothing in it is hidden
    figures = [table[r][c] for r, c in line]
    implied = implied_ranges(figures, line_ranges)
    for (r, c), narrower in zip(line, implied, strict=True):
        if narrower is not None:
            low, high = possible_range(hidden[r][c])
            if max(low, narrower[0]) == min(high, narrower[1]):
                return True
    return False


def hidden_counts(counts: Sequence[int], *, with_total: bool) -> list[Hiding | None]:
    """Why each count of a one-column breakdown is hidden. The total's own is left out, for
    a caller that does not show it: the rule hides a total that is not small only when every
    count other than 0 is hidden already, so nothing shown leads back to it."""
    hidden = hidden_grid([[count] for count in counts], column_totals=with_total)
    return [row[0] for row in hidden[: len(counts)]]


def count_text(count: int, hidden: Hiding | None) -> str:
    return hidden.text if hidden else f"{count:,}"


def footnotes(hidden: Iterable[Hiding | None]) -> tuple[str, ...]:
    """The footnotes a table needs: one for each kind of hidden figure it has, in order."""
    present = set(hidden)
    return tuple(kind.footnote for kind in HIDINGS if kind in present)


def percent(part: int, whole: int) -> float | None:
    """Part of whole as a percentage to one decimal place; None when there is no whole."""
    if whole <= 0:
        return None
    return round(100 * part / whole, 1)


def percent_text(value: float | None) -> str:
    return NOT_SHOWN if value is None else f"{value:.1f}%"


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


# --- the reporting period ---------------------------------------------------------------------

# CASPA's records begin here: the practice example dates the pathway from 2020.
RECORDS_BEGIN = date(2020, 1, 1)

START_AFTER_END = "The end date must be the same as or after the start date"
END_IN_FUTURE = "The end date must be today or in the past"
START_TOO_EARLY = "The start date must be on or after 1 January 2020, when CASPA's records begin"
START_IN_FUTURE = "The start date must be today or in the past"


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def __str__(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"

    @property
    def slug(self) -> str:
        return f"{self.start:%Y-%m-%d}_to_{self.end:%Y-%m-%d}"


def period_problems(start: date, end: date, *, today: date) -> dict[str, str]:
    """What is wrong with a period someone asked for, by the field to show it next to."""
    problems = {}
    if start < RECORDS_BEGIN:
        problems["start"] = START_TOO_EARLY
    elif start > today:
        problems["start"] = START_IN_FUTURE
    if end > today:
        problems["end"] = END_IN_FUTURE
    elif start > end:
        problems["end"] = START_AFTER_END
    return problems


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first of the month `months` after (or before) the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_in(period: Period) -> list[date]:
    """The first day of every month the period touches, in order."""
    months = []
    month = month_start(period.start)
    while month <= period.end:
        months.append(month)
        month = add_months(month, 1)
    return months


def last_twelve_months(today: date) -> Period:
    """The default view: this month and the eleven before it."""
    return Period(add_months(today, -11), today)


def quarter_of(day: date) -> Period:
    """The calendar quarter a day falls in (the Board meets quarterly)."""
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return Period(first, add_months(first, 3) - timedelta(days=1))


def quarter_name(quarter: Period) -> str:
    number = (quarter.start.month - 1) // 3 + 1
    return f"Q{number} {quarter.start.year} ({quarter.start:%B} to {quarter.end:%B %Y})"


def quarter_slug(quarter: Period) -> str:
    return f"{quarter.start.year}-q{(quarter.start.month - 1) // 3 + 1}"


def quarter_from_slug(slug: str) -> Period | None:
    """'2026-q3' to its quarter; None for anything else."""
    year, _, number = slug.partition("-q")
    if not (year.isdigit() and len(year) == 4 and number in {"1", "2", "3", "4"}):
        return None
    return quarter_of(date(int(year), 3 * (int(number) - 1) + 1, 1))


def recent_quarters(today: date, count: int = 8) -> list[Period]:
    """The current quarter and those before it, newest first, not before records begin."""
    quarters = []
    quarter = quarter_of(today)
    while len(quarters) < count and quarter.end >= RECORDS_BEGIN:
        quarters.append(quarter)
        quarter = quarter_of(quarter.start - timedelta(days=1))
    return quarters


# --- cases ------------------------------------------------------------------------------------

AGE_BANDS = ("Under 3 months", "3 to 6 months", "Over 6 months")


def months_between(earlier: date, later: date) -> int:
    """Whole calendar months from one date to a later one (14 Jan to 13 Apr is 2)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return max(months, 0)


def age_band(joined: date, today: date) -> str:
    """How long a case has been on the caseload, in the bands the Board reports."""
    months = months_between(joined, today)
    if months < 3:
        return AGE_BANDS[0]
    if months < 6:
        return AGE_BANDS[1]
    return AGE_BANDS[2]


def months_before(today: date, months: int) -> date:
    """The same day of the month `months` earlier (or that month's last day, if shorter): a
    case that joined on or before it has been open for at least that many months."""
    month = add_months(today, -months)
    # The same day of the month, or the month's last day when it is shorter.
    for day in range(today.day, 0, -1):
        try:
            return month.replace(day=day)
        except ValueError:
            continue
    return month  # pragma: no cover - day 1 always exists


MDT_RECENT_WEEKS = 8
RISK_ASSESSMENT_FRESH_MONTHS = 6

LONG_RUNNING_CHECKS = (
    ("active_plan", "An active plan (at least one open action)"),
    ("risk_assessment", "A multi-agency risk assessment agreed by the panel in the last 6 months"),
    ("lead_named", "A lead agency and a named lead responsible officer"),
    ("recent_mdt", f"An MDT meeting in the last {MDT_RECENT_WEEKS} weeks"),
)


WAIT_BANDS = ("Within 2 weeks", "2 to 4 weeks", "4 to 8 weeks", "Over 8 weeks")


REVIEW_STATES = ("Past their review date", "Review date to come", "No review date set")


def review_state(next_review_on: date | None, today: date) -> str:
    """Where an open case stands with its next review: past the date (before today), due
    today or later, or with no date set. (In SQL: `figures.caseload`.)"""
    if next_review_on is None:
        return REVIEW_STATES[2]
    return REVIEW_STATES[0] if next_review_on < today else REVIEW_STATES[1]


# --- re-referrals -----------------------------------------------------------------------------

# A new referral about the same person submitted within this many days after a case closed
# is a re-referral: the repeat rate MARACs report, counted forwards from each closure.
RE_REFERRAL_DAYS = 365


def re_referral_closures(period: Period) -> Period:
    """The closures whose re-referrals are counted for a period: the 12 months up to its end
    (1 June 2025 to 31 May 2026 for a period that ends on 31 May 2026), whatever its start,
    so that a short period still has closures with time behind them."""
    return Period(months_before(period.end, 12) + timedelta(days=1), period.end)


def re_referred(closed_at: datetime, submitted_at: datetime) -> bool:
    """A referral submitted in (closed_at, closed_at + 365 days] is a re-referral of the
    closed case. (In SQL: `figures.re_referrals`.)"""
    return closed_at < submitted_at <= closed_at + timedelta(days=RE_REFERRAL_DAYS)


def wait_band(days: int) -> str:
    """Time from a referral's submission to its first panel meeting, in bands."""
    if days <= 14:
        return WAIT_BANDS[0]
    if days <= 28:
        return WAIT_BANDS[1]
    if days <= 56:
        return WAIT_BANDS[2]
    return WAIT_BANDS[3]
