"""The outbox's sender, as a Celery task: nudged after a commit, and run every minute by beat
(caspa/celery.py). Thin: the work is caspa/core/outbox.py."""

from celery import shared_task

from caspa.core import outbox


@shared_task
def send_outbox() -> dict:
    return dict(outbox.send_waiting())
