"""Redis stopped while people work (docs/resilience.md): pages open, decisions save, and every
e-mail written meanwhile is sent once Redis is back, by the outbox sweep beat runs every minute,
on a real worker.

Our own redis-server is the broker (the shared one is never stopped), a Celery worker in a
fresh interpreter consumes from it, and it sends to an SMTP server in this process
(tests/smtp_server.py) that keeps each message it is given."""

import logging
import socket
import threading
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import agency_appoint_spoc
from actions import services as action_services
from actions.models import Action, ActionUpdate
from caspa.core.choices import ActionStatus
from caspa.core.models import OutboxMessage
from referrals.choices import Signpost, Status
from referrals.models import Referral
from tests.factories import fill_pathway, make_referral
from tests.fault_processes import (
    RedisServer,
    celery_worker,
    environment,
    minutely_beat_task,
    publishing_to,
    reset_connection_pool,
    result_of,
    wait_for,
)
from tests.smtp_server import SmtpServer

# The fault tests with processes of their own run one after another, in one xdist process.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("processes")]

RESULTS_DB = 1  # the worker keeps task results in this db of our Redis


@pytest.fixture(scope="module")
def redis():
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def sink():
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def worker(django_db_setup, redis, sink, tmp_path_factory):
    env = environment(broker=redis.url(), smtp_port=sink.port)
    process = celery_worker(
        "outage", env, tmp_path_factory.mktemp("outage"), results=redis.url(RESULTS_DB)
    ).start()
    yield process
    process.stop()


@pytest.fixture
def broker(redis, worker):
    """This process publishes to our Redis, as the app would in production."""
    with publishing_to(redis.url(), task_publish_retry=False):
        yield


def beat_sends_the_outbox(redis) -> dict:
    """Queue the task beat queues every minute, and wait for the worker to run it."""
    reset_connection_pool()
    return result_of(minutely_beat_task().apply_async(), redis.url(RESULTS_DB))


@pytest.fixture
def work(rosa, cora, harriet, housing):
    """What people are in the middle of: referrals to screen, and a case with an action."""
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    [(accepted, _)] = fill_pathway(rosa, cora, 1)
    action = action_services.action_agree(
        case=accepted.case,
        by=cora,
        owner_agency=housing,
        description="Visit",
        due_on=timezone.localdate() + timedelta(days=20),
    )
    waiting = [make_referral(rosa, submit=True) for _ in range(3)]
    return accepted, action, waiting


def test_while_redis_is_stopped_work_goes_on_and_its_emails_go_once_it_is_back(
    broker, redis, sink, worker, work, client_for, rosa, cora, harriet, caplog
):
    accepted, action, (asked, declined, asked_before) = work
    coordinator, spoc, referrer = client_for(cora), client_for(harriet), client_for(rosa)

    # Redis up: a decision's nudge reaches the worker, which sends its e-mail at once.
    response = coordinator.post(
        reverse("referrals:ask_for_information", args=[asked_before.pk]),
        {"version": asked_before.version, "question": "Who is their GP?"},
    )
    assert response.status_code == 302
    nudged = OutboxMessage.objects.get(kind="referral.question", reference=asked_before.reference)
    wait_for(lambda: sink.message_ids()[nudged.message_id], timeout=30, what="the nudged e-mail")
    sink.clear()

    redis.stop()
    assert not redis.answers()
    with caplog.at_level(logging.ERROR, logger="caspa.core.outbox"):
        # Pages open.
        for client, url in (
            (coordinator, reverse("referrals:screening_queue")),
            (coordinator, reverse("referrals:screening_detail", args=[asked.pk])),
            (coordinator, accepted.case.get_absolute_url()),
            (spoc, reverse("actions:detail", args=[action.pk])),
            (referrer, reverse("referrals:detail", args=[asked_before.pk])),
        ):
            assert client.get(url).status_code == 200, url
        # Decisions save, each writing its e-mail to the outbox.
        decisions = [
            coordinator.post(
                reverse("referrals:ask_for_information", args=[asked.pk]),
                {"version": asked.version, "question": "Is there a tenancy?"},
            ),
            coordinator.post(
                reverse("referrals:decline", args=[declined.pk]),
                {
                    "version": declined.version,
                    "reason": "Single agency",
                    "signpost": Signpost.MARAC,
                },
            ),
            referrer.post(
                reverse("referrals:answer_question", args=[asked_before.pk]),
                {"version": Referral.objects.get(pk=asked_before.pk).version, "answer": "Dr Lee"},
            ),
            spoc.post(
                reverse("actions:update", args=[action.pk]),
                {"version": action.version, "status": ActionStatus.IN_PROGRESS, "note": "Booked"},
            ),
        ]
    assert [r.status_code for r in decisions] == [302, 302, 302, 302]
    assert Referral.objects.get(pk=asked.pk).status == Status.MORE_INFORMATION
    assert Referral.objects.get(pk=declined.pk).status == Status.DECLINED
    assert Referral.objects.get(pk=asked_before.pk).status == Status.SUBMITTED
    assert ActionUpdate.objects.filter(action=action, note="Booked").exists()
    assert Action.objects.get(pk=action.pk).status == ActionStatus.IN_PROGRESS
    # Each decision's nudge failed, and said so; nothing was sent.
    assert caplog.text.count("Could not queue caspa.core.tasks.send_outbox") == 3
    written_meanwhile = list(OutboxMessage.objects.filter(sent_at=None))
    assert sorted(message.kind for message in written_meanwhile) == [
        "referral.answered",
        "referral.question",
        "referral.screened",
    ]
    assert sink.message_ids() == {}

    redis.start()  # on the same port: the worker reconnects by itself
    wait_for(
        lambda: worker.output().count("Connected to redis://") >= 2,
        timeout=60,
        what="the worker to reconnect to Redis",
    )
    first = beat_sends_the_outbox(redis)
    second = beat_sends_the_outbox(redis)

    assert sum(first.values()) == 3
    assert second == {}
    for message in written_meanwhile:
        message.refresh_from_db()
        assert message.sent_at is not None
    assert sink.message_ids() == {message.message_id: 1 for message in written_meanwhile}


@pytest.fixture
def broken_broker():
    """A broker that takes each connection and drops it at once, counting them."""
    listener = socket.create_server(("127.0.0.1", 0))
    attempts = []

    def take_and_drop():
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:  # closed: the test is over
                return
            attempts.append(1)
            connection.close()

    threading.Thread(target=take_and_drop, daemon=True).start()
    with publishing_to(f"redis://127.0.0.1:{listener.getsockname()[1]}/0"):
        yield attempts
    listener.close()


def test_a_decision_tries_a_broken_broker_once_and_does_not_wait_on_it(
    broken_broker, client_for, rosa, cora
):
    # Kombu would otherwise retry the connection for its whole timeout (three tries, 7 s here)
    # while the coordinator's page waits: the nudge connects once (caspa/settings.py).
    referral = make_referral(rosa, submit=True)
    response = client_for(cora).post(
        reverse("referrals:ask_for_information", args=[referral.pk]),
        {"version": referral.version, "question": "Who is their GP?"},
    )
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == Status.MORE_INFORMATION
    assert len(broken_broker) == 1
    assert OutboxMessage.objects.get(kind="referral.question").sent_at is None  # for the sweep
