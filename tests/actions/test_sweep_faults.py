"""The reminder sweep on real Celery worker processes (tests/fault_processes.py), sending to a
real (little) SMTP server (tests/smtp_server.py): a worker killed with SIGKILL mid-sweep and
another started, and two sweeps overlapping for longer than the claim lease. Each notice
arrives exactly once, counted by Message-ID at the server."""

import os
import re
import time
import warnings
from datetime import datetime

import pytest
import redis
from celery.exceptions import AlwaysEagerIgnored
from django.utils import timezone

from accounts.services import agency_appoint_spoc
from actions.models import Notice
from caspa.celery import app
from caspa.core.models import OutboxMessage
from tests.factories import fill_pathway, overdue_action
from tests.fault_processes import celery_worker, environment
from tests.smtp_server import SmtpServer

LEASE_SECONDS = 3
SWEEP = "actions.tasks.sweep_action_reminders"

# Workers of our own on the one broker: no other test's worker may share its queue.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("broker")]


@pytest.fixture(scope="module")
def server():
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: the Celery tests need the real broker")
    with SmtpServer() as server:
        yield server


def seconds_taken(worker) -> list[float]:
    """How long each sweep the worker ran took, from its log: the task received, to the
    sweep's closing line."""
    stamps = re.findall(
        r"^\[([0-9-]+ [0-9:,]+): INFO/MainProcess\] (?:Task \S+ received|(Action sweep))",
        worker.output(),
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


@pytest.fixture
def workers(transactional_db, server, tmp_path):
    """Starts workers on demand (`celery worker` in processes of their own, on the test
    database and the test broker, their e-mail going to the little SMTP server; a short lease
    and timeouts, so faults play out in seconds); stops them all, and empties the queue,
    afterwards."""
    server.reset()
    env = environment(
        broker=os.environ["REDIS_URL"],
        smtp_port=server.port,
        EMAIL_TIMEOUT="1",
        OUTBOX_CLAIM_LEASE_SECONDS=str(LEASE_SECONDS),
        OUTBOX_BATCH_SIZE="5",
    )
    started = []

    def start(*names):
        new = [celery_worker(name, env, tmp_path).launch() for name in names]  # together
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
        overdue_action(referral.case, by=cora, owner=housing)


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
    return server.message_ids() == dict.fromkeys(expected, 1)


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
    assert seconds_taken(one)[0] > LEASE_SECONDS
    assert seconds_taken(two)[0] > LEASE_SECONDS
    assert len(server.received) == 25
    assert each_once(server)
