"""When Redis is down, the user's change still happens, the failure to queue is logged, and
the e-mail the change wrote is sent by the outbox sweep that beat runs every minute."""

import logging

import pytest
from django.core import mail
from django.urls import reverse

from referrals.choices import Status
from referrals.models import Referral
from tests.factories import make_referral
from tests.fault_processes import minutely_beat_task, publishing_to


@pytest.fixture
def broker_down():
    # Nothing listens on port 1: the connection is refused at once.
    with publishing_to("redis://127.0.0.1:1/0", task_publish_retry=False):
        yield


def run_the_minutely_beat_task():
    """Run, here and now, the task beat runs every minute: as its worker would."""
    return minutely_beat_task().apply().get()


def test_a_decision_is_saved_and_the_queueing_failure_logged_when_redis_is_down(
    client_for, rosa, cora, broker_down, caplog, django_capture_on_commit_callbacks
):
    referral = make_referral(rosa, submit=True)
    url = reverse("referrals:ask_for_information", args=[referral.pk])
    with (
        caplog.at_level(logging.ERROR, logger="caspa.core.outbox"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_for(cora).post(
            url, {"version": referral.version, "question": "Who is their GP?"}
        )
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == Status.MORE_INFORMATION
    assert "Could not queue caspa.core.tasks.send_outbox" in caplog.text
    assert "Connection refused" in caplog.text  # the broker really was unreachable
    assert mail.outbox == []


def test_an_email_written_while_redis_is_down_is_sent_by_the_next_sweep(
    client_for, rosa, cora, broker_down, django_capture_on_commit_callbacks
):
    referral = make_referral(rosa, submit=True)
    url = reverse("referrals:ask_for_information", args=[referral.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client_for(cora).post(url, {"version": referral.version, "question": "Who is their GP?"})
    assert mail.outbox == []  # its nudge was lost with the broker
    run_the_minutely_beat_task()  # the broker is still down: the sweep does not need it
    [email] = mail.outbox
    assert email.to == ["rosa@example.org"]
    assert email.subject == f"CASPA: more information needed for referral {referral.reference}"
    assert f"/referrals/{referral.pk}/" in email.body
    run_the_minutely_beat_task()
    assert len(mail.outbox) == 1  # and only once
