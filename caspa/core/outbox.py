"""The outbox: every e-mail CASPA sends is a row first, then claimed and sent by a sweep.

A service calls `write()` inside the transaction of the change that causes the e-mail, so the
e-mail exists exactly when the change does. After the commit the sender task is nudged
(`send_soon`); if the broker is down that is logged, not raised, and the periodic sweep
(Celery beat, caspa/celery.py) sends whatever is still waiting. Sweeps that record many
e-mails at once (actions/sweep.py) use `write_many()` and then send themselves.

`send_waiting()` is the one claim-and-send (docs/engineering-notes.md, "Claiming work in
batches"):

- It claims a batch of waiting messages in one statement, each claim stamped with the moment
  it is made: on PostgreSQL `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED LIMIT n)
  RETURNING …` with the database's clock; elsewhere (SQLite, the demo) a conditional update
  per message. A claim older than OUTBOX_CLAIM_LEASE (a worker killed while sending) is void,
  and the message is claimed again by a later sweep.
- It sends the batch over one mail connection, marking each message sent as it goes. A batch
  stops once half its lease has passed and releases what it has not tried, so a slow mail
  server cannot let another sweep take over claims still being sent.
- A failed send releases the claim and records the error's type (never its text, which can
  name the recipient); the next sweep tries again.
- Each message carries the Message-ID fixed when its row was written, so a resend after a
  crash is recognisably the same message downstream.
"""

import logging
import smtplib
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from caspa.core.models import OutboxMessage
from caspa.core.tasks import send_outbox

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Email:
    """An e-mail to be written to the outbox. `kind` (e.g. "referral.screened") and
    `reference` (a record's reference) identify it in logs: never put a name in either."""

    to: str
    subject: str
    body: str
    kind: str
    reference: str = ""


def _row(email: Email) -> OutboxMessage:
    return OutboxMessage(
        to=email.to,
        subject=email.subject,
        body=email.body,
        kind=email.kind,
        reference=email.reference,
        message_id=make_msgid(idstring="caspa", domain=settings.OUTBOX_MESSAGE_ID_DOMAIN),
    )


def write(*, to: str, subject: str, body: str, kind: str, reference: str = "") -> OutboxMessage:
    """Write one e-mail in the caller's transaction; once it commits, nudge the sender."""
    message = _row(Email(to, subject, body, kind, reference))
    message.save()
    transaction.on_commit(send_soon)
    return message


def write_many(emails: Iterable[Email]) -> list[OutboxMessage]:
    """Write many e-mails in one INSERT, for a sweep that sends them itself afterwards."""
    return OutboxMessage.objects.bulk_create([_row(email) for email in emails])


def send_soon() -> None:
    """Queue the sender task now; a broker that is down is logged, never raised.

    No publish retries: this is only a nudge, and the periodic sweep sends what it missed.
    """
    try:
        send_outbox.apply_async(retry=False)
    except Exception:  # kombu's OperationalError, or a refused or timed-out connection
        # The task's name as text: nothing in this handler may raise.
        log.exception("Could not queue caspa.core.tasks.send_outbox; the outbox sweep will send it")


def send_waiting() -> Counter:
    """Claim and send everything waiting, a batch at a time. Returns how many it sent, by kind.

    Batches go in id order, each after the last, so a message released by a failure here
    waits for the next sweep rather than being retried in a loop.
    """
    lease = settings.OUTBOX_CLAIM_LEASE
    sent = Counter()
    after = 0
    while True:
        claimed_by = time.monotonic()  # before the claim's stamp, so the deadline is safe
        batch = claim(after=after, size=settings.OUTBOX_BATCH_SIZE, lease=lease)
        if not batch:
            break
        sent += _send(batch, deadline=claimed_by + lease.total_seconds() / 2)
        after = batch[-1].pk
    if sent:
        log.info("Outbox: sent %s", ", ".join(f"{n} {kind}" for kind, n in sorted(sent.items())))
    return sent


def claim(*, after: int, size: int, lease: timedelta) -> list[OutboxMessage]:
    """Claim up to `size` waiting messages with ids above `after`, in id order."""
    if connection.vendor == "postgresql":
        return _claim_batch(after, size, lease)
    return _claim_each(after, size, lease)


def _claim_batch(after: int, size: int, lease: timedelta) -> list[OutboxMessage]:
    fields = OutboxMessage._meta.concrete_fields
    quote = connection.ops.quote_name
    table = quote(OutboxMessage._meta.db_table)
    # statement_timestamp(), not now(): now() is when the transaction began.
    sql = f"""
        UPDATE {table}
        SET claimed_at = statement_timestamp(), attempts = attempts + 1
        WHERE id IN (
            SELECT id FROM {table}
            WHERE sent_at IS NULL AND id > %s
              AND (claimed_at IS NULL OR claimed_at < statement_timestamp() - %s)
            ORDER BY id
            LIMIT %s
            FOR UPDATE SKIP LOCKED
        )
        RETURNING {", ".join(quote(field.column) for field in fields)}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [after, lease, size])
        rows = cursor.fetchall()
    names = [field.attname for field in fields]
    messages = [OutboxMessage.from_db(connection.alias, names, row) for row in rows]
    return sorted(messages, key=lambda message: message.pk)


def _claim_each(after: int, size: int, lease: timedelta) -> list[OutboxMessage]:
    waiting = OutboxMessage.objects.filter(
        Q(sent_at__isnull=True),
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=timezone.now() - lease),
        pk__gt=after,
    )
    claimed = []
    for pk in list(waiting.order_by("pk").values_list("pk", flat=True)[:size]):
        now = timezone.now()  # this claim's own moment
        still_waiting = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - lease)
        if OutboxMessage.objects.filter(still_waiting, pk=pk, sent_at__isnull=True).update(
            claimed_at=now, attempts=F("attempts") + 1
        ):
            claimed.append(pk)
    return list(OutboxMessage.objects.filter(pk__in=claimed).order_by("pk"))


def _send(batch: list[OutboxMessage], *, deadline: float) -> Counter:
    sent = Counter()
    mail = get_connection()
    try:
        mail.open()
    except Exception as error:
        log.error(
            "Could not connect to the mail server (%s); %s messages wait for the next sweep",
            describe(error),
            len(batch),
        )
        for message in batch:
            _release(message, error)
        return sent
    try:
        for index, message in enumerate(batch):
            if time.monotonic() > deadline:
                log.warning("Outbox: half the lease has gone; %s released", len(batch) - index)
                for untried in batch[index:]:
                    _release(untried, None)
                break
            try:
                if mail.send_messages([_email(message)]) != 1:
                    raise smtplib.SMTPException("the mail backend sent nothing")
            except Exception as error:
                log.error(
                    "Outbox message %s (%s %s) not sent (%s); the next sweep tries again",
                    message.pk,
                    message.kind,
                    message.reference,
                    describe(error),
                )
                _release(message, error)
                continue
            OutboxMessage.objects.filter(pk=message.pk).update(sent_at=timezone.now())
            sent[message.kind] += 1
    finally:
        try:
            mail.close()
        except Exception as error:  # everything in the batch is already marked as it went
            log.warning("Closing the mail connection failed (%s)", describe(error))
    return sent


def _email(message: OutboxMessage) -> EmailMessage:
    return EmailMessage(
        subject=message.subject,
        body=message.body,
        to=[message.to],
        headers={"Message-ID": message.message_id},
    )


def _release(message: OutboxMessage, error: Exception | None) -> None:
    """Give the claim up, if it is still this sweep's. An untried message (no error) gets its
    attempt back."""
    changes = (
        {"last_error": describe(error)[:200]}
        if error is not None
        else {"attempts": F("attempts") - 1}
    )
    OutboxMessage.objects.filter(
        pk=message.pk, claimed_at=message.claimed_at, sent_at__isnull=True
    ).update(claimed_at=None, **changes)


def describe(error: Exception) -> str:
    """An error's type and SMTP code: its text can carry the recipient's address."""
    code = getattr(error, "smtp_code", None)
    return f"{type(error).__name__} {code}" if code else type(error).__name__
