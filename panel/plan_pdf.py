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
from panel.selectors import actions_of, current_risks, latest_review


def _mitigations(case: Case) -> dict[int, list[dict]]:
    """The actions that mitigate each risk, from the case's actions read once
    (panel.selectors.actions_of): the panel does not import the actions app
    (docs/architecture.md)."""
    by_risk: dict[int, list[dict]] = {}
    for action in actions_of(case):
        if action.risk_id:
            by_risk.setdefault(action.risk_id, []).append(
                {
                    "pk": action.pk,
                    "description": action.description,
                    "owner_agency__name": action.owner_agency.name,
                    "owner_officer": action.owner_officer,
                    "due_on": action.due_on,
                    "status": action.status,
                    "reference": action_reference(action.pk),
                    "status_display": ActionStatus(action.status).label,
                }
            )
    return by_risk


def plan_html(case: Case, *, produced_on: date) -> str:
    risks = current_risks(case)
    mitigations = _mitigations(case)
    return render_to_string(
        "panel/plan_pdf.html",
        {
            "case": case,
            "produced_on": produced_on,
            "risks": [(risk, mitigations.get(risk.pk, [])) for risk in risks],
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
