"""Run the agencies' returns sweep now, as Celery beat does every hour (useful in the demo)."""

from django.core.management.base import BaseCommand

from panel.returns import run_returns_sweep


class Command(BaseCommand):
    help = (
        "Ask the agencies involved in each case on an upcoming meeting's agenda for their "
        "returns, and remind them, as far as is due today; then send every e-mail waiting in "
        "the outbox."
    )

    def handle(self, *args, **options):
        result = run_returns_sweep()
        self.stdout.write(
            f"{result.returns_asked} returns asked for, {result.requests_written} requests and "
            f"{result.reminders_written} reminders written, {result.emails_sent} e-mails sent "
            "in all."
        )
