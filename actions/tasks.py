"""Celery tasks for actions: thin, each calls a service."""

from celery import shared_task

from actions.sweep import run_sweep


@shared_task
def sweep_action_reminders() -> dict:
    result = run_sweep()
    return {
        "escalations_changed": result.escalations_changed,
        "notices_recorded": result.notices_recorded,
        "notices_sent": result.notices_sent,
        "digests_sent": result.digests_sent,
        "emails_sent": result.emails_sent,
    }
