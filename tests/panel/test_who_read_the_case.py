"""The case's People part shows the coordinator and admin staff who has looked at the case,
its referral, its person's record and its actions: who, their agency, when, how and what.
Nobody else sees it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.services import action_agree


@pytest.fixture
def action(case, cora, housing):
    return action_agree(
        case=case,
        by=cora,
        owner_agency=housing,
        description="Repair the boiler before the frost",
        due_on=timezone.localdate() + timedelta(days=10),
    )


def people(case):
    return reverse("panel:case_people", args=[case.pk])


@pytest.mark.parametrize("runner", ["cora", "adam"])
def test_the_coordinator_and_admin_staff_see_who_has_looked_at_the_case(
    client_for, case, action, harriet, runner, request
):
    client_for(harriet).get(reverse("actions:detail", args=[action.pk]))
    client_for(harriet).get(reverse("panel:case", args=[case.pk]), headers={"User-Agent": "x"})
    page = client_for(request.getfixturevalue(runner)).get(people(case)).text
    assert "Who has looked at this case" in page
    table = page[page.index('id="who-read"') :]
    assert "Harriet" in table
    assert f'An action, <span class="caspa-ref">{action.reference}</span>' in table
    assert f'The case, <span class="caspa-ref">{case.reference}</span>' in table
    assert "Housing" in table


def test_the_person_record_and_referral_reads_are_listed_with_how_they_were_read(
    client_for, case, cora
):
    client_for(cora).get(reverse("referrals:person", args=[case.person_id]))
    page = client_for(cora).get(people(case)).text
    table = page[page.index('id="who-read"') :]
    person = case.person.reference
    assert f'The person&#x27;s record, <span class="caspa-ref">{person}</span>' in table
    assert '<td class="govuk-table__cell">Page</td>' in table


@pytest.mark.parametrize("other", ["harriet", "chidi", "milo"])
def test_nobody_but_the_coordinators_staff_sees_who_has_looked(
    client_for, case, cora, other, request
):
    client_for(cora).get(reverse("panel:case", args=[case.pk]))
    response = client_for(request.getfixturevalue(other)).get(people(case))
    assert response.status_code == 200
    assert "Who has looked at this case" not in response.text
    assert 'id="who-read"' not in response.text


def test_who_has_looked_costs_one_query_however_many_reads(client_for, case, cora, harriet, action):
    client = client_for(cora)
    client.get(people(case))
    with CaptureQueriesContext(connection) as few:
        client.get(people(case))
    for _ in range(5):
        client_for(harriet).get(reverse("actions:detail", args=[action.pk]))
        client_for(harriet).get(reverse("panel:case", args=[case.pk]))
    with CaptureQueriesContext(connection) as many:
        client.get(people(case))
    assert len(many) == len(few)
