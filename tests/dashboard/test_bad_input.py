"""A period that cannot be shown gets a clear message next to its field, keeps what was
typed, and leaves the last good figures on the page; nothing produces a server error."""

import re
from datetime import date

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from dashboard.forms import PERIOD_FIELDS
from tests.dashboard.records import period_query
from tests.strategies import ANY_VALUE, SLOW_OK

# Run again on SQLite by `make test` (docs/bounded-input.md).
pytestmark = pytest.mark.bad_input

URL = reverse("dashboard:index")
FILTER_URL = reverse("dashboard:period_filter")


def shown_period(page: str) -> str:
    return re.search(r'id="period-shown">Showing ([^<]+)<', page).group(1)


@pytest.fixture
def manager(client_for, maya):
    client = client_for(maya)
    good = client.get(URL, period_query(date(2026, 1, 1), date(2026, 3, 31)))
    assert shown_period(good.text) == "1 January 2026 to 31 March 2026"
    return client


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        (
            period_query(date(2026, 6, 1), date(2026, 5, 1)),
            "end",
            "The end date must be the same as or after the start date",
        ),
        (
            period_query(date(2019, 12, 31), date(2026, 5, 1)),
            "start",
            "The start date must be on or after 1 January 2020, when CASPA&#x27;s records begin",
        ),
        (
            period_query(date(2026, 1, 1), date(2099, 1, 1)),
            "end",
            "The end date must be today or in the past",
        ),
        (
            {**period_query(date(2026, 1, 1), date(2026, 2, 1)), "start_month": "13"},
            "start",
            "The start date must be a real date",
        ),
        (
            {**period_query(date(2026, 1, 1), date(2026, 2, 1)), "end_day": "1st"},
            "end",
            "The end date must be a real date, in numbers, like 27 3 1981",
        ),
        (
            {**period_query(date(2026, 1, 1), date(2026, 2, 1)), "end_year": ""},
            "end",
            "The end date must include a year",
        ),
    ],
)
@pytest.mark.parametrize("sent_by", ["the form", "the address"])
def test_a_wrong_period_is_explained_next_to_its_field_and_the_last_good_one_stays(
    manager, query, field, message, sent_by
):
    # The page's form posts; an address with a period in it (a bookmark, a quick link) reads
    # the same way.
    send = manager.post if sent_by == "the form" else manager.get
    response = send(FILTER_URL if sent_by == "the form" else URL, query)
    assert response.status_code == 200
    page = response.text
    assert "There is a problem" in page
    assert page.count(message) == 2  # in the summary and next to the field
    assert f'href="#id_{field}_day"' in page or f'href="#id_{field}' in page
    assert "govuk-form-group--error" in page
    assert shown_period(page) == "1 January 2026 to 31 March 2026"
    for name, value in query.items():  # what was typed is still in the boxes
        assert f'name="{name}"' in page
        if value != "":
            assert f'value="{value}"' in page


def test_a_good_period_posted_goes_to_the_dashboard_with_its_dates_in_numbers(manager):
    query = period_query(date(2026, 2, 1), date(2026, 4, 30))
    response = manager.post(FILTER_URL, query)
    assert response.status_code == 302
    assert response["Location"] == (
        f"{URL}?start_day=1&start_month=2&start_year=2026&end_day=30&end_month=4&end_year=2026"
        "#period"
    )
    page = manager.get(response["Location"]).text
    assert shown_period(page) == "1 February 2026 to 30 April 2026"


def test_the_period_form_posts_and_its_quick_links_go_to_the_dashboard(manager):
    page = manager.post(FILTER_URL, {"start_day": "Alex"}).text
    assert f'<form method="post" action="{FILTER_URL}"' in page
    assert f'href="{URL}?start_day=' in page
    assert 'href="?' not in page


def test_only_those_who_see_the_dashboard_may_post_a_period(client_for, harriet):
    query = period_query(date(2026, 2, 1), date(2026, 4, 30))
    assert client_for(harriet).post(FILTER_URL, query).status_code == 403


def test_an_unknown_filter_is_named_and_the_last_good_period_stays(manager):
    response = manager.get(URL, {"agency": "Housing", "person": "1"})
    assert response.status_code == 200
    assert "‘agency’, ‘person’, which the dashboard does not have" in response.text
    assert shown_period(response.text) == "1 January 2026 to 31 March 2026"


def test_a_bad_period_on_a_csv_link_goes_back_to_the_page_with_the_message(manager):
    query = period_query(date(2026, 6, 1), date(2026, 5, 1))
    response = manager.get(reverse("dashboard:csv", args=["outcomes"]), query, follow=True)
    assert response.status_code == 200
    assert "The end date must be the same as or after the start date" in response.text


@SLOW_OK
@given(query=st.dictionaries(st.sampled_from(sorted(PERIOD_FIELDS) + ["x"]), ANY_VALUE, max_size=6))
def test_no_query_string_breaks_the_dashboard(client_for_maya, query):
    response = client_for_maya.get(URL, query)
    assert response.status_code == 200


@pytest.fixture
def client_for_maya(client_for, maya):
    return client_for(maya)
