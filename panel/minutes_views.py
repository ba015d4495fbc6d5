"""A meeting's minutes: drafted from what was recorded, approved by the chair (after a page
that says what approving locks), and after that changed only by a recorded amendment; the
approved minutes as a PDF, whole or cut to one agency's cases. One POST endpoint per change.

Who reads which minutes is the door's (panel.permissions.minutes_for_reading); what they say
is panel/minutes.py's. Every read of minutes naming cases is a read of each case named."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Agency
from audit.models import How
from audit.services import record_reads
from caspa.core.forms import add_validation_errors
from panel import meetings, minutes, permissions, rules
from panel.forms import AmendMinuteForm
from panel.models import Case, PanelMeeting

NOT_APPROVED_YET = "The minutes of this meeting are not approved yet: there is no PDF of them."


def _record_reads(user, record: dict, how: str) -> None:
    # Only the cases' ids are needed to record them: no query for the cases themselves.
    cases = [Case(pk=pk) for pk in minutes.case_ids_shown(record)]
    record_reads(reader=user, records=cases, how=how)


def _marking(meeting) -> str:
    return f"Minutes, panel meeting of {meeting.date:%-d %B %Y}"


def _approval_problem(meeting, record: dict) -> str | None:
    return rules.minutes_approval_problem(
        meeting_date=meeting.date,
        today=timezone.localdate(),
        items=len(record["items"]),
        approved=minutes.is_approved(meeting),
        ended=meeting.ended_at is not None,
    )


def _render(request, meeting, agency=None, amend_form=None):
    record = minutes.minutes_for(meeting, agency_id=agency.pk if agency else None)
    _record_reads(request.user, record, How.PAGE)
    approved = minutes.is_approved(meeting)
    chair = permissions.can_chair(request.user)
    whole = agency is None
    return render(
        request,
        "panel/minutes.html",
        {
            "meeting": meeting,
            "minutes": record,
            "agency": agency,
            "marking": _marking(meeting),
            "approved": approved,
            "amend_form": amend_form or AmendMinuteForm(),
            "can_approve": whole and chair and not approved,
            # Said before the chair presses the button, not after.
            "approval_problem": _approval_problem(meeting, record)
            if whole and chair and not approved
            else None,
            "can_amend": whole
            and approved
            and permissions.can_run_panel(request.user)
            and bool(record["items"]),
            # The agencies whose cut of the minutes the coordinator may download.
            "agencies": Agency.objects.order_by("name") if whole and approved else [],
        },
    )


@login_required
@require_GET
def meeting_minutes(request, pk):
    meeting, agency = permissions.minutes_for_reading(request.user, pk)
    return _render(request, meeting, agency)


@login_required
@require_GET
def minutes_approve_confirm(request, pk):
    """What approving locks, before the chair approves."""
    permissions.require_chairing(request.user)
    meeting = get_object_or_404(PanelMeeting, pk=pk)
    record = minutes.draft(meeting)
    return render(
        request,
        "panel/minutes_approve.html",
        {
            "meeting": meeting,
            "counts": minutes.counts(record),
            "problem": _approval_problem(meeting, record),
        },
    )


@login_required
@require_POST
def minutes_approve(request, pk):
    permissions.require_chairing(request.user)
    meeting = get_object_or_404(PanelMeeting, pk=pk)
    try:
        meetings.minutes_approve(meeting_id=meeting.pk, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "The minutes are approved.")
    return redirect("panel:minutes", meeting.pk)


@login_required
@require_POST
def minutes_amend(request, pk):
    meeting = permissions.meeting_for_running(request.user, pk)
    form = AmendMinuteForm(request.POST)
    if form.is_valid():
        item = meeting.items.filter(pk=form.cleaned_data["item"]).first()
        if item is None:
            form.add_error("item", "Choose an item of this meeting")
        else:
            try:
                meetings.minutes_amend(
                    item_id=item.pk,
                    by=request.user,
                    minute=form.cleaned_data["minute"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, "The amendment is recorded.")
                return redirect("panel:minutes", meeting.pk)
    return _render(request, meeting, amend_form=form)


def _pdf(request, meeting, agency) -> HttpResponse:
    if not minutes.is_approved(meeting):
        raise Http404(NOT_APPROVED_YET)
    record = minutes.minutes_for(meeting, agency_id=agency.pk if agency else None)
    return minutes.minutes_pdf_response(
        request,
        meeting,
        record,
        agency=agency,
        on_serve=lambda: _record_reads(request.user, record, How.PDF),
    )


@login_required
@require_GET
def minutes_pdf(request, pk):
    """The approved minutes as a PDF: whole for those who follow the panel, a panel member's
    or SPoC's own agency's cut for them."""
    meeting, agency = permissions.minutes_for_reading(request.user, pk)
    return _pdf(request, meeting, agency)


@login_required
@require_GET
def agency_minutes_pdf(request, pk, agency_pk):
    """The approved minutes an agency receives: the items about its cases and other business."""
    meeting, agency = permissions.minutes_for_reading(request.user, pk, agency_pk=agency_pk)
    return _pdf(request, meeting, agency)
