"""The dashboard's rules: what is hidden from whom, the period, months, quarters, ages."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import census, rules
from dashboard.rules import Period

COUNTS = st.integers(min_value=0, max_value=30)
GRIDS = st.integers(1, 5).flatmap(
    lambda width: st.lists(st.lists(COUNTS, min_size=width, max_size=width), min_size=1, max_size=6)
)


SMALL, PROTECTING = rules.SMALL, rules.PROTECTING


def test_counts_from_1_to_4_are_hidden_and_0_and_5_are_not():
    assert rules.hidden_counts([0, 1, 4, 5, 12], with_total=False) == [
        None,
        SMALL,
        SMALL,
        None,
        None,
    ]
    assert rules.count_text(3, SMALL) == "fewer than 5"
    assert rules.count_text(1234, None) == "1,234"


def test_a_lone_hidden_count_beside_a_total_takes_the_next_smallest_with_it():
    # Total 20: with only the 2 hidden, 20 - 10 - 8 would give it away.
    assert rules.hidden_counts([10, 2, 8], with_total=True) == [None, SMALL, PROTECTING]
    # Without a total there is nothing to subtract from.
    assert rules.hidden_counts([10, 2, 8], with_total=False) == [None, SMALL, None]
    # Two hidden already protect each other.
    assert rules.hidden_counts([10, 2, 3], with_total=True) == [None, SMALL, SMALL]


def test_a_count_hidden_only_to_protect_another_reads_not_shown_not_fewer_than_5():
    # The 8 is hidden so that the 2 cannot be worked out from the total: it could be anything.
    assert rules.count_text(8, PROTECTING) == "not shown"
    assert rules.count_text(2, SMALL) == "fewer than 5"
    assert PROTECTING.text != SMALL.text


def test_each_kind_of_hidden_figure_has_one_footnote_shown_only_when_it_is_there():
    assert rules.SMALL.footnote == (
        "Fewer than 5: a count from 1 to 4, hidden so that no one can be identified."
    )
    assert rules.PROTECTING.footnote == (
        "Not shown: hidden so that another hidden count cannot be worked out from the total."
    )
    # Each once, in a fixed order, whatever order the figures come in.
    assert rules.footnotes([None, PROTECTING, SMALL, SMALL]) == (
        SMALL.footnote,
        PROTECTING.footnote,
    )
    assert rules.footnotes([SMALL, None]) == (SMALL.footnote,)
    assert rules.footnotes([None, None]) == ()


def test_a_count_hidden_to_protect_another_is_not_left_alone_beside_its_own_total():
    # One agency made 3 referrals, all accepted; another made 10, all accepted. Hiding the 10
    # to protect the 3 in the Accepted column is not enough: the 10's row total is 10 too,
    # and 13 - 10 would give the 3 away. So that total is hidden as well.
    assert rules.with_totals([[3, 0], [10, 0]], row_totals=True, column_totals=True) == [
        [3, 0, 3],
        [10, 0, 10],
        [13, 0, 13],
    ]
    assert rules.hidden_grid([[3, 0], [10, 0]], row_totals=True, column_totals=True) == [
        [SMALL, None, SMALL],
        [PROTECTING, None, PROTECTING],
        [None, None, None],
    ]


def lines_of(rows: int, columns: int, *, row_totals: bool, column_totals: bool):
    """Each line of a table with its totals: the cells that add up, and then their total."""
    height, width = rows + column_totals, columns + row_totals
    lines = []
    if row_totals:
        lines += [[(r, c) for c in range(columns + 1)] for r in range(height)]
    if column_totals:
        lines += [[(r, c) for r in range(rows + 1)] for c in range(width)]
    return lines


@given(GRIDS, st.booleans(), st.booleans())
def test_no_hidden_count_can_be_worked_out_from_a_total(grid, row_totals, column_totals):
    table = rules.with_totals(grid, row_totals=row_totals, column_totals=column_totals)
    hidden = rules.hidden_grid(grid, row_totals=row_totals, column_totals=column_totals)
    rows, columns = len(grid), len(grid[0])
    assert len(hidden) == len(table) == rows + column_totals
    assert {len(row) for row in hidden} == {len(row) for row in table} == {columns + row_totals}
    for line in lines_of(rows, columns, row_totals=row_totals, column_totals=column_totals):
        *counts, (tr, tc) = line
        assert sum(table[r][c] for r, c in counts) == table[tr][tc]
        # A line whose total is known, with one figure in it hidden (a count or the total
        # itself), gives that figure away by subtraction (or addition).
        assert sum(hidden[r][c] is not None for r, c in line) != 1
    for r, row in enumerate(table):
        for c, count in enumerate(row):
            # Only a count from 1 to 4 is called "fewer than 5"; one hidden to protect it could
            # be anything from 5 up, and says "not shown".
            assert (hidden[r][c] is SMALL) == rules.is_small(count)
            assert hidden[r][c] in (None, SMALL, PROTECTING)
            if hidden[r][c] is PROTECTING:
                assert count >= rules.THRESHOLD
            if count == 0:
                assert hidden[r][c] is None


def possible_values(table, hidden, line):
    """Every value each hidden figure of a line with its total shown could be, to a reader of
    that line alone, by trying them all: "fewer than 5" is 1 to 4, "not shown" 5 or more (and
    no more than what the total leaves), and the hidden counts make up what the total leaves."""
    *counts, (tr, tc) = line
    assert hidden[tr][tc] is None
    left = table[tr][tc] - sum(table[r][c] for r, c in counts if not hidden[r][c])
    values = {
        (r, c): range(1, 5) if hidden[r][c] is SMALL else range(5, left + 1)
        for r, c in counts
        if hidden[r][c]
    }

    def sums(cells):  # every sum the cells can make between them
        made = {0}
        for cell in cells:
            made = {s + v for s in made for v in values[cell] if s + v <= left}
        return made

    return {
        cell: [v for v in values[cell] if left - v in sums(set(values) - {cell})] for cell in values
    }


def test_two_hidden_counts_that_must_both_be_1_take_another_with_them():
    # The reviewer's month: 37 accepted, 34 declined, 1 and 1 hidden, 73 in all. 73 - 37 - 34
    # leaves 2 for the two hidden counts, so each is 1. The 34 is hidden too: 36 left.
    table = rules.with_totals([[37, 34, 1, 1]], row_totals=True)
    hidden = rules.hidden_grid([[37, 34, 1, 1]], row_totals=True)
    assert hidden == [[None, PROTECTING, SMALL, SMALL, None]]
    (line,) = lines_of(1, 4, row_totals=True, column_totals=False)
    assert possible_values(table, hidden, line) == {
        (0, 1): list(range(28, 35)),
        (0, 2): [1, 2, 3, 4],
        (0, 3): [1, 2, 3, 4],
    }


def test_hidden_counts_whose_total_leaves_only_one_way_to_make_it_take_another():
    # Two "fewer than 5" leaving 8: both 4.
    assert rules.hidden_counts([4, 4, 10], with_total=True) == [SMALL, SMALL, PROTECTING]
    # A "fewer than 5" and a "not shown" leaving 6: 1 and 5. With the 6 hidden too, 12 is
    # left for one under 5 and two of 5 or more: the first is 1 or 2.
    assert rules.hidden_counts([1, 5, 6], with_total=True) == [SMALL, PROTECTING, PROTECTING]
    # A "fewer than 5" and three "not shown" leaving 16: 1, 5, 5 and 5. The total goes too.
    assert rules.hidden_grid([[1], [5], [5], [5]], column_totals=True) == [
        [SMALL],
        [PROTECTING],
        [PROTECTING],
        [PROTECTING],
        [PROTECTING],
    ]
    # Leaving more than one way to make it is enough.
    assert rules.hidden_counts([3, 4, 10], with_total=True) == [SMALL, SMALL, None]
    assert rules.hidden_counts([2, 5, 6], with_total=True) == [SMALL, PROTECTING, None]


def reads_as(grid, hidden):
    """What a reader sees of a grid with its totals, when `hidden` hides what it hides."""
    table = rules.with_totals(grid, row_totals=True, column_totals=True)
    return [
        [(h.text, rules.possible_range(h)) if h else n for n, h in zip(row, flags, strict=True)]
        for row, flags in zip(table, hidden, strict=True)
    ]


def fits(grid, hidden):
    """Whether each hidden figure of a grid with its totals is in the range its text says."""
    table = rules.with_totals(grid, row_totals=True, column_totals=True)
    return all(
        rules.possible_range(h)[0] <= n <= rules.possible_range(h)[1]
        for row, flags in zip(table, hidden, strict=True)
        for n, h in zip(row, flags, strict=True)
        if h
    )


def test_a_count_given_away_by_a_row_and_a_column_together_is_protected_too():
    grid = [[6, 0], [5, 3], [8, 6], [0, 4]]
    # With each line protected on its own (rows: 6 | 6; 5 and 3 | 8; 0 and 4 | 4; the first
    # column's 6 and 5 hidden, the rest shown), the second column says its 3 and 4 come to
    # 13 - 6 = 7, so the 3 is at least 3; its row says the 5 is 8 less the 3, and a "not
    # shown" is at least 5: so the 3 is 3. The rule hides the 8 and the 6 as well, and then
    # another grid reads the same with a 2 there.
    hidden = rules.hidden_grid(grid, row_totals=True, column_totals=True)
    assert [[h.key if h else "" for h in row] for row in hidden] == [
        ["protecting", "", "protecting"],
        ["protecting", "small", ""],
        ["protecting", "protecting", ""],
        ["", "small", "small"],
        ["", "", ""],
    ]
    other = [[6, 0], [6, 2], [7, 7], [0, 4]]
    assert reads_as(other, hidden) == reads_as(grid, hidden)
    assert fits(grid, hidden)
    assert fits(other, hidden)


def test_four_ones_beside_a_total_of_fewer_than_5_cannot_be_protected():
    # Four counts of at least 1 each and a total under 5: each is 1, whatever else is hidden.
    # The rule has nothing left to hide in that line (see the docstring); it hides no more.
    assert rules.hidden_grid([[1, 1, 1, 1]], row_totals=True) == [[SMALL] * 5]
    # A total shown elsewhere is never hidden to protect its row, even when it would be.
    assert rules.hidden_grid([[4, 4]], row_totals=True, row_totals_shown_elsewhere=True) == [
        [SMALL, SMALL, None]
    ]
    assert rules.hidden_grid([[4, 4]], row_totals=True) == [[SMALL, SMALL, PROTECTING]]


SMALL_COUNTS = st.one_of(st.integers(0, 5), st.integers(0, 12))
SMALL_GRIDS = st.integers(1, 4).flatmap(
    lambda width: st.lists(
        st.lists(SMALL_COUNTS, min_size=width, max_size=width), min_size=1, max_size=4
    )
)


@settings(max_examples=300)
@given(SMALL_GRIDS, st.booleans(), st.booleans())
def test_no_line_with_its_total_shown_leaves_a_hidden_figure_one_value(
    grid, row_totals, column_totals
):
    table = rules.with_totals(grid, row_totals=row_totals, column_totals=column_totals)
    hidden = rules.hidden_grid(grid, row_totals=row_totals, column_totals=column_totals)
    rows, columns = len(grid), len(grid[0])
    for line in lines_of(rows, columns, row_totals=row_totals, column_totals=column_totals):
        tr, tc = line[-1]
        if hidden[tr][tc]:
            continue
        for cell, values in possible_values(table, hidden, line).items():
            assert table[cell[0]][cell[1]] in values
            assert len(values) > 1, (cell, values)


def test_percentages_and_medians():
    assert rules.percent(1, 3) == 33.3
    assert rules.percent(1, 0) is None
    assert rules.percent_text(None) == "not shown"
    assert rules.median([9, 25, 37]) == 25
    assert rules.median([1, 2, 3, 10]) == 2.5
    assert rules.median([]) is None


TODAY = date(2026, 11, 23)


def test_a_period_is_refused_when_reversed_too_early_or_in_the_future():
    assert rules.period_problems(date(2026, 5, 1), date(2026, 4, 1), today=TODAY) == {
        "end": rules.START_AFTER_END
    }
    assert rules.period_problems(date(2019, 12, 31), date(2026, 4, 1), today=TODAY) == {
        "start": rules.START_TOO_EARLY
    }
    assert rules.period_problems(date(2026, 12, 1), date(2026, 12, 2), today=TODAY) == {
        "start": rules.START_IN_FUTURE,
        "end": rules.END_IN_FUTURE,
    }
    assert rules.period_problems(TODAY, TODAY, today=TODAY) == {}


def test_months_and_the_default_period():
    assert rules.months_in(Period(date(2025, 11, 15), date(2026, 2, 1))) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    default = rules.last_twelve_months(TODAY)
    assert default == Period(date(2025, 12, 1), TODAY)
    assert len(rules.months_in(default)) == 12


def test_quarters_for_the_board():
    assert rules.quarter_of(date(2026, 11, 23)) == Period(date(2026, 10, 1), date(2026, 12, 31))
    assert rules.quarter_name(rules.quarter_of(date(2026, 2, 1))) == (
        "Q1 2026 (January to March 2026)"
    )
    assert rules.quarter_from_slug("2026-q3") == Period(date(2026, 7, 1), date(2026, 9, 30))
    for slug in ("2026-q5", "2026-Q3", "26-q1", "2026-q", "x"):
        assert rules.quarter_from_slug(slug) is None
    assert [rules.quarter_slug(q) for q in rules.recent_quarters(TODAY, 3)] == [
        "2026-q4",
        "2026-q3",
        "2026-q2",
    ]
    assert rules.recent_quarters(date(2020, 2, 1), 8) == [rules.quarter_of(date(2020, 2, 1))]


@given(st.dates(date(2021, 1, 1), date(2030, 12, 31)), st.integers(0, 800))
def test_a_case_s_age_band_agrees_with_the_threshold_the_database_uses(today, days):
    joined = today - timedelta(days=days)
    band = rules.age_band(joined, today)
    assert (band == "Over 6 months") == (joined <= rules.months_before(today, 6))
    assert (band == "Under 3 months") == (joined > rules.months_before(today, 3))


def test_months_before_keeps_to_the_end_of_a_shorter_month():
    assert rules.months_before(date(2026, 8, 31), 6) == date(2026, 2, 28)
    assert rules.months_before(date(2026, 11, 23), 6) == date(2026, 5, 23)


def test_wait_bands():
    assert [rules.wait_band(d) for d in (0, 14, 15, 28, 29, 56, 57)] == [
        "Within 2 weeks",
        "Within 2 weeks",
        "2 to 4 weeks",
        "2 to 4 weeks",
        "4 to 8 weeks",
        "4 to 8 weeks",
        "Over 8 weeks",
    ]


def test_the_census_covers_every_ethnicity_and_its_shares_add_up():
    from referrals.choices import Ethnicity

    groups = set(census.population())
    assert groups == {"Asian", "Black", "White", "Mixed or other"}
    for value, _label in Ethnicity.choices:
        assert census.broad_group(value) in groups | {census.NOT_RECORDED}
    assert abs(sum(census.population_shares().values()) - 100) < 0.2


@given(st.data())
def test_tables_tied_by_a_link_leave_no_line_of_either_one_value(data):
    """A cross-table of closed cases and a list of the same cases by outcome, with the cases
    not adopted and a total: the outcomes add up to the cross-table's total (the link)."""
    grid = data.draw(SMALL_GRIDS)
    total = sum(map(sum, grid))
    cuts = sorted(data.draw(st.lists(st.integers(0, total), max_size=3)))
    outcomes = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    column = [[n] for n in [*outcomes, data.draw(SMALL_COUNTS)]]
    rows, columns = len(grid), len(grid[0])
    link = [(1, (i, 0)) for i in range(len(outcomes))] + [(0, (rows, columns))]
    cross, listed = rules.hidden_grids(
        [
            rules.Grid(grid, row_totals=True, column_totals=True),
            rules.Grid(column, column_totals=True),
        ],
        links=[link],
    )
    # Both tables as one, the list below the cross-table, as a reader has them side by side.
    table = rules.with_totals(grid, row_totals=True, column_totals=True)
    table += rules.with_totals(column, column_totals=True)
    hidden = cross + listed
    below = rows + 1
    lines = lines_of(rows, columns, row_totals=True, column_totals=True)
    lines.append([(below + r, 0) for r in range(len(column) + 1)])
    lines.append([(below + i, 0) for i in range(len(outcomes))] + [(rows, columns)])
    for line in lines:
        *counts, (tr, tc) = line
        assert sum(table[r][c] for r, c in counts) == table[tr][tc]
        if hidden[tr][tc]:
            continue
        for cell, values in possible_values(table, hidden, line).items():
            assert table[cell[0]][cell[1]] in values
            assert len(values) > 1, (cell, values)


def test_a_figure_shown_in_one_table_is_hidden_there_when_the_other_table_hides_it():
    # Outcomes: 7 moved away, 2 not adopted, 9 in all: the 2 is hidden and the 7 with it. The
    # cross-table of the 7 closed would show them by itself; tied to the outcomes, it hides
    # its total, which is the 7.
    cross, listed = rules.hidden_grids(
        [
            rules.Grid([[7]], row_totals=True, column_totals=True),
            rules.Grid([[7], [2]], column_totals=True),
        ],
        links=[[(1, (0, 0)), (0, (1, 1))]],
    )
    assert listed == [[PROTECTING], [SMALL], [None]]
    assert cross[1][1] is PROTECTING
    # On its own, the cross-table hides nothing.
    assert rules.hidden_grid([[7]], row_totals=True, column_totals=True) == [[None, None]] * 2


def test_a_count_left_over_by_two_nested_lines_across_tables_stays_hidden():
    """The reviewer's numbers: the outcomes total 34 with four small outcomes hidden; the
    cross-table of risk levels totals the 31 adopted cases that closed. Taking the one from the
    other gives the cases not adopted (3) however the hidden outcomes split, unless one of the
    figures that tells it is hidden too."""
    levels = [[0, 10, 15, 0], [0, 2, 4, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]
    outcomes = [[19], [6], [1], [4], [1], [3]]  # the last: not adopted
    closed = (0, (5, 4))  # the cross-table's grand total
    links = [[(1, (i, 0)) for i in range(5)] + [closed]]
    hidden_levels, hidden_outcomes = rules.hidden_grids(
        [
            rules.Grid(levels, row_totals=True, column_totals=True),
            rules.Grid(outcomes, column_totals=True),
        ],
        links=links,
    )
    assert hidden_outcomes[5][0] is rules.SMALL
    # A reader with the figures shown, the ranges hidden ones read as, and every line (the
    # rows, the columns, the link and the lines they make together) pins no hidden figure.
    table = rules.with_totals(levels, row_totals=True, column_totals=True) + rules.with_totals(
        outcomes, column_totals=True
    )
    hidden = hidden_levels + hidden_outcomes
    rows_of_levels = [[(r, c) for c in range(5)] for r in range(6)]
    columns_of_levels = [[(r, c) for r in range(6)] for c in range(5)]
    outcome_column = [[(6 + r, 0) for r in range(7)]]
    link = [[(6 + r, 0) for r in range(5)] + [(5, 4)]]
    lines = rows_of_levels + columns_of_levels + outcome_column + link
    lines += rules.nested_differences(lines)
    known = rules.known_ranges(table, hidden, lines)
    assert [cell for cell, (low, high) in known.items() if low == high] == []
