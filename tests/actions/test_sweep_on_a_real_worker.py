"""The sweep as Celery runs it: a real worker, consuming from the real Redis broker."""

import os
from datetime import timedelta

import pytest
from celery.result import EagerResult
from django.core import mail
from django.utils import timezone

from accounts.services import agency_appoint_spoc
from actions import services
from actions.models import Action
from actions.tasks import sweep_action_reminders
from tests.panel.test_caseload import fill_pathway

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="session")
def celery_config():
    redis = os.environ.get("REDIS_URL")
    if not redis:
        pytest.skip("REDIS_URL is not set: the Celery tests need the real broker")
    return {"broker_url": redis, "result_backend": redis, "task_always_eager": False}


@pytest.fixture
def overdue_actions(rosa, cora, harriet, housing):
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    actions = []
    for referral, _ in fill_pathway(rosa, cora, 2):
        action = services.action_agree(
            case=referral.case,
            by=cora,
            owner_agency=housing,
            description="Visit",
            due_on=timezone.localdate(),
        )
        Action.objects.filter(pk=action.pk).update(due_on=timezone.localdate() - timedelta(days=2))
        actions.append(action)
    return actions


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
