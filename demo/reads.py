"""The demo's reads: four weeks of the staff opening the records their work needs, and today
the panel's admin staff opening far more than their usual day, so that the access report and
the coordinator's home have something to show (docs/read-audit.md). Fictional, like the rest
of the demo; made by no request, so they carry no address or browser."""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from actions.permissions import visible_actions
from audit.models import How, RecordRead
from audit.services import record_reads
from demo.plan import SEED
from panel.permissions import visible_cases

# Who reads in the demo's past four weeks, and how many records on a working day.
READERS = {
    "coordinator": (6, 14),
    "admin": (4, 10),
    "chair": (1, 4),
    "spoc.housing": (2, 6),
    "spoc.police": (1, 5),
    "spoc.asc": (2, 6),
    "member.housing": (1, 3),
}
# Today the admin staff go through the records far beyond their usual day.
BUSY_TODAY = ("admin", 70)


def seed_reads(users: dict) -> None:
    if RecordRead.objects.exists():
        return
    rng = random.Random(SEED)
    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    readable = {
        username: [*visible_cases(users[username]), *visible_actions(users[username])]
        for username in READERS
        if username in users
    }
    for days_ago in range(27, 0, -1):
        day = today - timedelta(days=days_ago)
        if day.weekday() >= 5:
            continue
        for username, (fewest, most) in READERS.items():
            records = readable.get(username)
            if not records:
                continue
            shown = rng.sample(records, min(len(records), rng.randint(fewest, most)))
            _read_on(users[username], shown, datetime.combine(day, time(10), tzinfo=zone))
    username, count = BUSY_TODAY
    records = readable[username]
    record_reads(
        reader=users[username],
        records=rng.sample(records, min(len(records), count)),
        how=How.LIST,
    )


def _read_on(reader, records, when) -> None:
    """Reads on an earlier day: the time of a read is always now when it is made."""
    made = RecordRead.objects.bulk_create(
        RecordRead(reader=reader, record_type=r._meta.label_lower, record_id=r.pk, how=How.PAGE)
        for r in records
    )
    RecordRead.objects.filter(pk__in=[read.pk for read in made]).update(read_at=when)
