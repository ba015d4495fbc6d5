"""Case pages: the caseload, one case with its chronology, the waiting list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.roles import Perm
from actions.forms import AgreeActionForm
from actions.services import action_agree
from audit.services import record_read
from caspa.core.forms import add_validation_errors
from panel import permissions, rules, services
from panel.forms import AppointLeadForm, CloseCaseForm, MDTForm
from panel.models import Case, CaseStatus


def _require_running_the_panel(user):
    if not user.has_perm(Perm.RUN_PANEL):
        raise PermissionDenied("Only the panel coordinator and admin staff change cases.")


@login_required
def case_list(request):
    cases = (
        permissions.visible_cases(request.user)
        .exclude(status=CaseStatus.WAITING)
        .select_related("person", "lead_agency", "referral")
        .order_by("status", "joined_caseload_at")
    )
    open_cases = [c for c in cases if c.status in (CaseStatus.AWAITING_PANEL, CaseStatus.ACTIVE)]
    closed = [c for c in cases if c.status not in (CaseStatus.AWAITING_PANEL, CaseStatus.ACTIVE)]
    return render(
        request,
        "panel/case_list.html",
        {
            "open_cases": open_cases,
            "closed_cases": closed,
            "caseload": services.caseload_count(),
            "cap": rules.CAP,
            "waiting": Case.objects.waiting_list().count(),
        },
    )


@login_required
def waiting_list(request):
    _require_running_the_panel(request.user)
    waiting = Case.objects.waiting_list().select_related("referral", "referral__referring_agency")
    return render(
        request,
        "panel/waiting_list.html",
        {
            "waiting": list(enumerate(waiting, start=1)),
            "caseload": services.caseload_count(),
            "cap": rules.CAP,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_detail(request, pk):
    case = permissions.case_for_viewing(request.user, pk)
    if request.method == "GET":
        record_read(reader=request.user, record=case)
    lead_form = AppointLeadForm(
        case=case,
        initial={
            "version": case.version,
            "agency": case.lead_agency_id,
            "officer": case.lead_officer,
        },
    )
    close_form = CloseCaseForm(initial={"version": case.version})
    action_form = AgreeActionForm(case=case, with_mdt=True)
    mdt_form = MDTForm()
    conflict = False
    if request.method == "POST":
        _require_running_the_panel(request.user)
        action = request.POST.get("action")
        try:
            if action == "lead":
                lead_form = AppointLeadForm(request.POST, case=case)
                if lead_form.is_valid():
                    services.case_appoint_lead(
                        case_id=case.pk, by=request.user, **lead_form.cleaned_data
                    )
                    messages.success(request, "The lead agency is recorded in the chronology.")
                    return redirect(case)
            elif action == "action":
                action_form = AgreeActionForm(request.POST, case=case, with_mdt=True)
                if action_form.is_valid():
                    agreed = action_agree(case=case, by=request.user, **action_form.cleaned_data)
                    messages.success(request, f"Action {agreed.reference} agreed.")
                    return redirect(case)
            elif action == "mdt":
                mdt_form = MDTForm(request.POST)
                if mdt_form.is_valid():
                    services.mdt_record(case_id=case.pk, by=request.user, **mdt_form.cleaned_data)
                    messages.success(request, "The MDT meeting is recorded.")
                    return redirect(case)
            elif action == "close":
                close_form = CloseCaseForm(request.POST)
                if close_form.is_valid():
                    closure = services.case_close(
                        case_id=case.pk, by=request.user, **close_form.cleaned_data
                    )
                    messages.success(request, f"{case.reference} is closed.")
                    for admitted in closure.admitted:
                        messages.warning(
                            request,
                            f"A place came free: {admitted.referral.reference}, first on the "
                            "waiting list, has joined the caseload and awaits its first panel.",
                        )
                    return redirect(case)
        except services.ConcurrentEdit as edit:
            conflict = True
            case = edit.case
        except ValidationError as error:
            form = {"lead": lead_form, "action": action_form, "mdt": mdt_form}.get(
                action, close_form
            )
            add_validation_errors(form, error)
    return render(
        request,
        "panel/case_detail.html",
        {
            "case": case,
            "events": case.events.select_related("by"),
            "involved": case.involved_agencies.all(),
            "lead_form": lead_form,
            "close_form": close_form,
            "action_form": action_form,
            "mdt_form": mdt_form,
            "actions": case.actions.select_related("owner_agency"),
            "mdts": case.mdt_meetings.prefetch_related("attended"),
            "can_run_panel": request.user.has_perm(Perm.RUN_PANEL),
            "conflict": conflict,
        },
        status=409 if conflict else 200,
    )
