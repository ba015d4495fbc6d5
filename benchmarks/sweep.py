"""How the reminder sweep's cost grows: 200,000 actions of which 1,000 are due (issue 17's
sizes), 5% of those overdue long enough to be escalated to the lead agency's SPoC.

Prints the time and query count of a whole sweep (run_sweep: recording the due notices and
escalations with their outbox e-mails, the weekly digest, the outbox's claim-and-send over
a mail backend that answers at once, and the sweep's own record), first with everything new,
then again with nothing new. It builds its own throwaway test database (test_<name>) with bulk
inserts and drops it afterwards, so it never touches real data:

    DJANGO_ENV=test DATABASE_URL=postgres://postgres@127.0.0.1:5432/caspa \\
        .venv/bin/python -m benchmarks.sweep [actions] [due]

PROFILE=1 prints each sweep's profile; SHOW_QUERIES=1 its queries.

The targets (docs/operations.md, "What the sweep costs"): the first sweep under 2 s with a
fixed number of queries besides a few for each batch of OUTBOX_BATCH_SIZE e-mails and each
escalation changed; the second under 10 queries.
"""

import cProfile
import os
import pstats
import sys
import time
from datetime import timedelta


def main(total: int, due: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caspa.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core import mail
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
        from actions.sweep import run_sweep
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
        user_create(
            username="chair",
            email="chair@example.org",
            first_name="C",
            last_name="Hair",
            role=Role.CHAIR,
            agency=None,
        )
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
        escalated = due // 20

        def due_on(n):
            if n < escalated:
                return today - timedelta(days=10)  # past the 7 days: to the lead agency's SPoC
            if n < due:
                return today - timedelta(days=2)
            return today + timedelta(days=60)

        # Set-up only: bulk_create writes no history, which a benchmark's data does not need.
        Action.objects.bulk_create(
            [
                Action(
                    case=case,
                    owner_agency=agency,
                    created_by=spoc,
                    description="Benchmark",
                    due_on=due_on(n),
                )
                for n in range(total)
            ],
            batch_size=5000,
        )
        print(
            f"set-up: {total} actions ({due} overdue, {escalated} of them by 10 days) "
            f"in {time.perf_counter() - started:.1f} s"
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh statistics, as a live database would have

        # What a worker does once, at its first e-mail, not at each sweep: import every view
        # (the first reverse() loads the URLconf) and the mail backend.
        from django.core.mail import get_connection
        from django.urls import reverse

        reverse("actions:list")
        get_connection()

        # The floor, measured in this run: reading the due actions once, as the sweep must
        # at least do, with the same related rows (the best of five).
        floor = float("inf")
        for _ in range(5):
            started = time.perf_counter()
            list(
                Action.objects.filter(due_on__lt=today).select_related(
                    "owner_agency__spoc", "case__lead_agency__spoc"
                )
            )
            floor = min(floor, time.perf_counter() - started)
        print(f"floor (reading the {due} due actions once): {floor * 1000:.0f} ms")

        for name in ("first sweep", "second sweep (nothing new)"):
            mail.outbox = []
            profile = cProfile.Profile() if os.environ.get("PROFILE") else None
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                if profile:
                    profile.enable()
                result = run_sweep(today=today)
                if profile:
                    profile.disable()
                elapsed = time.perf_counter() - started
            print(
                f"{name}: {elapsed * 1000:.0f} ms ({elapsed / floor:.1f}x the floor), "
                f"{len(queries)} queries, "
                f"{result.notices_recorded} notices recorded, {result.emails_sent} e-mails "
                f"sent ({len(mail.outbox)} delivered), "
                f"{result.escalations_changed} escalations changed"
            )
            if profile:
                pstats.Stats(profile).sort_stats("tottime").print_stats(15)
            if os.environ.get("SHOW_QUERIES"):
                for query in queries:
                    print("   ", query["sql"][:150])
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 200_000,
        int(sys.argv[2]) if len(sys.argv) > 2 else 1_000,
    )
