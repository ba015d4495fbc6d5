"""Two app servers and two Celery workers at once, on one PostgreSQL and one Redis: what the
service does deployed on several machines (docs/resilience.md).

Thirty accepts arrive at once, split across the two app servers: the pathway's free places
are filled exactly, every other referral waits for a place in order, and each coordinator is
told which. Then both workers sweep the due actions at the same moment: each notice is sent
once, to a real SMTP server that keeps every message it is given."""

import re
import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.services import agency_appoint_spoc, user_create
from actions import services as action_services
from actions.models import Action, Notice
from actions.tasks import sweep_action_reminders
from caspa.core.models import OutboxMessage
from panel import selectors
from panel import services as panel_services
from panel.models import Case, CaseStatus
from tests.fault_processes import (
    Browser,
    RedisServer,
    app_server,
    celery_worker,
    environment,
    free_port,
    publishing_to,
    result_of,
    wait_for,
)
from tests.panel.concurrent_accepts import referrals_ready_to_accept
from tests.smtp_server import SmtpServer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("processes")]

ACCEPTS = 30
ON_THE_CASELOAD_ALREADY = 5  # so that the accepts compete for the places still free
# What the pathway's refusal of a place says (panel.rules.PATHWAY_FULL).
WAITING_AT = re.compile(r"The pathway is full: .*? number (\d+) on the waiting list")
ACTIONS_PER_CASE = 3
RESULTS_DB = 1
THREADS = ACCEPTS // 2  # each app server takes its half of the accepts all at once


@pytest.fixture(scope="module")
def deployment(django_db_setup, tmp_path_factory):
    """Our own Redis, an SMTP server, two app servers and two workers on the test database."""
    redis = RedisServer().start()
    sink = SmtpServer().start()
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
    with publishing_to(redis.url()):
        yield redis


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
    referrals, coordinator = referrals_ready_to_accept(ON_THE_CASELOAD_ALREADY + ACCEPTS)
    for referral in referrals[:ON_THE_CASELOAD_ALREADY]:
        panel_services.referral_accept_onto_pathway(
            referral_id=referral.pk, by=coordinator, version=referral.version
        )
    referrals = referrals[ON_THE_CASELOAD_ALREADY:]
    free_places = selectors.pathway_cap() - ON_THE_CASELOAD_ALREADY
    # Each accept from its own signed-in browser, half of them on each app server.
    browsers = [Browser.signed_in(apps[n % 2].port, coordinator) for n in range(ACCEPTS)]

    outcomes = accept_at_once(browsers, referrals)

    queue = reverse("referrals:screening_queue")
    assert [(status, location) for status, location, _ in outcomes] == [(302, queue)] * ACCEPTS
    pages = dict(zip((r.pk for r in referrals), (page for _, _, page in outcomes), strict=True))
    joined = {pk for pk, page in pages.items() if "is accepted for the next panel meeting" in page}
    told_to_wait = {pk: WAITING_AT.findall(page) for pk, page in pages.items() if pk not in joined}
    assert len(joined) == free_places
    # Every other coordinator told the referral waits, and where: each place once, in order.
    assert sorted(int(p) for [p] in told_to_wait.values()) == list(
        range(1, ACCEPTS - free_places + 1)
    )
    on_caseload = Case.objects.on_caseload()
    assert on_caseload.count() == ON_THE_CASELOAD_ALREADY + free_places
    assert joined <= set(on_caseload.values_list("referral", flat=True))
    waiting = Case.objects.filter(status=CaseStatus.WAITING)
    assert set(waiting.values_list("referral", flat=True)) == set(told_to_wait)
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
