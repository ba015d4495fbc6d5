"""The meeting screen: one agenda item at a time, shared with the room, and the minute of the
item. The decisions taken on it post to the case's own endpoints (panel/case_views.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET, require_POST

from panel import meetings, pages, permissions
from panel.forms import MinuteForm
from panel.models import PanelMeeting


@login_required
@require_GET
def meeting_screen(request, pk, position):
    """Position 0 opens the meeting (confidentiality and attendance); 1… are the items."""
    permissions.require_following_the_panel(request.user)
    return pages.render_meeting_screen(request, get_object_or_404(PanelMeeting, pk=pk), position)


@login_required
@require_POST
def agenda_item_minute(request, pk, position):
    permissions.require_running_the_panel(request.user)
    meeting = get_object_or_404(PanelMeeting, pk=pk)
    items = list(meeting.items.select_related("case"))
    if not 1 <= position <= len(items):
        raise Http404("No such agenda item")
    item = items[position - 1]

    def decide(data):
        meetings.agenda_item_record(item_id=item.pk, by=request.user, **data)
        return [(messages.SUCCESS, "Minute saved.")]

    return pages.take_item_decision(request, meeting, position, item, MinuteForm, decide)
