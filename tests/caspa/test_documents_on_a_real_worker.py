"""A PDF asked for before it is built, as a deployment serves it: the request answers with the
waiting page and queues the build on the real Redis broker; a real worker builds it; the same
URL then answers with the PDF, from the store (docs/documents.md)."""

import io
import time
from datetime import date

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import before_task_publish
from django.urls import reverse
from pypdf import PdfReader

from audit.models import RecordRead
from caspa.core import documents
from caspa.core.models import BuiltDocument
from panel import meetings
from panel.models import PanelMeeting
from tests.factories import fill_pathway

# One real worker at a time: two would take each other's tasks from the one queue.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("broker")]


@pytest.fixture
def meeting(rosa, cora):
    meeting = PanelMeeting.objects.create(date=date(2026, 12, 8))
    fill_pathway(rosa, cora, 2)
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    return meeting


@pytest.fixture
def published():
    names = []

    def record(sender, **kwargs):
        names.append(sender)

    before_task_publish.connect(record, weak=False)  # sent only when it goes to the broker
    yield names
    before_task_publish.disconnect(record)


def test_the_waiting_page_until_the_worker_has_built_the_pdf_then_the_pdf(
    celery_app, client_for, chidi, meeting, published
):
    url = reverse("panel:pack_pdf", args=[meeting.pk])
    client = client_for(chidi)

    # The Redis app is the one tasks go to (the worker would make it so on starting); no
    # worker yet: the build waits in Redis, and the request does not wait for it.
    celery_app.set_current()
    celery_app.set_default()
    waiting = client.get(url)

    assert waiting.status_code == 202
    assert "Content-Disposition" not in waiting
    page = waiting.content.decode()
    assert "Your PDF is being prepared" in page
    assert f'href="{url}"' in page
    assert "Check again" in page
    assert published == ["caspa.core.tasks.build_document"]
    [document] = BuiltDocument.objects.all()
    assert not document.is_built
    assert client.get(url).status_code == 202  # still waiting, and not queued twice
    assert published == ["caspa.core.tasks.build_document"]
    assert not RecordRead.objects.filter(reader=chidi).exists()  # nothing read yet

    with start_worker(celery_app, perform_ping_check=False):
        deadline = time.monotonic() + 60
        while not BuiltDocument.objects.get(pk=document.pk).is_built:
            assert time.monotonic() < deadline, "the worker did not build the PDF"
            time.sleep(0.1)

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="agenda-pack-2026-12-08.pdf"'
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Panel meeting of 8 December 2026" in " ".join(text.split())
    built = BuiltDocument.objects.get(pk=document.pk)
    assert (built.kind, built.record) == (documents.AGENDA_PACK, f"meeting:{meeting.pk}")
    assert bytes(built.pdf) == response.content
    assert published == ["caspa.core.tasks.build_document"]  # served from the store
    assert RecordRead.objects.filter(reader=chidi).count() == 2  # each case in it, once
