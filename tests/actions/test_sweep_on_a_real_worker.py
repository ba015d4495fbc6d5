"""The sweep and the outbox's sender as Celery runs them: a real worker, consuming from the
real Redis broker."""

import time

import pytest
from celery.result import EagerResult
from celery.signals import before_task_publish
from django.core import mail

from accounts.services import agency_appoint_spoc
from actions.tasks import sweep_action_reminders
from caspa.core.models import OutboxMessage
from referrals import services as referral_services
from tests.factories import fill_pathway, make_referral, overdue_action

# One real worker at a time: two would take each other's tasks from the one queue.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("broker")]


@pytest.fixture
def overdue_actions(rosa, cora, harriet, housing):
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    return [
        overdue_action(referral.case, by=cora, owner=housing)
        for referral, _ in fill_pathway(rosa, cora, 2)
    ]


def action_emails():
    return [email for email in mail.outbox if "CASPA: action" in email.subject]


def test_a_worker_sweep_emails_each_overdue_action_once(celery_worker, overdue_actions):
    mail.outbox.clear()
    queued = sweep_action_reminders.delay()
    assert not isinstance(queued, EagerResult)  # it went through Redis to the worker
    first = queued.get(timeout=60)
    second = sweep_action_reminders.delay().get(timeout=60)
    assert first["notices_sent"] == 2
    assert second["notices_sent"] == 0
    assert sorted(e.subject for e in action_emails()) == sorted(
        f"CASPA: action {a.reference} is overdue" for a in overdue_actions
    )


def test_a_worker_sweep_with_nothing_due_sends_nothing(celery_worker, db):
    mail.outbox.clear()
    assert sweep_action_reminders.delay().get(timeout=60)["notices_sent"] == 0
    assert action_emails() == []


def test_a_decision_nudges_the_worker_which_sends_its_email(celery_worker, rosa, cora):
    referral = make_referral(rosa, submit=True)
    published = []

    def record(sender, **kwargs):
        published.append(sender)

    before_task_publish.connect(record, weak=False)  # sent only when it goes to the broker
    try:
        mail.outbox.clear()
        referral_services.referral_ask_for_information(
            referral_id=referral.pk, by=cora, version=referral.version, question="GP?"
        )
        deadline = time.monotonic() + 30
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        before_task_publish.disconnect(record)
    assert "caspa.core.tasks.send_outbox" in published
    [email] = mail.outbox
    assert email.subject == f"CASPA: more information needed for referral {referral.reference}"
    message = OutboxMessage.objects.get(kind="referral.question")
    assert message.sent_at is not None
    assert email.message()["Message-ID"] == message.message_id
