"""Tasks every app uses: sending a notice by e-mail. Tasks stay thin."""

from celery import shared_task
from django.core.mail import send_mail


@shared_task(autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def send_notice_email(to: str, subject: str, body: str) -> None:
    send_mail(subject, body, None, [to])
