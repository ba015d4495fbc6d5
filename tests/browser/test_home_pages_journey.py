"""Each role's home page in a real browser: a situation is seeded, the user signs in and sees
what they have to do, follows one item's link and lands on the page where it is done. Signing
in again shows what others changed on their cases since the sign-in before."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.services import agency_appoint_spoc
from actions import services as action_services
from actions.models import Action
from panel.chronology import record_event
from panel.models import AgencyReturn, CaseEvent, EventKind, PanelMeeting
from referrals import services as referral_services
from tests.factories import PASSWORD, fill_pathway, make_referral

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, username: str) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Welcome, "))


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def agree(case, cora, agency, due_in_days, what):
    action = action_services.action_agree(
        case=case, by=cora, owner_agency=agency, description=what, due_on=timezone.localdate()
    )
    Action.objects.filter(pk=action.pk).update(
        due_on=timezone.localdate() + timedelta(days=due_in_days)
    )
    return action


def test_the_coordinator_sees_what_to_do_and_opens_an_overdue_action(
    page, rosa, cora, housing, assert_accessible
):
    [(first, _), (second, _)] = fill_pathway(rosa, cora, 2)
    late = agree(first.case, cora, housing, -4, "Repair the heating")
    agree(second.case, cora, housing, 6, "Book a review")
    waiting = make_referral(rosa, submit=True, family_name="Newcomer")
    meeting = PanelMeeting.objects.create(date=timezone.localdate() + timedelta(days=7))

    sign_in(page, "cora")
    assert_accessible(page)
    chase = page.locator("#home-chase")
    expect(chase.locator("li")).to_have_count(1)
    expect(chase).to_contain_text(late.reference)
    expect(chase).to_contain_text("Overdue")
    expect(page.locator("#home-screening")).to_contain_text(waiting.reference)
    expect(page.locator("#home-meeting")).to_contain_text("No agenda yet")
    expect(page.locator("#home-caseload")).to_contain_text("2 of 15 places held")

    chase.get_by_role("link", name=late.reference).click()
    expect(page).to_have_url(re.compile(reverse("actions:detail", args=[late.pk]) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Repair the heating")
    page.go_back()
    page.locator("#home-meeting").get_by_role("link", name=re.compile("Panel meeting of")).click()
    expect(page).to_have_url(re.compile(meeting.get_absolute_url() + "$"))


def test_a_spoc_sees_their_overdue_action_first_and_a_return_due_and_sends_it(
    page, rosa, cora, harriet, housing, assert_accessible
):
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    [(first, _), (second, _)] = fill_pathway(rosa, cora, 2)
    soon = agree(first.case, cora, housing, 3, "Book a review")
    late = agree(second.case, cora, housing, -2, "Repair the heating")
    meeting = PanelMeeting.objects.create(date=timezone.localdate() + timedelta(days=12))
    due = AgencyReturn.objects.create(
        meeting=meeting,
        case=first.case,
        agency=housing,
        requested_on=timezone.localdate(),
        due_on=timezone.localdate() + timedelta(days=4),
    )

    sign_in(page, "harriet")
    assert_accessible(page)
    actions = page.locator("#home-agency-actions li")
    expect(actions.first).to_contain_text(late.reference)
    expect(actions.first).to_contain_text("Overdue")
    expect(actions.nth(1)).to_contain_text(soon.reference)
    page.locator("#home-returns").get_by_role("link", name=re.compile("Return on case")).click()
    expect(page).to_have_url(re.compile(reverse("panel:return", args=[due.pk]) + "$"))
    assert_accessible(page)


def test_signing_in_again_shows_what_others_changed_since(
    page, rosa, cora, harriet, housing, assert_accessible
):
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    [(ours, _)] = fill_pathway(rosa, cora, 1)
    CaseEvent.objects.update(happened_at=timezone.now() - timedelta(days=30))

    sign_in(page, "harriet")
    expect(page.locator("#home-since-heading")).to_be_visible()
    expect(page.get_by_text("This is your first time signing in")).to_be_visible()
    expect(page.locator("#home-since")).to_contain_text("Nothing has changed on your cases")
    sign_out(page)

    record_event(ours.case, "Lead agency appointed: Housing", cora, kind=EventKind.AGENCIES)
    sign_in(page, "harriet")
    since = page.locator("#home-since")
    expect(since).to_contain_text("Lead agency appointed: Housing")
    expect(page.get_by_text("This is your first time signing in")).to_have_count(0)
    assert_accessible(page)
    since.get_by_role("link", name=re.compile(ours.case.reference)).click()
    expect(page).to_have_url(re.compile(ours.case.get_absolute_url() + "$"))


def test_a_referrer_sees_each_referral_and_opens_the_one_with_a_question(
    page, rosa, cora, assert_accessible
):
    draft = make_referral(rosa)
    asked = make_referral(rosa, submit=True, family_name="Asked")
    referral_services.referral_ask_for_information(
        referral_id=asked.pk, by=cora, version=asked.version, question="Which GP do they see?"
    )
    [(accepted, _)] = fill_pathway(rosa, cora, 1)

    sign_in(page, "rosa")
    assert_accessible(page)
    questions = page.locator("#home-questions")
    expect(questions).to_contain_text("Which GP do they see?")
    referrals = page.locator("#home-referrals li")
    expect(referrals.first).to_contain_text(draft.reference)
    expect(referrals.first).to_contain_text("Draft")
    expect(page.locator("#home-referrals")).to_contain_text(
        f"Case {accepted.case.reference} joined the caseload"
    )
    questions.get_by_role("link", name=asked.reference).click()
    expect(page).to_have_url(re.compile(asked.get_absolute_url() + "$"))


def test_the_chair_sees_the_action_escalated_to_them_and_opens_it(
    page, rosa, cora, chidi, housing, assert_accessible
):
    [(first, _), (second, _)] = fill_pathway(rosa, cora, 2)
    stalled = agree(first.case, cora, housing, -30, "Repair the heating")
    Action.objects.filter(pk=stalled.pk).update(escalation_level=2)  # the sweep's doing
    agree(second.case, cora, housing, -3, "Book a review")  # overdue, but not the chair's

    sign_in(page, "chidi")
    assert_accessible(page)
    to_chair = page.locator("#home-chair")
    expect(to_chair.locator("li")).to_have_count(1)
    expect(to_chair).to_contain_text(stalled.reference)
    expect(page.locator("#home-minutes")).to_have_text("No minutes wait for your approval.")
    expect(page.locator("#home-headlines")).to_contain_text("2 of 15")

    to_chair.get_by_role("link", name=stalled.reference).click()
    expect(page).to_have_url(re.compile(reverse("actions:detail", args=[stalled.pk]) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Repair the heating")


def test_a_manager_sees_the_pathway_in_figures_and_opens_the_dashboard(
    page, rosa, cora, maya, assert_accessible
):
    [(first, _), _] = fill_pathway(rosa, cora, 2)

    sign_in(page, "maya")
    assert_accessible(page)
    headlines = page.locator("#home-headlines")
    expect(headlines).to_contain_text("Cases on the pathway")
    expect(page.locator("main")).not_to_contain_text(first.case.reference)  # figures, never cases
    page.get_by_role("link", name=re.compile("dashboard", re.IGNORECASE)).first.click()
    expect(page).to_have_url(re.compile(reverse("dashboard:index") + "$"))
