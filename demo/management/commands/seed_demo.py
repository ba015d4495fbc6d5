"""Loads the fictional demo data; running it again changes nothing."""

import logging

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from accounts.models import Agency, User
from accounts.roles import Role
from accounts.services import agency_appoint_spoc, agency_create, user_create
from demo.clock import at, demo_clock
from demo.data import AGENCIES, DEMO_PASSWORD, PEOPLE
from demo.plan import story_starts
from demo.player import seed_story

TWO_FACTOR_SKIPPED = (
    "  Demo logins skip two-factor sign-in; production requires it. To see it, sign in and\n"
    "  choose 'Set up two-factor sign-in' at the top of any page (docs/two-factor.md)."
)
TWO_FACTOR_REQUIRED = (
    "  Two-factor sign-in is required: each login sets up an authenticator app the first time."
)


class Command(BaseCommand):
    help = "Load fictional demo agencies and people, and print every login."

    def handle(self, *args, **options):
        # The story's sweeps log each run at INFO: in the terminal, that would bury the logins.
        logging.disable(logging.INFO)
        try:
            users = self.seed()
        finally:
            logging.disable(logging.NOTSET)
        self.print_logins(users)

    # The demo's story would otherwise e-mail its fictional people into the terminal.
    @override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    @transaction.atomic
    def seed(self) -> dict[str, User]:
        # The agencies and people were there before the story's first referral.
        starts = story_starts(timezone.localdate())
        with demo_clock() as clock:
            clock.set(at(starts, 9))
            users, coordinator = self.seed_accounts()
        seed_story(users, coordinator, users["chair"])
        return users

    def seed_accounts(self):
        agencies = {}
        for name, short_name, is_host in AGENCIES:
            agency = Agency.objects.filter(short_name=short_name).first()
            agencies[short_name] = agency or agency_create(
                name=name, short_name=short_name, is_host=is_host
            )

        coordinator = None
        users = {}
        created = []
        for username, first, last, role, agency_short, job_title in PEOPLE:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(
                    username=username,
                    email=f"{username}@example.org",
                    first_name=first,
                    last_name=last,
                    role=role,
                    agency=agencies[agency_short],
                    job_title=f"{job_title} (demo)",
                    phone="01632 960000",  # Ofcom's range for drama: never a real number
                )
                created.append(user.pk)
            users[username] = user
            if role == Role.COORDINATOR:
                coordinator = user
            agency = agencies[agency_short]
            if role == Role.SPOC and agency.spoc_id is None:
                agency_appoint_spoc(agency=agency, spoc=user, by=coordinator)
        if created:
            # One hash for every account (it is the same published password), made once:
            # argon2 is slow on purpose. They joined when the story began.
            User.objects.filter(pk__in=created).update(
                password=make_password(DEMO_PASSWORD), date_joined=timezone.now()
            )
            User.history.filter(id__in=created).update(date_joined=timezone.now())
        return users, coordinator

    def print_logins(self, users: dict[str, User]):
        """Every account the seed made or found, one a line, in the order of demo.data.PEOPLE:
        for each role, the one the README's walkthroughs use first."""
        self.stdout.write("\nDemo logins (all people and data are fictional):")
        self.stdout.write(f"  password for every account: {DEMO_PASSWORD}")
        for username, user in users.items():
            role = Role(user.role).label
            self.stdout.write(f"  {role:<40} {username:<20} ({user.agency.short_name})")
        two_factor = TWO_FACTOR_REQUIRED if settings.TWO_FACTOR_REQUIRED else TWO_FACTOR_SKIPPED
        self.stdout.write(two_factor)
        self.stdout.write("")
