"""The printable assessment and plan of one case, as a PDF (WeasyPrint, as the Board's report).

What an agency takes to a meeting or a visit: the risks with their scores, the plan and the
contingency for each, the person's voice, their capacity per decision, what has been tried,
and the latest review. Every page is marked OFFICIAL-SENSITIVE with the date it was produced
and its page number, so a page that leaves the pack still says what it is.
"""

from datetime import date

from django.template.loader import render_to_string

from caspa.core.choices import ActionStatus
from caspa.core.references import action_reference
from panel.models import Case
from panel.selectors import latest_review


def _mitigations(risk) -> list[dict]:
    """The actions that mitigate the risk, read as values: the panel does not import the
    actions app (docs/architecture.md)."""
    rows = risk.mitigations.order_by("due_on", "pk").values(
        "pk", "description", "owner_agency__name", "owner_officer", "due_on", "status"
    )
    return [
        {
            **row,
            "reference": action_reference(row["pk"]),
            "status_display": ActionStatus(row["status"]).label,
        }
        for row in rows
    ]


def plan_html(case: Case, *, produced_on: date) -> str:
    risks = list(case.risks.current().select_related("source_agency", "monitored_by"))
    return render_to_string(
        "panel/plan_pdf.html",
        {
            "case": case,
            "produced_on": produced_on,
            "risks": [(risk, _mitigations(risk)) for risk in risks],
            "desired_outcomes": case.desired_outcomes.all(),
            "capacity": case.capacity_assessments.all(),
            "interventions": case.interventions.select_related("agency"),
            "review": latest_review(case),
            "reviews": case.reviews.select_related("meeting").order_by("reviewed_on", "pk"),
        },
    )


def render_plan_pdf(case: Case, *, produced_on: date, base_url: str) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only the PDF needs

    return HTML(string=plan_html(case, produced_on=produced_on), base_url=base_url).write_pdf()
