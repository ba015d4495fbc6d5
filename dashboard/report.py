"""The quarterly report to the Safeguarding Adults Board, as a PDF.

WeasyPrint draws HTML and CSS and runs no JavaScript, so each chart is an SVG drawn on the
server (dashboard/svg.py) beside the same figures as a table. The report always hides
small numbers: it leaves CASPA, whoever downloads it.

The PDF is built on the worker and kept until the report's content changes
(caspa/core/documents.py, docs/documents.md): a quarter still running changes as its figures
do, and each day it names the day it was written.
"""

from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from caspa.core import documents
from dashboard import presentation, rules
from dashboard.services import board_report_for


def report_html(quarter: rules.Period, *, today: date) -> str:
    from dashboard.svg import chart_svg

    covered = rules.Period(quarter.start, min(quarter.end, today))
    board = presentation.build(covered, exact=False, today=today)
    sections = [
        # chart_svg escapes every label it draws.
        {"table": table, "svg": mark_safe(chart_svg(table) if table.has_figures else "")}
        for table in board.today + board.over_period
    ]
    return render_to_string(
        "dashboard/report.html",
        {
            "board": board,
            "suppression_summary": rules.SUMMARY,
            "quarter_name": rules.quarter_name(quarter),
            "covered": covered,
            "partial": covered.end < quarter.end,
            "commentary": board_report_for(quarter).commentary,
            "sections_today": sections[: len(board.today)],
            "sections_period": sections[len(board.today) :],
            "written_on": timezone.localdate(),
        },
    )


def report_pdf_response(request, quarter: rules.Period, *, slug: str, today: date):
    """The quarter's report as a PDF, when built; else its build queued and the waiting page."""
    return documents.pdf_response(
        request,
        kind=documents.BOARD_REPORT,
        record=f"quarter:{slug}",
        html=report_html(quarter, today=today),
        filename=f"caspa-board-report-{slug}.pdf",
        waiting_for=f"The report to the Board for {rules.quarter_name(quarter)}",
    )
