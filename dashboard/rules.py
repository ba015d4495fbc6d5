"""The dashboard's rules, as pure functions: small-number suppression, the reporting period,
months and quarters, the age of a case, and the long-running cases' checks.

Suppression (what managers and the Safeguarding Adults Board see): the pathway holds at most
15 adults, so a small count in a breakdown can point at one person ("the one Roma woman
referred by the ambulance service in March"). In every breakdown shown to them:
- a count from 1 to 4 shows as "fewer than 5" (primary suppression); 0 shows as 0, since an
  empty group says nothing about anybody;
- where a breakdown shows a total, no line of it (a row or a column, with its total) may have
  exactly one figure hidden, or subtracting the others from the total (or adding them up, when
  the hidden one is the total) would give it away; so the smallest other non-zero count of
  that line is hidden too, or the total itself when no count is left (secondary suppression),
  until no line has one. A count hidden only for that could be anything from 5 up: it shows
  as "not shown", never "fewer than 5";
- a percentage or an average worked out from a hidden count, or from fewer than 5 people,
  is not shown either.
Every table with a hidden figure says under it why, one line for each kind it has (`footnotes`).
Headline figures about the whole pathway (how many cases it holds against the cap of 15, how
many wait) are shown as they are: they describe the service, not a group of people in it.
The coordinator and the chair, who see every case anyway, see exact figures.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

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
HIDINGS = (SMALL, PROTECTING, DERIVED)  # the order of the footnotes

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


def hidden_grid(
    grid: Sequence[Sequence[int]], *, row_totals: bool = False, column_totals: bool = False
) -> list[list[Hiding | None]]:
    """Why each figure of `with_totals(grid, ...)` is hidden (None: it is shown): the primary
    rule, then the secondary rule applied to every line that adds up to a total, again until
    no line has exactly one figure hidden."""
    table = with_totals(grid, row_totals=row_totals, column_totals=column_totals)
    hidden: list[list[Hiding | None]] = [
        [SMALL if is_small(count) else None for count in row] for row in table
    ]
    rows, columns = len(grid), len(grid[0]) if grid else 0
    lines = []  # each line: its counts, then the cell of their total
    if row_totals:
        lines += [[(r, c) for c in range(columns + 1)] for r in range(len(table))]
    if column_totals and table:
        lines += [[(r, c) for r in range(rows + 1)] for c in range(len(table[0]))]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(hidden[r][c] is not None for r, c in line) != 1:
                continue
            *counts, total = line
            # The smallest shown count other than 0, else the total itself (which is not 0:
            # the hidden count is in it).
            others = [(table[r][c], r, c) for r, c in counts if table[r][c] and not hidden[r][c]]
            _count, r, c = min(others) if others else (0, *total)
            hidden[r][c] = PROTECTING
            changed = True
    return hidden


def hidden_counts(counts: Sequence[int], *, with_total: bool) -> list[Hiding | None]:
    """Why each count of a one-column breakdown is hidden (the total's own is left out: a
    total is only hidden when it is small, since a lone hidden count beside it is small too)."""
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


def wait_band(days: int) -> str:
    """Time from a referral's submission to its first panel meeting, in bands."""
    if days <= 14:
        return WAIT_BANDS[0]
    if days <= 28:
        return WAIT_BANDS[1]
    if days <= 56:
        return WAIT_BANDS[2]
    return WAIT_BANDS[3]
