"""When Redis is down, the user's change still happens; the failure to queue is logged."""

import logging

import pytest
from celery import current_app
from django.urls import reverse

from referrals.choices import Status
from referrals.models import Referral
from tests.factories import make_referral


@pytest.fixture
def broker_down():
    conf = current_app.conf
    saved = {key: conf[key] for key in ("task_always_eager", "broker_url", "task_publish_retry")}
    # Nothing listens on port 1: the connection is refused at once.
    conf.update(
        task_always_eager=False, broker_url="redis://127.0.0.1:1/0", task_publish_retry=False
    )
    reset_connection_pool()
    yield
    conf.update(saved)
    reset_connection_pool()


def reset_connection_pool():
    # Drop the connection and producer pools, so the next task opens fresh connections to
    # the broker configured now.
    current_app._pool = None
    current_app.amqp._producer_pool = None


def test_a_decision_is_saved_and_the_queueing_failure_logged_when_redis_is_down(
    client_for, rosa, cora, broker_down, caplog, django_capture_on_commit_callbacks
):
    referral = make_referral(rosa, submit=True)
    url = reverse("referrals:screening_detail", args=[referral.pk])
    with (
        caplog.at_level(logging.ERROR, logger="caspa.queue"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_for(cora).post(
            url, {"version": referral.version, "action": "ask", "question": "Who is their GP?"}
        )
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == Status.MORE_INFORMATION
    assert "Could not queue caspa.tasks.send_notice_email" in caplog.text
    assert "Connection refused" in caplog.text  # the broker really was unreachable
