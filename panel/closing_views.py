"""Leaving the pathway: the closing page (is the case ready to step down, the person's desired
outcomes to mark, the closure form), and its two POST endpoints, closing the case and marking
one desired outcome. Both go back to the closing page when something needs putting right."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from audit.services import record_read
from caspa.core.endpoints import form_at_version, handle_form
from panel import closure, permissions, services
from panel.case_views import admitted_messages
from panel.forms import CloseCaseForm, MarkOutcomeForm
from panel.models import Case, Outcome
from panel.pages import Bound, ids_for
from panel.selectors import latest_review


def _mark_name(outcome) -> str:
    return f"mark_{outcome.pk}"


def _close_form(case: Case) -> CloseCaseForm:
    return CloseCaseForm(case=case, initial={"version": case.version}, auto_id=ids_for("close"))


def _mark_form(outcome) -> MarkOutcomeForm:
    return MarkOutcomeForm(
        initial={
            "version": outcome.version,
            "achievement": outcome.achievement,
            "note": outcome.achievement_note,
        },
        auto_id=ids_for(_mark_name(outcome)),
    )


def render_closing_page(request, case: Case, bound: Bound | None = None):
    bound = bound or Bound()
    if request.method == "GET":
        record_read(reader=request.user, record=case)
    close_form = bound.forms.get("close") or _close_form(case)
    typed = close_form.data if close_form.is_bound else {}
    outcomes = [
        (outcome, bound.forms.get(_mark_name(outcome)) or _mark_form(outcome))
        for outcome in case.desired_outcomes.all()
    ]
    checklist = closure.step_down_checklist(
        case,
        override_reason=typed.get("override_reason", ""),
        handover_plan=typed.get("handover_plan", ""),
        handover_contingency=typed.get("handover_contingency", ""),
    )
    # A step-down refused for unmarked outcomes says so beside them too, not only in the form.
    stepping_down = typed.get("outcome") == Outcome.STEPPED_DOWN and bool(close_form.errors)
    [marked] = [check for check in checklist if check.name == "outcomes"]
    return render(
        request,
        "panel/case_closing.html",
        {
            "case": case,
            "review": latest_review(case),
            "checklist": checklist,
            "outcomes": outcomes,
            "outcomes_error": " ".join(marked.missing) if stepping_down else "",
            "forms": {"close": close_form},
            "bound_forms": bound.forms,
            "conflict": bound.conflict,
        },
        status=409 if bound.conflict else 200,
    )


def _closing_path(case: Case) -> str:
    return reverse("panel:case_closing", args=[case.pk])


@login_required
@require_GET
def case_closing(request, pk):
    """The closing page: for the coordinator, while the case is on the caseload."""
    case = permissions.case_for_running(request.user, pk)
    if not case.is_on_caseload:
        return redirect(case)
    return render_closing_page(request, case)


def _take(request, case: Case, name: str, form_class, form_kwargs: dict, decide, *, back: str):
    """A change from the closing page: back to `back`, or the closing page again with the
    errors and what was typed (at the version the record is at now, after a conflict)."""

    def show(form, *, conflict):
        now = Case.objects.get(pk=case.pk)
        return render_closing_page(request, now, Bound({name: form}, conflict=conflict))

    def again_at_version(record):
        if "case" in form_kwargs:
            form_kwargs["case"] = Case.objects.get(pk=case.pk)
        return form_at_version(request, form_class, record.version, **form_kwargs)

    return handle_form(
        request,
        form_class(request.POST, **form_kwargs),
        decide,
        back=back,
        show_again=show,
        again_at_version=again_at_version,
    )


@login_required
@require_POST
def case_close(request, pk):
    case = permissions.case_for_running(request.user, pk)

    def decide(data):
        closed = services.case_close(case_id=case.pk, by=request.user, **data)
        return [(messages.SUCCESS, f"{case.reference} is closed."), *admitted_messages(closed)]

    form_kwargs = {"case": case, "auto_id": ids_for("close")}
    return _take(
        request, case, "close", CloseCaseForm, form_kwargs, decide, back=case.get_absolute_url()
    )


@login_required
@require_POST
def desired_outcome_mark(request, pk, outcome_pk):
    case = permissions.case_for_running(request.user, pk)
    outcome = get_object_or_404(case.desired_outcomes, pk=outcome_pk)

    def decide(data):
        marked = closure.desired_outcome_mark(outcome_id=outcome.pk, by=request.user, **data)
        said = marked.get_achievement_display().lower()
        return [(messages.SUCCESS, f"The desired outcome is marked {said}.")]

    name = _mark_name(outcome)
    form_kwargs = {"auto_id": ids_for(name)}
    return _take(
        request, case, name, MarkOutcomeForm, form_kwargs, decide, back=_closing_path(case)
    )
