"""The agenda pack, as the page to print and as a PDF: every page of the PDF marked
OFFICIAL-SENSITIVE with the meeting's date and its page number; a case that left the panel
since the agenda was built is one line, its details not printed; each case in it a read; for
those who follow the panel only."""

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from actions.services import action_agree
from audit.models import RecordRead
from caspa.core.privacy import is_private_response
from panel import meetings, services
from panel.models import Outcome, PanelMeeting
from referrals.models import Referral
from tests.factories import fill_pathway

MEETING_DAY = date(2026, 12, 8)
SECRET_RISK = "Lives with a brother who takes her pension"


@pytest.fixture
def meeting(db):
    return PanelMeeting.objects.create(date=MEETING_DAY)


@pytest.fixture
def pack(rosa, cora, housing, meeting):
    """A meeting with three new referrals on its agenda, each with an action; then the second
    case closes (it moved away), after the agenda was built."""
    cases = [referral.case for referral, _ in fill_pathway(rosa, cora, 3)]
    for n, case in enumerate(cases):
        action_agree(
            case=case,
            by=cora,
            owner_agency=housing,
            description=f"Repair the heating, case {n + 1}",
            due_on=timezone.localdate() + timedelta(days=7),
        )
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    closing = cases[1]
    Referral.objects.filter(pk=closing.referral_id).update(risk_description=SECRET_RISK)
    item = meeting.items.get(case=closing)
    meetings.agenda_item_record(
        item_id=item.pk, by=cora, version=item.version, notes="Her GP will attend for this item"
    )
    for action in closing.actions.all():
        action.delete()  # a case closes with no open actions
    closing.refresh_from_db()
    services.case_close(
        case_id=closing.pk,
        by=cora,
        version=closing.version,
        outcome=Outcome.MOVED_AWAY,
        agreed_on=MEETING_DAY - timedelta(days=5),
    )
    closing.refresh_from_db()
    return cases, closing


def pages_of(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def pack_url(meeting):
    return reverse("panel:pack", args=[meeting.pk])


def pdf_url(meeting):
    return reverse("panel:pack_pdf", args=[meeting.pk])


def closed_line(case):
    return f"Closed on {case.closed_at:%-d %B %Y}: not for discussion"


def test_every_page_of_the_pdf_is_marked_with_the_meetings_date_and_its_number(
    client_for, cora, pack, meeting
):
    pages = pages_of(client_for(cora).get(pdf_url(meeting)))
    assert len(pages) >= 3  # the agenda, then a page for each item the panel will hear
    for number, text in enumerate(pages, start=1):
        assert text.count("OFFICIAL-SENSITIVE") == 2, number  # at the top and the bottom
        assert "Panel meeting of 8 December 2026" in text, number
        assert f"Page {number} of {len(pages)}" in text, number


def test_the_pdf_has_each_item_and_a_closed_case_only_as_one_line(client_for, cora, pack, meeting):
    cases, closing = pack
    text = " ".join(pages_of(client_for(cora).get(pdf_url(meeting))))
    for case in cases:
        assert case.reference in text
    assert "Repair the heating, case 1" in text
    assert "Repair the heating, case 3" in text
    assert closed_line(closing) in text
    assert SECRET_RISK not in text
    assert "Her GP will attend for this item" not in text


def test_the_page_to_print_shows_a_closed_case_as_not_for_discussion_without_its_details(
    client_for, cora, pack, meeting
):
    cases, closing = pack
    page = client_for(cora).get(pack_url(meeting)).text
    assert closed_line(closing) in page
    assert SECRET_RISK not in page
    assert "Her GP will attend for this item" not in page
    assert "Repair the heating, case 1" in page
    assert "Repair the heating, case 3" in page
    assert page.count("What has changed since the last review") == 2  # the two still to hear


def test_the_page_to_print_carries_the_marking_for_every_printed_page(
    client_for, cora, pack, meeting
):
    page = client_for(cora).get(pack_url(meeting)).text
    assert 'class="caspa-printed"' in page
    assert "caspa-print-marking" in page
    assert "Agenda pack, panel meeting of 8 December 2026" in page
    assert f'href="{pdf_url(meeting)}"' in page


def test_the_pdf_is_named_by_the_meetings_date_and_each_case_in_it_is_a_read(
    client_for, chidi, pack, meeting
):
    cases, _ = pack
    response = client_for(chidi).get(pdf_url(meeting))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="agenda-pack-2026-12-08.pdf"'
    assert is_private_response(response)
    for case in cases:
        reads = RecordRead.objects.filter(record_type="panel.case", record_id=case.pk)
        assert reads.filter(reader=chidi).count() == 1, case.reference


@pytest.mark.parametrize("outsider", ["harriet", "milo", "maya"])
def test_who_does_not_follow_the_panel_gets_neither_pack_and_no_read_is_recorded(
    client_for, pack, meeting, outsider, request
):
    client = client_for(request.getfixturevalue(outsider))
    assert client.get(pack_url(meeting)).status_code == 403
    assert client.get(pdf_url(meeting)).status_code == 403
    assert not RecordRead.objects.filter(record_type="panel.case").exists()


def test_the_pdf_of_a_meeting_that_does_not_exist_is_not_found(client_for, cora):
    assert client_for(cora).get(reverse("panel:pack_pdf", args=[999999])).status_code == 404
