"""The coordinator's control view of a meeting: one agenda item at a time, its summary beside
its decisions, and the minute of the item. The decisions taken on it post to the case's own
endpoints (panel/case_views.py, panel/review_views.py, the actions' agree endpoint); these are
the control view's own: the minute, drafts kept as the coordinator types, which item the room
is shown, and starting and ending the meeting (docs/meeting-room.md)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from panel import meetings, pages, permissions
from panel.forms import MinuteForm
from panel.models import PanelMeeting


@login_required
@require_GET
def meeting_screen(request, pk, position):
    """Position 0 opens the meeting (confidentiality and attendance); 1… are the items. It
    never changes anything: moving the room is `meeting_show_item`."""
    permissions.require_following_the_panel(request.user)
    meeting, items = pages.screen_agenda(pk)
    return pages.render_meeting_screen(request, meeting, position, items=items)


def _item(meeting: PanelMeeting, position: int):
    item = pages.item_at(meeting, position)
    if item is None:
        raise Http404("No such agenda item")
    return item


@login_required
@require_POST
def agenda_item_minute(request, pk, position):
    meeting = permissions.meeting_for_running(request.user, pk)
    item = _item(meeting, position)

    def decide(data):
        meetings.agenda_item_record(item_id=item.pk, by=request.user, **data)
        return [(messages.SUCCESS, "Minute saved.")]

    return pages.take_item_decision(request, meeting, position, item, MinuteForm, decide)


@login_required
@require_POST
def item_draft(request, pk, position):
    """What the coordinator is typing in one box of the item, kept as they type (the page's
    script sends it a second after they stop). Nothing to show: 204."""
    item = _item(permissions.meeting_for_running(request.user, pk), position)
    try:
        meetings.item_draft_keep(
            item_id=item.pk,
            by=request.user,
            field=request.POST.get("field", ""),
            text=request.POST.get("text", ""),
        )
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages))
    return HttpResponse(status=204)


@login_required
@require_POST
def meeting_show_item(request, pk, position):
    """Move to an item: while the meeting runs, the room display follows."""
    meeting = permissions.meeting_for_running(request.user, pk)
    try:
        meetings.meeting_show_item(meeting_id=meeting.pk, by=request.user, position=position)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("panel:screen", meeting.pk, 0)
    return redirect("panel:screen", meeting.pk, position)


@login_required
@require_POST
def meeting_start(request, pk):
    meeting = permissions.meeting_for_running(request.user, pk)
    try:
        meetings.meeting_start(meeting_id=meeting.pk, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The meeting has started: the room display is open.")
    return redirect("panel:screen", meeting.pk, 0)


@login_required
@require_POST
def meeting_end(request, pk):
    meeting = permissions.meeting_for_running(request.user, pk)
    try:
        meeting = meetings.meeting_end(meeting_id=meeting.pk, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The meeting has ended: the room display is closed.")
    return redirect("panel:screen", meeting.pk, meeting.current_position)
