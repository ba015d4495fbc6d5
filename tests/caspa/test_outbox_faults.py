"""The outbox against a real (little) SMTP server that refuses, then is slow past
EMAIL_TIMEOUT, then comes back: each message is retried with a backoff that doubles, and
arrives once, by its Message-ID (tests/smtp_server.py)."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from caspa.core import outbox
from caspa.core.models import OutboxMessage
from tests.smtp_server import SmtpServer

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def server():
    with SmtpServer() as server:
        yield server


@pytest.fixture
def smtp(server, settings):
    server.reset()
    server.stall_seconds = 2.5
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_TIMEOUT = 1  # the server's stall (2.5 s) is past it
    settings.OUTBOX_RETRY_BASE = timedelta(seconds=0.3)
    settings.OUTBOX_RETRY_MAX = timedelta(seconds=0.6)
    settings.OUTBOX_BATCH_SIZE = 5
    return server


def write(count):
    return outbox.write_many(
        outbox.Email(f"person{n}@example.org", f"CASPA: message {n}", "A body", "test.fault")
        for n in range(count)
    )


def rows():
    return list(OutboxMessage.objects.order_by("pk"))


def wait_out_the_backoff():
    latest = max(m.next_attempt_at for m in rows() if m.sent_at is None)
    time.sleep(max(0.0, (latest - timezone.now()).total_seconds()) + 0.05)


def test_refused_then_slow_past_the_timeout_then_back_each_message_arrives_once(smtp):
    written = write(7)

    smtp.mode = "refuse"
    assert outbox.send_waiting() == {}
    assert [(m.attempts, m.last_error) for m in rows()] == [(1, "SMTPConnectError 554")] * 5 + [
        (0, "")
    ] * 2  # one batch tried; the rest wait, unclaimed, for the next sweep
    first_wait = {m.pk: m.next_attempt_at - timezone.now() for m in rows()[:5]}
    assert all(timedelta(0) < wait <= timedelta(seconds=0.3) for wait in first_wait.values())

    assert outbox.send_waiting() == {}  # those in their backoff are not tried again yet...
    assert len(smtp.connections) == 2  # ...but the two never tried are
    wait_out_the_backoff()

    smtp.mode = "stall"
    started = time.monotonic()
    assert outbox.send_waiting() == {}
    assert time.monotonic() - started < 2.5  # EMAIL_TIMEOUT, not the server, ended it
    # The first batch timed out (no greeting), and the sweep stopped: the rest wait.
    assert {m.last_error for m in rows()[:5]} <= {"SMTPServerDisconnected", "TimeoutError"}
    assert [m.attempts for m in rows()] == [2] * 5 + [1] * 2
    doubled = rows()[0].next_attempt_at - timezone.now()
    assert timedelta(seconds=0.3) < doubled <= timedelta(seconds=0.6)  # twice the first wait
    wait_out_the_backoff()

    smtp.mode = "accept"
    assert outbox.send_waiting() == {"test.fault": 7}
    assert smtp.message_ids() == {m.message_id: 1 for m in written}
    assert all(m.sent_at and m.claimed_at for m in rows())
    assert outbox.send_waiting() == {}
    assert smtp.message_ids() == {m.message_id: 1 for m in written}


def test_a_server_that_stalls_mid_batch_loses_nothing_and_sends_nothing_twice(smtp):
    written = write(5)
    smtp.stall_after = 2  # takes two, then says nothing about the third
    assert outbox.send_waiting() == {"test.fault": 2}
    sent, stalled, untried = rows()[:2], rows()[2], rows()[3:]
    assert all(m.sent_at for m in sent)
    assert (stalled.sent_at, stalled.attempts, stalled.next_attempt_at is not None) == (
        None,
        1,
        True,
    )
    # Never tried on a connection that had failed: their attempt given back, no backoff.
    assert [(m.attempts, m.next_attempt_at) for m in untried] == [(0, None)] * 2

    assert outbox.send_waiting() == {"test.fault": 2}  # the untried, at once
    wait_out_the_backoff()
    assert outbox.send_waiting() == {"test.fault": 1}  # the stalled one, after its backoff
    assert smtp.message_ids() == {m.message_id: 1 for m in written}
