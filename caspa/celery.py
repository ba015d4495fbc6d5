"""The Celery app. The beat schedule is static, here in code; run exactly one beat."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caspa.settings")

app = Celery("caspa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # What is due lives in the database; the sweep records and sends it, once (actions/sweep.py).
    "sweep-action-reminders": {
        "task": "actions.tasks.sweep_action_reminders",
        "schedule": 15 * 60,
    },
}
