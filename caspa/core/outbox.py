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
- It sends the batch over one mail connection, in a thread of its own that touches no
  database, while the sweep's thread marks what the mail server accepted: a group at a time
  (MARK_EVERY messages, or MARK_WITHIN seconds after the group's first was accepted), so the
  queries are a fixed few a batch, and a killed worker leaves at most one group, or the last
  MARK_WITHIN seconds' worth, to be sent again. A batch stops once half its lease has
  passed and releases what it has not tried, so a slow mail server cannot let another sweep
  take over claims still being sent.
- A failed send releases the claim, records the error's type (never its text, which can
  name the recipient) and sets `next_attempt_at` by a backoff that doubles with each
  failure (OUTBOX_RETRY_BASE up to OUTBOX_RETRY_MAX). An error about one message (its
  recipient refused) moves on to the next; any other (a timeout, a dropped connection) ends
  the batch, its untried messages released with their attempt given back; a mail server
  that cannot be reached at all ends the sweep.
- Each message carries the Message-ID fixed when its row was written, so a resend after a
  crash is recognisably the same message downstream.
"""

import logging
import queue
import smtplib
import threading
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
    waits for the next sweep rather than being retried in a loop. A mail server that cannot
    be reached ends the sweep: the rest wait, unclaimed, for the next one.
    """
    lease = settings.OUTBOX_CLAIM_LEASE
    sent = Counter()
    after = 0
    while True:
        claimed_by = time.monotonic()  # before the claim's stamp, so the deadline is safe
        batch = claim(after=after, size=settings.OUTBOX_BATCH_SIZE, lease=lease)
        if not batch:
            break
        batch_sent, reached = _send(batch, deadline=claimed_by + lease.total_seconds() / 2)
        sent += batch_sent
        if not reached:
            break
        after = batch[-1].pk
    if sent:
        log.info("Outbox: sent %s", ", ".join(f"{n} {kind}" for kind, n in sorted(sent.items())))
    return sent


# Marking sent: a message's row is marked at most MARK_WITHIN seconds after the mail server
# accepted it, and MARK_EVERY at a time when the server is fast (docs/engineering-notes.md,
# "Claiming work in batches").
MARK_EVERY = 25
MARK_WITHIN = 0.5

# Errors about one message (its recipient or content refused): the next message is tried.
# Anything else (a timeout, a dropped or refused connection) ends the batch.
MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


def waiting_q() -> Q:
    """Unsent, unclaimed (or its claim void) and not waiting out a backoff: as `_claim_batch`
    says it in SQL."""
    now = timezone.now()
    return (
        Q(sent_at__isnull=True)
        & (Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - settings.OUTBOX_CLAIM_LEASE))
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    )


def waiting_count() -> int:
    """How many messages wait unsent: a count over the partial index of the unsent rows
    (`outbox_waiting`), so its cost follows the backlog, not the table."""
    return OutboxMessage.objects.filter(sent_at__isnull=True).count()


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
              AND (next_attempt_at IS NULL OR next_attempt_at <= statement_timestamp())
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
    claimed = []
    waiting = OutboxMessage.objects.filter(waiting_q(), pk__gt=after)
    for pk in list(waiting.order_by("pk").values_list("pk", flat=True)[:size]):
        now = timezone.now()  # this claim's own moment
        still_waiting = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - lease)
        if OutboxMessage.objects.filter(still_waiting, pk=pk, sent_at__isnull=True).update(
            claimed_at=now, attempts=F("attempts") + 1
        ):
            claimed.append(pk)
    return list(OutboxMessage.objects.filter(pk__in=claimed).order_by("pk"))


def _talk(batch: list[OutboxMessage], deadline: float, events: queue.Queue) -> None:
    """The SMTP conversation for one batch, on one connection, in its own thread: it touches
    no database. Each outcome is put on `events` as it happens: ("sent", message),
    ("failed", message, error), ("untried", messages), ("unreachable", error), ("crashed",
    error), and last ("done",)."""
    try:
        mail = get_connection()
        try:
            mail.open()
        except Exception as error:
            events.put(("unreachable", error))
            return
        try:
            for index, message in enumerate(batch):
                if time.monotonic() > deadline:
                    log.warning("Outbox: half the lease has gone; %s released", len(batch) - index)
                    events.put(("untried", batch[index:]))
                    break
                try:
                    if mail.send_messages([_email(message)]) != 1:
                        raise smtplib.SMTPException("the mail backend sent nothing")
                except MESSAGE_ERRORS as error:
                    events.put(("failed", message, error))
                    continue
                except Exception as error:  # the connection is no good: the rest wait
                    events.put(("failed", message, error))
                    events.put(("untried", batch[index + 1 :]))
                    break
                events.put(("sent", message))
        finally:
            try:
                mail.close()
            except Exception as error:  # what was accepted is already on its way to be marked
                log.warning("Closing the mail connection failed (%s)", describe(error))
    except BaseException as error:  # a backend that dies: as a killed worker, nothing more
        events.put(("crashed", error))
        return
    finally:
        events.put(("done",))


def _send(batch: list[OutboxMessage], *, deadline: float) -> tuple[Counter, bool]:
    """Send a claimed batch over one mail connection. Returns (sent by kind, whether the mail
    server was reached).

    The SMTP conversation runs in a thread of its own while this one marks what it reports:
    sent messages a group at a time (MARK_EVERY, or MARK_WITHIN seconds after the first of a
    group was accepted, whichever comes first), so that the queries stay a fixed few a batch
    on a fast mail server and a killed worker leaves at most the last group, or the last
    MARK_WITHIN seconds' worth, to be sent again."""
    events: queue.Queue = queue.Queue()
    talk = threading.Thread(target=_talk, args=(batch, deadline, events), daemon=True)
    talk.start()
    sent, unmarked, failed, untried = Counter(), [], [], []
    reached, oldest = True, 0.0
    while True:
        timeout = max(0.0, oldest + MARK_WITHIN - time.monotonic()) if unmarked else None
        try:
            event = events.get(timeout=timeout)
        except queue.Empty:  # the mail server is taking its time: mark what it has accepted
            unmarked = _mark_sent(unmarked)
            continue
        what = event[0]
        if what == "sent":
            sent[event[1].kind] += 1
            if not unmarked:
                oldest = time.monotonic()
            unmarked.append(event[1].pk)
            if len(unmarked) >= MARK_EVERY:
                unmarked = _mark_sent(unmarked)
        elif what == "failed":
            message, error = event[1], event[2]
            log.error(
                "Outbox message %s (%s %s) not sent (%s); it is tried again later",
                message.pk,
                message.kind,
                message.reference,
                describe(error),
            )
            failed.append((message, error))
        elif what == "untried":
            untried += event[1]
        elif what == "unreachable":
            reached = False
            log.error(
                "Could not connect to the mail server (%s); %s messages wait for the next sweep",
                describe(event[1]),
                len(batch),
            )
            failed += [(message, event[1]) for message in batch]
        elif what == "crashed":  # as a killed worker: nothing after it runs
            raise event[1]
        else:  # "done"
            break
    _mark_sent(unmarked)
    talk.join()
    _release_failed(failed)
    _release_untried(untried)
    return sent, reached


def _mark_sent(pks: list[int]) -> list:
    """Mark these messages sent, in one update; returns the empty list still to mark."""
    if pks:
        OutboxMessage.objects.filter(pk__in=pks, sent_at__isnull=True).update(
            sent_at=timezone.now()
        )
    return []


def _email(message: OutboxMessage) -> EmailMessage:
    return EmailMessage(
        subject=message.subject,
        body=message.body,
        to=[message.to],
        headers={"Message-ID": message.message_id},
    )


def backoff(attempts: int) -> timedelta:
    """How long a message that has failed `attempts` times waits before it is tried again:
    OUTBOX_RETRY_BASE, doubled for each further failure, at most OUTBOX_RETRY_MAX."""
    base, cap = settings.OUTBOX_RETRY_BASE, settings.OUTBOX_RETRY_MAX
    return min(cap, base * 2 ** min(max(attempts - 1, 0), 30))


def _release_failed(failed: list[tuple[OutboxMessage, Exception]]) -> None:
    """Give the claims up, if they are still this sweep's, with the error and a backoff: one
    update for each error and number of attempts (all the batch's, usually)."""
    groups: dict[tuple[str, int, object], list[int]] = {}
    for message, error in failed:
        key = (describe(error)[:200], message.attempts, message.claimed_at)
        groups.setdefault(key, []).append(message.pk)
    now = timezone.now()
    for (error, attempts, claimed_at), pks in groups.items():
        OutboxMessage.objects.filter(
            pk__in=pks, claimed_at=claimed_at, sent_at__isnull=True
        ).update(claimed_at=None, last_error=error, next_attempt_at=now + backoff(attempts))


def _release_untried(untried: list[OutboxMessage]) -> None:
    """Give the claims up, if they are still this sweep's, each with its attempt back."""
    by_claim: dict[object, list[int]] = {}
    for message in untried:
        by_claim.setdefault(message.claimed_at, []).append(message.pk)
    for claimed_at, pks in by_claim.items():
        OutboxMessage.objects.filter(
            pk__in=pks, claimed_at=claimed_at, sent_at__isnull=True
        ).update(claimed_at=None, attempts=F("attempts") - 1)


def describe(error: Exception) -> str:
    """An error's type and SMTP code: its text can carry the recipient's address."""
    code = getattr(error, "smtp_code", None)
    return f"{type(error).__name__} {code}" if code else type(error).__name__
