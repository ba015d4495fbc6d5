"""Recording a disagreement over the lead agency: its own page (each involved agency's
position, the panel's decision and reason) and one POST endpoint, back to the people involved
in the case, where the disagreements are listed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from audit.services import record_read
from caspa.core.endpoints import form_at_version, handle_form
from panel import disagreements, permissions
from panel.forms import LeadDisagreementForm
from panel.models import Case, PanelMeeting


def _render(request, case, form, *, conflict=False):
    if request.method == "GET":
        record_read(reader=request.user, record=case)
    return render(
        request,
        "panel/lead_disagreement.html",
        {"case": case, "form": form, "conflict": conflict},
        status=409 if conflict else 200,
    )


@login_required
@require_GET
def lead_disagreement(request, pk):
    case = permissions.case_for_running(request.user, pk)
    today = PanelMeeting.objects.filter(date=timezone.localdate(), items__case=case).first()
    form = LeadDisagreementForm(
        case=case,
        initial={
            "version": case.version,
            "decided_agency": case.lead_agency_id,
            "officer": case.lead_officer,
            "meeting": today.pk if today else None,
        },
    )
    return _render(request, case, form)


@login_required
@require_POST
def lead_disagreement_record(request, pk):
    case = permissions.case_for_running(request.user, pk)

    def decide(data):
        disagreements.lead_disagreement_record(case_id=case.pk, by=request.user, **data)
        return [(messages.SUCCESS, "The disagreement and the panel's decision are recorded.")]

    def show(form, *, conflict):
        return _render(
            request, Case.objects.get(pk=case.pk) if conflict else case, form, conflict=conflict
        )

    return handle_form(
        request,
        LeadDisagreementForm(request.POST, case=case),
        decide,
        back=reverse("panel:case_people", args=[case.pk]),
        show_again=show,
        again_at_version=lambda now: form_at_version(
            request, LeadDisagreementForm, now.version, case=now
        ),
    )
