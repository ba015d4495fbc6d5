"""The meeting as the room sees it: the coordinator drives the control view in one browser,
a panel member follows on their own device in another, item by item, without reloading."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from audit.models import RecordRead
from panel import meetings
from panel.models import PanelMeeting
from tests.factories import PASSWORD, fill_pathway

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username):
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def test_a_members_display_follows_the_coordinator_item_by_item(
    browser, live_server, page, rosa, cora, milo, housing, assert_accessible
):
    [(first, _), (second, _)] = fill_pathway(rosa, cora, 2)
    meeting = PanelMeeting.objects.create(date=timezone.localdate())
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    meetings.attendance_record(
        meeting_id=meeting.pk,
        by=cora,
        agency=housing,
        attendee="Milo, Housing",
        agreed_to_confidentiality=False,
        user=milo,
    )
    at = {item.position: item.case for item in meeting.items.all()}

    # The coordinator starts the meeting from the control view.
    sign_in(page, "cora")
    page.goto(f"/cases/meetings/{meeting.pk}/screen/0/")
    page.get_by_role("button", name="Start the meeting").click()
    expect(page.get_by_text("The meeting has started")).to_be_visible()

    # Milo, on his own device: the home page points at the meeting; he agrees, then follows.
    member = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 720})
    display = member.new_page()
    sign_in(display, "milo")
    display.get_by_role("link", name=re.compile("follow it on this device")).click()
    display.get_by_role("button", name="I agree").click()
    expect(display.get_by_role("heading", level=1)).to_have_text("Confidentiality")
    assert_accessible(display)
    display.evaluate("window.__stayed = true")

    # Each arrow key on the control view moves Milo's display to the same item.
    for key, position in (("ArrowRight", 1), ("ArrowRight", 2), ("ArrowLeft", 1)):
        page.keyboard.press(key)
        expect(page).to_have_url(re.compile(rf"/screen/{position}/$"))
        expect(display.locator("#room-item")).to_contain_text(at[position].reference)
        expect(display.get_by_text(f"Item {position} of 2").first).to_be_visible()
    assert display.evaluate("window.__stayed") is True  # followed without a reload
    assert_accessible(display)

    # Each item Milo was shown is recorded as his read of that case.
    read = set(
        RecordRead.objects.filter(reader=milo, record_type="panel.case").values_list(
            "record_id", flat=True
        )
    )
    assert read == {first.case.pk, second.case.pk}

    # When the coordinator ends the meeting, Milo's display closes to him.
    page.get_by_role("button", name="End the meeting").click()
    expect(display.get_by_text("The meeting is not running")).to_be_visible(timeout=10_000)
    member.close()
