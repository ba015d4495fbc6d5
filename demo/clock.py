"""The demo's notion of time: the story's clock, and moments on working days.

While the story plays (`demo_clock`), `django.utils.timezone.now` answers with the story's
time, so every timestamp the services, `auto_now_add` fields and simple-history write
(`submitted_at`, `joined_caseload_at`, `CaseEvent.happened_at`, `history_date`, …) is the
moment it happened in the story, and every rule that reads "today" (an action's due date may
not be in the past) reads the story's today. Nothing is backdated afterwards.
"""

from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from unittest import mock

from django.utils import timezone

from caspa.core.working_days import is_working_day


class DemoClock:
    """Stands in for timezone.now while the story plays. Each reading is a second after the
    last, so that what one service call writes keeps its order."""

    def __init__(self):
        self.at = None

    def set(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        self.at += timedelta(seconds=1)
        return self.at


@contextmanager
def demo_clock():
    """Pins "now" to a DemoClock (set it before the first reading) until the block ends."""
    clock = DemoClock()
    with mock.patch.object(timezone, "now", clock.now):
        yield clock


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """That moment of the day, in the local time zone."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def weekday(day: date) -> date:
    """The day, or the Friday before when it falls at a weekend."""
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def next_working_day(day: date) -> date:
    """The day, or the first working day after it (weekends and bank holidays skipped)."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day
