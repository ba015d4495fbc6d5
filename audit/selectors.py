"""Reads of the read audit: who has looked at a record, and over a period."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import models
from django.db.models import CharField, Count, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from audit.models import ACCESS_REPORT, RecordRead


def _label(record: models.Model) -> str:
    return record._meta.label_lower


def reads_of(record: models.Model, *, limit: int = 50):
    return RecordRead.objects.filter(
        record_type=_label(record), record_id=record.pk
    ).select_related("reader", "reader__agency")[:limit]


def reads_of_records(records: dict, *, limit: int = 100):
    """The latest reads of any of `records` ({record type: ids, or a query of their ids}),
    newest first, with each reader's agency: one query."""
    which = Q()
    for record_type, ids in records.items():
        which |= Q(record_type=record_type, record_id__in=ids)
    if not which:
        return RecordRead.objects.none()
    return (
        RecordRead.objects.filter(which)
        .select_related("reader", "reader__agency")
        .order_by("-read_at", "-pk")[:limit]
    )


def _in_period(start: date, end: date):
    """Reads from the start of `start` to the end of `end`, in the service's time zone."""
    zone = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=zone)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    return RecordRead.objects.filter(read_at__gte=since, read_at__lt=until)


def _distinct_records():
    return Count(Concat("record_type", Value(":"), Cast("record_id", CharField())), distinct=True)


@dataclass(frozen=True)
class ReadCount:
    name: str
    agency: str
    reads: int
    records: int
    readers: int = 0


@dataclass(frozen=True)
class AccessReport:
    by_agency: list[ReadCount]
    by_user: list[ReadCount]
    reads: int
    records: int
    report_uses: int


def access_report(start: date, end: date) -> AccessReport:
    """Reads of people's records over a period, by the readers' agency and by reader: how many
    reads, how many distinct records. Four queries, however many reads."""
    reads = _in_period(start, end)
    of_records = reads.exclude(record_type=ACCESS_REPORT)
    by_agency = [
        ReadCount(
            name=row["reader__agency__name"] or "No agency",
            agency=row["reader__agency__name"] or "",
            reads=row["reads"],
            records=row["records"],
            readers=row["readers"],
        )
        for row in of_records.values("reader__agency__name")
        .annotate(
            reads=Count("pk"),
            records=_distinct_records(),
            readers=Count("reader", distinct=True),
        )
        .order_by("-reads", "reader__agency__name")
    ]
    by_reader = list(
        of_records.values("reader")
        .annotate(reads=Count("pk"), records=_distinct_records())
        .order_by("-reads", "reader__first_name", "reader__last_name", "reader")
    )
    users = (
        RecordRead._meta.get_field("reader")
        .related_model.objects.filter(pk__in=[row["reader"] for row in by_reader])
        .select_related("agency")
        .in_bulk()
    )
    by_user = [
        ReadCount(
            name=str(users[row["reader"]]),
            agency=users[row["reader"]].agency.name if users[row["reader"]].agency_id else "",
            reads=row["reads"],
            records=row["records"],
        )
        for row in by_reader
    ]
    totals = of_records.aggregate(reads=Count("pk"), records=_distinct_records())
    return AccessReport(
        by_agency=by_agency,
        by_user=by_user,
        reads=totals["reads"],
        records=totals["records"],
        report_uses=reads.filter(record_type=ACCESS_REPORT).count(),
    )
