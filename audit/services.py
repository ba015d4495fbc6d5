"""Recording that someone read a record. Reads are never edited or deleted.

Each read says how the record was shown (`How`) and, through the origin that
`audit.middleware.ReadOriginMiddleware` keeps for the request, the address and user agent it
was shown to. A request records each record once however often its page names it, and all
of a page's records in one statement (docs/read-audit.md)."""

from collections.abc import Iterable

from django.db import models

from audit.models import ACCESS_REPORT, How, RecordRead
from audit.origin import current_origin


def _label(record: models.Model) -> str:
    return record._meta.label_lower


def record_reads(*, reader, records: Iterable[models.Model], how: str = How.PAGE) -> None:
    """One read of each record, in one statement: a page or a search that shows several
    records' data."""
    origin = current_origin.get()
    reads = []
    seen = origin.recorded if origin is not None else set()
    for record in records:
        key = (_label(record), record.pk, how)
        if key in seen:
            continue
        seen.add(key)
        reads.append(
            RecordRead(
                reader=reader,
                record_type=key[0],
                record_id=record.pk,
                how=how,
                address=origin.address if origin else None,
                user_agent=origin.user_agent if origin else "",
            )
        )
    if reads:
        RecordRead.objects.bulk_create(reads)


def record_read(*, reader, record: models.Model, how: str = How.PAGE) -> None:
    record_reads(reader=reader, records=[record], how=how)


def record_access_report_use(*, reader) -> None:
    """The access report shows no person's data, but who looks at who read what is itself
    worth knowing: its use is recorded as a read of the report."""
    origin = current_origin.get()
    RecordRead.objects.create(
        reader=reader,
        record_type=ACCESS_REPORT,
        record_id=0,
        how=How.PAGE,
        address=origin.address if origin else None,
        user_agent=origin.user_agent if origin else "",
    )
