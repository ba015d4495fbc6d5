"""The Celery app. The beat schedule is static, here in code; run exactly one beat."""

import os

from celery import Celery

from actions.schedule import REMINDER_SWEEP

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caspa.settings")

app = Celery("caspa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # What is due lives in the database; the sweep records it once and sends it through the
    # outbox (actions/sweep.py). On the quarter hours, so that pages can say when its e-mails
    # go (actions/schedule.py, next_reminder_sweep).
    "sweep-action-reminders": {
        "task": "actions.tasks.sweep_action_reminders",
        "schedule": REMINDER_SWEEP,
    },
    # Agencies' returns before each panel meeting: asked for and reminded on working days
    # counted back from the meeting; idempotent, so hourly catches up a missed day
    # (panel/returns.py).
    "sweep-returns": {
        "task": "panel.tasks.sweep_returns",
        "schedule": 60 * 60,
    },
    # Every e-mail is an outbox row; this sends whatever is still waiting, e.g. one written
    # while the broker was down, so its nudge was lost (caspa/core/outbox.py).
    # Logs an error when the reminder sweep is late or the outbox's backlog too long
    # (docs/operations.md): a sweep that fails every time is noticed without /health/.
    "check-sweep-health": {
        "task": "actions.tasks.check_sweep_health",
        "schedule": 5 * 60,
    },
    "send-outbox": {
        "task": "caspa.core.tasks.send_outbox",
        "schedule": 60,
    },
}
