"""Panel meeting pages: the year's meetings, the agenda builder, and the meeting screen."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.roles import Perm
from actions.forms import AgreeActionForm
from actions.selectors import actions_for_review
from actions.services import action_agree
from audit.services import record_read
from caspa.core.forms import add_validation_errors
from panel import meetings, services
from panel.forms import (
    AgenciesForm,
    AgendaItemForm,
    AmendMinuteForm,
    AppointLeadForm,
    AttendanceForm,
    CaseVersionForm,
    ItemNotesForm,
    MinuteForm,
    NotAdoptForm,
    RiskForm,
    ScheduleYearForm,
)
from panel.models import AgendaKind, CaseStatus, PanelMeeting


def _require(user, perm, message):
    if not user.has_perm(perm):
        raise PermissionDenied(message)


def _may_follow_meetings(user):
    _require(user, Perm.VIEW_ALL_CASES, "Only the coordinator, admin staff and chair see this.")


def _may_run_meetings(user):
    _require(user, Perm.RUN_PANEL, "Only the panel coordinator and admin staff change meetings.")


MAX_ID = 2**31 - 1


def _item_of(meeting, value):
    """The meeting's agenda item a form names, or 404: never a 500 on a mangled id."""
    value = (value or "").strip()
    if not value.isdigit() or int(value) > MAX_ID:
        raise Http404("No such agenda item")
    return get_object_or_404(meeting.items, pk=int(value))


@login_required
@require_http_methods(["GET", "POST"])
def meeting_list(request):
    _may_follow_meetings(request.user)
    form = ScheduleYearForm(initial={"year": timezone.localdate().year + 1})
    if request.method == "POST":
        _may_run_meetings(request.user)
        form = ScheduleYearForm(request.POST)
        if form.is_valid():
            created = meetings.meetings_schedule_year(by=request.user, **form.cleaned_data)
            messages.success(
                request, f"{len(created)} meetings added for {form.cleaned_data['year']}."
            )
            return redirect("panel:meetings")
    today = timezone.localdate()
    all_meetings = PanelMeeting.objects.all()
    return render(
        request,
        "panel/meeting_list.html",
        {
            "upcoming": [m for m in all_meetings if m.date >= today],
            "past": [m for m in reversed(all_meetings) if m.date < today],
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_detail(request, pk):
    _may_follow_meetings(request.user)
    meeting = get_object_or_404(PanelMeeting, pk=pk)
    item_form, attendance_form = AgendaItemForm(), AttendanceForm()
    if request.method == "POST":
        _may_run_meetings(request.user)
        action = request.POST.get("action")
        if action == "build":
            added = meetings.agenda_build(meeting_id=meeting.pk, by=request.user)
            messages.success(request, f"{len(added)} items added to the agenda.")
            return redirect(meeting)
        if action in ("up", "down"):
            item = _item_of(meeting, request.POST.get("item"))
            meetings.agenda_move(item_id=item.pk, by=request.user, up=action == "up")
            return redirect(f"{meeting.get_absolute_url()}#item-{item.pk}")
        if action == "notes":
            notes_form = ItemNotesForm(request.POST)
            if notes_form.is_valid():
                item = _item_of(meeting, str(notes_form.cleaned_data["item"]))
                try:
                    meetings.agenda_item_record(
                        item_id=item.pk,
                        by=request.user,
                        version=notes_form.cleaned_data["version"],
                        notes=notes_form.cleaned_data["notes"],
                    )
                except meetings.ItemChanged:
                    messages.warning(
                        request,
                        "Someone else changed that item's notes: check them and add yours again.",
                    )
                return redirect(f"{meeting.get_absolute_url()}#item-{item.pk}")
        if action == "add":
            item_form = AgendaItemForm(request.POST)
            if item_form.is_valid():
                meetings.agenda_add_item(
                    meeting_id=meeting.pk, by=request.user, **item_form.cleaned_data
                )
                return redirect(meeting)
        if action == "attend":
            attendance_form = AttendanceForm(request.POST)
            if attendance_form.is_valid():
                meetings.attendance_record(
                    meeting_id=meeting.pk, by=request.user, **attendance_form.cleaned_data
                )
                return redirect(f"{meeting.get_absolute_url()}#attendance")
    return render(
        request,
        "panel/meeting_detail.html",
        {
            "meeting": meeting,
            "items": meeting.items.select_related("case", "case__person"),
            "attendance": meeting.attendance.select_related("agency"),
            "item_form": item_form,
            "attendance_form": attendance_form,
            "can_run": request.user.has_perm(Perm.RUN_PANEL),
        },
    )


SCREEN_FORMS = {
    "adopt": CaseVersionForm,
    "not_adopt": NotAdoptForm,
    "lead": AppointLeadForm,
    "risk": RiskForm,
    "agencies": AgenciesForm,
}


@login_required
@require_http_methods(["GET", "POST"])
def meeting_screen(request, pk, position):
    """One agenda item at a time, large enough to share on a screen; position 0 opens."""
    _may_follow_meetings(request.user)
    meeting = get_object_or_404(PanelMeeting, pk=pk)
    items = list(meeting.items.select_related("case", "case__person", "case__lead_agency"))
    if not 0 <= position <= len(items):
        return redirect("panel:screen", meeting.pk, 0)
    item = items[position - 1] if position else None
    case = item.case if item else None

    def blank_forms():
        if case is None:
            return {}
        initial = {"version": case.version}
        return {
            "adopt": CaseVersionForm(initial=initial),
            "not_adopt": NotAdoptForm(initial=initial),
            "lead": AppointLeadForm(
                case=case,
                initial={**initial, "agency": case.lead_agency_id, "officer": case.lead_officer},
            ),
            "risk": RiskForm(initial={**initial, "risk_level": case.risk_level}),
            "agencies": AgenciesForm(
                initial={**initial, "agencies": list(case.involved_agencies.all())}
            ),
            "action": AgreeActionForm(case=case),
        }

    forms = blank_forms()
    minute_form = (
        MinuteForm(initial={"minute": item.minute, "version": item.version}) if item else None
    )
    conflict = False
    if request.method == "POST" and item:
        _may_run_meetings(request.user)
        action = request.POST.get("action")
        here = reverse("panel:screen", args=[meeting.pk, position])
        try:
            if action == "minute":
                minute_form = MinuteForm(request.POST)
                if minute_form.is_valid():
                    meetings.agenda_item_record(
                        item_id=item.pk, by=request.user, **minute_form.cleaned_data
                    )
                    messages.success(request, "Minute saved.")
                    return redirect(here)
            elif case and action == "action":
                form = AgreeActionForm(request.POST, case=case)
                forms["action"] = form
                if form.is_valid():
                    agreed = action_agree(
                        case=case, by=request.user, meeting=meeting, **form.cleaned_data
                    )
                    messages.success(request, f"Action {agreed.reference} agreed.")
                    return redirect(here)
            elif case and action in SCREEN_FORMS:
                extra = {"case": case} if action == "lead" else {}
                form = SCREEN_FORMS[action](request.POST, **extra)
                forms[action] = form
                if form.is_valid():
                    _decide(request, case, meeting, action, form.cleaned_data)
                    return redirect(here)
        except services.ConcurrentEdit as edit:
            conflict = True
            case = edit.case
            forms = blank_forms()
        except meetings.ItemChanged as changed:
            conflict = True
            minute_form = MinuteForm(
                initial={"version": changed.item.version, "minute": request.POST.get("minute", "")}
            )
            minute_form.conflicting_minute = changed.item.minute
        except ValidationError as error:
            add_validation_errors(forms.get(action) or minute_form, error)
    if case and request.method == "GET":
        record_read(reader=request.user, record=case)
    return render(
        request,
        "panel/meeting_screen.html",
        {
            "meeting": meeting,
            "item": item,
            "case": case,
            "position": position,
            "count": len(items),
            "forms": forms,
            "minute_form": minute_form,
            "events": case.events.select_related("by").order_by("-happened_at")[:6] if case else [],
            "involved": case.involved_agencies.all() if case else [],
            "open_actions": actions_for_review(case, since=_last_review(case, meeting))
            if case
            else [],
            "attendance": meeting.attendance.select_related("agency") if not item else [],
            "can_run": request.user.has_perm(Perm.RUN_PANEL),
            "is_new": bool(
                case and item.kind == AgendaKind.NEW and case.status == CaseStatus.AWAITING_PANEL
            ),
            "conflict": conflict,
        },
        status=409 if conflict else 200,
    )


def _last_review(case, meeting):
    """When the panel last looked at this case before this meeting (None: never)."""
    earlier = case.agenda_items.filter(meeting__date__lt=meeting.date).order_by("-meeting__date")
    item = earlier.select_related("meeting").first()
    if item is None:
        return None
    from datetime import datetime, time

    from django.utils import timezone

    return timezone.make_aware(datetime.combine(item.meeting.date, time.min))


def _decide(request, case, meeting, action, data):
    common = {"case_id": case.pk, "by": request.user, "version": data["version"]}
    if action == "adopt":
        services.case_adopt(**common, meeting=meeting)
        messages.success(request, f"{case.reference} adopted.")
    elif action == "not_adopt":
        closure = services.case_not_adopt(
            **common, meeting=meeting, reason=data["reason"], signpost=data["signpost"]
        )
        messages.success(request, f"{case.reference} not adopted.")
        for admitted in closure.admitted:
            messages.warning(
                request,
                f"A place came free: {admitted.referral.reference} "
                "has joined the caseload from the waiting list.",
            )
    elif action == "lead":
        services.case_appoint_lead(
            **common, agency=data["agency"], officer=data["officer"], reason=data["reason"]
        )
        messages.success(request, "Lead agency recorded.")
    elif action == "risk":
        services.case_set_risk(**common, risk_level=data["risk_level"])
        messages.success(request, "Risk level recorded.")
    elif action == "agencies":
        services.case_set_agencies(**common, agencies=data["agencies"])
        messages.success(request, "Agencies involved recorded.")


@login_required
@require_http_methods(["GET", "POST"])
def meeting_minutes(request, pk):
    """The minutes, drafted from what was recorded; the chair approves; then only amendments."""
    _may_follow_meetings(request.user)
    meeting = get_object_or_404(PanelMeeting, pk=pk)
    amend_form = AmendMinuteForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve":
                _require(request.user, Perm.CHAIR_PANEL, "Only the chair approves minutes.")
                meetings.minutes_approve(meeting_id=meeting.pk, by=request.user)
                messages.success(request, "The minutes are approved.")
                return redirect("panel:minutes", meeting.pk)
            if action == "amend":
                _may_run_meetings(request.user)
                amend_form = AmendMinuteForm(request.POST)
                if amend_form.is_valid():
                    item = _item_of(meeting, str(amend_form.cleaned_data["item"]))
                    meetings.minutes_amend(
                        item_id=item.pk,
                        by=request.user,
                        minute=amend_form.cleaned_data["minute"],
                        reason=amend_form.cleaned_data["reason"],
                    )
                    messages.success(request, "The amendment is recorded.")
                    return redirect("panel:minutes", meeting.pk)
        except ValidationError as error:
            add_validation_errors(amend_form, error)
    return render(
        request,
        "panel/minutes.html",
        {
            "meeting": meeting,
            "items": meeting.items.select_related("case", "case__person").prefetch_related(
                "amendments__by"
            ),
            "attendance": meeting.attendance.select_related("agency"),
            "amend_form": amend_form,
            "can_approve": request.user.has_perm(Perm.CHAIR_PANEL),
            "can_run": request.user.has_perm(Perm.RUN_PANEL),
        },
    )


@login_required
def agenda_pack(request, pk):
    """The agenda pack: every item with its case summary and open actions, ready to print."""
    _may_follow_meetings(request.user)
    meeting = get_object_or_404(PanelMeeting, pk=pk)
    items = list(
        meeting.items.select_related(
            "case", "case__person", "case__lead_agency", "case__referral"
        ).prefetch_related("case__involved_agencies", "case__actions__owner_agency")
    )
    for item in items:
        if item.case:
            record_read(reader=request.user, record=item.case)
            item.review_actions = actions_for_review(
                item.case, since=_last_review(item.case, meeting)
            )
    return render(request, "panel/agenda_pack.html", {"meeting": meeting, "items": items})
