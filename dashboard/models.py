"""The one thing the dashboard stores: the coordinator's commentary on each quarter's report
to the Safeguarding Adults Board. Every figure is worked out from the records, live."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class BoardReport(models.Model):
    quarter_start = models.DateField(unique=True)
    commentary = models.TextField(
        "Commentary for the Board",
        max_length=3000,
        blank=True,
        help_text="A few sentences the Board reads first: what changed this quarter, what the "
        "figures do not show, and what the panel asks of the Board. No names or details of "
        "any person.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-quarter_start"]

    def __str__(self):
        return f"Board report for the quarter from {self.quarter_start:%-d %B %Y}"
