"""An agency's return before a panel meeting: one page, which shows the return and its form
(GET) and sends it (POST), for the SPoC of the agency it is asked of."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit.services import record_read
from caspa.core.endpoints import form_at_version, handle_form
from panel import permissions, returns
from panel.forms import AgencyReturnForm
from panel.rules import returns as rules


def _render(request, agency_return, *, form=None, conflict=False):
    case = agency_return.case
    can_send = case.is_on_caseload and rules.may_still_be_sent(
        meeting_date=agency_return.meeting.date, today=timezone.localdate()
    )
    initial = {name: getattr(agency_return, name) for name in returns.RETURN_FIELDS}
    return render(
        request,
        "panel/return.html",
        {
            "agency_return": agency_return,
            "case": case,
            "meeting": agency_return.meeting,
            "form": form or AgencyReturnForm(initial={**initial, "version": agency_return.version}),
            "can_send": can_send,
            "conflict": conflict,
        },
        status=409 if conflict else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_return(request, pk):
    agency_return = permissions.return_for_submitting(request.user, pk)
    if request.method == "GET":
        record_read(reader=request.user, record=agency_return.case)
        return _render(request, agency_return)
    revising = agency_return.is_in

    def decide(data):
        returns.return_submit(return_id=agency_return.pk, by=request.user, **data)
        if revising:
            return [(messages.SUCCESS, "Your return is updated. The panel sees it as it is now.")]
        return [
            (
                messages.SUCCESS,
                "Your return is sent to the panel. You can change it until the meeting.",
            )
        ]

    def show(form, *, conflict):
        now = permissions.return_for_submitting(request.user, pk) if conflict else agency_return
        return _render(request, now, form=form, conflict=conflict)

    return handle_form(
        request,
        AgencyReturnForm(request.POST),
        decide,
        back=request.path,
        show_again=show,
        again_at_version=lambda now: form_at_version(request, AgencyReturnForm, now.version),
    )
