"""Reads of the read audit: who has looked at a record, and over a period."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import models
from django.db.models import CharField, Count, Q, Value
from django.db.models.functions import Cast, Concat, TruncDate
from django.utils import timezone

from audit import rules
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


@dataclass(frozen=True)
class UnusualReader:
    reader: object  # the user
    today: int  # distinct records read today
    usual: float  # their usual day (audit.rules.usual_daily_reads)


def unusual_readers(today: date, *, days: int, factor: int, minimum: int) -> list[UnusualReader]:
    """The users who have opened more records today than their usual pattern
    (`audit.rules.is_unusual`), most first. At most three queries: today's counts (only a
    count of at least `minimum` can be unusual), the candidates' earlier days, and who they
    are."""
    of_records = RecordRead.objects.exclude(record_type=ACCESS_REPORT)
    counts_today = dict(
        _in_period(today, today)
        .exclude(record_type=ACCESS_REPORT)
        .values("reader")
        .annotate(records=_distinct_records())
        .filter(records__gte=minimum)
        .values_list("reader", "records")
    )
    if not counts_today:
        return []
    zone = timezone.get_current_timezone()
    earlier = (
        of_records.filter(
            reader__in=list(counts_today),
            read_at__gte=datetime.combine(today - timedelta(days=days), time.min, tzinfo=zone),
            read_at__lt=datetime.combine(today, time.min, tzinfo=zone),
        )
        .annotate(day=TruncDate("read_at", tzinfo=zone))
        .values("reader", "day")
        .annotate(records=_distinct_records())
        .values_list("reader", "records")
    )
    usual_days: dict[int, list[int]] = {reader: [] for reader in counts_today}
    for reader, records in earlier:
        usual_days[reader].append(records)
    flagged = {
        reader: count
        for reader, count in counts_today.items()
        if rules.is_unusual(
            today_count=count,
            usual_daily_counts=usual_days[reader],
            factor=factor,
            minimum=minimum,
        )
    }
    if not flagged:
        return []
    users = (
        RecordRead._meta.get_field("reader")
        .related_model.objects.filter(pk__in=list(flagged))
        .select_related("agency")
        .in_bulk()
    )
    found = [
        UnusualReader(users[reader], count, rules.usual_daily_reads(usual_days[reader]))
        for reader, count in flagged.items()
    ]
    return sorted(found, key=lambda unusual: (-unusual.today, str(unusual.reader)))
