"""The returns sweep as Celery beat runs it: scheduled by name, and run by a real worker
consuming from the real Redis broker."""

from datetime import timedelta

import pytest
from celery.result import EagerResult
from django.core import mail
from django.utils import timezone

from accounts.services import agency_appoint_spoc
from caspa.celery import app
from panel import meetings
from panel.models import PanelMeeting
from panel.rules.returns import return_stage
from panel.tasks import sweep_returns

# One real worker at a time: two would take each other's tasks from the one queue.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("broker")]


def test_beat_runs_the_returns_sweep_at_least_daily():
    [entry] = [e for e in app.conf.beat_schedule.values() if e["task"] == sweep_returns.name]
    assert entry["schedule"] <= 24 * 60 * 60


def test_a_worker_sweep_asks_each_agency_for_its_return_once(
    celery_worker, case, cora, housing, harriet
):
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    today = timezone.localdate()
    # The first day ahead whose meeting's returns are due to be asked for today.
    meeting_on = next(
        today + timedelta(days=n)
        for n in range(1, 60)
        if return_stage(meeting_date=today + timedelta(days=n), today=today) == "request"
    )
    meeting = PanelMeeting.objects.create(date=meeting_on)
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    assert list(case.involved_agencies.all()) == [housing]
    mail.outbox.clear()
    queued = sweep_returns.delay()
    assert not isinstance(queued, EagerResult)  # it went through Redis to the worker
    first = queued.get(timeout=60)
    second = sweep_returns.delay().get(timeout=60)
    assert (first["returns_asked"], first["requests_written"]) == (1, 1)
    assert (second["returns_asked"], second["requests_written"]) == (0, 0)
    [email] = [e for e in mail.outbox if e.subject.startswith("CASPA: your agency's return")]
    assert email.to == [harriet.email]
