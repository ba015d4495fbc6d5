"""Tables of counts for one viewer: the suppression rules of dashboard/rules.py applied to a
grid of counts and its totals, as a `Table` whose hidden cells say why they are hidden.

This module decides nothing about what the dashboard shows (dashboard/presentation.py does)
and holds no rule or message of its own: it only puts the rules' answers into cells.
"""

from collections.abc import Sequence

from dashboard import rules
from dashboard.tables import Cell, Row, Table


def count_cell(count: int, hidden: rules.Hiding | None) -> Cell:
    """A count as a table shows it: the number, or why it is hidden in its place."""
    return Cell(None if hidden else count, rules.count_text(count, hidden), hidden)


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
    known_row_totals: bool = False,
    row_total_label: str = "Total",
    hidden: Sequence[Sequence[rules.Hiding | None]] | None = None,
    **options,
) -> Table:
    """A table of counts, small ones hidden unless `exact`. Totals are added as a last column
    (`row_totals`) and a footer row (`column_totals`); the secondary rule protects both.

    `row_total_label`: the last column's name, where the row total is a figure of its own
    ("Asked", for returns on time, late and missing).

    `hidden`: why each figure is hidden, when the table is protected together with others
    (`rules.hidden_grids`); else the table is protected on its own.

    `known_row_totals`: each row adds up to a total the page shows elsewhere, as it is; the
    rows are protected as if that total were a last column, which is not shown. That column
    is never hidden but where its total is small (the rule is told it is shown elsewhere), so
    the figure shown elsewhere agrees with it.
    """
    if known_row_totals and (row_totals or column_totals):
        raise ValueError("known_row_totals is for a table without totals of its own")
    grid = [list(counts) for _label, counts in rows]
    lines_total = row_totals or known_row_totals
    table = rules.with_totals(grid, row_totals=lines_total, column_totals=column_totals)
    if exact:
        hidden = [[None] * len(counts) for counts in table]
    elif hidden is None:
        hidden = rules.hidden_grid(
            grid,
            row_totals=lines_total,
            column_totals=column_totals,
            row_totals_shown_elsewhere=known_row_totals,
        )
    if known_row_totals:
        assert all(flags[-1] in (None, rules.SMALL) for flags in hidden)
        table, hidden = [r[:-1] for r in table], [r[:-1] for r in hidden]
    cells = [
        tuple(count_cell(n, h) for n, h in zip(counts, flags, strict=True))
        for counts, flags in zip(table, hidden, strict=True)
    ]
    if row_totals:
        columns = (*columns, row_total_label)
        if options.get("charted") is None:
            options["charted"] = tuple(range(len(columns) - 1))
    return Table(
        key=key,
        title=title,
        row_header=row_header,
        columns=tuple(columns),
        rows=tuple(
            Row(label, row_cells)
            for (label, _), row_cells in zip(rows, cells[: len(grid)], strict=True)
        ),
        footer=Row("Total", cells[-1]) if column_totals and grid else None,
        **options,
    )
