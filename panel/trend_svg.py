"""The case's risk level over time, drawn on the server as a small SVG step chart: one step
per review, the level held until the next review changes it.

No JavaScript is needed, so it shows the same on the page, in print and for someone with
scripts off. It is an image (`role="img"`) named by its title and described in words by its
`desc`; the page always puts a table of the same reviews beside it. The style follows
dashboard/svg.py (the palette, the font, the muted grid), which the panel does not import:
the dashboard sits above it in the app graph.
"""

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from panel.rules.risk import BANDS

COLOUR = "#1d70b8"
FONT_FAMILY = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
FONT_SIZE = 12
SMALL_FONT_SIZE = 10
TEXT_COLOUR = "#0b0c0c"
GRID_COLOUR = "#b1b4b6"
CHAR_WIDTH = 0.62
PAD = 8
ROW = 28
LEFT = 78  # room for the bands' names


@dataclass(frozen=True)
class Point:
    when: date
    level: str  # a band: panel/rules/risk.py BANDS
    label: str  # the band as the page shows it ("High")


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _day(value: date) -> str:
    return f"{value:%-d %b %Y}"


def describe(points: Sequence[Point]) -> str:
    """The chart in words, for its `desc`."""
    if not points:
        return "Not reviewed yet."
    said = "; ".join(f"{p.label.lower()} on {p.when:%-d %B %Y}" for p in points)
    reviews = "1 review" if len(points) == 1 else f"{len(points)} reviews"
    return f"{reviews}: {said}."


def step_chart(points: Sequence[Point], *, title: str, width: int = 480) -> str:
    """The levels at each review as a step line, critical at the top; "" with no reviews."""
    if not points:
        return ""
    points = sorted(points, key=lambda p: p.when)
    top = PAD
    bottom = top + ROW * (len(BANDS) - 1)
    height = bottom + PAD + 30
    right = width - PAD - 30
    first, last = points[0].when, points[-1].when
    span = (last - first).days

    def x_of(when: date) -> float:
        if span == 0:
            return (LEFT + right) / 2
        return LEFT + (right - LEFT) * (when - first).days / span

    def y_of(level: str) -> float:
        return top + ROW * BANDS.index(level)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" role="img" aria-labelledby="trend-title trend-desc"'
        f' font-family="{FONT_FAMILY}" font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}"'
        ' class="caspa-trend">',
        f'<title id="trend-title">{_esc(title)}</title>',
        f'<desc id="trend-desc">{_esc(describe(points))}</desc>',
    ]
    for band in BANDS:
        y = y_of(band)
        out.append(
            f'<line x1="{LEFT}" y1="{_n(y)}" x2="{_n(right)}" y2="{_n(y)}"'
            f' stroke="{GRID_COLOUR}" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{LEFT - 8}" y="{_n(y + 4)}" text-anchor="end">{_esc(band.title())}</text>'
        )

    # The step: across at each level to the next review, then up or down to its level; the
    # last level carries on to the chart's edge (it holds until the next review).
    coords = []
    for i, point in enumerate(points):
        x, y = x_of(point.when), y_of(point.level)
        if i:
            coords.append((x, y_of(points[i - 1].level)))
        coords.append((x, y))
    coords.append((right + 20, y_of(points[-1].level)))
    line = " ".join(f"{_n(x)},{_n(y)}" for x, y in coords)
    out.append(
        f'<polyline class="caspa-line" points="{line}" fill="none" stroke="{COLOUR}"'
        ' stroke-width="2"/>'
    )
    out += [
        f'<circle class="caspa-point" cx="{_n(x_of(p.when))}" cy="{_n(y_of(p.level))}" r="4"'
        f' fill="{COLOUR}"/>'
        for p in points
    ]

    # Dates under the axis: each review's when they fit, else the first and the last.
    label_w = len(_day(first)) * SMALL_FONT_SIZE * CHAR_WIDTH + 6
    xs = [x_of(p.when) for p in points]
    fits = all(b - a >= label_w for a, b in zip(xs, xs[1:], strict=False))
    labelled = points if fits else [points[0], points[-1]] if span else [points[0]]
    for point in labelled:
        out.append(
            f'<text x="{_n(x_of(point.when))}" y="{_n(bottom + 20)}" text-anchor="middle"'
            f' font-size="{SMALL_FONT_SIZE}">{_esc(_day(point.when))}</text>'
        )
    out.append("</svg>")
    return "".join(out)
