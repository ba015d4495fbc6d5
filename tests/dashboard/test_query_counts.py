"""What the dashboard's pages cost in queries (tests/queries.py): the dashboard as a manager and
as the coordinator (who also sees the long-running cases one by one), a breakdown's CSV, the
commentary page and the access report, the same however many cases, referrals, actions,
returns, escalations and reads the years have added; and within the budget. The dashboard's
own count, query by query, is in test_dashboard_page.py."""

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboard import rules
from tests.dashboard.test_access_report import read
from tests.dashboard.test_dashboard_page import pathway
from tests.factories import years_of_closed_cases
from tests.queries import assert_flat_and_within_budget


@pytest.fixture
def grow(cora, housing, asc):
    pathway(cora, housing, cases=2, referrals=6)

    def more():
        pathway(cora, housing, cases=8, referrals=30)
        years_of_closed_cases(30, by=cora, agencies=[housing, asc], actions_each=2)

    return more


def test_the_dashboard_costs_a_manager_the_same_however_many_years(client_for, maya, grow):
    assert_flat_and_within_budget(client_for(maya), reverse("dashboard:index"), grow)


def test_the_dashboard_costs_the_coordinator_the_same_however_many_years(client_for, cora, grow):
    """The coordinator sees the long-running cases one by one too: one query more."""
    assert_flat_and_within_budget(client_for(cora), reverse("dashboard:index"), grow)


@pytest.mark.parametrize("key", ["referrals-by-agency", "case-age", "returns-by-agency"])
def test_a_breakdowns_csv_costs_the_same_however_many_years(client_for, maya, grow, key):
    url = reverse("dashboard:csv", args=[key])
    assert_flat_and_within_budget(client_for(maya), url, grow)


def test_the_commentary_page_costs_the_same_however_many_years(client_for, cora, grow):
    quarter = rules.recent_quarters(timezone.localdate(), 2)[-1]
    url = reverse("dashboard:commentary", args=[rules.quarter_slug(quarter)])
    assert_flat_and_within_budget(client_for(cora), url, grow)


def test_the_access_report_costs_the_same_however_many_reads(client_for, cora, rosa, harriet):
    read(rosa, "referrals.referral", 1)

    def more():
        for n in range(2, 30):
            read(harriet, "referrals.person", n, days_ago=n % 20)
            read(rosa, "referrals.referral", n)

    assert_flat_and_within_budget(client_for(cora), reverse("dashboard:access_report"), more)
