"""The room display of a running panel meeting: one item's essentials on one projected or
shared screen, following the item the coordinator shows (docs/meeting-room.md).

The display polls a fragment (`room_now`) every two seconds with the digest of what it shows;
the fragment answers 204 while the room's item looks the same, so nothing flickers. A pinned
position (`room_item`, the previous and next links) does not follow.
"""

import hashlib
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_POST

from audit.services import record_read
from panel import meetings, permissions, room_selectors
from panel.models import PanelMeeting
from panel.rules import meeting_room


@dataclass(frozen=True)
class Shown:
    """What the display shows at one position, rendered, and its digest."""

    context: dict
    title: str
    where: str
    item: str

    @property
    def digest(self) -> str:
        content = "\n".join((self.title, self.where, self.item))
        return hashlib.sha1(content.encode(), usedforsecurity=False).hexdigest()


def _shown(meeting: PanelMeeting, position: int, *, follow: bool) -> Shown | None:
    context = room_selectors.room_context(meeting, position)
    if context is None:
        return None
    context["follow"] = follow
    return Shown(
        context=context,
        title=render_to_string("panel/_room_title.html", context).strip(),
        where=render_to_string("panel/_room_where.html", context),
        item=render_to_string("panel/_room_item.html", context),
    )


def _refused(request, meeting: PanelMeeting, reason: str) -> HttpResponse:
    return render(
        request, "panel/room_refused.html", {"meeting": meeting, "reason": reason}, status=403
    )


def _display(request, pk: int, position: int | None) -> HttpResponse:
    """The display at `position`, or following the room (None)."""
    meeting = get_object_or_404(PanelMeeting, pk=pk)
    decision = permissions.following(request.user, meeting)
    if not decision.allowed:
        if decision.problem == meeting_room.NOT_AGREED:
            # Marked present: they agree here, on their own device, and follow.
            return render(request, "panel/room_agree.html", {"meeting": meeting})
        return _refused(request, meeting, decision.problem)
    follow = position is None
    shown = _shown(meeting, meeting.current_position if follow else position, follow=follow)
    if shown is None and follow:
        # The agenda lost the item the room was at: show the opening.
        shown = _shown(meeting, 0, follow=True)
    if shown is None:
        raise Http404("The agenda has no such item")
    if shown.context["case"] is not None:
        record_read(reader=request.user, record=shown.context["case"])
    return render(request, "panel/room.html", {**shown.context, "shown": shown})


@login_required
@require_GET
def room(request, pk):
    """The display, following the coordinator's current item."""
    return _display(request, pk, None)


@login_required
@require_GET
def room_item(request, pk, position):
    """The display pinned at one item: where the previous and next links go."""
    return _display(request, pk, position)


def _reload() -> HttpResponse:
    """The display may no longer show the meeting (it ended, the session expired, the member
    was marked absent): the page reloads, to be refused or sent to sign in as a page."""
    return HttpResponse(status=403, headers={"HX-Refresh": "true"})


@require_GET
def room_now(request, pk):
    """The polled fragment: 204 when the room's item looks as the display shows it
    (`?shown=` its digest), else the item, the bar's place and the page's title."""
    if not request.user.is_authenticated:
        return _reload()
    meeting = get_object_or_404(PanelMeeting, pk=pk)
    if not permissions.following(request.user, meeting).allowed:
        return _reload()
    shown = _shown(meeting, meeting.current_position, follow=True) or _shown(
        meeting, 0, follow=True
    )
    if request.GET.get("shown") == shown.digest:
        return HttpResponse(status=204)
    if shown.context["case"] is not None:
        record_read(reader=request.user, record=shown.context["case"])
    return render(request, "panel/_room_now.html", {**shown.context, "shown": shown})


@login_required
@require_POST
def room_agree(request, pk):
    """A member marked present agrees to the confidentiality statement on their own device."""
    meeting = get_object_or_404(PanelMeeting, pk=pk)
    try:
        meetings.attendance_agree(meeting_id=meeting.pk, by=request.user)
    except ValidationError as error:
        return _refused(request, meeting, " ".join(error.messages))
    return redirect("panel:room", meeting.pk)
