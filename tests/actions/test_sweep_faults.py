"""The reminder sweep on real Celery worker processes, sending to a real (little) SMTP server
(tests/smtp_server.py): a worker killed with SIGKILL mid-sweep and another started, and two
sweeps overlapping for longer than the claim lease. Each notice arrives exactly once, counted
by Message-ID at the server."""

import os
import re
import signal
import subprocess
import sys
import time
import warnings
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import redis
from celery.exceptions import AlwaysEagerIgnored
from django.db import connection
from django.utils import timezone

from accounts.services import agency_appoint_spoc
from actions import services
from actions.models import Action, Notice
from caspa.celery import app
from caspa.core.models import OutboxMessage
from tests.factories import fill_pathway
from tests.smtp_server import MailServer

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 3
SWEEP = "actions.tasks.sweep_action_reminders"

# Workers of our own on the one broker: no other test's worker may share its queue.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("broker")]


@pytest.fixture(scope="module")
def server():
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: the Celery tests need the real broker")
    with MailServer() as server:
        yield server


class Worker:
    """`celery worker` in a process of its own, on the test database and the test broker, its
    e-mail going to the little SMTP server; a short lease and timeouts, so faults play out in
    seconds."""

    def __init__(self, name, port, log_dir):
        db = connection.settings_dict
        env = {
            **os.environ,
            "DJANGO_ENV": "test",
            "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:"
            f"{db['PORT'] or 5432}/{db['NAME']}",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "EMAIL_TIMEOUT": "1",
            "OUTBOX_CLAIM_LEASE_SECONDS": str(LEASE_SECONDS),
            "OUTBOX_BATCH_SIZE": "5",
        }
        self.log = log_dir / f"{name}.log"
        self.output = self.log.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                *("-m", "celery", "-A", "caspa", "worker", "--pool=solo", "--loglevel=INFO"),
                *("-n", f"{name}@%h", "--without-gossip", "--without-mingle"),
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.output,
            stderr=subprocess.STDOUT,
        )

    def wait_until_ready(self):
        deadline = time.monotonic() + 60
        while "ready." not in self.log.read_text():
            assert self.process.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, "the worker did not start"
            time.sleep(0.1)

    def seconds_taken(self) -> list[float]:
        """How long each sweep it ran took, from its log: the task received, to the sweep's
        closing line."""
        stamps = re.findall(
            r"^\[([0-9-]+ [0-9:,]+): INFO/MainProcess\] (?:Task \S+ received|(Action sweep))",
            self.log.read_text(),
            re.MULTILINE,
        )
        seconds, began = [], None
        for stamp, done in stamps:
            at = datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f")
            if not done:
                began = at
            elif began:
                seconds.append((at - began).total_seconds())
        return seconds

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.output.close()


@pytest.fixture
def workers(transactional_db, server, tmp_path):
    """Starts workers on demand; stops them all, and empties the queue, afterwards."""
    server.mode, server.delay, server.stall_after = "accept", 0.0, None
    server.received.clear()
    server.stalled.clear()
    started = []

    def start(*names):
        new = [Worker(name, server.port, tmp_path) for name in names]  # starting together
        started.extend(new)
        for worker in new:
            worker.wait_until_ready()
        return new

    yield start
    for worker in started:
        worker.stop()
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    client.delete("celery", "unacked", "unacked_index")  # nothing left for another test
    client.close()


def overdue_actions(rosa, cora, harriet, housing, count):
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    [(referral, _)] = fill_pathway(rosa, cora, 1)
    OutboxMessage.objects.update(sent_at=timezone.now())  # the pathway's own e-mails
    for _ in range(count):
        action = services.action_agree(
            case=referral.case,
            by=cora,
            owner_agency=housing,
            description="Visit",
            due_on=timezone.localdate(),
        )
        Action.objects.filter(pk=action.pk).update(due_on=timezone.localdate() - timedelta(days=2))


def sweep():
    """Queue a sweep through Redis, as beat does (the test settings' eager mode is for
    apply_async; send_task always goes to the broker, and says so)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AlwaysEagerIgnored)
        app.send_task(SWEEP)


def wait_until(condition, timeout=30, every=0.1):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(every)


def waiting():
    return OutboxMessage.objects.filter(sent_at=None).count()


def each_once(server):
    """Every message recorded (the notices' and the digest) arrived once, and nothing else."""
    expected = set(
        OutboxMessage.objects.exclude(kind="referral.screened").values_list("message_id", flat=True)
    )
    return server.counts() == dict.fromkeys(expected, 1)


def test_a_worker_killed_mid_sweep_and_another_started_sends_each_notice_once(
    workers, server, rosa, cora, harriet, housing
):
    overdue_actions(rosa, cora, harriet, housing, 12)
    server.stall_after, server.stall_seconds = 3, 20  # slow: nothing said about the fourth
    [first] = workers("first")
    sweep()
    assert server.stalled.wait(30)
    # The worker has marked what the server accepted (within MARK_WITHIN of it).
    wait_until(lambda: OutboxMessage.objects.exclude(sent_at=None).count() == 3 + 1)
    first.kill()  # mid-batch, mid-conversation: SIGKILL, nothing runs after it
    assert Notice.objects.count() == 12  # recorded, with their e-mails, before it died

    workers("second")
    deadline = time.monotonic() + 4 * LEASE_SECONDS
    while waiting() and time.monotonic() < deadline:
        sweep()  # as beat would, sooner: the killed worker's claims wait out their lease
        time.sleep(0.5)
    assert waiting() == 0
    assert len(server.received) == 13
    assert each_once(server)
    killed_batch = OutboxMessage.objects.filter(kind="action.overdue", attempts=2)
    assert killed_batch.count() in (1, 2)  # claimed by the dead worker, never accepted


def test_two_sweeps_overlapping_past_the_lease_send_no_notice_twice(
    workers, server, rosa, cora, harriet, housing
):
    overdue_actions(rosa, cora, harriet, housing, 24)
    server.delay = 0.5  # 2.5 s for a batch of 5: past half the 3 s lease, so batches stop early
    one, two = workers("one", "two")
    started = time.monotonic()
    sweep(), sweep()
    wait_until(lambda: len(server.received) >= 8)  # both at work
    # A batch stops at half its lease and leaves the rest to the next sweep: as beat would,
    # sooner, two more at a time while any wait.
    while waiting() and time.monotonic() - started < 60:
        sweep(), sweep()
        time.sleep(1)
    assert waiting() == 0
    # The first two sweeps, one on each worker, started together and each ran past the lease.
    assert one.seconds_taken()[0] > LEASE_SECONDS
    assert two.seconds_taken()[0] > LEASE_SECONDS
    assert len(server.received) == 25
    assert each_once(server)
