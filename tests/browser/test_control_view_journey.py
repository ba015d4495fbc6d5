"""The coordinator runs a meeting from the control view: each decision saved in place (htmx)
without losing what is typed elsewhere; drafts kept on the server as they type; moving on with
unsaved text warns first; someone else's change is shown beside what was typed."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from panel import meetings, services
from panel.models import ItemDraft, PanelMeeting
from tests.factories import PASSWORD, fill_pathway

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def no_console_errors(page):
    """As in conftest.py, but for the one refusal this journey provokes on purpose: the save
    that meets someone else's change is answered 409 (Chromium reports it on the console)."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))
    yield
    unexpected = [e for e in errors if "409" not in e]
    assert unexpected == []
    assert len(errors) - len(unexpected) <= 2  # the one 409, as a response and on the console


def sign_in(page, username):
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def tabs_to(page, name: str, most: int = 40) -> int:
    """Tab presses from the top of the main content (the skip link's target) to the button."""
    page.keyboard.press("Home")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Enter")  # focuses <main>
    expect(page.locator("#main-content")).to_be_focused()
    for presses in range(1, most + 1):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return presses
    raise AssertionError(f"{name!r} not reached in {most} Tab presses")


def test_the_coordinator_runs_the_meeting_from_the_control_view(
    page, rosa, cora, housing, assert_accessible
):
    [(first, _), (second, _)] = fill_pathway(rosa, cora, 2)
    meeting = PanelMeeting.objects.create(date=timezone.localdate())
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    case = meeting.items.get(position=1).case

    sign_in(page, "cora")
    page.goto(f"/cases/meetings/{meeting.pk}/screen/0/")
    expect(page.get_by_role("heading", name="Opening")).to_be_visible()
    expect(page.get_by_text("Not started")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Start the meeting").click()
    expect(page.get_by_text("The meeting has started")).to_be_visible()
    expect(page.get_by_text("Running", exact=True)).to_be_visible()

    # Moving moves the room.
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"/screen/1/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)
    meeting.refresh_from_db()
    assert meeting.current_position == 1
    expect(page.get_by_text("the room is showing item 1")).to_be_visible()
    assert_accessible(page)

    presses = tabs_to(page, "Adopt the case")
    print(f"Tab presses from the top of the main content to “Adopt the case”: {presses}")
    assert presses <= 5

    # A minute typed, then the lead agency saved: in place, the minute still in its box.
    page.evaluate("window.controlMarker = 'no reload'")
    page.get_by_label("Minute of this item").fill("Adopted. Housing leads.")
    page.get_by_label("Lead agency", exact=True).select_option(label="Housing")
    page.get_by_label("Why this agency leads").fill("Holds the tenancy and visits weekly")
    page.get_by_role("button", name="Record the lead agency").click()
    expect(page.get_by_text("The lead agency is recorded in the chronology.")).to_be_visible()
    expect(page.locator("[data-summary-lead]")).to_have_text("Housing")
    expect(page.get_by_label("Minute of this item")).to_have_value("Adopted. Housing leads.")
    assert page.evaluate("window.controlMarker") == "no reload"
    expect(page).to_have_url(re.compile(r"/screen/1/$"))
    expect(page.get_by_label("Why this agency leads")).to_have_value("")
    case.refresh_from_db()
    assert case.lead_agency == housing

    # The minute is not saved: the first → warns, the second moves on.
    page.locator("#decision-lead-heading").focus()
    page.keyboard.press("ArrowRight")
    warning = page.get_by_role("alert").filter(has_text="not saved yet")
    expect(warning).to_contain_text(
        "You have typed text that is not saved yet in: Minute. It is kept as a draft. "
        "Press → again to move on, or save it first."
    )
    expect(page).to_have_url(re.compile(r"/screen/1/$"))
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"/screen/2/$"))
    assert ItemDraft.objects.get(user=cora, field="minute-minute").text == (
        "Adopted. Housing leads."
    )

    # Back again: the draft is back in its box, and says so.
    page.get_by_role("button", name=re.compile("Previous")).click()
    expect(page).to_have_url(re.compile(r"/screen/1/$"))
    expect(page.get_by_label("Minute of this item")).to_have_value("Adopted. Housing leads.")
    expect(page.get_by_text("Draft kept from")).to_be_visible()

    # Someone else changes the lead meanwhile: shown beside what was typed, which is kept.
    page.get_by_label("Lead responsible officer").fill("Harriet Lomax, tenancy lead")
    page.get_by_label("Why this agency leads").fill("Knows her best")
    case.refresh_from_db()
    services.case_appoint_lead(
        case_id=case.pk,
        by=cora,
        version=case.version,
        agency=housing,
        officer="Sam Other, housing officer",
        reason="Agreed on the phone",
    )
    page.evaluate("window.controlMarker = 'still no reload'")
    page.get_by_role("button", name="Record the lead agency").click()
    conflict = page.locator("#decision-lead table")
    expect(conflict).to_be_visible()
    expect(conflict.locator("thead")).to_contain_text("Saved by the other person")
    expect(conflict.locator("thead")).to_contain_text("What you typed")
    officer = conflict.get_by_role("row", name=re.compile("Lead responsible officer"))
    expect(officer).to_contain_text("Sam Other, housing officer")
    expect(officer).to_contain_text("Harriet Lomax, tenancy lead")
    expect(page.get_by_label("Lead responsible officer")).to_have_value(
        "Harriet Lomax, tenancy lead"
    )
    expect(page.get_by_label("Why this agency leads")).to_have_value("Knows her best")
    expect(page.get_by_label("Minute of this item")).to_have_value("Adopted. Housing leads.")
    expect(page.locator("[data-summary-lead]")).to_contain_text("Sam Other")
    assert page.evaluate("window.controlMarker") == "still no reload"
    assert_accessible(page)

    # Saving again, knowingly, now goes through; so does the minute, and its draft is done.
    page.get_by_role("button", name="Record the lead agency").click()
    expect(page.locator("[data-summary-lead]")).to_contain_text("Harriet Lomax")
    page.get_by_role("button", name="Save the minute").click()
    expect(page.get_by_text("Minute saved.")).to_be_visible()
    expect(page.get_by_text("Draft kept from")).to_have_count(0)
    assert page.evaluate("window.controlMarker") == "still no reload"
    assert not ItemDraft.objects.filter(user=cora).exists()
    assert meeting.items.get(position=1).minute == "Adopted. Housing leads."

    # Adopted in place, too; then the meeting ends.
    page.get_by_role("button", name="Adopt the case").click()
    expect(page.get_by_text(f"{case.reference} adopted.")).to_be_visible()
    expect(page.locator("#decision-adopt")).to_contain_text("is active")
    assert_accessible(page)
    page.get_by_role("button", name="End the meeting").click()
    expect(page.get_by_text("The meeting has ended")).to_be_visible()
    meeting.refresh_from_db()
    assert not meeting.is_running


def test_shortcuts_jump_to_each_decision_and_are_listed(page, rosa, cora, assert_accessible):
    fill_pathway(rosa, cora, 1)
    meeting = PanelMeeting.objects.create(date=timezone.localdate())
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    sign_in(page, "cora")
    page.goto(f"/cases/meetings/{meeting.pk}/screen/1/")
    page.get_by_text("Keyboard shortcuts").click()
    expect(page.locator(".caspa-control__shortcuts")).to_contain_text("go to the minute")
    assert_accessible(page)
    for key, box in (
        ("m", "Minute of this item"),
        ("l", "Lead agency"),
        ("a", "What is to be done"),
    ):
        page.locator("h1").click()
        page.keyboard.press(key)
        expect(page.get_by_label(box, exact=True)).to_be_focused()
    page.locator("h1").click()
    page.keyboard.press("r")
    expect(page.locator("#decision-review input[type=radio]").first).to_be_focused()
    page.locator("h1").click()
    page.keyboard.press("g")
    expect(page.locator("#decision-agencies input[type=checkbox]").first).to_be_focused()
    # Typing a letter in a box types it.
    page.get_by_label("Minute of this item").press("l")
    expect(page.get_by_label("Minute of this item")).to_have_value("l")
    expect(page.get_by_label("Minute of this item")).to_be_focused()
