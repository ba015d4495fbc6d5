"""PDFs are built once per content and kept until it changes (docs/documents.md): a request for
an unchanged document is answered from the store, a change builds a new one and deletes the
old, a record's documents go when its person is anonymised, and with the broker down the
request builds the PDF itself. (On a real worker: test_documents_on_a_real_worker.py.)"""

import io
import logging
import threading
from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from caspa import retention
from caspa.core import documents
from caspa.core.models import BuiltDocument
from panel import meetings
from panel.models import Case, CaseStatus, PanelMeeting
from tests.factories import fill_pathway
from tests.fault_processes import publishing_to

MEETING_DAY = date(2026, 12, 8)


def text_of(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def meeting(rosa, cora):
    meeting = PanelMeeting.objects.create(date=MEETING_DAY)
    fill_pathway(rosa, cora, 2)
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    return meeting


def pack_documents(meeting):
    return BuiltDocument.objects.filter(
        kind=documents.AGENDA_PACK, record=documents.meeting_record(meeting.pk)
    )


def test_an_unchanged_pack_is_served_from_the_store_without_building_it_again(
    client_for, chidi, meeting
):
    url = reverse("panel:pack_pdf", args=[meeting.pk])
    first = client_for(chidi).get(url)
    [document] = pack_documents(meeting)
    assert document.is_built
    assert document.size == len(first.content)
    assert document.html == ""  # the HTML it was built from is not kept once it is built

    again = client_for(chidi).get(url)

    assert again.content == first.content
    assert again["Content-Disposition"] == 'attachment; filename="agenda-pack-2026-12-08.pdf"'
    [kept] = pack_documents(meeting)
    assert (kept.pk, kept.built_at) == (document.pk, document.built_at)


def test_a_new_agenda_item_gives_a_new_pdf_and_the_old_one_is_deleted(
    client_for, chidi, cora, meeting
):
    url = reverse("panel:pack_pdf", args=[meeting.pk])
    before = text_of(client_for(chidi).get(url))
    [old] = pack_documents(meeting)
    assert "Training on hoarding" not in before

    meetings.agenda_add_item(meeting_id=meeting.pk, by=cora, title="Training on hoarding")
    after = text_of(client_for(chidi).get(url))

    assert "Training on hoarding" in after
    [new] = pack_documents(meeting)
    assert new.pk != old.pk
    assert new.content_key != old.content_key
    assert not BuiltDocument.objects.filter(pk=old.pk).exists()


def test_the_same_content_is_one_document_built_once(db):
    html = "<p>Panel meeting of 8 December 2026</p>"
    first = documents.request_build(kind=documents.AGENDA_PACK, record="meeting:1", html=html)
    second = documents.request_build(kind=documents.AGENDA_PACK, record="meeting:1", html=html)

    assert first.pk == second.pk
    assert first.built_at == second.built_at
    assert documents.build(first.pk) == "built already"
    assert BuiltDocument.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_for_the_same_content_write_one_row_and_build_it_once(caplog):
    html = "<p>Minutes, panel meeting of 8 December 2026</p>"
    start = threading.Barrier(2)
    answers = []

    def ask():
        try:
            start.wait()
            answers.append(
                documents.request_build(kind=documents.MINUTES, record="meeting:1", html=html).pk
            )
        finally:
            connection.close()

    with caplog.at_level(logging.INFO, logger="caspa.core.documents"):
        threads = [threading.Thread(target=ask) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    [document] = BuiltDocument.objects.all()
    assert answers == [document.pk, document.pk]
    assert document.is_built
    assert caplog.text.count("Built document") == 1


def test_a_build_overtaken_by_newer_content_of_the_same_record_is_not_drawn(db):
    record = documents.case_record(7)
    older, newer = (
        BuiltDocument.objects.create(
            kind=documents.PLAN, record=record, content_key=documents.content_key(html), html=html
        )
        for html in ("<p>Monday's plan</p>", "<p>Tuesday's plan</p>")
    )

    assert documents.build(newer.pk) == "built"
    assert documents.build(older.pk) == "gone"  # deleted when the newer one was built

    assert list(BuiltDocument.objects.values_list("pk", flat=True)) == [newer.pk]


def test_a_record_of_another_kind_or_another_meeting_is_not_touched(db):
    def build(kind, record):
        return documents.request_build(kind=kind, record=record, html=f"<p>{kind} {record}</p>")

    build(documents.MINUTES, documents.meeting_record(1))
    build(documents.MINUTES, documents.meeting_record(1, agency_id=3))
    kept = [
        build(documents.MINUTES, documents.meeting_record(12)),
        build(documents.PLAN, documents.case_record(1)),
    ]

    assert documents.forget(documents.meeting_record(1)) == 2
    assert sorted(BuiltDocument.objects.values_list("pk", flat=True)) == [d.pk for d in kept]


def closed_long_ago(case: Case) -> None:
    closed_at = timezone.now() - timedelta(days=365 * 7 + 2)
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSED,
        outcome="moved_away",
        closed_at=closed_at,
        closure_agreed_on=closed_at.date(),
    )


def test_anonymising_a_person_deletes_the_pdfs_of_their_case_and_its_meetings(
    client_for, cora, meeting
):
    theirs, other = (item.case for item in meeting.items.select_related("case").order_by("pk"))
    client = client_for(cora)
    client.get(reverse("panel:pack_pdf", args=[meeting.pk]))
    client.get(reverse("panel:case_plan_pdf", args=[theirs.pk]))
    client.get(reverse("panel:case_plan_pdf", args=[other.pk]))
    assert BuiltDocument.objects.count() == 3
    closed_long_ago(theirs)

    retention.retention_anonymise(by=cora, person_id=theirs.person_id)

    [left] = BuiltDocument.objects.all()
    assert (left.kind, left.record) == (documents.PLAN, documents.case_record(other.pk))


@pytest.fixture
def broker_down():
    # Nothing listens on port 1: the connection is refused at once.
    with publishing_to("redis://127.0.0.1:1/0", task_publish_retry=False):
        yield


def test_with_the_broker_down_the_request_builds_the_pdf_itself(
    client_for, chidi, meeting, broker_down, caplog
):
    with caplog.at_level(logging.ERROR, logger="caspa.core.documents"):
        response = client_for(chidi).get(reverse("panel:pack_pdf", args=[meeting.pk]))

    assert "Panel meeting of 8 December 2026" in text_of(response)
    [document] = pack_documents(meeting)
    assert f"Could not queue the build of built document {document.pk}" in caplog.text
