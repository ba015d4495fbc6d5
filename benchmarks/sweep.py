"""How the reminder sweep's cost grows: 100,000 actions of which 100 are due.

Prints the sweep's time and query count: recording the due notices with their outbox
e-mails, then the outbox's claim-and-send. It builds its own throwaway test database
(test_<name>) and drops it afterwards, so it never touches real data:

    DJANGO_ENV=test DATABASE_URL=postgres://postgres@127.0.0.1:5432/caspa \\
        .venv/bin/python -m benchmarks.sweep [actions] [due]
"""

import os
import sys
import time
from datetime import timedelta


def main(total: int, due: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caspa.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert settings.ENV == "test", "run with DJANGO_ENV=test: it builds a throwaway database"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from django.utils import timezone

        from accounts.roles import Role
        from accounts.services import agency_appoint_spoc, agency_create, user_create
        from actions.models import Action
        from actions.sweep import record_due_notices
        from caspa.core.outbox import send_waiting
        from panel.models import Case, CaseStatus
        from referrals.models import Person, Referral

        agency = agency_create(name="Housing", short_name="Housing")
        spoc = user_create(
            username="spoc",
            email="spoc@example.org",
            first_name="S",
            last_name="Poc",
            role=Role.SPOC,
            agency=agency,
        )
        agency_appoint_spoc(agency=agency, spoc=spoc, by=spoc)
        person = Person.objects.create(family_name="Benchmark", given_names="Fictional")
        now = timezone.now()
        referral = Referral.objects.create(
            created_by=spoc,
            referring_agency=agency,
            person=person,
            status="accepted",
            submitted_at=now,
        )
        case = Case.objects.create(
            referral=referral,
            person=person,
            waiting_since=now,
            joined_caseload_at=now,
            status=CaseStatus.ACTIVE,
            lead_agency=agency,
        )
        case.involved_agencies.add(agency)
        today = timezone.localdate()
        started = time.perf_counter()
        # Set-up only: bulk_create writes no history, which a benchmark's data does not need.
        Action.objects.bulk_create(
            [
                Action(
                    case=case,
                    owner_agency=agency,
                    created_by=spoc,
                    description="Benchmark",
                    due_on=today - timedelta(days=2) if n < due else today + timedelta(days=60),
                )
                for n in range(total)
            ],
            batch_size=5000,
        )
        print(f"set-up: {total} actions ({due} overdue) in {time.perf_counter() - started:.1f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh statistics, as a live database would have

        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            changed, recorded = record_due_notices(today=today)
            sent = sum(send_waiting().values())
            elapsed = time.perf_counter() - started
        print(
            f"sweep: {elapsed * 1000:.0f} ms, {len(queries)} queries, "
            f"{recorded} notices recorded, {sent} sent, {changed} escalations changed"
        )
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            record_due_notices(today=today)
            again = sum(send_waiting().values())
            elapsed = time.perf_counter() - started
        print(
            f"second sweep (nothing new): {elapsed * 1000:.0f} ms, {len(queries)} queries, "
            f"{again} sent"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 100_000,
        int(sys.argv[2]) if len(sys.argv) > 2 else 100,
    )
