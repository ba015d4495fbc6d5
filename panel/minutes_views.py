"""A meeting's minutes: drafted from what was recorded, approved by the chair, and after that
changed only by a recorded amendment. One POST endpoint per change."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from caspa.core.forms import add_validation_errors
from panel import meetings, permissions, rules
from panel.forms import AmendMinuteForm
from panel.models import LeadDisagreement, MinutesStatus, PanelMeeting


def _with_lead_disagreements(meeting, items) -> list:
    """Each item with the disagreements over its case's lead recorded at this meeting."""
    recorded = list(
        LeadDisagreement.objects.filter(meeting=meeting)
        .select_related("decided_agency")
        .prefetch_related("positions__agency")
    )
    for item in items:
        item.lead_disagreements = [
            d for d in recorded if item.case_id and d.case_id == item.case_id
        ]
    return items


def _render(request, meeting, amend_form=None):
    items = _with_lead_disagreements(
        meeting,
        list(
            meeting.items.select_related("case", "case__person").prefetch_related("amendments__by")
        ),
    )
    approved = meeting.minutes_status == MinutesStatus.APPROVED
    chair = permissions.can_chair(request.user)
    return render(
        request,
        "panel/minutes.html",
        {
            "meeting": meeting,
            "items": items,
            "attendance": meeting.attendance.select_related("agency"),
            "amend_form": amend_form or AmendMinuteForm(),
            "can_approve": chair and not approved,
            # Said before the chair presses the button, not after.
            "approval_problem": rules.minutes_approval_problem(
                meeting_date=meeting.date,
                today=timezone.localdate(),
                items=len(items),
                approved=approved,
            )
            if chair and not approved
            else None,
            "can_amend": approved and permissions.can_run_panel(request.user) and bool(items),
        },
    )


@login_required
@require_GET
def meeting_minutes(request, pk):
    permissions.require_following_the_panel(request.user)
    return _render(request, get_object_or_404(PanelMeeting, pk=pk))


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
    permissions.require_running_the_panel(request.user)
    meeting = get_object_or_404(PanelMeeting, pk=pk)
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
    return _render(request, meeting, form)
