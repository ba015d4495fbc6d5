from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.services import agency_appoint_spoc
from actions import services
from actions.models import Action
from actions.sweep import run_sweep
from tests.factories import PASSWORD, fill_pathway

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_spoc_sees_their_overdue_action_first_marks_it_done_and_the_escalation_clears(
    page, rosa, cora, harriet, housing, assert_accessible
):
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    [(first, _), (second, _)] = fill_pathway(rosa, cora, 2)
    today = timezone.localdate()
    on_time = services.action_agree(
        case=first.case,
        by=cora,
        owner_agency=housing,
        description="Book a review",
        due_on=today + timedelta(days=1),
    )
    late = services.action_agree(
        case=second.case,
        by=cora,
        owner_agency=housing,
        description="Repair the heating",
        due_on=today,
    )
    Action.objects.filter(pk=late.pk).update(due_on=today - timedelta(days=8))
    run_sweep(today=today)
    late.refresh_from_db()
    assert late.escalation_level == 1

    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill("harriet")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Actions", exact=True).click()
    rows = page.locator("tbody tr")
    expect(rows.first).to_contain_text(late.reference)
    expect(rows.first).to_contain_text("Overdue")
    expect(rows.first).to_contain_text("Escalated to lead agency")
    expect(rows.nth(1)).to_contain_text(on_time.reference)
    assert_accessible(page)

    page.get_by_role("link", name=late.reference).click()
    assert_accessible(page)
    page.get_by_role("radio", name="Done", exact=True).check()
    page.get_by_label("Update").fill("Engineer fixed the boiler on Monday")
    page.get_by_role("button", name="Save the update").click()
    expect(page.get_by_text(f"{late.reference} is updated.")).to_be_visible()
    expect(page.locator("tbody")).not_to_contain_text(late.reference)
    assert_accessible(page)

    late.refresh_from_db()
    assert late.status == "done"
    assert late.escalation_level == 0
