"""The case list: open cases by default, filters in the address (never a person's details),
25 a page, and the same cost however many years of closed cases the pathway has kept."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from panel.models import Case, CaseStatus
from panel.permissions import sync_case_access
from tests.factories import fill_pathway, years_of_closed_cases


def case_list(client, **filters):
    response = client.get(reverse("panel:cases"), filters)
    assert response.status_code == 200
    return response.text


def shown(page: str) -> list[str]:
    """The case references in the list's table, in order."""
    return re.findall(r'class="govuk-link caspa-ref" href="/cases/\d+/">(C-\d{6})</a>', page)


@pytest.fixture
def open_cases(rosa, cora, housing, asc):
    """Three cases on the caseload: Housing leads the first, whose review is past; ASC the
    second; the third has no lead yet."""
    cases = [referral.case for referral, _ in fill_pathway(rosa, cora, 3)]
    today = timezone.localdate()
    Case.objects.filter(pk=cases[0].pk).update(
        lead_agency=housing, status=CaseStatus.ACTIVE, next_review_on=today - timedelta(days=2)
    )
    Case.objects.filter(pk=cases[1].pk).update(
        lead_agency=asc, status=CaseStatus.ACTIVE, next_review_on=today + timedelta(days=30)
    )
    return cases


def test_by_default_the_list_shows_only_the_open_cases(client_for, cora, open_cases, housing):
    closed = years_of_closed_cases(3, by=cora, agencies=[housing])
    page = case_list(client_for(cora))
    # The next review first, soonest first; a case with no review date last.
    assert shown(page) == [case.reference for case in open_cases]
    assert closed[0].reference not in page
    assert "3 cases." in page


def test_the_status_filter_shows_exactly_the_cases_of_that_status(
    client_for, cora, open_cases, housing
):
    closed = years_of_closed_cases(3, by=cora, agencies=[housing])
    not_adopted = open_cases[2]
    Case.objects.filter(pk=not_adopted.pk).update(
        status=CaseStatus.NOT_ADOPTED, closed_at=timezone.now()
    )
    client = client_for(cora)
    # Most recently closed first.
    latest_first = sorted(closed, key=lambda c: c.closed_at, reverse=True)
    assert shown(case_list(client, status="closed")) == [c.reference for c in latest_first]
    assert shown(case_list(client, status="not_adopted")) == [not_adopted.reference]
    assert set(shown(case_list(client, status="all"))) == {
        c.reference for c in [*open_cases, *closed]
    }


def test_lead_agency_and_review_overdue_filters(client_for, cora, open_cases, housing, asc):
    client = client_for(cora)
    assert shown(case_list(client, lead_agency=housing.pk)) == [open_cases[0].reference]
    assert shown(case_list(client, lead_agency=asc.pk)) == [open_cases[1].reference]
    page = case_list(client, review_overdue="on")
    assert shown(page) == [open_cases[0].reference]
    assert "Review overdue" in page


def test_the_closed_year_filter_shows_the_cases_that_left_that_year(client_for, cora, housing):
    closed = years_of_closed_cases(10, by=cora, agencies=[housing], years=10)
    year = closed[4].closed_at.astimezone(timezone.get_current_timezone()).year
    expected = {
        c.reference
        for c in closed
        if c.closed_at.astimezone(timezone.get_current_timezone()).year == year
    }
    # No status chosen: a year asks for the cases that left the pathway that year.
    page = case_list(client_for(cora), closed_year=year)
    assert set(shown(page)) == expected
    assert '<option value="left" selected>Closed or not adopted</option>' in page


def test_a_filter_that_matches_nothing_says_so_and_offers_to_clear_it(
    client_for, cora, open_cases, police
):
    page = case_list(client_for(cora), lead_agency=police.pk)
    assert shown(page) == []
    assert "No case matches these filters." in page
    assert f'<a class="govuk-link" href="{reverse("panel:cases")}">Clear the filters</a>' in page


def test_a_wrong_filter_is_said_by_its_box_and_shows_no_list(client_for, cora, open_cases):
    page = case_list(client_for(cora), status="everything", sort="sideways")
    assert "There is a problem" in page
    assert "Select a valid choice. everything is not one of the available choices." in page
    assert shown(page) == []
    assert "Correct the filters above to see the cases." in page


def test_a_spoc_lists_only_the_cases_their_agency_is_part_of(
    client_for, cora, harriet, open_cases, police
):
    elsewhere = open_cases[1]
    elsewhere.involved_agencies.set([police])
    sync_case_access(elsewhere)
    page = case_list(client_for(harriet), status="all")
    assert elsewhere.reference not in shown(page)
    assert open_cases[0].reference in shown(page)


def test_the_list_pages_through_25_at_a_time(client_for, cora, housing):
    years_of_closed_cases(30, by=cora, agencies=[housing])
    client = client_for(cora)
    first = case_list(client, status="closed")
    assert len(shown(first)) == 25
    assert "Page 1 of 2 (1 to 25 of 30)" in first
    second = case_list(client, status="closed", page=2)
    assert len(shown(second)) == 5
    assert not set(shown(first)) & set(shown(second))


@pytest.mark.parametrize("status", ["open", "closed", "all"])
def test_years_of_closed_cases_cost_the_list_nothing_more(
    client_for, cora, open_cases, housing, asc, status
):
    """The same queries and (within a few bytes for the page count) the same page, whether the
    pathway has kept 40 or 160 closed cases."""
    client = client_for(cora)

    def measure():
        with CaptureQueriesContext(connection) as queries:
            page = case_list(client, status=status)
        return len(queries), len(page.encode())

    years_of_closed_cases(40, by=cora, agencies=[housing, asc])
    queries_small, size_small = measure()
    years_of_closed_cases(120, by=cora, agencies=[housing, asc])
    queries_large, size_large = measure()
    assert queries_large == queries_small
    assert abs(size_large - size_small) < 100
