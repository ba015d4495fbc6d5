"""Celery tasks for the panel: thin, each calls a service."""

from celery import shared_task

from panel.returns import run_returns_sweep


@shared_task
def sweep_returns() -> dict:
    result = run_returns_sweep()
    return {
        "returns_asked": result.returns_asked,
        "requests_written": result.requests_written,
        "reminders_written": result.reminders_written,
        "emails_sent": result.emails_sent,
    }
