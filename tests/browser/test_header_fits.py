"""The header at the sizes people use: the coordinator's navigation (the longest) on one line
under the bar with the search box, at 1280 by 720 and at 1920 by 1080, the whole header under
150 pixels high; on a phone the navigation folds behind the Menu button."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TALLEST = 150


def sign_in(page, username):
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1920, 1080)])
def test_the_coordinators_navigation_and_the_search_box_fit_one_short_header(
    page, cora, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, "cora")
    items = page.locator(".govuk-service-navigation__item")
    expect(items).to_have_count(8)
    tops = [items.nth(i).bounding_box()["y"] for i in range(items.count())]
    header = page.locator("header").bounding_box()["height"]
    search = page.get_by_role("search", name="Search CASPA").bounding_box()
    print(f"\n{width}×{height}: header {header:.0f} px high; navigation item tops {tops}")
    assert set(tops) == {tops[0]}, f"the navigation wraps at {width} px: {tops}"
    assert header < TALLEST, f"the header is {header} px high at {width}×{height}"
    assert search["y"] < tops[0]  # the box is in the bar above the navigation


def test_on_a_phone_the_navigation_folds_behind_the_menu_button(page, cora):
    page.set_viewport_size({"width": 375, "height": 812})
    sign_in(page, "cora")
    navigation = page.get_by_role("navigation", name="Menu")
    cases = navigation.get_by_role("link", name="Cases")
    expect(cases).to_be_hidden()
    header = page.locator("header").bounding_box()["height"]
    navigation.get_by_role("button", name="Menu").click()
    expect(cases).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    print(f"\n375×812: header {header:.0f} px high, menu folded; page {width} px wide")
    assert width <= 375


def test_a_spocs_header_is_as_short_though_their_role_is_long(page, harriet):
    """ "Agency single point of contact (SPoC)" is read out, not shown: shown, it wrapped."""
    sign_in(page, "harriet")
    header = page.locator("header").bounding_box()["height"]
    print(f"\n1280×720, a SPoC: header {header:.0f} px high")
    assert header < TALLEST
    expect(page.locator(".caspa-header-user")).to_contain_text("Housing")
