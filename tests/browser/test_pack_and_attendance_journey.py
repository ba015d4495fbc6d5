"""The agenda pack printed from the browser, and attendance recorded on the meeting page, in a
real Chromium: every printed page of the pack carries OFFICIAL-SENSITIVE, the meeting's date
and its page number, with no line hidden under the marking; attendance's refusals are shown
next to their fields; each page passes axe."""

import io
import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from actions.services import action_agree
from panel import meetings, services
from panel.models import Outcome, PanelMeeting
from tests.factories import PASSWORD, fill_pathway

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEETING_DAY = date(2026, 12, 8)
MARKING = "Agenda pack, panel meeting of 8 December 2026"


def sign_in(page, username):
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


@pytest.fixture
def meeting_with_a_pack(rosa, cora, housing):
    """Four new referrals on the agenda, each with actions; the third case closed since."""
    meeting = PanelMeeting.objects.create(date=MEETING_DAY)
    cases = [referral.case for referral, _ in fill_pathway(rosa, cora, 4)]
    for n, case in enumerate(cases):
        for m in range(6):
            action_agree(
                case=case,
                by=cora,
                owner_agency=housing,
                description=f"Action {m + 1} on case {n + 1}: " + "visit and report back " * 8,
                due_on=timezone.localdate() + timedelta(days=7 + m),
            )
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    closing = cases[2]
    closing.actions.all().delete()
    closing.refresh_from_db()
    services.case_close(
        case_id=closing.pk,
        by=cora,
        version=closing.version,
        outcome=Outcome.MOVED_AWAY,
        agreed_on=MEETING_DAY - timedelta(days=5),
    )
    closing.refresh_from_db()
    return meeting, closing


def lines_of(pdf_page) -> list[tuple[float, str]]:
    """(height on the page, text) of each piece of text the page draws."""
    found = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            found.append((tm[5] * cm[3] + cm[5], text.strip()))

    pdf_page.extract_text(visitor_text=visit)
    return found


def test_every_printed_page_of_the_pack_is_marked_dated_and_numbered(
    page, meeting_with_a_pack, assert_accessible
):
    meeting, closing = meeting_with_a_pack
    sign_in(page, "cora")
    page.goto(meeting.get_absolute_url())
    expect(page.locator(f"#item-{meeting.items.get(case=closing).pk} .govuk-tag")).to_have_text(
        f"Closed on {closing.closed_at:%-d %B %Y}"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Agenda pack to print").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Agenda pack")
    marking = page.locator(".caspa-print-marking")
    expect(marking).to_be_hidden()  # on the screen, the page says it once, at the top
    closed = f"Closed on {closing.closed_at:%-d %B %Y}: not for discussion."
    expect(page.get_by_text(closed)).to_be_visible()
    assert_accessible(page)

    page.emulate_media(media="print")
    expect(marking).to_be_visible()
    assert marking.evaluate("box => getComputedStyle(box).position") == "fixed"
    expect(marking).to_contain_text("OFFICIAL-SENSITIVE")
    expect(marking).to_contain_text(MARKING)
    expect(page.locator(".govuk-template__header")).to_be_hidden()

    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    pages = pdf.pages
    assert len(pages) >= 4  # the agenda, and a page or more for each item still to be heard
    for number, pdf_page in enumerate(pages, start=1):
        text = " ".join(pdf_page.extract_text().split())
        assert text.count("OFFICIAL-SENSITIVE") >= 2, number  # the marking and the foot
        assert MARKING in text, number
        assert f"Page {number} of {len(pages)}" in text, number
        # Nothing of the paper is printed under the marking: every other line is clear of it.
        lines = lines_of(pdf_page)
        [top] = {height for height, piece in lines if "Agenda pack, panel meeting" in piece}
        crowding = [
            piece
            for height, piece in lines
            if height != top and abs(height - top) < 12 and piece != "OFFICIAL-SENSITIVE"
        ]
        assert crowding == [], number
    everything = " ".join(" ".join(p.extract_text().split()) for p in pages)
    assert re.search(r"Action 6 on case 4", everything)
    assert "Action 1 on case 3" not in everything  # its actions went with it


def test_the_coordinator_records_attendance_and_is_told_what_to_correct(
    page, cora, milo, housing, police, assert_accessible
):
    meeting = PanelMeeting.objects.create(date=timezone.localdate() + timedelta(days=14))
    sign_in(page, "cora")
    page.goto(meeting.get_absolute_url())
    form = page.locator("form", has=page.get_by_role("button", name="Record attendance"))
    account = form.get_by_label("Their CASPA account (optional)")
    expect(account.locator("option").first).to_have_text(
        "No account: they will not follow on a device"
    )
    assert_accessible(page)

    form.get_by_label("Agency", exact=True).select_option(label="Bedfordshire Police")
    form.get_by_label("Name and role").fill("Milo Grant, panel member")
    form.get_by_label("Present", exact=True).check()
    account.select_option(value=str(milo.pk))
    form.get_by_role("button", name="Record attendance").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("not Bedfordshire Police: choose their own agency")
    expect(page.locator("#id_user-error")).to_contain_text("choose their own agency")
    expect(page.get_by_label("Name and role")).to_have_value("Milo Grant, panel member")
    assert_accessible(page)
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Their CASPA account (optional)")).to_be_focused()

    page.get_by_label("Agency", exact=True).select_option(label=housing.name)
    page.get_by_label("They have agreed to the confidentiality statement").check()
    page.get_by_role("button", name="Record attendance").click()
    recorded = f"Milo Grant, panel member, {housing.name}: recorded as present."
    expect(page.get_by_text(recorded)).to_be_visible()

    page.get_by_label("Agency", exact=True).select_option(label="Bedfordshire Police")
    page.get_by_label("Name and role").fill("DS Patel")
    page.get_by_label("Sent apologies").check()
    page.get_by_role("button", name="Record attendance").click()
    expect(page.get_by_role("heading", name="Present (1)")).to_be_visible()
    expect(page.get_by_role("heading", name="Apologies (1)")).to_be_visible()
    expect(page.get_by_role("list").filter(has_text="DS Patel")).to_contain_text(
        "DS Patel, Bedfordshire Police"
    )
    assert_accessible(page)
