"""The shared risk assessment and plan, as the panel uses it: agencies send their returns
before the meeting, the coordinator reviews the case at the meeting screen, and the case
steps down only once a review has brought its risk below high."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import Action
from actions.services import action_update
from panel import assessment, meetings, returns
from panel import services as panel_services
from panel.models import Achievement, CaseStatus, PanelMeeting, RiskReview
from panel.reviews import assessment_review
from tests.factories import PASSWORD, fill_pathway

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username):
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def an_adopted_case_with_a_high_risk(rosa, cora, housing, police, asc):
    """Adopted a month ago, Housing leading, Police and Adult Social Care involved; one risk
    scored high (4 × 4), reviewed at high four weeks ago."""
    [(referral, _)] = fill_pathway(rosa, cora, 1)
    case = referral.case
    today = timezone.localdate()
    adopted_at = PanelMeeting.objects.create(date=today - timedelta(days=28))
    case = panel_services.case_adopt(
        case_id=case.pk, by=cora, version=case.version, meeting=adopted_at
    )
    case = panel_services.case_set_agencies(
        case_id=case.pk, by=cora, version=case.version, agencies=[housing, police, asc]
    )
    case = panel_services.case_appoint_lead(
        case_id=case.pk,
        by=cora,
        version=case.version,
        agency=housing,
        officer="Harriet Lomax, tenancy lead",
        reason="Holds the tenancy and visits weekly",
    )
    risk = assessment.risk_add(
        case_id=case.pk,
        by=cora,
        description="Eviction for rent arrears, with nowhere safe to go",
        to_whom=["person"],
        likelihood=4,
        severity=4,
        monitored_by=housing,
    )
    assessment.desired_outcome_add(case_id=case.pk, by=cora, outcome="To stay in my own flat.")
    case.refresh_from_db()
    review = assessment_review(case_id=case.pk, by=cora, version=case.version, level="high")
    RiskReview.objects.filter(pk=review.pk).update(reviewed_on=today - timedelta(days=28))
    return case, risk


def test_returns_a_review_at_the_meeting_and_a_step_down_once_the_risk_is_below_high(
    page, rosa, cora, harriet, piers, housing, police, asc, assert_accessible
):
    case, risk = an_adopted_case_with_a_high_risk(rosa, cora, housing, police, asc)
    today = timezone.localdate()
    meeting = PanelMeeting.objects.create(date=today + timedelta(days=3))
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    asked = returns.run_returns_sweep(today=today)
    assert asked.returns_asked == 3  # Housing, Police and Adult Social Care

    # Two SPoCs send their returns from their home pages.
    for username, contact in (("harriet", "Seen at home twice"), ("piers", "One welfare check")):
        sign_in(page, username)
        page.get_by_role("link", name=f"Return on case {case.reference}").click()
        assert_accessible(page)
        page.get_by_label("Contact with the person since the last panel").fill(contact)
        page.get_by_label("What has changed").fill("The possession hearing is adjourned.")
        page.get_by_role("button", name="Send the return").click()
        expect(page.get_by_role("alert", name="Success")).to_contain_text("return")
        sign_out(page)

    # At the meeting screen the coordinator sees what changed and who has not sent a return.
    sign_in(page, "cora")
    screen = reverse("panel:screen", args=[meeting.pk, 1])
    page.goto(screen)
    since = page.locator("#control-summary")
    expect(since).to_contain_text("Housing")
    expect(since).to_contain_text("Bedfordshire Police")
    expect(page.get_by_text("No return from Adult Social Care").first).to_be_visible()
    assert_accessible(page)

    # Re-scores the risk (still high) and adds its contingency, from the screen and back.
    page.get_by_text("Re-score or change a risk").click()
    page.get_by_role("link", name=re.compile("re-score or change", re.IGNORECASE)).click()
    assert_accessible(page)
    page.get_by_role("group", name="How likely is it?").get_by_label(re.compile(r"^3")).check()
    page.get_by_label("If this happens").fill("A warrant for possession is issued")
    page.get_by_label("Who does what").fill("Housing asks the court to adjourn; ASC finds a room")
    page.get_by_label("Who to contact out of hours").fill("Housing out-of-hours (fictional)")
    page.get_by_role("button", name="Save the risk").click()
    expect(page).to_have_url(re.compile(rf"{screen}$"))
    expect(page.get_by_text("Likelihood 3 × severity 4 = 12")).to_be_visible()
    expect(page.get_by_text("A warrant for possession is issued", exact=False)).to_be_visible()

    # Agrees an action to reduce that risk, then reviews the assessment: still high.
    page.get_by_label("What is to be done").fill("Set up a payment plan with the landlord")
    page.get_by_label("Owning agency").select_option(label="Housing")
    due = today + timedelta(days=14)
    agree = page.locator("form", has=page.get_by_label("What is to be done"))
    agree.get_by_label("Day").fill(str(due.day))
    agree.get_by_label("Month").fill(str(due.month))
    agree.get_by_label("Year").fill(str(due.year))
    agree.get_by_label("The risk it reduces (optional)").select_option(index=1)
    page.get_by_role("button", name="Agree the action").click()
    expect(page.get_by_text("Set up a payment plan with the landlord").first).to_be_visible()
    assert Action.objects.get(case=case).risk == risk
    review_form = page.locator("form", has=page.get_by_role("button", name="Record the review"))
    review_form.get_by_label("High").check()
    review_form.get_by_role("button", name="Record the review").click()
    expect(page.get_by_text("The review is recorded: high")).to_be_visible()
    assert case.reviews.count() == 2

    # The case page shows the band over time; a step-down is refused while it is high.
    page.goto(case.get_absolute_url())
    levels = page.get_by_role("table", name=re.compile("Each review"))
    expect(levels.locator("tbody tr")).to_have_count(2)
    expect(page.get_by_text("Steady since the review before")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Close the case").click()
    page.get_by_label("Risk reduced: stepped down to one agency").check()
    page.get_by_label("Agency taking the case on").select_option(label="Housing")
    page.get_by_label("What the agency will keep doing").fill("Fortnightly tenancy visits")
    page.get_by_label("The contingency it inherits").fill("If arrears return, call ASC")
    closing = page.get_by_role("group", name="Date the panel agreed to close it")
    for label, value in (("Day", today.day), ("Month", today.month), ("Year", today.year)):
        closing.get_by_label(label).fill(str(value))
    page.get_by_role("button", name="Close the case").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The latest review put the risk")
    expect(page.get_by_label("What the agency will keep doing")).to_have_value(
        "Fortnightly tenancy visits"
    )
    assert_accessible(page)

    # A review lowers it: the risk re-scored to medium (2 × 4 = 8), reviewed at medium.
    page.goto(case.get_absolute_url())
    page.get_by_role("link", name=re.compile(r"^Change\s+the risk")).click()
    page.get_by_role("group", name="How likely is it?").get_by_label(re.compile(r"^2")).check()
    page.get_by_role("button", name="Save the risk").click()
    review_form = page.locator("form", has=page.get_by_role("button", name="Record the review"))
    review_form.get_by_label("Medium").check()
    review_form.get_by_role("button", name="Record the review").click()
    expect(page.get_by_text("Falling since the review before")).to_be_visible()

    # Housing's SPoC has done the action (a case with open actions does not close); the
    # person's desired outcome is marked, and the step-down is accepted.
    action = Action.objects.get(case=case)
    action_update(action_id=action.pk, by=harriet, version=action.version, status="done")
    page.get_by_role("link", name="Close the case").click()
    assert_accessible(page)
    outcome_form = page.locator("form", has=page.get_by_text("Was it achieved?"))
    outcome_form.get_by_label("Partly achieved").check()
    outcome_form.get_by_role("button").click()
    page.get_by_label("Risk reduced: stepped down to one agency").check()
    page.get_by_label("Agency taking the case on").select_option(label="Housing")
    page.get_by_label("What the agency will keep doing").fill("Fortnightly tenancy visits")
    page.get_by_label("The contingency it inherits").fill("If arrears return, call ASC")
    closing = page.get_by_role("group", name="Date the panel agreed to close it")
    for label, value in (("Day", today.day), ("Month", today.month), ("Year", today.year)):
        closing.get_by_label(label).fill(str(value))
    page.get_by_role("button", name="Close the case").click()
    expect(page).to_have_url(re.compile(rf"{case.get_absolute_url()}$"))
    expect(page.get_by_text("Fortnightly tenancy visits").first).to_be_visible()
    assert_accessible(page)

    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.step_down_agency == housing
    assert list(case.desired_outcomes.values_list("achievement", flat=True)) == [Achievement.PARTLY]
