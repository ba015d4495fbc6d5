"""The printable assessment and plan of one case, as a PDF (WeasyPrint, as the Board's report).

What an agency takes to a meeting or a visit: the risks with their scores, the plan and the
contingency for each, the person's voice, their capacity per decision, what has been tried,
and the latest review. Every page is marked OFFICIAL-SENSITIVE with the date it was produced
and its page number, so a page that leaves the pack still says what it is.

The PDF is built on the worker and kept until its content changes (caspa/core/documents.py,
docs/documents.md); the date it was produced is part of that content, so a new day's request
builds a new one, and the day before's is deleted.
"""

from datetime import date

from django.template.loader import render_to_string

from caspa.core import documents
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


def plan_pdf_response(request, case: Case, *, produced_on: date, on_serve=None):
    """The case's plan as a PDF, when built; else its build queued and the waiting page."""
    return documents.pdf_response(
        request,
        kind=documents.PLAN,
        record=documents.case_record(case.pk),
        html=plan_html(case, produced_on=produced_on),
        # The reference names the file, never the person: downloads folders are read by others.
        filename=f"{case.reference}-assessment-and-plan.pdf",
        waiting_for=f"The assessment and plan of {case.reference}",
        on_serve=on_serve,
    )
