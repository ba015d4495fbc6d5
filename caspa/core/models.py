"""The outbox: every e-mail CASPA sends is first a row here (caspa/core/outbox.py); and the
PDFs the worker built, kept until their content changes (caspa/core/documents.py)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutboxMessage(models.Model):
    """One e-mail to one address, written in the transaction of the change that causes it and
    sent by whichever sweep claims it. `kind` and `reference` (a record's reference, never a
    name) are what logs show; `last_error` holds an error's type and SMTP code, never its
    text, which can name the recipient. `message_id` is fixed when the row is written, so
    every resend of it carries the same Message-ID header."""

    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    kind = models.CharField(max_length=40)
    reference = models.CharField(max_length=40, blank=True)
    message_id = models.CharField(max_length=255, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # When the sweep sending it claimed it; a claim older than OUTBOX_CLAIM_LEASE is void.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Times it was claimed for sending: more than 1 on a sent message means it may have
    # arrived more than once (its Message-ID says which copies are the same message).
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        # The sweep reads only what is waiting: its cost follows that, not the table's size.
        indexes = [
            models.Index(fields=["id"], condition=Q(sent_at__isnull=True), name="outbox_waiting")
        ]

    def __str__(self):
        return f"Outbox message {self.pk} ({self.kind} {self.reference})"


class BuiltDocument(models.Model):
    """One PDF as a worker built it, kept until its content changes (caspa/core/documents.py,
    docs/documents.md). `kind` and `record` (a record's id or key, never a name) say what it
    is of; `content_key` is the SHA-256 of the HTML WeasyPrint is given, so the same content is
    built once and served from here after. `html` holds that HTML only until the PDF is built;
    both hold personal data, so a newer build of the same record deletes the older ones."""

    kind = models.CharField(max_length=40)
    record = models.CharField(max_length=80)
    content_key = models.CharField(max_length=64)
    html = models.TextField(blank=True)
    pdf = models.BinaryField(null=True, blank=True)
    size = models.PositiveIntegerField(default=0)
    requested_at = models.DateTimeField(default=timezone.now, editable=False)
    # When its build was last queued: a build queued longer ago than DOCUMENT_BUILD_LEASE and
    # still not done is queued again by the next request for it.
    queued_at = models.DateTimeField(null=True, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "record", "content_key"], name="built_document_once"
            )
        ]

    def __str__(self):
        return f"Built document {self.pk} ({self.kind} {self.record})"

    @property
    def is_built(self) -> bool:
        return self.built_at is not None
