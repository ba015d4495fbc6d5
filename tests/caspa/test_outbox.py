"""The outbox on PostgreSQL: every e-mail is a row, claimed and sent once, with a fixed
Message-ID. Only the mail server is stood in for (locmem, and backends here that are slow,
crash or refuse); the database is real."""

import smtplib
import socket
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.utils import timezone

from accounts.services import agency_appoint_spoc
from actions import services
from actions.models import Action, Digest, Notice, NoticeKind
from actions.sweep import run_sweep
from caspa.core.models import OutboxMessage
from caspa.core.outbox import send_waiting
from referrals import services as referral_services
from tests.factories import fill_pathway, make_referral

HERE = __name__


class SlowBackend(EmailBackend):
    """A mail server that takes 0.15 s a message."""

    def send_messages(self, messages):
        time.sleep(0.15)
        return super().send_messages(messages)


class WorkerKilled(BaseException):
    """What a killed worker looks like from inside: nothing after it runs."""


class SendsThenDiesBackend(EmailBackend):
    """The message goes out, then the worker dies before the outbox hears it was sent."""

    def send_messages(self, messages):
        super().send_messages(messages)
        raise WorkerKilled


class RefusingBackend(EmailBackend):
    def send_messages(self, messages):
        address = messages[0].to[0]
        raise smtplib.SMTPRecipientsRefused({address: (550, f"No mailbox {address}".encode())})


def overdue_actions(case, housing, cora, count, *, days=2):
    actions = []
    for _ in range(count):
        action = services.action_agree(
            case=case,
            by=cora,
            owner_agency=housing,
            description="Visit",
            due_on=timezone.localdate(),
        )
        Action.objects.filter(pk=action.pk).update(
            due_on=timezone.localdate() - timedelta(days=days)
        )
        actions.append(action)
    return actions


def message_ids(emails):
    return [email.message()["Message-ID"] for email in emails]


def action_emails():
    return [email for email in mail.outbox if "CASPA: action" in email.subject]


@pytest.fixture
def case(rosa, cora, harriet, housing):
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    [(referral, _)] = fill_pathway(rosa, cora, 1)
    send_waiting()  # the screening e-mail the fixture's accept wrote
    mail.outbox.clear()
    return referral.case


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_sweeps_send_each_email_once(rosa, cora, harriet, housing, settings):
    # The first sweep takes longer than the lease; the second starts after the lease has run
    # out on the first sweep's earliest claims. A claim stamped when the sweep began would
    # look void to the second sweep while the first is still sending it.
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    [(referral, _)] = fill_pathway(rosa, cora, 1)
    actions = overdue_actions(referral.case, housing, cora, 30)
    settings.EMAIL_BACKEND = f"{HERE}.SlowBackend"
    settings.OUTBOX_CLAIM_LEASE = timedelta(seconds=2)
    settings.OUTBOX_BATCH_SIZE = 5
    mail.outbox.clear()
    results, errors = {}, []

    def sweep(name, delay):
        try:
            time.sleep(delay)
            results[name] = run_sweep(today=timezone.localdate())
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=sweep, args=("first", 0)),
        threading.Thread(target=sweep, args=("second", 2.3)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results["first"].notices_sent > 0
    assert results["second"].notices_sent > 0
    assert sorted(e.subject for e in action_emails()) == sorted(
        f"CASPA: action {a.reference} is overdue" for a in actions
    )
    assert Counter(message_ids(mail.outbox)).most_common(1)[0][1] == 1
    assert results["first"].emails_sent + results["second"].emails_sent == len(mail.outbox)
    assert not OutboxMessage.objects.filter(sent_at=None).exists()


def test_a_resend_after_a_crash_carries_the_same_message_id(case, housing, cora, settings):
    [action] = overdue_actions(case, housing, cora, 1)
    settings.EMAIL_BACKEND = f"{HERE}.SendsThenDiesBackend"
    settings.OUTBOX_CLAIM_LEASE = timedelta(seconds=2)
    with pytest.raises(WorkerKilled):
        run_sweep(today=timezone.localdate())
    [first] = action_emails()  # it went out, but was never marked sent
    notice = Notice.objects.get(action=action)
    assert notice.message.sent_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert run_sweep(today=timezone.localdate()).notices_sent == 0  # its claim still holds
    time.sleep(2.1)  # the lease runs out
    assert run_sweep(today=timezone.localdate()).notices_sent == 1
    first_copy, resent = action_emails()
    assert first_copy is first
    notice.message.refresh_from_db()
    assert message_ids([first, resent]) == [notice.message.message_id] * 2
    assert notice.message.message_id.endswith("@127.0.0.1>")  # the domain from SITE_URL
    assert notice.message.sent_at is not None
    assert notice.message.attempts == 2  # says it may have arrived twice
    assert run_sweep(today=timezone.localdate()).emails_sent == 0


def test_notices_and_the_weekly_digest_are_sent_through_the_one_outbox(case, housing, cora):
    overdue_actions(case, housing, cora, 2, days=8)  # overdue and escalated to the SPoC
    run_sweep(today=timezone.localdate())
    sent = {
        m.message_id: m
        for m in OutboxMessage.objects.exclude(sent_at=None).exclude(kind="referral.screened")
    }
    assert len(mail.outbox) == len(sent)
    assert not OutboxMessage.objects.filter(sent_at=None).exists()
    for email, message_id in zip(mail.outbox, message_ids(mail.outbox), strict=True):
        assert sent[message_id].subject == email.subject
        assert sent[message_id].to == email.to[0]
    kinds = Counter(m.kind for m in sent.values())
    assert kinds == {"action.overdue": 2, "action.escalated_1": 2, "digest.weekly": 1}
    digest = Digest.objects.get()
    assert digest.message.kind == "digest.weekly"
    assert digest.message.sent_at is not None
    assert all(n.message.sent_at for n in Notice.objects.select_related("message"))
    assert {n.kind for n in Notice.objects.all()} == {
        NoticeKind.OVERDUE,
        NoticeKind.ESCALATED_TO_SPOC,
    }

    again = run_sweep(
        today=timezone.localdate() + timedelta(days=1)
        if timezone.localdate().weekday() < 6
        else timezone.localdate()
    )
    assert (again.notices_recorded, again.emails_sent) == (0, 0)  # one digest a SPoC a week
    next_week = run_sweep(today=timezone.localdate() + timedelta(days=7))
    assert next_week.digests_sent == 1
    digests = [e for e in mail.outbox if "your agency's actions" in e.subject]
    assert len(digests) == 2
    assert len(set(message_ids(digests))) == 2


def test_a_refused_email_waits_with_its_error_and_is_sent_by_a_later_sweep(
    rosa, cora, settings, caplog, django_capture_on_commit_callbacks
):
    referral = make_referral(rosa, submit=True)
    settings.EMAIL_BACKEND = f"{HERE}.RefusingBackend"
    settings.OUTBOX_RETRY_BASE = timedelta(seconds=0.5)
    with django_capture_on_commit_callbacks(execute=True):  # the nudge runs the sender here
        referral_services.referral_ask_for_information(
            referral_id=referral.pk, by=cora, version=referral.version, question="GP?"
        )
    message = OutboxMessage.objects.get(kind="referral.question")
    assert (message.sent_at, message.claimed_at, message.attempts) == (None, None, 1)
    assert message.last_error == "SMTPRecipientsRefused"
    assert f"{message.kind} {referral.reference}" in caplog.text  # which one, by reference
    assert rosa.email not in caplog.text + message.last_error  # never whom

    assert message.next_attempt_at > timezone.now()  # it waits out its backoff first

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_waiting() == {}
    time.sleep((message.next_attempt_at - timezone.now()).total_seconds() + 0.05)
    assert send_waiting() == {"referral.question": 1}
    [email] = mail.outbox
    assert email.to == [rosa.email]
    assert send_waiting() == {}


@pytest.fixture
def silent_mail_server():
    """A mail server that accepts the connection and then never says a word."""
    server = socket.create_server(("127.0.0.1", 0))
    yield server.getsockname()[1]
    server.close()


def test_a_mail_server_that_never_answers_does_not_hold_the_sweep(
    rosa, cora, settings, silent_mail_server
):
    assert 0 < settings.EMAIL_TIMEOUT <= 30  # Django's own default waits forever
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", silent_mail_server
    settings.EMAIL_TIMEOUT = 1
    referral = make_referral(rosa, submit=True)
    referral_services.referral_ask_for_information(
        referral_id=referral.pk, by=cora, version=referral.version, question="GP?"
    )
    started = time.monotonic()
    assert send_waiting() == {}
    assert time.monotonic() - started < 5
    message = OutboxMessage.objects.get()
    assert (message.sent_at, message.claimed_at) == (None, None)  # waits for the next sweep
    assert message.last_error in ("SMTPServerDisconnected", "TimeoutError")  # no greeting


def test_an_email_queued_as_a_task_before_the_outbox_is_sent_once_through_it(
    db, django_capture_on_commit_callbacks
):
    from caspa.tasks import send_notice_email

    with django_capture_on_commit_callbacks(execute=True):
        send_notice_email.apply(args=("rosa@example.org", "CASPA: referral R-000001", "Link"))
    [email] = mail.outbox
    message = OutboxMessage.objects.get()
    assert message.kind == "queued_before_outbox"
    assert message.sent_at is not None
    assert email.message()["Message-ID"] == message.message_id
