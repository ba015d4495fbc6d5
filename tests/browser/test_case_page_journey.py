"""The case page read in parts: the coordinator follows the sub-navigation (the summary on
every page), filters the chronology, opens an action from its reference and comes back to the
case by the action page's link."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actions import services as action_services
from panel import services as panel_services
from tests.factories import PASSWORD, fill_pathway

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username):
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def test_the_coordinator_finds_their_way_around_a_case(
    page, rosa, cora, housing, police, assert_accessible
):
    [(referral, _)] = fill_pathway(rosa, cora, 1)
    case = referral.case
    case = panel_services.case_set_agencies(
        case_id=case.pk, by=cora, version=case.version, agencies=[housing, police]
    )
    case = panel_services.case_appoint_lead(
        case_id=case.pk,
        by=cora,
        version=case.version,
        agency=housing,
        officer="Dana Reed, housing officer",
        reason="Holds the tenancy",
    )
    action = action_services.action_agree(
        case=case,
        by=cora,
        owner_agency=police,
        description="Visit with the neighbourhood team",
        due_on=timezone.localdate() + timedelta(days=7),
    )

    sign_in(page, "cora")
    page.goto(case.get_absolute_url())
    summary = page.locator(".caspa-case-summary")
    nav = page.get_by_role("navigation", name=f"Parts of case {case.reference}")
    for part, heading in (
        ("Actions", "Actions"),
        ("Meetings", "Meetings"),
        ("People involved", "People involved"),
        ("Chronology", "Chronology"),
    ):
        nav.get_by_role("link", name=part).click()
        expect(page.get_by_role("heading", level=2, name=heading, exact=True)).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_have_text(str(case.person))
        expect(summary).to_contain_text("Housing: Dana Reed, housing officer")
        expect(nav.get_by_role("link", name=part)).to_have_attribute("aria-current", "page")
        assert_accessible(page)

    # The chronology, filtered to its actions: only the action's line.
    page.get_by_label("Show").select_option(label="Actions")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"\?kind=actions$"))
    expect(page.get_by_text("1 entry about actions, newest first.")).to_be_visible()
    expect(page.locator(".caspa-chronology li")).to_have_count(1)
    expect(page.locator(".caspa-chronology")).to_contain_text(f"Action {action.reference} agreed")
    page.get_by_label("Show").select_option(label="Agencies' returns")
    page.get_by_role("button", name="Show").click()
    expect(
        page.get_by_text("Nothing in the chronology is about agencies' returns yet.")
    ).to_be_visible()

    # From the action's reference to its page, and back to the case by its link.
    nav.get_by_role("link", name="Actions").click()
    page.get_by_role("link", name=action.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Visit with the neighbourhood team")
    expect(page.get_by_text("Housing: Dana Reed, housing officer")).to_be_visible()
    assert_accessible(page)
    page.locator("main").get_by_role("link", name=case.reference, exact=True).click()
    expect(page).to_have_url(re.compile(f"{case.get_absolute_url()}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(str(case.person))
    expect(nav.get_by_role("link", name="Plan")).to_have_attribute("aria-current", "page")
