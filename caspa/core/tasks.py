"""The outbox's sender, as a Celery task: nudged after a commit, and run every minute by beat
(caspa/celery.py). Thin: the work is caspa/core/outbox.py.

The outbox imports this module, not the other way round, so that the task is registered
wherever e-mail can be written, before any worker starts consuming."""

from celery import shared_task


@shared_task
def send_outbox() -> dict:
    from caspa.core.outbox import send_waiting

    return dict(send_waiting())


@shared_task
def build_document(document_id: int) -> str:
    """Builds one PDF from the HTML its row keeps (caspa/core/documents.py): the message
    carries the row's id only, never the content."""
    from caspa.core.documents import build

    return build(document_id)
