"""The PDF's charts: server-rendered SVG drawn from the same tables as the dashboard."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.svg import PALETTE, chart_svg, nice_ticks
from dashboard.tables import Cell, ChartKind, Row, Table
from tests.dashboard.svg_reading import SVG, draw, elements

MONTHS = [
    f"{m} {y}"
    for y in (2025, 2026)
    for m in ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
]


def figure(value):
    return Cell(None, "fewer than 5") if value is None else Cell(value, f"{value:g}")


def table(rows, *, columns=("Cases",), chart=ChartKind.BAR, charted=None, title="Cases"):
    return Table(
        key="cases",
        title=title,
        row_header="Agency",
        columns=columns,
        rows=tuple(Row(label, tuple(figure(v) for v in values)) for label, values in rows),
        chart=chart,
        charted=charted,
        unit="cases",
    )


def bars(root):
    return elements(root, "rect", "caspa-bar")


def texts(root):
    return ["".join(e.itertext()) for e in root.iter(SVG + "text")]


def number(element, attribute):
    return float(element.get(attribute))


# --- bars ---------------------------------------------------------------------------------------


def test_a_bar_for_10_is_twice_as_long_as_a_bar_for_5():
    root = draw(table([("Housing", [10]), ("Police", [5])]))

    housing, police = bars(root)
    assert number(housing, "width") == pytest.approx(2 * number(police, "width"), abs=0.2)
    assert number(housing, "x") == number(police, "x")  # both start from the axis
    assert {"Housing", "Police", "10", "5"} <= set(texts(root))


def test_a_suppressed_figure_draws_no_bar_and_says_fewer_than_5():
    root = draw(table([("Housing", [10]), ("Police", [None]), ("Fire", [0])]))

    assert len(bars(root)) == 2  # Housing's, and Fire's bar of no length
    suppressed = elements(root, "text", "caspa-suppressed")
    assert [s.text for s in suppressed] == ["fewer than 5"]
    assert "fewer than 5" in texts(root)


def test_each_charted_column_is_a_series_of_bars_and_the_others_are_not_drawn():
    t = table(
        [("Housing", [8, 999, 4]), ("Police", [6, 999, None]), ("Fire", [2, 999, 3])],
        columns=("Open", "Referred ever", "Closed"),
        charted=(0, 2),
    )
    root = draw(t)

    assert len(bars(root)) == 5  # 3 open and 2 closed: one closed figure is suppressed
    assert {b.get("fill") for b in bars(root)} == {PALETTE[0], PALETTE[1]}
    assert "999" not in texts(root)
    assert "Referred ever" not in texts(root)


def test_a_legend_names_the_series_only_when_there_are_several():
    one = draw(table([("Housing", [8])]))
    two = draw(table([("Housing", [8, 3])], columns=("Open", "Closed")))

    assert elements(one, "g", "caspa-legend") == []
    (legend,) = elements(two, "g", "caspa-legend")
    assert texts(legend) == ["Open", "Closed"]


def test_the_value_axis_has_round_ticks_with_a_gridline_each():
    root = draw(table([("Housing", [12]), ("Police", [3])]))

    assert [t for t in texts(root) if t in {"0", "5", "10", "15"}] == ["0", "5", "10", "15"]
    assert len(elements(root, "line", "caspa-grid")) == 4
    assert "cases" in texts(root)  # the axis says what is counted


# --- columns ------------------------------------------------------------------------------------


def test_columns_stand_on_the_axis_in_proportion_to_their_figures():
    root = draw(table([("Jan 2026", [4]), ("Feb 2026", [8])], chart=ChartKind.COLUMN))

    january, february = bars(root)
    assert number(february, "height") == pytest.approx(2 * number(january, "height"), abs=0.2)
    bottom = number(january, "y") + number(january, "height")
    assert number(february, "y") + number(february, "height") == pytest.approx(bottom)
    assert number(january, "x") < number(february, "x")  # months run left to right


def test_two_years_of_months_label_every_third_month():
    root = draw(table([(m, [i + 1]) for i, m in enumerate(MONTHS)], chart=ChartKind.COLUMN))

    shown = [t for t in texts(root) if t in MONTHS]
    assert shown == MONTHS[::3]  # Jan, Apr, Jul, Oct of each year
    assert len(bars(root)) == 24


def test_six_months_label_every_month():
    root = draw(table([(m, [5]) for m in MONTHS[:6]], chart=ChartKind.COLUMN))

    assert [t for t in texts(root) if t in MONTHS] == MONTHS[:6]


def test_a_suppressed_month_has_no_column_and_says_why():
    root = draw(table([("Jan 2026", [4]), ("Feb 2026", [None])], chart=ChartKind.COLUMN))

    assert len(bars(root)) == 1
    assert [s.text for s in elements(root, "text", "caspa-suppressed")] == ["fewer than 5"]


# --- lines --------------------------------------------------------------------------------------


def points_of(polyline):
    return [tuple(map(float, p.split(","))) for p in polyline.get("points").split()]


def test_a_line_breaks_at_a_suppressed_month():
    t = table(
        [(m, [v]) for m, v in zip(MONTHS, [3, 4, None, 6, 7], strict=False)], chart=ChartKind.LINE
    )
    root = draw(t)

    before, after = elements(root, "polyline", "caspa-line")
    assert len(points_of(before)) == 2
    assert len(points_of(after)) == 2
    assert len(elements(root, "circle", "caspa-point")) == 4  # a point per figure shown
    assert "fewer than 5" in texts(root)


def test_a_line_is_higher_where_the_figure_is_larger():
    root = draw(
        table([(m, [v]) for m, v in zip(MONTHS, [2, 8], strict=False)], chart=ChartKind.LINE)
    )

    (line,) = elements(root, "polyline", "caspa-line")
    (x1, y1), (x2, y2) = points_of(line)
    assert x1 < x2
    assert y2 < y1


def test_a_figure_between_two_gaps_is_a_point_without_a_line():
    t = table(
        [(m, [v]) for m, v in zip(MONTHS, [None, 5, None], strict=False)], chart=ChartKind.LINE
    )
    root = draw(t)

    assert elements(root, "polyline", "caspa-line") == []
    assert len(elements(root, "circle", "caspa-point")) == 1


def test_each_series_is_its_own_line_in_its_own_colour_and_dash():
    t = table(
        [(m, [v, v * 2]) for m, v in zip(MONTHS, [1, 2, 3], strict=False)],
        columns=("Median", "Longest"),
        chart=ChartKind.LINE,
    )
    median, longest = elements(draw(t), "polyline", "caspa-line")

    assert (median.get("stroke"), longest.get("stroke")) == PALETTE[:2]
    assert median.get("stroke-dasharray") is None
    assert longest.get("stroke-dasharray")


# --- the whole drawing --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [ChartKind.BAR, ChartKind.COLUMN, ChartKind.LINE])
def test_labels_are_escaped_so_the_svg_stays_well_formed(kind):
    t = table(
        [('Drugs & <alcohol> "services"', [3]), ("Police", [None])],
        columns=("Open <now> & then",),
        chart=kind,
        title="Cases <by> agency & 'more'",
    )
    root = draw(t)  # parses: nothing unescaped broke the XML

    assert root.find(SVG + "title").text == "Cases <by> agency & 'more'"
    assert root.get("aria-label") == "Chart: Cases <by> agency & 'more'"
    assert root.find(f".//{SVG}alcohol") is None
    if kind == ChartKind.BAR:
        assert 'Drugs & <alcohol> "services"' in texts(root)


@pytest.mark.parametrize("kind", [ChartKind.BAR, ChartKind.COLUMN, ChartKind.LINE])
def test_the_chart_is_an_image_with_a_name(kind):
    root = draw(table([("Jan 2026", [4]), ("Feb 2026", [5])], chart=kind), width=500)

    assert root.tag == SVG + "svg"
    assert root.get("role") == "img"
    assert root[0].tag == SVG + "title"
    assert root[0].text == "Cases"
    assert root.get("width") == "500"
    assert root.get("viewBox").startswith("0 0 500 ")
    assert "sans-serif" in root.get("font-family")


def test_a_table_without_a_chart_or_without_rows_draws_nothing():
    assert chart_svg(table([("Housing", [3])], chart=ChartKind.NONE)) == ""
    assert chart_svg(table([])) == ""


def test_a_chart_of_only_suppressed_figures_still_draws_its_axis():
    root = draw(table([("Housing", [None]), ("Police", [None])]))

    assert bars(root) == []
    assert texts(root).count("fewer than 5") == 2
    assert len(elements(root, "line", "caspa-grid")) == 2  # 0 and 1


# --- nice_ticks ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("max_value", "ticks"),
    [
        (12, [0, 5, 10, 15]),
        (10, [0, 2, 4, 6, 8, 10]),
        (7, [0, 2, 4, 6, 8]),
        (100, [0, 20, 40, 60, 80, 100]),
        (101, [0, 50, 100, 150]),
        (3, [0, 1, 2, 3]),
        (0.3, [0, 0.1, 0.2, 0.3]),
        (2500, [0, 500, 1000, 1500, 2000, 2500]),
        (0, [0, 1]),
        (-4, [0, 1]),
    ],
)
def test_nice_ticks_are_round_steps_from_nought(max_value, ticks):
    assert nice_ticks(max_value) == pytest.approx(ticks)


def test_whole_numbers_are_not_split_into_fractions():
    assert nice_ticks(1, whole_numbers=True) == [0, 1]
    assert nice_ticks(2, whole_numbers=True) == [0, 1, 2]
    assert nice_ticks(1) == pytest.approx([0, 0.2, 0.4, 0.6, 0.8, 1])


@given(
    max_value=st.floats(min_value=1e-3, max_value=1e7, allow_nan=False),
    count=st.integers(min_value=1, max_value=10),
)
def test_nice_ticks_cover_the_largest_figure_in_at_most_count_round_steps(max_value, count):
    ticks = nice_ticks(max_value, count)

    steps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    step = steps[0]
    assert ticks[0] == 0
    assert 1 <= len(steps) <= count
    assert all(math.isclose(s, step, rel_tol=1e-9) for s in steps)
    assert ticks[-1] >= max_value * (1 - 1e-9)  # the largest figure is on the axis
    assert ticks[-2] < max_value  # and the axis is no longer than it needs to be
    mantissa = step / 10 ** math.floor(math.log10(step) + 1e-9)
    assert any(math.isclose(mantissa, m, rel_tol=1e-6) for m in (1, 2, 5))
