"""A case's chronology: one timeline of everything that happened to it.

A leaf module: every service that changes a case (the panel's, the actions') adds its line
here, and it imports nothing else of the panel app but the model.
"""

from django.utils import timezone

from panel.models import Case, CaseEvent, EventKind, PanelMeeting

__all__ = ["EventKind", "decided_at", "record_event", "record_events"]


def record_event(
    case: Case, summary: str, by, at=None, *, kind: EventKind, meeting=None
) -> CaseEvent:
    """Add a line of this `kind` to the case's chronology, as `by` (None: the system, e.g.
    the sweep).

    `meeting`: the panel meeting that took the decision, whose minutes record it
    (docs/meeting-room.md); decisions pass `decided_at(case, meeting)`.
    """
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        summary=summary,
        by=by,
        happened_at=at or timezone.now(),
        meeting=meeting,
    )


def record_events(lines: list[tuple[int, str]], *, kind: EventKind) -> list[CaseEvent]:
    """`record_event` for many cases at once, by the system (the sweep), now: one line of
    this `kind` for each (case id, summary), in one insert."""
    now = timezone.now()
    return CaseEvent.objects.bulk_create(
        [
            CaseEvent(case_id=case_id, kind=kind, summary=summary, by=None, happened_at=now)
            for case_id, summary in lines
        ]
    )


def decided_at(case: Case, meeting: PanelMeeting | None = None) -> PanelMeeting | None:
    """The meeting a decision about the case is taken at: the one named, or else the meeting
    running now with the case on its agenda (a decision taken from the case page while the
    panel sits on it is the panel's). None outside a meeting."""
    if meeting is not None:
        return meeting
    return PanelMeeting.objects.running().filter(items__case=case).order_by("-date").first()
