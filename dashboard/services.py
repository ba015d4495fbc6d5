"""The one change the dashboard makes: saving a quarter's commentary for the Board."""

from django.db import IntegrityError, transaction

from dashboard.models import BoardReport
from dashboard.rules import Period


class CommentaryChanged(Exception):
    """Someone else saved this quarter's commentary since the page was opened."""

    def __init__(self, report: BoardReport):
        super().__init__(f"{report} changed since it was opened")
        self.report = report


def board_report_for(quarter: Period) -> BoardReport:
    """The quarter's report as stored, or a new unsaved one."""
    return BoardReport.objects.filter(quarter_start=quarter.start).first() or BoardReport(
        quarter_start=quarter.start
    )


@transaction.atomic
def commentary_save(*, quarter: Period, by, version: int, commentary: str) -> BoardReport:
    """Save the commentary if nobody saved it since `version` was read (a new report is 1)."""
    try:
        with transaction.atomic():
            report, _created = BoardReport.objects.select_for_update().get_or_create(
                quarter_start=quarter.start
            )
    except IntegrityError:  # two first saves at once: the other one won the insert
        report = BoardReport.objects.select_for_update().get(quarter_start=quarter.start)
    if report.version != version:
        raise CommentaryChanged(report)
    report.commentary = commentary.strip()
    report.version += 1
    report.updated_by = by
    report._history_user = by
    report.save()
    return report
