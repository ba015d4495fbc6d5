"""What the search, the people page and the agencies page cost in queries (tests/queries.py):
the same however many records a search finds (it shows the first few of each kind) and
however many people and agencies use CASPA; and within the budget."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from accounts.services import agency_appoint_spoc
from actions import services as action_services
from tests.factories import AgencyFactory, UserFactory, accept, make_referral
from tests.queries import PAGE_QUERY_LIMIT, assert_flat_and_within_budget

SEARCH = reverse("search")


def search_queries(client, term: str) -> list[str]:
    """The SQL of each query one search runs (a POST: the term is in no address), after a
    first search."""
    client.post(SEARCH, {"term": term})
    with CaptureQueriesContext(connection) as captured:
        response = client.post(SEARCH, {"term": term})
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def found_on_the_pathway(rosa, cora, count):
    """`count` people called Alex Example born on 17 May 1980, each with a referral, a case
    and an action: what every kind of search below finds."""
    for n in range(count):
        referral, _ = accept(
            make_referral(rosa, submit=True, nhs_number="", given_names=f"Alex{n}"), cora
        )
        action_services.action_agree(
            case=referral.case,
            by=cora,
            owner_agency=rosa.agency,
            description=f"Visit {n}",
            due_on=date.today(),
        )


@pytest.mark.parametrize(
    "term", ["Example", "17 5 1980", "Example 17 5 1980", "Alex Example", "R-000001"]
)
def test_a_search_costs_the_same_however_much_it_finds(client_for, rosa, cora, term):
    client = client_for(cora)
    found_on_the_pathway(rosa, cora, 1)
    before = search_queries(client, term)
    found_on_the_pathway(rosa, cora, 12)
    make_referral(rosa, family_name="Example")  # a draft, not yet linked to anyone
    after = search_queries(client, term)
    listing = "\n".join(after)
    assert len(after) == len(before), f"{len(before)}, then {len(after)}:\n{listing}"
    assert len(after) <= PAGE_QUERY_LIMIT, listing


def test_the_people_page_costs_the_same_however_many_people(client_for, cora, housing, police):
    def grow():
        for n in range(12):
            agency = AgencyFactory(name=f"Fictional Agency {n}", short_name=f"FA{n}")
            for role in (Role.REFERRER, Role.SPOC):
                user = UserFactory(username=f"{role}{n}", role=role, agency=agency)
                if n % 2:
                    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)

    assert_flat_and_within_budget(client_for(cora), reverse("accounts:people"), grow)


def test_the_agencies_page_costs_the_same_however_many_agencies(client_for, rosa, cora):
    def grow():
        for n in range(12):
            agency = AgencyFactory(name=f"Fictional Agency {n}", short_name=f"FA{n}")
            spoc = UserFactory(username=f"spoc{n}", role=Role.SPOC, agency=agency)
            agency_appoint_spoc(agency=agency, spoc=spoc, by=cora)

    assert_flat_and_within_budget(client_for(rosa), reverse("accounts:agencies"), grow)
