"""The Celery app. The beat schedule is static, here in code; run exactly one beat."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caspa.settings")

app = Celery("caspa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The actions issue adds the reminder sweep here.
app.conf.beat_schedule = {}
