from django.conf import settings
from django.db import models

# A user agent is the browser's own description of itself, of any length: kept to this many
# characters, enough to tell one browser and device from another.
USER_AGENT_LENGTH = 300

# The access report's own use is recorded as a read of this (it shows no person's record):
# counted apart from the records people read.
ACCESS_REPORT = "audit.access_report"


class How(models.TextChoices):
    """How a record was shown: each page that shows a person's data says which it is."""

    PAGE = "page", "page"
    PRINT = "print", "printable page"
    PDF = "pdf", "PDF"
    EXPORT = "export", "export"
    SEARCH = "search", "search result"
    LIST = "list", "list"


class RecordRead(models.Model):
    """One person's opening of one record about an adult at risk: who, when, what, how, and
    from where (the address and the browser of the request that showed it)."""

    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    record_type = models.CharField(max_length=40)  # e.g. "referrals.referral"
    record_id = models.PositiveBigIntegerField()
    read_at = models.DateTimeField(auto_now_add=True)
    how = models.CharField(max_length=10, choices=How.choices, default=How.PAGE)
    # Empty when the read was not made by a request (a management command, a task).
    address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=USER_AGENT_LENGTH, blank=True, default="")

    class Meta:
        ordering = ["-read_at"]
        indexes = [
            models.Index(fields=["record_type", "record_id", "-read_at"]),
            # The access report and the unusual-reading check read a period, by reader.
            models.Index(fields=["read_at", "reader"], name="audit_read_at_reader_idx"),
        ]

    def __str__(self):
        return f"{self.reader} read {self.record_type} {self.record_id} at {self.read_at}"
