"""/health/ as monitoring reads it: the database, the broker, when the reminder sweep last ran
and how many messages wait unsent; "degraded" and an error in the log when the sweep is late
or the backlog long; 503 only when the database does not answer (docs/operations.md)."""

import logging
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from actions.models import SweepRun
from actions.sweep import run_sweep
from actions.tasks import check_sweep_health
from caspa.core import outbox

pytestmark = pytest.mark.django_db

URL = "/health/"


def emails(count):
    return outbox.write_many(
        outbox.Email(f"person{n}@example.org", "CASPA: a subject", "A body", "test.health")
        for n in range(count)
    )


def test_a_sweep_that_has_never_run_is_degraded_and_logged_but_still_200(client, caplog):
    with caplog.at_level(logging.ERROR):
        response = client.get(URL)
    assert response.status_code == 200  # the load balancer keeps sending pages
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"] == "ok"
    assert (body["sweep_last_ran_at"], body["sweep_minutes_ago"]) == (None, None)
    assert body["problems"] == ["sweep_late"]
    assert "the reminder sweep has never run" in caplog.text


def test_after_a_sweep_all_is_ok_and_nothing_is_logged(client, caplog, settings):
    settings.REDIS_URL = ""  # the demo's: no broker to ask
    run_sweep()
    caplog.clear()
    body = client.get(URL).json()
    assert body == {
        "status": "ok",
        "database": "ok",
        "broker": "not configured",
        "sweep_last_ran_at": SweepRun.objects.get().finished_at.isoformat(),
        "sweep_minutes_ago": 0,
        "outbox_waiting": 0,
        "problems": [],
    }
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_a_sweep_last_run_over_30_minutes_ago_is_late(client, caplog, settings):
    settings.REDIS_URL = ""
    run_sweep()
    SweepRun.objects.update(finished_at=timezone.now() - timedelta(minutes=31))
    with caplog.at_level(logging.ERROR):
        body = client.get(URL).json()
    assert (body["status"], body["problems"], body["sweep_minutes_ago"]) == (
        "degraded",
        ["sweep_late"],
        31,
    )
    assert "the reminder sweep last ran 31 minutes ago (late after 30)" in caplog.text


def test_a_backlog_over_the_threshold_is_degraded_and_names_no_one(client, caplog, settings):
    settings.REDIS_URL = ""
    settings.HEALTH_OUTBOX_BACKLOG = 2
    run_sweep()
    emails(3)  # written after the sweep: they wait
    with caplog.at_level(logging.ERROR):
        response = client.get(URL)
    body = response.json()
    assert (body["status"], body["problems"], body["outbox_waiting"]) == (
        "degraded",
        ["outbox_backlog"],
        3,
    )
    assert "3 messages wait unsent (more than 2)" in caplog.text
    assert "example.org" not in response.text + caplog.text


def test_beat_checks_the_sweep_too_whether_or_not_anything_polls_health(db, caplog, settings):
    settings.HEALTH_OUTBOX_BACKLOG = 0
    emails(1)
    with caplog.at_level(logging.ERROR):
        result = check_sweep_health.apply().get()
    assert result == {"problems": ["sweep_late", "outbox_backlog"], "waiting": 1}
    assert "the reminder sweep has never run" in caplog.text
    assert "1 messages wait unsent (more than 0)" in caplog.text


def test_a_broker_that_does_not_answer_is_degraded_not_down(client, caplog, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    run_sweep()
    with caplog.at_level(logging.ERROR):
        response = client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["broker"], body["problems"]) == (
        "degraded",
        "down",
        ["broker_down"],
    )
    assert "Health: the broker does not answer" in caplog.text


def test_the_broker_answers_a_ping(client, settings):
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: no broker to ping")
    assert client.get(URL).json()["broker"] == "ok"


@pytest.mark.django_db(transaction=True)
def test_a_database_that_does_not_answer_is_503_for_the_load_balancer(client, caplog):
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT="1")  # nothing listens there
    try:
        with caplog.at_level(logging.ERROR):
            response = client.get(URL)
    finally:
        connection.close()
        connection.settings_dict.update(saved)
    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "down"}
    assert "Health: the database does not answer (OperationalError)" in caplog.text
