"""Thirty coordinators accept thirty referrals at the same moment: does the cap hold?

Used by tests/panel/test_caseload.py on PostgreSQL (in-process), and run as a script against
a SQLite file (a fresh interpreter, since the test run itself is on PostgreSQL):

    DJANGO_ENV=test SQLITE_PATH=/tmp/x.sqlite3 python -m tests.panel.concurrent_accepts 30

tests/panel/test_two_deployments.py takes its referrals ready to accept from here too.
"""

import sys
import threading

from django.db import close_old_connections, connection


def accept_concurrently(referrals, by) -> list[Exception]:
    """Accepts every referral, each in its own thread and connection, all released at once."""
    from panel import services

    barrier = threading.Barrier(len(referrals))
    errors: list[Exception] = []

    def accept(referral):
        close_old_connections()
        try:
            barrier.wait()
            services.referral_accept_onto_pathway(
                referral_id=referral.pk, by=by, version=referral.version
            )
        except Exception as error:  # every failure is reported by the caller
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(r,)) for r in referrals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def referrals_ready_to_accept(count: int):
    """`count` submitted referrals, each linked to its own person, and a coordinator."""
    from datetime import date

    from accounts.roles import Role
    from accounts.services import agency_create, user_create
    from referrals import services
    from tests.factories import complete_answers

    agency = agency_create(name="Adult Social Care", short_name="ASC", is_host=True)
    referrer = user_create(
        username="referrer",
        email="r@example.org",
        first_name="R",
        last_name="Referrer",
        role=Role.REFERRER,
        agency=agency,
    )
    coordinator = user_create(
        username="coordinator",
        email="c@example.org",
        first_name="C",
        last_name="Coordinator",
        role=Role.COORDINATOR,
        agency=agency,
    )
    ready = []
    for n in range(count):
        referral = services.referral_start(by=referrer)
        answers = complete_answers(
            family_name=f"Sample{n}",
            nhs_number="",
            date_of_birth=date(1950 + n, 1, 1),
            referrer_agency=agency,
            agencies_involved=[agency.pk],
        )
        referral = services.referral_save_answers(
            referral_id=referral.pk, by=referrer, version=referral.version, answers=answers
        )
        referral = services.referral_submit(
            referral_id=referral.pk, by=referrer, version=referral.version
        )
        referral = services.referral_link_person(
            referral_id=referral.pk, by=coordinator, version=referral.version, person_id=None
        )
        ready.append(referral)
    return ready, coordinator


def main(count: int) -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caspa.settings")
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from panel.models import Case, CaseStatus

    referrals, coordinator = referrals_ready_to_accept(count)
    errors = accept_concurrently(referrals, coordinator)
    on_caseload = Case.objects.on_caseload().count()
    waiting = Case.objects.filter(status=CaseStatus.WAITING).count()
    print(
        f"vendor={connection.vendor} accepts={count} on_caseload={on_caseload} "
        f"waiting={waiting} errors={len(errors)}"
    )
    for error in errors:
        print(f"error: {error!r}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
