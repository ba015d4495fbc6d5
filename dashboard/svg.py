"""Server-rendered SVG charts of dashboard tables, for the PDF report.

WeasyPrint runs no JavaScript, so the PDF cannot use the Chart.js charts of the dashboard page;
`chart_svg` draws the same `Table` as a self-contained SVG instead, in the same palette. A
hidden cell (`Cell.value is None`) draws no bar and no point: its text, which says which kind
of hidden figure it is ("fewer than 5" or "not shown", from dashboard/rules.py), is written
where the bar would be, and a line breaks there.

The figures are counts, shares and durations, so the value axis starts at 0; a negative value
would be drawn as 0. Text widths are estimated (no font metrics without a browser) from a wide
sans-serif, so labels are given more room than they need rather than less.
"""

import html
import math
from collections.abc import Iterator

from dashboard.tables import Cell, ChartKind, Table

# The same palette as static/caspa/js/charts.mjs; lines differ by dash as well, so that the
# series can be told apart in greyscale and without seeing the colours.
PALETTE = ("#1d70b8", "#b35a00", "#00703c", "#4c2c92", "#d4351c", "#505a5f")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "12 4", "4 4")
FONT_FAMILY = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
FONT_SIZE = 12
SMALL_FONT_SIZE = 10
TEXT_COLOUR = "#0b0c0c"
MUTED_COLOUR = "#505a5f"
GRID_COLOUR = "#b1b4b6"
PAD = 8
CHAR_WIDTH = 0.62  # an average glyph's advance, as a share of the font size (DejaVu Sans)
LINE_HEIGHT = 16


def nice_ticks(max_value: float, count: int = 5, *, whole_numbers: bool = False) -> list[float]:
    """The value axis's ticks: 0 up to at least `max_value` in at most `count` equal steps.

    Each step is 1, 2 or 5 times a power of ten (0, 5, 10, 15 for 12); with `whole_numbers`
    the step is at least 1, so that a count is never split into fractions of a case.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    if not math.isfinite(max_value) or max_value <= 0:
        return [0.0, 1.0]
    power = 10.0 ** math.floor(math.log10(max_value / count))
    step = next(m * power for m in (1, 2, 5, 10) if m * power * count >= max_value)
    if whole_numbers:
        step = max(step, 1.0)
    steps = math.ceil(max_value / step - 1e-9)
    return [round(i * step, 12) for i in range(steps + 1)]


def chart_svg(table: Table, *, width: int = 640) -> str:
    """`table` drawn as an SVG chart of its charted columns; "" when it has no chart to draw."""
    if table.chart not in (ChartKind.BAR, ChartKind.COLUMN, ChartKind.LINE) or table.is_empty:
        return ""
    series = [
        (table.columns[i], [_cell(row.cells, i) for row in table.rows])
        for i in table.charted_columns
    ]
    if not series:
        return ""
    values = [c.value for _, cells in series for c in cells if c.value is not None]
    ticks = nice_ticks(
        max(values, default=0.0), whole_numbers=all(float(v).is_integer() for v in values)
    )
    draw = _bars if table.chart == ChartKind.BAR else _columns_or_line
    height, body = draw(table, series, ticks, width)
    label = _esc(f"Chart: {table.title}")
    return "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{_n(height)}"'
            f' viewBox="0 0 {width} {_n(height)}" role="img" aria-label="{label}"'
            f' font-family="{FONT_FAMILY}" font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">',
            f"<title>{_esc(table.title)}</title>",
            *body,
            "</svg>",
        ]
    )


# --- the three kinds ---------------------------------------------------------------------------


def _bars(table, series, ticks, width):
    """Horizontal bars: a group per row, a bar per series, the value's text at the bar's end."""
    label_w = min(max(_text_width(row.label) for row in table.rows), width * 0.4)
    value_w = min(max(_text_width(c.text) for _, cells in series for c in cells), width * 0.25)
    left = PAD + label_w + 8
    right = width - PAD - value_w - 6
    legend_h, legend = _legend(series, width, bars=True)
    top = PAD + legend_h
    bar_h = 18 if len(series) == 1 else 13
    group_h = bar_h * len(series) + 10
    bottom = top + group_h * len(table.rows)
    scale = (right - left) / ticks[-1]

    out = [*legend]
    for tick in ticks:
        x = left + tick * scale
        out.append(_line(x, top, x, bottom, GRID_COLOUR if tick else TEXT_COLOUR, "caspa-grid"))
        out.append(_text(x, bottom + 14, _number(tick), anchor="middle", size=SMALL_FONT_SIZE))
    out.append(_text((left + right) / 2, bottom + 30, table.unit, anchor="middle"))

    for r, row in enumerate(table.rows):
        group_top = top + r * group_h + 5
        out.append(
            _text(
                left - 8,
                _middle(group_top, bar_h * len(series)),
                _fit(row.label, label_w),
                anchor="end",
            )
        )
        for s, (_, cells) in enumerate(series):
            cell = cells[r]
            y = group_top + s * bar_h
            if cell.value is None:
                out.append(_suppressed(left + 4, _middle(y, bar_h), cell.text))
                continue
            length = max(cell.value, 0) * scale
            out.append(_rect(left, y, length, bar_h - 1, PALETTE[s % len(PALETTE)]))
            out.append(_text(left + length + 4, _middle(y, bar_h), cell.text))
    return bottom + 30 + PAD, out


def _columns_or_line(table, series, ticks, width):
    """Rows along the x axis: grouped vertical bars, or a line per series with gaps."""
    tick_labels = [_number(t) for t in ticks]
    left = PAD + max(_text_width(t, SMALL_FONT_SIZE) for t in tick_labels) + 6
    right = width - PAD
    legend_h, legend = _legend(series, width, bars=table.chart == ChartKind.COLUMN)
    top = PAD + legend_h + LINE_HEIGHT + 10  # the unit sits above the axis
    plot_h = round(width * 0.35)
    bottom = top + plot_h
    scale = plot_h / ticks[-1]
    slot = (right - left) / len(table.rows)

    out = [*legend, _text(PAD, top - 14, table.unit)]
    for tick, tick_label in zip(ticks, tick_labels, strict=True):
        y = bottom - tick * scale
        out.append(_line(left, y, right, y, GRID_COLOUR if tick else TEXT_COLOUR, "caspa-grid"))
        out.append(_text(left - 5, y + 4, tick_label, anchor="end", size=SMALL_FONT_SIZE))

    # Label every row when the labels fit, else every 2nd, 3rd… (every 3rd month of two years).
    label_w = max(_text_width(row.label, SMALL_FONT_SIZE) for row in table.rows) + 8
    every = max(1, math.ceil(label_w / slot))
    for r, row in enumerate(table.rows):
        if r % every == 0:
            label = _fit(row.label, slot * every - 4, SMALL_FONT_SIZE)
            out.append(
                _text(
                    left + (r + 0.5) * slot,
                    bottom + 14,
                    label,
                    anchor="middle",
                    size=SMALL_FONT_SIZE,
                )
            )

    if table.chart == ChartKind.COLUMN:
        out += _columns(series, left, bottom, slot, scale)
    else:
        out += _lines(series, left, bottom, slot, scale)
    return bottom + 20 + PAD, out


def _columns(series, left, bottom, slot, scale):
    bar_w = slot * 0.8 / len(series)
    out = []
    for s, (_, cells) in enumerate(series):
        for r, cell in enumerate(cells):
            x = left + r * slot + slot * 0.1 + s * bar_w
            if cell.value is None:
                out.append(_suppressed(x + bar_w / 2 + 3.5, bottom - 4, cell.text, vertical=True))
                continue
            h = max(cell.value, 0) * scale
            out.append(_rect(x, bottom - h, max(bar_w - 1, 0.5), h, PALETTE[s % len(PALETTE)]))
            if _text_width(cell.text, SMALL_FONT_SIZE) <= bar_w + 2:
                out.append(
                    _text(
                        x + bar_w / 2,
                        bottom - h - 3,
                        cell.text,
                        anchor="middle",
                        size=SMALL_FONT_SIZE,
                    )
                )
    return out


def _lines(series, left, bottom, slot, scale):
    out = []
    for s, (_, cells) in enumerate(series):
        colour, dash = PALETTE[s % len(PALETTE)], DASHES[s % len(DASHES)]
        points = [
            None if c.value is None else (left + (r + 0.5) * slot, bottom - max(c.value, 0) * scale)
            for r, c in enumerate(cells)
        ]
        for run in _runs(points):
            if len(run) > 1:
                out.append(_polyline(run, colour, dash))
        out += [_circle(x, y, colour) for x, y in filter(None, points)]
    # Say under each gap why it is there, once for the series that share it.
    for r in range(len(series[0][1])):
        gaps = [cells[r].text for _, cells in series if cells[r].value is None]
        if texts := [t for t in dict.fromkeys(gaps) if t]:
            out.append(
                _suppressed(
                    left + (r + 0.5) * slot + 3.5, bottom - 4, " / ".join(texts), vertical=True
                )
            )
    return out


# --- pieces ------------------------------------------------------------------------------------


def _legend(series, width, *, bars):
    """A key above the chart when there is more than one series: (height, elements)."""
    if len(series) < 2:
        return 0, []
    out, x, y = [], PAD, PAD
    for s, (name, _) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        item_w = 22 + _text_width(name) + 16
        if x > PAD and x + item_w > width - PAD:
            x, y = PAD, y + LINE_HEIGHT + 4
        if bars:
            out.append(
                f'<rect x="{_n(x)}" y="{_n(y + 2)}" width="14" height="12" fill="{colour}"/>'
            )
        else:
            out.append(
                _polyline([(x, y + 8), (x + 16, y + 8)], colour, DASHES[s % len(DASHES)], cls="")
            )
            out.append(f'<circle cx="{_n(x + 8)}" cy="{_n(y + 8)}" r="3" fill="{colour}"/>')
        out.append(_text(x + 20, y + 12, name))
        x += item_w
    return y + LINE_HEIGHT + 8 - PAD, [f'<g class="caspa-legend">{"".join(out)}</g>']


def _runs(points) -> Iterator[list[tuple[float, float]]]:
    """The unbroken stretches of a line: points split at each None."""
    run = []
    for point in points:
        if point is None:
            if run:
                yield run
            run = []
        else:
            run.append(point)
    if run:
        yield run


def _cell(cells: tuple[Cell, ...], index: int) -> Cell:
    return cells[index] if index < len(cells) else Cell(None, "")


def _text(x, y, content, *, anchor="start", size=None, fill=None, extra=""):
    attrs = f' text-anchor="{anchor}"' if anchor != "start" else ""
    attrs += f' font-size="{size}"' if size else ""
    attrs += f' fill="{fill}"' if fill else ""
    return f'<text x="{_n(x)}" y="{_n(y)}"{attrs}{extra}>{_esc(content)}</text>'


def _suppressed(x, y, content, *, vertical=False):
    """The text of a figure that is not drawn (the cell's own: "fewer than 5", "not shown"),
    where its bar would be."""
    if not content:
        return ""
    if vertical:
        return (
            f'<text class="caspa-suppressed" transform="translate({_n(x)} {_n(y)}) rotate(-90)"'
            f' font-size="{SMALL_FONT_SIZE}" fill="{MUTED_COLOUR}">{_esc(content)}</text>'
        )
    return _text(
        x, y, content, size=SMALL_FONT_SIZE, fill=MUTED_COLOUR, extra=' class="caspa-suppressed"'
    )


def _rect(x, y, w, h, colour):
    return (
        f'<rect class="caspa-bar" x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}"'
        f' fill="{colour}"/>'
    )


def _line(x1, y1, x2, y2, colour, cls):
    return (
        f'<line class="{cls}" x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}"'
        f' stroke="{colour}" stroke-width="1"/>'
    )


def _polyline(points, colour, dash, *, cls="caspa-line"):
    coords = " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
    attrs = f' class="{cls}"' if cls else ""
    attrs += f' stroke-dasharray="{dash}"' if dash else ""
    return f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"{attrs}/>'


def _circle(x, y, colour):
    return f'<circle class="caspa-point" cx="{_n(x)}" cy="{_n(y)}" r="3" fill="{colour}"/>'


def _middle(y, h):
    """The baseline that centres a line of text in a band from y, h high."""
    return y + h / 2 + FONT_SIZE * 0.35


def _text_width(text: str, size: int = FONT_SIZE) -> float:
    return len(text) * size * CHAR_WIDTH


def _fit(text: str, width: float, size: int = FONT_SIZE) -> str:
    """`text`, shortened with an ellipsis when it would be wider than `width`."""
    fits = max(1, int(width / (size * CHAR_WIDTH)))
    return text if len(text) <= fits else text[: fits - 1].rstrip() + "…"


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _n(value: float) -> str:
    """A coordinate, to a tenth of a point."""
    return f"{value:.1f}".removesuffix(".0")


def _esc(text: str) -> str:
    return html.escape(text, quote=True)
