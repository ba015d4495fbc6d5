"""Loads the fictional demo data; running it again changes nothing."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import override_settings

from accounts.models import Agency, User
from accounts.roles import Role
from accounts.services import agency_appoint_spoc, agency_create, user_create
from demo.data import AGENCIES, DEMO_PASSWORD, PEOPLE
from demo.panel import seed_panel
from demo.referrals import seed_referrals


class Command(BaseCommand):
    help = "Load fictional demo agencies and people, and print one login per role."

    # The demo's story would otherwise e-mail its fictional people into the terminal.
    @override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    @transaction.atomic
    def handle(self, *args, **options):
        agencies = {}
        for name, short_name, is_host in AGENCIES:
            agency = Agency.objects.filter(short_name=short_name).first()
            agencies[short_name] = agency or agency_create(
                name=name, short_name=short_name, is_host=is_host
            )

        coordinator = None
        users = {}
        for username, first, last, role, agency_short, job_title in PEOPLE:
            user = User.objects.filter(username=username).first() or user_create(
                username=username,
                email=f"{username}@example.org",
                first_name=first,
                last_name=last,
                role=role,
                agency=agencies[agency_short],
                password=DEMO_PASSWORD,
                job_title=f"{job_title} (demo)",
                phone="01632 960000",  # Ofcom's range for drama: never a real number
            )
            users[username] = user
            if role == Role.COORDINATOR:
                coordinator = user
            agency = agencies[agency_short]
            if role == Role.SPOC and agency.spoc_id is None:
                agency_appoint_spoc(agency=agency, spoc=user, by=coordinator)

        seed_referrals(users, coordinator)
        seed_panel(users, coordinator, users["chair"])
        self.print_logins()

    def print_logins(self):
        self.stdout.write("\nDemo logins (all people and data are fictional):")
        self.stdout.write(f"  password for every account: {DEMO_PASSWORD}")
        shown = set()
        for username, _first, _last, role, agency_short, _title in PEOPLE:
            if role in shown:
                continue
            shown.add(role)
            self.stdout.write(f"  {Role(role).label:<40} {username:<20} ({agency_short})")
        self.stdout.write("")
