"""Case pages (the caseload, one case, the waiting list) and one POST endpoint for each
decision about a case. Each endpoint parses its form, calls one service, and goes back to the
page the form came from (panel/pages.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from audit.models import How
from audit.services import record_reads
from caspa.core.paging import page_of
from panel import pages, permissions, selectors, services
from panel.case_list import CaseListFilterForm, filtered
from panel.forms import (
    AgenciesForm,
    AppointLeadForm,
    CaseVersionForm,
    MDTForm,
    NotAdoptForm,
)
from panel.models import Case, PanelMeeting


@login_required
@require_GET
def case_list(request):
    """The cases the user may see, filtered (open ones by default) and 25 a page."""
    form = CaseListFilterForm(request.GET)
    paged = page_of(request, filtered(permissions.visible_cases(request.user), form))
    record_reads(reader=request.user, records=paged.rows, how=How.LIST)
    return render(
        request,
        "panel/case_list.html",
        {
            "form": form,
            "paged": paged,
            "caseload": selectors.caseload(),
            "sees_every_case": permissions.sees_every_case(request.user),
            "can_run_panel": permissions.can_run_panel(request.user),
        },
    )


@login_required
@require_GET
def waiting_list(request):
    permissions.require_running_the_panel(request.user)
    waiting = list(
        Case.objects.waiting_list().select_related("referral", "referral__referring_agency")
    )
    record_reads(reader=request.user, records=waiting, how=How.LIST)
    return render(
        request,
        "panel/waiting_list.html",
        {"waiting": list(enumerate(waiting, start=1)), "caseload": selectors.caseload()},
    )


# --- the case's sub-pages (panel/case_pages.py): one door, each GET a read of the case ---


@login_required
@require_GET
def case_detail(request, pk, page: str = "plan"):
    """The case's summary, then one of its parts (docs/case-page.md): its plan (the risk
    assessment, its reviews, the outcome), actions, meetings, chronology or people involved.
    Each part has its own address, named in panel/urls.py."""
    return pages.render_case_page(
        request, permissions.case_for_viewing(request.user, pk), page=page
    )


def admitted_messages(closure) -> list:
    return [
        (
            messages.WARNING,
            f"A place came free: {admitted.referral.reference}, first on the waiting list, has "
            "joined the caseload and awaits its first panel.",
        )
        for admitted in closure.admitted
    ]


@login_required
@require_POST
def case_appoint_lead(request, pk):
    case = permissions.case_for_running(request.user, pk)

    def decide(data):
        services.case_appoint_lead(case_id=case.pk, by=request.user, **data)
        return [(messages.SUCCESS, "The lead agency is recorded in the chronology.")]

    return pages.take_decision(request, case, "lead", AppointLeadForm, decide, case=case)


@login_required
@require_POST
def case_set_agencies(request, pk):
    case = permissions.case_for_running(request.user, pk)

    def decide(data):
        services.case_set_agencies(case_id=case.pk, by=request.user, **data)
        return [(messages.SUCCESS, "The agencies involved are recorded.")]

    return pages.take_decision(request, case, "agencies", AgenciesForm, decide)


@login_required
@require_POST
def case_adopt(request, meeting_pk, pk):
    case = permissions.case_for_running(request.user, pk)
    meeting = get_object_or_404(PanelMeeting, pk=meeting_pk)

    def decide(data):
        services.case_adopt(case_id=case.pk, by=request.user, meeting=meeting, **data)
        return [(messages.SUCCESS, f"{case.reference} adopted.")]

    return pages.take_decision(request, case, "adopt", CaseVersionForm, decide)


@login_required
@require_POST
def case_not_adopt(request, meeting_pk, pk):
    case = permissions.case_for_running(request.user, pk)
    meeting = get_object_or_404(PanelMeeting, pk=meeting_pk)

    def decide(data):
        closure = services.case_not_adopt(case_id=case.pk, by=request.user, meeting=meeting, **data)
        return [(messages.SUCCESS, f"{case.reference} not adopted."), *admitted_messages(closure)]

    return pages.take_decision(request, case, "not_adopt", NotAdoptForm, decide)


@login_required
@require_POST
def mdt_record(request, pk):
    case = permissions.case_for_running(request.user, pk)

    def decide(data):
        services.mdt_record(case_id=case.pk, by=request.user, **data)
        return [(messages.SUCCESS, "The MDT meeting is recorded.")]

    return pages.take_decision(request, case, "mdt", MDTForm, decide)
