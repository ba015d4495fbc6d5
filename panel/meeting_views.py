"""The panel's meetings before they sit: the year's dates, the agenda builder, attendance and
the printed agenda pack. One POST endpoint per change; each calls one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from audit.models import How
from audit.services import record_reads
from caspa.core.forms import add_validation_errors
from caspa.core.locking import ChangedMeanwhile
from panel import meetings, permissions, returns
from panel.forms import AgendaItemForm, AttendanceForm, ItemNotesForm, ScheduleYearForm
from panel.models import AgendaKind, PanelMeeting
from panel.pack_pdf import pack_items, pack_pdf_response, pack_title
from panel.rules import meeting_room as room_rules


def _render_list(request, form=None):
    today = timezone.localdate()
    all_meetings = PanelMeeting.objects.all()
    return render(
        request,
        "panel/meeting_list.html",
        {
            "upcoming": [m for m in all_meetings if m.date >= today],
            "past": [m for m in reversed(all_meetings) if m.date < today],
            "form": form or ScheduleYearForm(initial={"year": today.year + 1}),
            "can_run": permissions.can_run_panel(request.user),
        },
    )


@login_required
@require_GET
def meeting_list(request):
    if permissions.can_follow_the_panel(request.user):
        return _render_list(request)
    # A panel member or SPoC: the dates, and their agency's cut of each approved minutes.
    agency = permissions.agency_receiving_minutes(request.user)
    today = timezone.localdate()
    all_meetings = PanelMeeting.objects.all()
    return render(
        request,
        "panel/meeting_list.html",
        {
            "upcoming": [m for m in all_meetings if m.date >= today],
            "past": [m for m in reversed(all_meetings) if m.date < today],
            "agency": agency,
        },
    )


@login_required
@require_POST
def meetings_schedule_year(request):
    permissions.require_running_the_panel(request.user)
    form = ScheduleYearForm(request.POST)
    if not form.is_valid():
        return _render_list(request, form)
    created = meetings.meetings_schedule_year(by=request.user, **form.cleaned_data)
    messages.success(request, f"{len(created)} meetings added for {form.cleaned_data['year']}.")
    return redirect("panel:meetings")


def _render_detail(request, meeting, *, item_form=None, attendance_form=None):
    items = list(meeting.items.select_related("case", "case__person"))
    returns.attach_returns(items, meeting)
    attendance = list(meeting.attendance.select_related("agency", "user"))
    # The agenda names each case's person: each case on it is read.
    record_reads(reader=request.user, records=[i.case for i in items if i.case], how=How.LIST)
    return render(
        request,
        "panel/meeting_detail.html",
        {
            "meeting": meeting,
            "items": items,
            "present": [person for person in attendance if not person.apologies],
            "apologies": [person for person in attendance if person.apologies],
            "item_form": item_form or AgendaItemForm(),
            "attendance_form": attendance_form or AttendanceForm(),
            "can_run": permissions.can_run_panel(request.user),
        },
    )


@login_required
@require_GET
def meeting_detail(request, pk):
    permissions.require_following_the_panel(request.user)
    return _render_detail(request, get_object_or_404(PanelMeeting, pk=pk))


def _item_of(meeting, item_pk):
    item = meeting.items.filter(pk=item_pk).first()
    if item is None:
        raise Http404("No such agenda item")
    return item


@login_required
@require_POST
def agenda_build(request, pk):
    meeting = permissions.meeting_for_running(request.user, pk)
    added = meetings.agenda_build(meeting_id=meeting.pk, by=request.user)
    new = sum(item.kind == AgendaKind.NEW for item in added)
    words = room_rules.added_in_words(new=new, reviews=len(added) - new)
    (messages.success if added else messages.info)(request, words)
    return redirect(meeting)


@login_required
@require_POST
def agenda_move(request, pk, item_pk, direction):
    meeting = permissions.meeting_for_running(request.user, pk)
    item = _item_of(meeting, item_pk)
    if direction not in ("up", "down"):
        raise Http404("An item moves up or down")
    meetings.agenda_move(item_id=item.pk, by=request.user, up=direction == "up")
    return redirect(f"{meeting.get_absolute_url()}#item-{item.pk}")


@login_required
@require_POST
def agenda_item_notes(request, pk, item_pk):
    meeting = permissions.meeting_for_running(request.user, pk)
    item = _item_of(meeting, item_pk)
    form = ItemNotesForm(request.POST)
    if form.is_valid():
        try:
            meetings.agenda_item_record(
                item_id=item.pk,
                by=request.user,
                version=form.cleaned_data["version"],
                notes=form.cleaned_data["notes"],
            )
        except ChangedMeanwhile:
            messages.warning(
                request, "Someone else changed that item's notes: check them and add yours again."
            )
    else:
        messages.warning(request, "The notes were not saved: reload the page and try again.")
    return redirect(f"{meeting.get_absolute_url()}#item-{item.pk}")


@login_required
@require_POST
def agenda_add_item(request, pk):
    meeting = permissions.meeting_for_running(request.user, pk)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            meetings.agenda_add_item(meeting_id=meeting.pk, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            return redirect(meeting)
    return _render_detail(request, meeting, item_form=form)


@login_required
@require_POST
def attendance_record(request, pk):
    meeting = permissions.meeting_for_running(request.user, pk)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        try:
            attendance = meetings.attendance_record(
                meeting_id=meeting.pk, by=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request,
                f"{attendance.attendee}, {attendance.agency.name}: recorded as "
                f"{'sending apologies' if attendance.apologies else 'present'}.",
            )
            return redirect(f"{meeting.get_absolute_url()}#attendance")
    return _render_detail(request, meeting, attendance_form=form)


def _pack_for_reading(request, pk, how: str):
    """The meeting and its pack's items, for whoever follows the panel; each case in it read."""
    permissions.require_following_the_panel(request.user)
    meeting = get_object_or_404(PanelMeeting, pk=pk)
    items = pack_items(meeting)
    record_reads(reader=request.user, records=[i.case for i in items if i.case], how=how)
    return meeting, items


@login_required
@require_GET
def agenda_pack(request, pk):
    """The agenda pack: every item with its case summary and open actions, ready to print."""
    meeting, items = _pack_for_reading(request, pk, How.PRINT)
    return render(
        request,
        "panel/agenda_pack.html",
        {"meeting": meeting, "items": items, "title": pack_title(meeting)},
    )


@login_required
@require_GET
def agenda_pack_pdf(request, pk):
    """The agenda pack as a PDF: every page marked, dated and numbered (panel/pack_pdf.py)."""
    permissions.require_following_the_panel(request.user)
    meeting = get_object_or_404(PanelMeeting, pk=pk)
    items = pack_items(meeting)

    def read():  # each case in it read, when the PDF itself is the answer
        record_reads(reader=request.user, records=[i.case for i in items if i.case], how=How.PDF)

    return pack_pdf_response(request, meeting, items, on_serve=read)
