"""PDFs built on the worker, not in a web request, and kept until their content changes
(docs/documents.md).

A view that answers with a PDF checks access with its own door, renders the HTML WeasyPrint
would be given (cheap: queries and a template), and hands it here with the kind of document
and the record it is of (`record`: an id or a key, never a name). The SHA-256 of that HTML is
the document's content key:

- a `BuiltDocument` with that key already built: its bytes are the answer, no WeasyPrint;
- none: the row is written with the HTML (unique on kind, record and key, so two requests for
  the same content write one row and build once), the build is queued, and the answer is the
  waiting page, which the same URL replaces with the PDF once the worker has built it. With
  tasks run in-process (the demo, the test suite) the build is done when queuing returns, and
  the PDF is the answer at once; with the broker down, the request builds it itself.

The worker builds from the HTML kept in the row, so the PDF is exactly the content the key
names, and the broker's message carries the row's id only. Once built, the HTML is emptied,
and every older document of the same kind and record is deleted: a PDF holds personal data,
and only the newest is kept. `forget` deletes a record's documents (retention, caspa/retention.py).
"""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from caspa.core.models import BuiltDocument

log = logging.getLogger(__name__)

# A build queued this long ago and still not done (its task lost with a worker, or the broker
# restarted) is queued again by the next request for it.
REQUEUE_AFTER = timedelta(minutes=2)
# The waiting page's status: the request is accepted, its PDF is not ready yet.
WAITING_STATUS = 202

# The kinds of document, as the `kind` column holds them.
AGENDA_PACK = "agenda_pack"
MINUTES = "minutes"
PLAN = "plan"
BOARD_REPORT = "board_report"


def meeting_record(meeting_id: int, *, agency_id: int | None = None) -> str:
    """The record key of a meeting's document (its pack, its minutes, an agency's cut)."""
    return f"meeting:{meeting_id}" + (f":agency:{agency_id}" if agency_id is not None else "")


def case_record(case_id: int) -> str:
    return f"case:{case_id}"


def content_key(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


# --- a request for a PDF --------------------------------------------------------------------


def pdf_response(
    request,
    *,
    kind: str,
    record: str,
    html: str,
    filename: str,
    waiting_for: str,
    on_serve=None,
) -> HttpResponse:
    """The PDF of `html` as an attachment named `filename`, when it is built; otherwise its
    build queued and the waiting page (saying it prepares `waiting_for`, words with no one's
    details). `on_serve` is called only when the PDF itself is the answer (a read of it)."""
    key = content_key(html)
    document = _find(kind, record, key)
    if document is None or not document.is_built:
        document = request_build(kind=kind, record=record, html=html, key=key)
    if not document.is_built:
        return render(
            request,
            "caspa/document_waiting.html",
            {"waiting_for": waiting_for, "again": request.get_full_path()},
            status=WAITING_STATUS,
        )
    if on_serve is not None:
        on_serve()
    response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _find(kind: str, record: str, key: str) -> BuiltDocument | None:
    return (
        BuiltDocument.objects.defer("html")
        .filter(kind=kind, record=record, content_key=key)
        .first()
    )


def request_build(*, kind: str, record: str, html: str, key: str | None = None) -> BuiltDocument:
    """The document of this content: written if new and its build queued (again, if an
    earlier queuing is older than REQUEUE_AFTER). Returns it as it stands after queuing:
    built already when tasks run in-process."""
    key = key or content_key(html)
    # Unique on (kind, record, content_key): a row written meanwhile by another request is
    # read back, not written twice (get_or_create retries its read on the IntegrityError).
    document, _ = BuiltDocument.objects.get_or_create(
        kind=kind, record=record, content_key=key, defaults={"html": html}
    )
    if document.is_built:
        return document
    now = timezone.now()
    stale = Q(queued_at__isnull=True) | Q(queued_at__lt=now - REQUEUE_AFTER)
    # Only the request that moves queued_at queues it: the others wait for the same build.
    if BuiltDocument.objects.filter(pk=document.pk).filter(stale).update(queued_at=now):
        _queue(document.pk)
    return _find(kind, record, key) or document


def _queue(document_id: int) -> None:
    from caspa.core.tasks import build_document

    try:
        build_document.apply_async(args=[document_id], retry=False)
    except Exception:  # kombu's OperationalError, or a refused or timed-out connection
        log.exception(
            "Could not queue the build of built document %s; building it in the request",
            document_id,
        )
        build(document_id)


# --- the build, on the worker ----------------------------------------------------------------


def build(document_id: int) -> str:
    """Builds the document's PDF from its HTML and keeps it; deletes the older documents of
    the same kind and record. Idempotent: a document built already, or gone (deleted when a
    newer one of its record was built), is left as it is. Returns what it did, in a word."""
    with transaction.atomic():
        document = BuiltDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None:
            return "gone"
        if document.is_built:
            return "built already"
        pdf = write_pdf(document.html)
        document.pdf = pdf
        document.size = len(pdf)
        document.html = ""
        document.built_at = timezone.now()
        document.save(update_fields=["pdf", "size", "html", "built_at"])
        # Only the newest content of a record is kept: the older ones hold personal data.
        older = BuiltDocument.objects.filter(
            kind=document.kind, record=document.record, pk__lt=document.pk
        )
        deleted, _ = older.delete()
    log.info(
        "Built document %s (%s %s): %s bytes; %s older deleted",
        document.pk,
        document.kind,
        document.record,
        document.size,
        deleted,
    )
    return "built"


def write_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only the PDF needs

    # Links in the PDF are absolute, to the address people reach the service at.
    return HTML(string=html, base_url=settings.SITE_URL.rstrip("/") + "/").write_pdf()


# --- when documents go -----------------------------------------------------------------------


def forget(*records: str) -> int:
    """Deletes every document of these records, of every kind, and of their parts (an
    agency's cut of a meeting's minutes is a part of the meeting). Returns how many."""
    if not records:
        return 0
    of = Q()
    for record in records:
        of |= Q(record=record) | Q(record__startswith=f"{record}:")
    deleted, _ = BuiltDocument.objects.filter(of).delete()
    return deleted
