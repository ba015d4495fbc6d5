import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from panel import meetings
from panel.models import CaseStatus, PanelMeeting
from tests.factories import PASSWORD, fill_pathway

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_coordinator_builds_an_agenda_and_runs_the_meeting_screen_by_keyboard(
    page, rosa, cora, housing, assert_accessible
):
    [(first, _), (second, _)] = fill_pathway(rosa, cora, 2)
    # A meeting in the future, whenever the test runs: the list shows it as coming up.
    meeting = PanelMeeting.objects.create(date=date.today() + timedelta(days=14))

    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill("cora")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Meetings").click()
    assert_accessible(page)

    page.get_by_role(
        "link", name=f"{meeting.date:%A} {meeting.date.day} {meeting.date:%B %Y}"
    ).click()
    page.get_by_role("button", name="Add new referrals and every open case").click()
    expect(page.get_by_text("Added 2 new referrals to the agenda.")).to_be_visible()
    move_down = re.compile(rf"Move down\s*: New referral: .*{first.case.reference}")
    page.get_by_role("button", name=move_down).click()
    expect(page.locator("main ol > li").first).to_contain_text(second.case.reference)
    assert_accessible(page)

    page.get_by_role("button", name="Open the meeting screen").click()
    expect(page.get_by_role("heading", name="Confidentiality")).to_be_visible()
    assert_accessible(page)

    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"/screen/1/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(second.case.reference)
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("heading", level=1)).to_contain_text(first.case.reference)
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_role("heading", level=1)).to_contain_text(second.case.reference)
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("heading", level=1)).to_contain_text(first.case.reference)
    assert_accessible(page)

    page.get_by_role("button", name="Adopt the case").click()
    expect(page.get_by_text(f"{first.case.reference} adopted.")).to_be_visible()
    page.get_by_label("Lead agency", exact=True).select_option(label="Housing")
    page.get_by_label("Lead responsible officer").fill("Harriet Lomax, tenancy lead")
    page.get_by_label("Why this agency leads").fill("Holds the tenancy and visits weekly")
    page.get_by_role("button", name="Record the lead agency").click()
    expect(page.get_by_text("The lead agency is recorded in the chronology.")).to_be_visible()
    page.get_by_label("What is to be done").fill("Arrange a joint home visit")
    page.get_by_label("Owning agency").select_option(label="Housing")
    due = date.today() + timedelta(days=14)
    due_by = page.get_by_role("group", name="Due by")
    due_by.get_by_label("Day").fill(str(due.day))
    due_by.get_by_label("Month").fill(str(due.month))
    due_by.get_by_label("Year").fill(str(due.year))
    page.get_by_role("button", name="Agree the action").click()
    expect(page.get_by_text("Arrange a joint home visit")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Minute of this item").fill("Adopted. Housing leads.")
    page.keyboard.press("ArrowRight")  # typing: the arrow key stays in the text box
    expect(page).to_have_url(re.compile(r"/screen/2/$"))
    page.get_by_role("button", name="Save the minute").click()
    expect(page.get_by_text("Minute saved.")).to_be_visible()
    assert_accessible(page)

    first.case.refresh_from_db()
    assert first.case.status == CaseStatus.ACTIVE
    assert first.case.lead_agency == housing


def sign_in(page, username):
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_the_chair_approves_the_minutes_and_closing_a_case_frees_a_place(
    page, rosa, cora, chidi, housing, assert_accessible
):
    results = fill_pathway(rosa, cora, 16)
    meeting = PanelMeeting.objects.create(date=date(2026, 11, 10))
    [item, *_] = meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    meetings.agenda_item_record(
        item_id=item.pk, by=cora, version=item.version, minute="Adopted; Housing leads."
    )

    sign_in(page, "chidi")
    page.get_by_role("link", name="Meetings").click()
    page.get_by_role("link", name="10 November 2026").click()
    page.get_by_role("link", name=re.compile("Minutes")).click()
    assert_accessible(page)
    page.get_by_role("button", name="Approve the minutes").click()
    expect(page.get_by_text("Approving locks: the decisions, actions")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Approve and lock the minutes").click()
    expect(page.get_by_text("The minutes are approved.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    case = results[0][0].case
    waiting = results[15][0]
    sign_in(page, "cora")
    page.get_by_role("link", name="Cases").click()
    expect(page.get_by_text("1 waiting for a place")).to_be_visible()
    page.get_by_role("link", name=case.reference).click()
    assert_accessible(page)
    page.get_by_role("link", name="Close the case").click()
    expect(page.get_by_role("heading", name="Close the case", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Close the case").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select the outcome: a case cannot close without one"
    )
    assert_accessible(page)
    page.get_by_label("Moved out of the area").check()
    closing = page.get_by_role("group", name="Date the panel agreed to close it")
    closing.get_by_label("Day").fill("10")
    closing.get_by_label("Month").fill("11")
    closing.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Close the case").click()
    expect(page.get_by_text(f"A place came free: {waiting.reference}")).to_be_visible()
    assert_accessible(page)

    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    waiting.case.refresh_from_db()
    assert waiting.case.status == CaseStatus.AWAITING_PANEL
