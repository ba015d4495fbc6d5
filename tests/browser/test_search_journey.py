"""Searching from the header: the coordinator types a name, sees the person, their referral
and their case, and opens the case; a SPoC finds their agency's case the same way. The term
travels in the form's body, never in the address."""

import pytest
from playwright.sync_api import Page, expect

from accounts.services import agency_appoint_spoc
from tests.factories import PASSWORD, fill_pathway

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, username: str) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def search_from_the_header(page: Page, term: str) -> None:
    header = page.get_by_role("search", name="Search CASPA")
    header.get_by_label("Search by name, date of birth, NHS number or reference").fill(term)
    header.get_by_role("button", name="Search").click()


def test_the_coordinator_finds_a_person_by_name_and_opens_their_case(
    page, rosa, cora, assert_accessible
):
    [(referral, _)] = fill_pathway(rosa, cora, 1)
    case = referral.case
    sign_in(page, "cora")
    search_from_the_header(page, "sample0")

    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.get_by_role("heading", name="3 results for a name")).to_be_visible()
    people = page.get_by_role("table", name="People records found")
    expect(people).to_contain_text("Alex Sample0")
    expect(people).to_contain_text("1 January 1950")
    expect(page.get_by_role("table", name="Referrals found")).to_contain_text(referral.reference)
    assert "sample0" not in page.url.lower()
    assert_accessible(page)
    page.set_viewport_size({"width": 375, "height": 812})  # on a phone, no sideways scroll
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size({"width": 1280, "height": 720})

    page.get_by_role("table", name="Cases found").get_by_role("link", name=case.reference).click()
    expect(page).to_have_url(f"{page.url.split('/cases/')[0]}/cases/{case.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alex Sample0")


def test_a_spoc_finds_their_agencys_case_by_a_name_that_sounds_like_it(
    page, rosa, cora, harriet, housing, assert_accessible
):
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    [(referral, _)] = fill_pathway(rosa, cora, 1)
    sign_in(page, "harriet")
    search_from_the_header(page, "Sampel0")  # misspelt: it sounds the same (S514)

    expect(page.get_by_role("table", name="People records found")).to_have_count(0)
    cases = page.get_by_role("table", name="Cases found")
    expect(cases).to_contain_text("Alex Sample0")
    assert_accessible(page)
    cases.get_by_role("link", name=referral.case.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alex Sample0")


def test_a_term_too_short_is_shown_by_the_box_and_kept(page, cora, assert_accessible):
    sign_in(page, "cora")
    search_from_the_header(page, "x")
    expect(page.get_by_role("alert")).to_contain_text("Enter at least 2 letters or numbers")
    box = page.locator("#search-term")
    expect(box).to_have_value("x")
    assert_accessible(page)
