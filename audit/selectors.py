"""Reads of the read audit: who has looked at a record, and over a period."""

from django.db import models

from audit.models import RecordRead


def _label(record: models.Model) -> str:
    return record._meta.label_lower


def reads_of(record: models.Model, *, limit: int = 50):
    return RecordRead.objects.filter(
        record_type=_label(record), record_id=record.pk
    ).select_related("reader", "reader__agency")[:limit]
