"""The action log as a list that scales: a case box that takes only a case reference and says
so, 25 a page with the shared pager, a message when nothing matches, and the same cost however
many years of finished actions the pathway has kept."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions import services
from actions.models import Action
from tests.factories import fill_pathway, years_of_closed_cases


def log(client, **filters):
    response = client.get(reverse("actions:list"), filters)
    assert response.status_code == 200
    return response.text


def filter_log(client, **filters):
    """The log's filters as the page's form sends them: posted, so that nothing typed reaches
    an address. Returns the response, a redirect when the filters are good."""
    return client.post(reverse("actions:log_filter"), filters)


def shown(page: str) -> list[str]:
    """The action references in the log's table, in order."""
    return re.findall(r'class="govuk-link caspa-ref" href="/actions/\d+/">(A-\d{6})</a>', page)


@pytest.fixture
def open_actions(rosa, cora, housing, asc):
    """Two cases on the caseload with an action each; the second is overdue."""
    cases = [referral.case for referral, _ in fill_pathway(rosa, cora, 2)]
    made = [
        services.action_agree(
            case=case,
            by=cora,
            owner_agency=housing,
            description=f"Visit {n}",
            due_on=timezone.localdate() + timedelta(days=5),
        )
        for n, case in enumerate(cases)
    ]
    Action.objects.filter(pk=made[1].pk).update(due_on=timezone.localdate() - timedelta(days=3))
    return made


@pytest.mark.parametrize("typed", ["Sample0 Person", "R-000001", "C-0", "C-12a", "1985-06-06"])
def test_what_is_not_a_case_reference_is_said_by_the_box_and_filters_nothing(
    client_for, cora, open_actions, typed
):
    response = filter_log(client_for(cora), case=typed)
    assert response.status_code == 200
    page = response.text
    assert "There is a problem" in page
    assert (
        '<a href="#id_case">Enter a case reference, like <span class="caspa-ref">C-000012</span>'
        "</a>"
    ) in page
    # What was typed is kept in its box; no action is shown as if it matched.
    assert f'value="{typed}"' in page
    assert shown(page) == []


def test_a_case_that_does_not_exist_is_said_rather_than_an_empty_log(
    client_for, cora, open_actions
):
    page = filter_log(client_for(cora), case="C-999999").text
    assert 'There is no case <span class="caspa-ref">C-999999</span>: check the reference' in page
    assert shown(page) == []


@pytest.mark.parametrize("form", ["{ref}", "{ref_lower}", "{number}", " {ref} "])
def test_a_case_reference_however_typed_shows_exactly_that_cases_actions(
    client_for, cora, open_actions, form
):
    case = open_actions[1].case
    typed = form.format(ref=case.reference, ref_lower=case.reference.lower(), number=case.pk)
    assert shown(log(client_for(cora), case=typed)) == [open_actions[1].reference]


def test_the_filters_go_to_the_log_with_only_a_reference_and_choices_in_its_address(
    client_for, cora, open_actions, housing
):
    case = open_actions[1].case
    client = client_for(cora)
    response = filter_log(client, case=f"c{case.pk}", agency=housing.pk, status="all", overdue="on")
    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('actions:list')}?case={case.reference}&agency={housing.pk}&status=all&overdue=on"
    )
    page = client.get(response["Location"]).text
    assert shown(page) == [open_actions[1].reference]
    # What was typed is shown in the box as the reference it was taken for.
    assert f'value="{case.reference}"' in page


def test_no_filter_chosen_goes_to_the_whole_log(client_for, cora, open_actions):
    response = filter_log(client_for(cora), case="", sort="due")
    assert response["Location"] == reverse("actions:list")


def test_the_log_page_sends_its_filters_by_post(client_for, cora):
    page = log(client_for(cora))
    assert f'<form method="post" action="{reverse("actions:log_filter")}"' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_only_the_logs_keepers_may_filter_it(client_for, harriet):
    assert filter_log(client_for(harriet), case="C-000001").status_code == 403


def test_the_overdue_filter_and_tag_agree(client_for, cora, open_actions):
    page = log(client_for(cora), overdue="on")
    assert shown(page) == [open_actions[1].reference]
    assert page.count('<strong class="govuk-tag govuk-tag--red">Overdue</strong>') == 1


def test_a_filter_that_matches_nothing_says_so_and_offers_to_clear_it(
    client_for, cora, open_actions
):
    page = log(client_for(cora), status="no_longer_needed")
    assert shown(page) == []
    assert "No action matches these filters." in page
    assert f'<a class="govuk-link" href="{reverse("actions:list")}">Clear the filters</a>' in page


def test_the_log_pages_with_the_shared_pager(client_for, cora, housing):
    years_of_closed_cases(10, by=cora, agencies=[housing], actions_each=3)
    client = client_for(cora)
    first = log(client, status="done", sort="due")
    assert len(shown(first)) == 25
    assert "Page 1 of 2 (1 to 25 of 30)" in first
    assert 'href="?status=done&amp;sort=due&amp;page=2" rel="next"' in first
    second = log(client, status="done", sort="due", page=2)
    assert len(shown(second)) == 5
    assert not set(shown(first)) & set(shown(second))


@pytest.mark.parametrize("status", ["", "all", "done"])
def test_years_of_finished_actions_cost_the_log_nothing_more(
    client_for, cora, open_actions, housing, asc, status
):
    """The same queries and (within a few bytes for the page count) the same page, whether the
    pathway has kept 40 or 160 closed cases, with two finished actions each."""
    client = client_for(cora)

    def measure():
        with CaptureQueriesContext(connection) as queries:
            page = log(client, status=status)
        return len(queries), len(page.encode())

    years_of_closed_cases(40, by=cora, agencies=[housing, asc], actions_each=2)
    queries_small, size_small = measure()
    years_of_closed_cases(120, by=cora, agencies=[housing, asc], actions_each=2)
    queries_large, size_large = measure()
    assert queries_large == queries_small
    assert abs(size_large - size_small) < 100
