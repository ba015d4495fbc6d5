"""The agenda pack of a meeting: what the page to print and its PDF (WeasyPrint, as the
assessment and plan, panel/plan_pdf.py) show of each item.

An item whose case has closed or was not adopted since the agenda was built says so, on one
line, and its details are not printed: the panel will not hear it (AgendaItem.standing,
docs/meeting-room.md). Every page of the PDF is marked OFFICIAL-SENSITIVE with the meeting's
date and its page number, so a page that leaves the pack still says what it is.

The PDF is built on the worker and kept until the pack's content changes
(caspa/core/documents.py, docs/documents.md): `pack_pdf_response` renders the HTML, and the
store answers with the PDF built from it, or with the page that says it is being prepared.
"""

from django.template.loader import render_to_string

from caspa.core import documents
from panel import returns
from panel.models import PanelMeeting
from panel.review_selectors import changes_since_last_review, load_for_changes
from panel.selectors import last_reviews_before


def pack_title(meeting: PanelMeeting) -> str:
    """What each printed page of the pack says it is."""
    return f"Agenda pack, panel meeting of {meeting.date:%-d %B %Y}"


def pack_items(meeting: PanelMeeting) -> list:
    """The meeting's items, each case item with its returns and, while the panel is still to
    hear it, what has changed since its last review (`since`) and since when (`review_since`)."""
    items = list(
        meeting.items.select_related(
            "case", "case__person", "case__lead_agency", "case__referral"
        ).prefetch_related("case__involved_agencies")
    )
    returns.attach_returns(items, meeting)
    # What each item's changes read, for all the items at once (docs/performance.md).
    heard = [item for item in items if item.case and not item.standing]
    cases = [item.case for item in heard]
    last_reviews = last_reviews_before([case.pk for case in cases], meeting)
    load_for_changes(cases, meeting)
    for item in heard:
        item.review_since = last_reviews[item.case_id]
        item.since = changes_since_last_review(item.case, meeting=meeting)
    return items


def pack_html(meeting: PanelMeeting, items: list) -> str:
    return render_to_string(
        "panel/pack_pdf.html",
        {"meeting": meeting, "items": items, "title": pack_title(meeting)},
    )


def pack_pdf_response(request, meeting: PanelMeeting, items: list, *, on_serve=None):
    """The pack's PDF, when built; else its build queued and the waiting page."""
    return documents.pdf_response(
        request,
        kind=documents.AGENDA_PACK,
        record=documents.meeting_record(meeting.pk),
        html=pack_html(meeting, items),
        # The date names the file, never a person: downloads folders are read by others.
        filename=f"agenda-pack-{meeting.date:%Y-%m-%d}.pdf",
        waiting_for=f"The agenda pack for the panel meeting of {meeting.date:%-d %B %Y}",
        on_serve=on_serve,
    )
