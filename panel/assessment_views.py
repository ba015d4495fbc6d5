"""The pages that change a case's risk assessment and plan: one page per form (a risk's form
is long, so none of these sit on the case page), each the one POST endpoint of its change.

GET shows the form; POST parses it, calls one service of panel/assessment.py and goes back to
the case, or shows the page again with the errors and what the user typed. When someone saved
the record in between, the page says so, shows the record as it is now, and keeps the user's
form at the new version (caspa/core/endpoints.py).
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from audit.services import record_read
from caspa.core.endpoints import form_at_version, handle_form
from panel import assessment, pages, permissions
from panel.assessment_forms import (
    CapacityForm,
    DesiredOutcomeAddForm,
    DesiredOutcomeChangeForm,
    InterventionChangeForm,
    InterventionForm,
    PersonsViewsForm,
    RiskAddForm,
    RiskChangeForm,
    RiskRetireForm,
    intervention_initial,
    risk_initial,
)
from panel.models import Case, DesiredOutcome, Intervention, Risk

GET_OR_POST = require_http_methods(["GET", "POST"])

SCORING = (
    "Score it on the two stated scales: the score is likelihood × severity, from 1 to 25, and "
    "its band follows from the score (critical 20 to 25, high 10 to 16, medium 5 to 9, low 1 "
    "to 4)."
)


@dataclass
class Page:
    """What one form's page says: its heading, its button, and what it changes."""

    title: str
    button: str
    what: str  # "risk", "desired outcome": the conflict message names it
    intro: str = ""
    style: str = ""


def back_to_case(case: Case) -> str:
    return f"{case.get_absolute_url()}#assessment"


def back_from(request, case: Case) -> str:
    """Where the page goes back to: the meeting screen it was opened from (`return_to`, kept
    in the form so that saving goes back there too), or the case's assessment."""
    return pages.screen_named(
        request, request.POST.get("return_to") or request.GET.get("return_to")
    ) or back_to_case(case)


def now_reads(record: models.Model | None, form) -> list[tuple[str, str]]:
    """The record as it is now, field by field as the form names them: shown beside the
    user's form when someone saved it in between."""
    if record is None:
        return []
    rows = []
    for bound in form.visible_fields():
        try:
            model_field = record._meta.get_field(bound.name)
        except FieldDoesNotExist:  # a form field the model does not have (a reason)
            continue
        value = getattr(record, bound.name)
        if bound.name == "to_whom":
            shown = record.to_whom_display()
        elif model_field.choices:
            shown = getattr(record, f"get_{bound.name}_display")()
        elif hasattr(value, "strftime"):
            shown = f"{value:%-d %B %Y}"
        else:
            shown = "" if value is None else str(value)
        rows.append((bound.label, shown or "Not recorded"))
    return rows


def _render(request, case, page: Page, form, *, record=None, conflict=False, extra=None):
    if request.method == "GET":
        record_read(reader=request.user, record=case)
    back = back_from(request, case)
    return render(
        request,
        "panel/assessment_form.html",
        {
            "case": case,
            "page": page,
            "form": form,
            "back": back,
            "from_screen": back != back_to_case(case),
            "action": request.path,
            "conflict": conflict,
            "now_reads": now_reads(record, form) if conflict else [],
            **(extra or {}),
        },
        status=409 if conflict else 200,
    )


def _form_page(
    request, case, page, form_class, decide, *, initial=None, record=None, extra=None, form=None
):
    """The page of one change: the form on GET; on POST, the change through handle_form.
    `form`: what the form class is made with besides its data (the case, the record)."""
    kwargs = form or {}
    if request.method == "GET":
        blank = form_class(initial=initial, **kwargs)
        return _render(request, case, page, blank, record=record, extra=extra)
    seen = {"record": record}

    def show(sent, *, conflict):
        return _render(
            request, case, page, sent, record=seen["record"], conflict=conflict, extra=extra
        )

    def again_at_version(now):
        seen["record"] = now
        return form_at_version(request, form_class, now.version, **kwargs)

    return handle_form(
        request,
        form_class(request.POST, **kwargs),
        decide,
        back=back_from(request, case),
        show_again=show,
        again_at_version=again_at_version,
    )


# --- risks ---------------------------------------------------------------------------------


@login_required
@GET_OR_POST
def risk_add(request, pk):
    case = permissions.case_for_running(request.user, pk)
    initial = {}
    if not case.risks.exists():
        # The first risk starts from what the referrer said; the panel scores it.
        initial = {
            "description": case.referral.risk_description,
            "need": case.referral.primary_need,
        }

    def decide(data):
        risk = assessment.risk_add(case_id=case.pk, by=request.user, **data)
        return [(messages.SUCCESS, f"The risk is added: {risk.get_band_display().lower()}.")]

    page = Page("Add a risk", "Add the risk", "risk", intro=SCORING)
    return _form_page(
        request, case, page, RiskAddForm, decide, initial=initial, form={"case": case}
    )


@login_required
@GET_OR_POST
def risk_change(request, pk):
    risk = permissions.case_record_for_running(request.user, Risk, pk)
    case = risk.case

    def decide(data):
        assessment.risk_change(risk_id=risk.pk, by=request.user, **data)
        return [(messages.SUCCESS, "The risk is changed.")]

    page = Page("Change the risk", "Save the risk", "risk", intro=SCORING)
    return _form_page(
        request,
        case,
        page,
        RiskChangeForm,
        decide,
        initial=risk_initial(risk),
        record=risk,
        form={"case": case, "risk": risk},
    )


@login_required
@GET_OR_POST
def risk_retire(request, pk):
    risk = permissions.case_record_for_running(request.user, Risk, pk)

    def decide(data):
        assessment.risk_retire(risk_id=risk.pk, by=request.user, **data)
        return [(messages.SUCCESS, "The risk is retired. It stays on the case, with why.")]

    page = Page(
        "Retire the risk",
        "Retire the risk",
        "risk",
        intro="A retired risk no longer counts towards the case's level. It stays on the case, "
        "with the reason.",
        style="warning",
    )
    return _form_page(
        request,
        risk.case,
        page,
        RiskRetireForm,
        decide,
        initial={"version": risk.version},
        record=risk,
        extra={"risk": risk},
    )


# --- the person's voice --------------------------------------------------------------------


@login_required
@GET_OR_POST
def persons_views_revise(request, pk):
    case = permissions.case_for_running(request.user, pk)

    def decide(data):
        assessment.persons_views_revise(case_id=case.pk, by=request.user, **data)
        return [(messages.SUCCESS, "The person's views and wishes are saved.")]

    page = Page("The person's views and wishes", "Save their views and wishes", "case")
    return _form_page(
        request,
        case,
        page,
        PersonsViewsForm,
        decide,
        initial={"persons_views": case.persons_views, "version": case.version},
        record=case,
    )


@login_required
@GET_OR_POST
def desired_outcome_add(request, pk):
    case = permissions.case_for_running(request.user, pk)

    def decide(data):
        assessment.desired_outcome_add(case_id=case.pk, by=request.user, **data)
        return [(messages.SUCCESS, "The desired outcome is added.")]

    page = Page("Add a desired outcome", "Add the outcome", "desired outcome")
    return _form_page(request, case, page, DesiredOutcomeAddForm, decide)


@login_required
@GET_OR_POST
def desired_outcome_change(request, pk):
    desired = permissions.case_record_for_running(request.user, DesiredOutcome, pk)

    def decide(data):
        assessment.desired_outcome_change(outcome_id=desired.pk, by=request.user, **data)
        return [(messages.SUCCESS, "The desired outcome is changed.")]

    page = Page("Change the desired outcome", "Save the outcome", "desired outcome")
    return _form_page(
        request,
        desired.case,
        page,
        DesiredOutcomeChangeForm,
        decide,
        initial={"outcome": desired.outcome, "version": desired.version},
        record=desired,
    )


# --- mental capacity and what has been tried -----------------------------------------------


@login_required
@GET_OR_POST
def capacity_record(request, pk):
    case = permissions.case_for_running(request.user, pk)

    def decide(data):
        assessment.capacity_record(case_id=case.pk, by=request.user, **data)
        return [(messages.SUCCESS, "The capacity assessment is recorded.")]

    page = Page(
        "Record a mental capacity assessment",
        "Record the assessment",
        "assessment",
        intro="For one specific decision, as the Mental Capacity Act asks.",
    )
    return _form_page(request, case, page, CapacityForm, decide)


@login_required
@GET_OR_POST
def intervention_record(request, pk):
    case = permissions.case_for_running(request.user, pk)

    def decide(data):
        assessment.intervention_record(case_id=case.pk, by=request.user, **data)
        return [(messages.SUCCESS, "What was tried is recorded.")]

    page = Page(
        "Record what an agency has tried",
        "Record it",
        "record of what was tried",
        intro="What each agency has offered or done, so the panel does not start again.",
    )
    return _form_page(request, case, page, InterventionForm, decide, form={"case": case})


@login_required
@GET_OR_POST
def intervention_change(request, pk):
    intervention = permissions.case_record_for_running(request.user, Intervention, pk)
    case = intervention.case

    def decide(data):
        assessment.intervention_change(intervention_id=intervention.pk, by=request.user, **data)
        return [(messages.SUCCESS, "What was tried is changed.")]

    page = Page("Change what was tried", "Save", "record of what was tried")
    return _form_page(
        request,
        case,
        page,
        InterventionChangeForm,
        decide,
        initial=intervention_initial(intervention),
        record=intervention,
        form={"case": case, "intervention": intervention},
    )
