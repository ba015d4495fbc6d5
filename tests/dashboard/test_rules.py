"""The dashboard's rules: what is hidden from whom, the period, months, quarters, ages."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from dashboard import census, rules
from dashboard.rules import Period

COUNTS = st.integers(min_value=0, max_value=30)
GRIDS = st.integers(1, 5).flatmap(
    lambda width: st.lists(st.lists(COUNTS, min_size=width, max_size=width), min_size=1, max_size=6)
)


def test_counts_from_1_to_4_are_hidden_and_0_and_5_are_not():
    assert rules.hidden_counts([0, 1, 4, 5, 12], with_total=False) == [
        False,
        True,
        True,
        False,
        False,
    ]
    assert rules.count_text(3, True) == "fewer than 5"
    assert rules.count_text(1234, False) == "1,234"


def test_a_lone_hidden_count_beside_a_total_takes_the_next_smallest_with_it():
    # Total 20: with only the 2 hidden, 20 - 10 - 8 would give it away.
    assert rules.hidden_counts([10, 2, 8], with_total=True) == [False, True, True]
    # Without a total there is nothing to subtract from.
    assert rules.hidden_counts([10, 2, 8], with_total=False) == [False, True, False]
    # Two hidden already protect each other.
    assert rules.hidden_counts([10, 2, 3], with_total=True) == [False, True, True]


@given(GRIDS, st.booleans(), st.booleans())
def test_no_hidden_count_can_be_worked_out_from_a_total(grid, row_totals, column_totals):
    hidden = rules.hidden_grid(grid, row_totals=row_totals, column_totals=column_totals)
    lines = []
    if row_totals:
        lines += [[(r, c) for c in range(len(grid[0]))] for r in range(len(grid))]
    if column_totals:
        lines += [[(r, c) for r in range(len(grid))] for c in range(len(grid[0]))]
    for line in lines:
        hidden_here = [(r, c) for r, c in line if hidden[r][c]]
        shown_nonzero = [(r, c) for r, c in line if not hidden[r][c] and grid[r][c] > 0]
        # One hidden count alone in a line with a total is recoverable, unless every other
        # count in that line is a zero (then the total itself is small, and hidden).
        assert len(hidden_here) != 1 or not shown_nonzero
    for r, row in enumerate(grid):
        for c, count in enumerate(row):
            if rules.is_small(count):
                assert hidden[r][c]
            if count == 0:
                assert not hidden[r][c]


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
    assert sum(census.population().values()) == 225_293
