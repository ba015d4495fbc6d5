"""The shape every dashboard figure takes: a table of labelled rows and columns.

One `Table` is drawn three ways: as an accessible HTML table (always), as a Chart.js chart
built from that HTML table in the browser, and as a server-rendered SVG in the PDF report.
Each cell carries the number to draw, the text to show and, when it is hidden, why: so that a
hidden figure is marked on the chart and says "fewer than 5" or "not shown" in the table, with
a footnote saying why, and is never a number anywhere (dashboard/rules.py says the rules).
"""

from dataclasses import dataclass, field

from dashboard import rules


@dataclass(frozen=True)
class Cell:
    value: float | None  # what a chart draws; None when hidden or not applicable
    text: str  # what the table, the CSV and the PDF show
    hidden: rules.Hiding | None = None  # why it is hidden, when it is

    @property
    def suppressed(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]


class ChartKind:
    BAR = "bar"  # horizontal bars, one group per row
    COLUMN = "column"  # vertical bars, rows along the x axis (months)
    LINE = "line"  # a trend, rows along the x axis (months)
    NONE = ""  # a table only


@dataclass(frozen=True)
class Table:
    key: str  # a slug: the CSV's file name and the HTML id
    title: str
    row_header: str  # what the rows are: "Month", "Agency"
    columns: tuple[str, ...]  # what each cell in a row is
    rows: tuple[Row, ...]
    chart: str = ChartKind.BAR
    # The columns a chart draws (indexes into columns); the others are shown in the table only.
    charted: tuple[int, ...] | None = None
    unit: str = "people"  # the charts' axis title: "cases", "actions", "per cent", "days"
    note: str = ""  # one sentence under the table saying how the figure is counted
    summary: str = ""  # the figure in a sentence, above the table, where it reads best so
    footer: Row | None = None  # a total row, where adding up makes sense
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def charted_columns(self) -> tuple[int, ...]:
        if self.charted is None:
            return tuple(range(len(self.columns)))
        return self.charted

    @property
    def headers(self) -> list[tuple[str, bool]]:
        """Each column's name, and whether a chart draws it."""
        charted = self.charted_columns if self.chart else ()
        return [(name, index in charted) for index, name in enumerate(self.columns)]

    @property
    def has_figures(self) -> bool:
        """Whether a chart would show anything: a figure above zero in a charted column, or a
        hidden one (a hidden count is never 0), which the chart marks."""
        return bool(self.chart) and any(
            cell.hidden or (cell.value or 0) > 0
            for row in self.rows
            for cell in (row.cells[index] for index in self.charted_columns)
        )

    @property
    def is_empty(self) -> bool:
        return not self.rows

    @property
    def footnotes(self) -> tuple[str, ...]:
        """Why its hidden figures are hidden: a line for each kind it has, none if it has none."""
        rows = (*self.rows, self.footer) if self.footer else self.rows
        return rules.footnotes(cell.hidden for row in rows for cell in row.cells)
