"""Run the reminder sweep now, as Celery beat does every 15 minutes (useful in the demo)."""

from django.core.management.base import BaseCommand

from actions.sweep import run_sweep


class Command(BaseCommand):
    help = (
        "Record the due-soon, overdue and escalation notices and weekly digests due now, and "
        "send every e-mail waiting in the outbox."
    )

    def handle(self, *args, **options):
        result = run_sweep()
        self.stdout.write(
            f"{result.escalations_changed} escalations changed, "
            f"{result.notices_recorded} notices recorded, {result.notices_sent} sent, "
            f"{result.digests_sent} digests sent, {result.emails_sent} e-mails sent in all."
        )
