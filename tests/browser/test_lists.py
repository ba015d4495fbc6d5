"""The lists in a browser. On a 375 px phone the page never scrolls sideways (a list's rows stack;
a wide table scrolls inside its own box, which the keyboard can reach; a screenshot of the
action log is kept in /tmp). Their filtered, empty and wrong states pass axe."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from actions import services
from tests.factories import PASSWORD, fill_pathway, years_of_closed_cases

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
SCREENSHOT = "/tmp/caspa-action-log-375.png"


def sign_in(page, username):
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_on_a_phone_the_action_log_does_not_scroll_sideways(
    page, rosa, cora, housing, asc, assert_accessible
):
    cases = [referral.case for referral, _ in fill_pathway(rosa, cora, 3)]
    for case in cases:
        case.involved_agencies.add(asc)
    today = timezone.localdate()
    for n in range(30):
        services.action_agree(
            case=cases[n % 3],
            by=cora,
            owner_agency=[housing, asc][n % 2],
            description=f"Arrange a joint visit with the district nurse and the landlord ({n})",
            due_on=today + timedelta(days=n + 1),
        )
    page.set_viewport_size(PHONE)
    sign_in(page, "cora")
    page.goto(reverse("actions:list"))
    expect(page.locator("tbody tr")).to_have_count(25)
    width = page_width(page)
    page.screenshot(path=SCREENSHOT, full_page=True)
    print(f"\nAction log at 375 px: the page is {width} px wide; screenshot {SCREENSHOT}")
    assert width <= PHONE["width"]
    # The table's own box takes the keyboard's focus, so that it can be scrolled without a mouse.
    table_box = page.get_by_role("region", name="Actions matching the filters")
    table_box.focus()
    expect(table_box).to_be_focused()
    assert_accessible(page)


@pytest.mark.parametrize("list_name", ["panel:cases", "referrals:screening_queue"])
def test_on_a_phone_the_other_lists_do_not_scroll_sideways(
    page, rosa, cora, housing, asc, list_name, assert_accessible
):
    fill_pathway(rosa, cora, 3)
    years_of_closed_cases(30, by=cora, agencies=[housing, asc])
    page.set_viewport_size(PHONE)
    sign_in(page, "cora")
    page.goto(reverse(list_name) + ("?status=closed" if list_name == "panel:cases" else ""))
    width = page_width(page)
    print(f"\n{list_name} at 375 px: the page is {width} px wide")
    assert width <= PHONE["width"]
    assert_accessible(page)


def test_the_lists_filtered_empty_and_wrong_pass_axe(page, rosa, cora, housing, assert_accessible):
    """Each list's states besides the usual one: filtered, matching nothing, a wrong filter."""
    fill_pathway(rosa, cora, 2)
    years_of_closed_cases(30, by=cora, agencies=[housing], actions_each=1)
    sign_in(page, "cora")
    states = [
        (reverse("panel:cases") + "?status=closed&page=2", "Page 2 of 2"),
        (reverse("panel:cases") + "?status=not_adopted", "No case matches these filters."),
        (reverse("panel:cases") + "?status=everything", "There is a problem"),
        (reverse("actions:list") + "?status=done", "30 actions."),
        (reverse("actions:list") + "?status=not_done", "No action matches these filters."),
        (reverse("actions:list") + "?case=Sample0", "There is a problem"),
        (reverse("referrals:screening_queue") + f"?agency={housing.pk}", "No referral waiting"),
        (reverse("referrals:screening_queue") + "?show=everything", "There is a problem"),
    ]
    for path, says in states:
        page.goto(path)
        expect(page.locator("main")).to_contain_text(says)
        assert_accessible(page)


def test_on_a_phone_the_case_pages_and_a_referrers_list_do_not_scroll_sideways(
    page, rosa, cora, housing, asc
):
    from panel import assessment
    from panel.services import case_set_agencies

    [(referral, _)] = fill_pathway(rosa, cora, 1)
    case = referral.case
    case_set_agencies(case_id=case.pk, by=cora, version=case.version, agencies=[housing, asc])
    assessment.capacity_record(
        case_id=case.pk,
        by=cora,
        decision="Whether to accept help to clear the flat of what blocks the fire exits",
        assessed_by="A social worker from the community team for adults with complex needs",
        assessed_on=timezone.localdate() - timedelta(days=20),
        outcome="has_capacity",
        notes="Understood, retained and weighed the risks of a fire, and said what he wants.",
    )
    services.action_agree(
        case=case,
        by=cora,
        owner_agency=housing,
        description="Arrange a joint visit with the district nurse and the landlord",
        due_on=timezone.localdate() + timedelta(days=9),
    )
    page.set_viewport_size(PHONE)
    sign_in(page, "cora")
    widths = {}
    for name in ("panel:case", "panel:case_actions", "panel:case_people", "panel:case_meetings"):
        page.goto(reverse(name, args=[case.pk]))
        widths[name] = page_width(page)
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "rosa")
    page.goto(reverse("referrals:list"))
    widths["referrals:list"] = page_width(page)
    print(f"\nPage widths at 375 px: {widths}")
    assert all(width <= PHONE["width"] for width in widths.values()), widths
