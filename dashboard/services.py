"""The one change the dashboard makes: saving a quarter's commentary for the Board."""

from django.db import IntegrityError, transaction

from caspa.core.locking import lock_at_version, save_as
from dashboard import permissions
from dashboard.models import BoardReport
from dashboard.rules import Period


def board_report_for(quarter: Period) -> BoardReport:
    """The quarter's report as stored, or a new unsaved one."""
    return BoardReport.objects.filter(quarter_start=quarter.start).first() or BoardReport(
        quarter_start=quarter.start
    )


@transaction.atomic
def commentary_save(*, quarter: Period, by, version: int, commentary: str) -> BoardReport:
    """Save the commentary if nobody saved it since `version` was read (a new report is 1)."""
    permissions.require_writing_commentary(by)
    try:
        with transaction.atomic():
            report, _created = BoardReport.objects.get_or_create(quarter_start=quarter.start)
    except IntegrityError:  # two first saves at once: the other one won the insert
        report = BoardReport.objects.get(quarter_start=quarter.start)
    report = lock_at_version(BoardReport.objects, pk=report.pk, version=version)
    report.commentary = commentary.strip()
    report.updated_by = by
    return save_as(report, by=by)
