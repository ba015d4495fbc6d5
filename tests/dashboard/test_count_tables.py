"""Tables of counts: the suppression rules put into cells, with the footnotes they need."""

import pytest

from dashboard import rules
from dashboard.count_tables import count_table
from dashboard.svg import chart_svg
from tests.dashboard.svg_reading import draw, elements


def agencies(rows, *, exact=False, **options):
    return count_table(
        key="agencies",
        title="Referrals",
        row_header="Agency",
        columns=("Accepted", "Declined"),
        rows=rows,
        exact=exact,
        **options,
    )


def texts(row):
    return [cell.text for cell in row.cells]


POLICE_AND_HOUSING = [("Police", [7, 4]), ("Housing", [6, 5])]


def test_a_count_hidden_to_protect_another_says_not_shown_and_carries_no_number():
    table = agencies(POLICE_AND_HOUSING, row_totals=True)
    police, housing = table.rows
    assert texts(police) == ["not shown", "fewer than 5", "11"]
    assert texts(housing) == ["not shown", "not shown", "11"]
    assert texts(table.footer) == ["13", "9", "22"]
    assert [cell.value for cell in police.cells] == [None, None, 11]
    assert [cell.hidden for cell in police.cells] == [rules.PROTECTING, rules.SMALL, None]
    assert table.footnotes == (rules.SMALL.footnote, rules.PROTECTING.footnote)
    assert table.charted_columns == (0, 1)  # the totals are not drawn


def test_a_table_with_only_small_counts_hidden_has_only_their_footnote():
    table = agencies([("Police", [3, 4]), ("Housing", [6, 5])], column_totals=False)
    assert texts(table.rows[0]) == ["fewer than 5", "fewer than 5"]
    assert table.footnotes == (rules.SMALL.footnote,)


def test_a_table_with_nothing_hidden_has_no_footnote():
    assert agencies([("Police", [0, 5])]).footnotes == ()
    exact = agencies(POLICE_AND_HOUSING, exact=True, row_totals=True)
    assert texts(exact.rows[0]) == ["7", "4", "11"]
    assert exact.footnotes == ()


def test_a_total_that_would_give_a_protecting_count_away_is_hidden_too():
    table = agencies([("Police", [3, 0]), ("Housing", [10, 0])], row_totals=True)
    assert texts(table.rows[0]) == ["fewer than 5", "0", "fewer than 5"]
    assert texts(table.rows[1]) == ["not shown", "0", "not shown"]
    assert texts(table.footer) == ["13", "0", "13"]


def test_rows_that_add_up_to_a_total_shown_elsewhere_are_protected_by_it():
    # 7 cases open six months or more (shown in the headline): 2 have an MDT, so "5 do not"
    # would give the 2 away.
    table = agencies([("Recent MDT", [2, 5])], column_totals=False, known_row_totals=True)
    assert table.columns == ("Accepted", "Declined")  # the total is not a column here
    assert texts(table.rows[0]) == ["fewer than 5", "not shown"]
    assert table.footer is None
    # Without a known total, nothing can be subtracted from it.
    unknown = agencies([("Recent MDT", [2, 5])], column_totals=False)
    assert texts(unknown.rows[0]) == ["fewer than 5", "5"]
    with pytest.raises(ValueError, match="known_row_totals"):
        agencies([("Recent MDT", [2, 5])], known_row_totals=True)


def test_the_pdf_chart_writes_each_kind_where_its_bar_would_be():
    root = draw(agencies(POLICE_AND_HOUSING, row_totals=True))
    written = [e.text for e in elements(root, "text", "caspa-suppressed")]
    assert sorted(written) == ["fewer than 5", "not shown", "not shown", "not shown"]
    assert "fewer than 5" in chart_svg(agencies([("Police", [3, 0])]))
