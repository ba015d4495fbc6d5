"""Reads for the room display of a running panel meeting (docs/meeting-room.md): the item the
room looks at, with only the essentials that fit one projected screen, and the meetings a user
may follow now (the home page's way in)."""

from dataclasses import dataclass, field

from panel import permissions, returns, review_selectors
from panel.models import AgendaItem, Case, PanelMeeting
from panel.rules import changes as change_rules
from panel.rules import meeting_room
from panel.rules import risk as risk_rules
from panel.selectors import (
    agenda_with_last_reviews,
    derived_level_of,
    last_review_before,
    reviews_of,
)

# What one screen holds: more is counted ("and 4 more"), not shown.
CHANGES_SHOWN = 6
ATTENDEES_SHOWN = 24


def meetings_to_follow(user) -> list[PanelMeeting]:
    """The running meetings the user may follow on their own device, or could once they agree
    to the confidentiality statement there."""
    running = PanelMeeting.objects.running().order_by("date")
    decisions = ((meeting, permissions.following(user, meeting)) for meeting in running)
    return [
        meeting
        for meeting, decision in decisions
        if decision.allowed or decision.problem == meeting_room.NOT_AGREED
    ]


@dataclass(frozen=True)
class Change:
    kind: str
    sentence: str


@dataclass
class Since:
    """What has changed since the last review, cut to what the screen holds. The agencies'
    returns are left out: the display shows them in their own panel."""

    review: object = None
    shown: list[Change] = field(default_factory=list)
    more: int = 0


def since_last_review(case: Case, meeting: PanelMeeting) -> Since:
    since = review_selectors.changes_since_last_review(case, meeting=meeting)
    changes = [
        Change(group.kind, sentence)
        for group in since.groups
        if group.kind != change_rules.RETURNS
        for sentence in group.sentences
    ]
    return Since(
        review=since.review,
        shown=changes[:CHANGES_SHOWN],
        more=max(len(changes) - CHANGES_SHOWN, 0),
    )


def trend_of(case: Case) -> str | None:
    """'rising', 'falling' or 'steady' over the panel's last two reviews (None: fewer)."""
    return risk_rules.trend(review.level for review in reviews_of(case))


def items_of(meeting: PanelMeeting) -> list[AgendaItem]:
    return agenda_with_last_reviews(
        meeting.items.select_related(
            "case", "case__person", "case__lead_agency", "case__referral"
        ).order_by("position", "pk")
    )


def room_context(meeting: PanelMeeting, position: int) -> dict | None:
    """What the display shows at `position` (0: the opening; 1…: the agenda's items); None
    if the agenda has no such item."""
    items = items_of(meeting)
    if not 0 <= position <= len(items):
        return None
    item = items[position - 1] if position else None
    context = {
        "meeting": meeting,
        "position": position,
        "count": len(items),
        "item": item,
        "case": None,
    }
    if item is None:
        attending = list(meeting.attendance.filter(apologies=False).select_related("agency"))
        context["attending"] = attending[:ATTENDEES_SHOWN]
        context["attending_more"] = max(len(attending) - ATTENDEES_SHOWN, 0)
        context["apologies"] = list(
            meeting.attendance.filter(apologies=True).select_related("agency")
        )
        return context
    case = item.case
    if case is None:
        return context
    context["case"] = case
    if item.standing:
        return context
    context.update(
        {
            "trend": trend_of(case),
            "derived_level": derived_level_of(case),
            "past_review": case.is_past_review(),
            "since": since_last_review(case, meeting),
            "review_since": last_review_before(case, meeting),
            "item_returns": returns.returns_for_meeting_case(meeting, case),
        }
    )
    return context
