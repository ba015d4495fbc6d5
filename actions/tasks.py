"""Celery tasks for actions: thin, each calls a service."""

from celery import shared_task

from actions.sweep import log_health_problems, run_sweep, sweep_health


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


@shared_task
def check_sweep_health() -> dict:
    """Beat's own check (caspa/celery.py): logs an error when the sweep is late or the outbox
    backlog too long, whether or not anything polls /health/."""
    health = sweep_health()
    log_health_problems(health)
    return {"problems": list(health.problems), "waiting": health.waiting}
