"""Two app servers and two Celery workers at once, on one PostgreSQL and one Redis: what the
service does deployed on several machines (docs/resilience.md).

Thirty accepts arrive at once, split across the two app servers: the pathway's free places
are filled exactly, every other referral waits for a place in order, and each coordinator is
told which. Then both workers sweep the due actions at the same moment: each notice is sent
once, to a real SMTP server that keeps every message it is given."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from celery import current_app
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.services import agency_appoint_spoc, user_create
from actions import services as action_services
from actions.models import Action, Notice
from actions.tasks import sweep_action_reminders
from caspa.core.models import OutboxMessage
from panel import selectors
from panel.models import Case, CaseStatus
from tests.fault_processes import (
    Browser,
    RedisServer,
    SmtpSink,
    app_server,
    celery_worker,
    environment,
    free_port,
    result_of,
    wait_for,
)
from tests.panel.concurrent_accepts import referrals_ready_to_accept

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("processes")]

ACCEPTS = 30
ACTIONS_PER_CASE = 3
RESULTS_DB = 1
THREADS = ACCEPTS // 2  # each app server takes its half of the accepts all at once


@pytest.fixture(scope="module")
def deployment(django_db_setup, tmp_path_factory):
    """Our own Redis, an SMTP sink, two app servers and two workers on the test database."""
    redis = RedisServer().start()
    sink = SmtpSink().start()
    logs = tmp_path_factory.mktemp("deployment")
    env = environment(broker=redis.url(), smtp_port=sink.port)
    started = []
    try:
        for n in (1, 2):
            started.append(app_server(f"app{n}", free_port(), env, logs, threads=THREADS))
            started.append(celery_worker(f"worker{n}", env, logs, results=redis.url(RESULTS_DB)))
        for process in started:  # the four start side by side
            process.launch()
        for process in started:
            process.wait_until_ready()
        yield redis, sink, started[0::2], started[1::2]
    finally:
        for process in started:
            process.stop()
        sink.stop()
        redis.stop()


@pytest.fixture
def broker(deployment):
    """This process queues its tasks on our Redis, as beat would."""
    redis = deployment[0]
    conf = current_app.conf
    saved = {key: conf[key] for key in ("task_always_eager", "broker_url")}
    conf.update(task_always_eager=False, broker_url=redis.url())
    current_app._pool = None
    current_app.amqp._producer_pool = None
    yield redis
    conf.update(saved)
    current_app._pool = None
    current_app.amqp._producer_pool = None


def accept_at_once(browsers, referrals) -> list:
    """Each referral accepted by its own browser, all released at the same moment: (status,
    where it led, the page it led to)."""
    barrier = threading.Barrier(len(referrals))
    outcomes = [None] * len(referrals)

    def accept(index):
        referral = referrals[index]
        url = reverse("panel:referral_accept", args=[referral.pk])
        barrier.wait()
        outcomes[index] = browsers[index].post_then_follow(url, {"version": referral.version})

    threads = [threading.Thread(target=accept, args=(i,)) for i in range(len(referrals))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_app_servers_hold_the_cap_and_two_workers_send_each_notice_once(deployment, broker):
    redis, sink, apps, workers = deployment
    referrals, coordinator = referrals_ready_to_accept(ACCEPTS)
    cap = selectors.pathway_cap()
    # Each accept from its own signed-in browser, half of them on each app server.
    browsers = [Browser.signed_in(apps[n % 2].port, coordinator) for n in range(ACCEPTS)]

    outcomes = accept_at_once(browsers, referrals)

    queue = reverse("referrals:screening_queue")
    assert [(status, location) for status, location, _ in outcomes] == [(302, queue)] * ACCEPTS
    joined = [
        r
        for r, (_, _, page) in zip(referrals, outcomes, strict=True)
        if "is accepted for the next panel meeting" in page
    ]
    waiting = [
        r
        for r, (_, _, page) in zip(referrals, outcomes, strict=True)
        if "The pathway is full" in page
    ]
    assert len(joined) == cap
    assert len(waiting) == ACCEPTS - cap  # the others told they wait, and where
    positions = sorted(
        position
        for _, _, page in outcomes
        for position in range(1, ACCEPTS + 1)
        if f"number {position} on the waiting list" in page
    )
    assert positions == list(range(1, ACCEPTS - cap + 1))
    assert Case.objects.on_caseload().count() == cap
    assert set(Case.objects.on_caseload().values_list("referral", flat=True)) == {
        r.pk for r in joined
    }
    assert Case.objects.filter(status=CaseStatus.WAITING).count() == ACCEPTS - cap
    for app in apps:  # each server took its half (its access log)
        posts = [line for line in app.output().splitlines() if '"POST ' in line]
        assert len([line for line in posts if "/accept-referral/" in line]) == ACCEPTS // 2
    # Each accept's e-mail to the referrer, queued by the app server that took it, sent by
    # one of the workers.
    wait_for(
        lambda: not OutboxMessage.objects.filter(sent_at=None).exists(),
        timeout=60,
        what="the accepts' e-mails to be sent",
    )

    # Actions on every case on the caseload, all overdue, their owner with a SPoC.
    agency = coordinator.agency
    spoc = user_create(
        username="spoc",
        email="spoc@example.org",
        first_name="S",
        last_name="Spoc",
        role=Role.SPOC,
        agency=agency,
    )
    agency_appoint_spoc(agency=agency, spoc=spoc, by=coordinator)
    for case in Case.objects.on_caseload():
        for n in range(ACTIONS_PER_CASE):
            action_services.action_agree(
                case=case,
                by=coordinator,
                owner_agency=agency,
                description=f"Visit {n}",
                due_on=timezone.localdate(),
            )
    Action.objects.update(due_on=timezone.localdate() - timedelta(days=2))
    due = Action.objects.count()

    # Both workers sweep at once: two sweeps queued together, one taken by each.
    queued = [sweep_action_reminders.apply_async() for _ in workers]
    results = [result_of(q, redis.url(RESULTS_DB)) for q in queued]

    assert sum(r["notices_recorded"] for r in results) == due
    assert sum(r["notices_sent"] for r in results) == due
    for worker in workers:  # each worker ran a sweep of its own
        assert worker.output().count("Action sweep:") == 1, worker.name
    assert Notice.objects.count() == due
    sent = OutboxMessage.objects.all()
    assert not sent.filter(sent_at=None).exists()
    # Every e-mail (the accepts' and the notices') reached the mail server exactly once.
    assert sink.message_ids() == Counter({m.message_id: 1 for m in sent})
    notices = [m for m in sink.messages if "CASPA: action" in m["Subject"]]
    assert len(notices) == due
