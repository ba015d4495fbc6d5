"""When the reminder sweep runs (actions/sweep.py), and when it next will.

Celery beat runs the sweep on this schedule (caspa/celery.py reads it from here), on the
quarter hours of the clock, so that a page can say when the sweep's e-mails go: the next run
is `next_reminder_sweep`, beside the schedule it reads.
"""

from datetime import datetime, timedelta

from celery.schedules import crontab
from django.conf import settings

SWEEP_EVERY_MINUTES = 15
REMINDER_SWEEP = crontab(minute=f"*/{SWEEP_EVERY_MINUTES}")


def next_reminder_sweep(now: datetime) -> datetime:
    """The first run of the sweep after `now` (an aware local time): the next quarter hour."""
    start_of_hour = now.replace(minute=0, second=0, microsecond=0)
    passed = (now - start_of_hour) // timedelta(minutes=SWEEP_EVERY_MINUTES) + 1
    return start_of_hour + passed * timedelta(minutes=SWEEP_EVERY_MINUTES)


def sweep_runs_on_schedule() -> bool:
    """Whether beat can run the sweep here: it needs a broker (Redis). Without one (the demo),
    tasks run in-process and nothing runs on a schedule: the sweep runs when run by hand."""
    return bool(settings.REDIS_URL)
