import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_coordinator_signs_in_sees_home_and_signs_out(page, cora, assert_accessible):
    page.goto("/")
    expect(page).to_have_title(re.compile("Sign in"))
    assert_accessible(page)

    page.get_by_label("Username").fill("cora")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Cora")
    assert_accessible(page)
    # People who use CASPA are under Agencies in the header (caspa/navigation.py).
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Agencies").click()
    page.get_by_role("navigation", name="Agencies").get_by_role(
        "link", name="People who use CASPA"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People who use CASPA")
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    assert_accessible(page)

    page.goto("/")
    expect(page).to_have_title(re.compile("Sign in"))


def test_a_wrong_password_is_shown_in_an_error_summary_that_takes_focus(
    page, cora, assert_accessible
):
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill("cora")
    page.get_by_label("Password").fill("not-it")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The username or password is not right")
    expect(summary).to_be_focused()  # GOV.UK Frontend's script ran: CSP let it through
    expect(page.get_by_label("Username")).to_have_value("cora")
    assert_accessible(page)
