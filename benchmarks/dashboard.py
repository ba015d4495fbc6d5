"""How the dashboard's cost grows with years of records: builds N referrals (a third of them
cases, most closed, each with two actions) spread over five years, then times building the
dashboard for the last two years and counts its queries.

It builds its own throwaway test database (test_<name>) and drops it afterwards:

    DJANGO_ENV=test DATABASE_URL=postgres://postgres@127.0.0.1:5432/caspa \\
        .venv/bin/python -m benchmarks.dashboard [referrals ...]
"""

import os
import sys
import time
from datetime import datetime, timedelta


def build(n: int) -> None:
    from django.utils import timezone

    from accounts.models import Agency, User
    from actions.models import Action
    from panel.models import Case
    from referrals.models import Person, Referral

    agencies = list(Agency.objects.all())
    user = User.objects.get(username="bench")
    now = timezone.now()
    people = Person.objects.bulk_create(
        Person(family_name=f"Fictional{i}", given_names="Bench", family_name_soundex="F234")
        for i in range(n)
    )
    statuses = ["accepted", "declined", "submitted", "more_information"]
    referrals = Referral.objects.bulk_create(
        Referral(
            created_by=user,
            referring_agency=agencies[i % len(agencies)],
            person=people[i],
            status=statuses[i % 4] if i % 3 else "accepted",
            submitted_at=now - timedelta(days=(i * 1825) // n),
            ethnicity=["white_british", "asian_pakistani", "black_african", ""][i % 4],
            primary_need=["self_neglect", "housing", "mental_health"][i % 3],
            decline_reason="Benchmark",
            signpost="other",
            more_information_question="Benchmark",
        )
        for i in range(n)
    )
    cases = Case.objects.bulk_create(
        Case(
            referral=r,
            person=r.person,
            status="closed" if i > 15 else "active",
            waiting_since=r.submitted_at,
            joined_caseload_at=r.submitted_at,
            closed_at=r.submitted_at + timedelta(days=120) if i > 15 else None,
            closure_agreed_on=(r.submitted_at + timedelta(days=120)).date() if i > 15 else None,
            outcome="moved_away" if i > 15 else "",
        )
        for i, r in enumerate(x for x in referrals if x.status == "accepted")
    )
    Action.objects.bulk_create(
        Action(
            case=case,
            description="Benchmark",
            owner_agency=agencies[j % len(agencies)],
            due_on=(case.waiting_since + timedelta(days=30 * j)).date(),
            status="done" if case.status == "closed" else "open",
            created_by=user,
        )
        for case in cases
        for j in (1, 2)
    )


def main(sizes: list[int]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caspa.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert settings.ENV == "test", "run with DJANGO_ENV=test: it builds a throwaway database"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from django.utils import timezone

        from accounts.roles import Role
        from accounts.services import agency_create, user_create
        from dashboard import presentation, rules
        from referrals.models import Referral

        for i in range(12):
            agency_create(name=f"Fictional agency {i}", short_name=f"FA{i}")
        user_create(
            username="bench",
            email="bench@example.org",
            first_name="B",
            last_name="Ench",
            role=Role.COORDINATOR,
            agency=agency_create(name="Host", short_name="Host", is_host=True),
        )
        today = timezone.localdate()
        period = rules.Period(rules.add_months(today, -23), today)
        built = 0
        for size in sizes:
            build(size - built)
            built = size
            presentation.build(period, exact=False, today=today)  # warm
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                for _ in range(5):
                    presentation.build(period, exact=False, today=today)
            per_build = (time.perf_counter() - start) / 5 * 1000
            print(
                f"{Referral.objects.count():>7,} referrals: dashboard for two years in "
                f"{per_build:6.1f} ms, {len(queries) // 5} queries "
                f"({datetime.now():%H:%M:%S}, {connection.vendor})"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1_000, 10_000, 50_000])
