"""Kept only for tasks queued under this name before the outbox (by a web process of the
previous release, during a deploy): each goes into the outbox, which sends it once. Nothing
queues it any more; remove it one release after the outbox is deployed."""

from celery import shared_task

from caspa.core import outbox


@shared_task
def send_notice_email(to: str, subject: str, body: str) -> None:
    outbox.write(to=to, subject=subject, body=body, kind="queued_before_outbox")
