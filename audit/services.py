"""Recording that someone read a record. Reads are never edited or deleted."""

from django.db import models

from audit.models import RecordRead


def _label(record: models.Model) -> str:
    return record._meta.label_lower


def record_read(*, reader, record: models.Model) -> None:
    RecordRead.objects.create(reader=reader, record_type=_label(record), record_id=record.pk)


def reads_of(record: models.Model, *, limit: int = 50):
    return RecordRead.objects.filter(
        record_type=_label(record), record_id=record.pk
    ).select_related("reader", "reader__agency")[:limit]


def record_reads(*, reader, records) -> None:
    """One read of each record, in one statement: a page or a search that shows several
    records' data."""
    RecordRead.objects.bulk_create(
        RecordRead(reader=reader, record_type=_label(record), record_id=record.pk)
        for record in records
    )
