"""A meeting's minutes, drafted item by item from what the meeting recorded (docs/minutes.md).

`draft(meeting)` returns the minutes as a plain structure (dicts, lists and strings, so it can
be kept as JSON): who came, who sent apologies, and for each agenda item the decisions the
meeting took (their chronology lines, `CaseEvent.meeting`), the actions agreed at it, the
escalations resolved since the previous meeting, any disagreement over the lead, and the
minute the coordinator typed. The chair's approval keeps that structure in
`PanelMeeting.minutes_record` (panel.meetings.minutes_approve); from then on the minutes are
read from it, so they still say what was decided when the records change. Only an item's
minute changes after approval, by a recorded amendment.

Actions and escalations belong to the actions app, which sits above the panel: the actions
agreed are read as values through the reverse relation (as panel/plan_pdf.py does), and the
escalation lines are drafted by the actions app itself, which registers its drafter when
Django starts (`escalations_drafted_by`, called from actions/apps.py).
"""

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from types import SimpleNamespace

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils.text import slugify

from caspa.core import documents
from caspa.core.references import action_reference
from panel import rules
from panel.models import AgendaItem, Case, LeadDisagreement, MinutesStatus, PanelMeeting
from panel.rules.meeting_room import items_for_agency

# (meeting, the agenda's case ids) -> for each case, the lines of the minutes about its
# escalations resolved since the previous meeting. The actions app registers its drafter
# (actions/apps.py).
EscalationDrafter = Callable[[PanelMeeting, list[int]], dict[int, list[str]]]
_escalation_drafters: list[EscalationDrafter] = []


def escalations_drafted_by(drafter: EscalationDrafter) -> None:
    """The app that owns escalations drafts their lines of the minutes (once, at start-up)."""
    if drafter not in _escalation_drafters:
        _escalation_drafters.append(drafter)


def _escalations(meeting: PanelMeeting, case_ids: list[int]) -> dict[int, list[str]]:
    lines = defaultdict(list)
    for drafter in _escalation_drafters:
        for case_id, drafted in drafter(meeting, case_ids).items():
            lines[case_id].extend(drafted)
    return lines


def _day(value: date) -> str:
    return f"{value:%-d %B %Y}"


def _attendance(meeting: PanelMeeting) -> tuple[list[dict], list[dict]]:
    present, apologies = [], []
    for row in meeting.attendance.values("attendee", "agency__name", "apologies"):
        person = {"attendee": row["attendee"], "agency": row["agency__name"]}
        (apologies if row["apologies"] else present).append(person)
    return present, apologies


def _decisions(meeting: PanelMeeting) -> dict[int, list[str]]:
    """The chronology lines of the decisions this meeting took, by case, in the order taken."""
    lines = defaultdict(list)
    for case_id, summary in meeting.decisions.order_by("happened_at", "pk").values_list(
        "case_id", "summary"
    ):
        lines[case_id].append(summary)
    return lines


def _actions(meeting: PanelMeeting) -> dict[int, list[dict]]:
    """The actions agreed at this meeting, by case, read as values: the panel does not import
    the actions app (docs/architecture.md)."""
    rows = meeting.actions.order_by("due_on", "pk").values(
        "pk", "case_id", "description", "owner_agency__name", "owner_officer", "due_on"
    )
    actions = defaultdict(list)
    for row in rows:
        actions[row["case_id"]].append(
            {
                "reference": action_reference(row["pk"]),
                "description": row["description"],
                "owner_agency": row["owner_agency__name"],
                "owner_officer": row["owner_officer"],
                "due_on": row["due_on"].isoformat(),
                "due": _day(row["due_on"]),
            }
        )
    return actions


def _lead_disagreements(meeting: PanelMeeting) -> dict[int, list[dict]]:
    recorded = (
        LeadDisagreement.objects.filter(meeting=meeting)
        .select_related("decided_agency")
        .prefetch_related("positions__agency")
    )
    disagreements = defaultdict(list)
    for disagreement in recorded:
        disagreements[disagreement.case_id].append(
            {
                "positions": [
                    {"agency": position.agency.name, "position": position.position}
                    for position in disagreement.positions.all()
                ],
                "decided_agency": disagreement.decided_agency.name,
                "reason": disagreement.reason,
            }
        )
    return disagreements


def draft(meeting: PanelMeeting) -> dict:
    """The minutes as the records say now: what the chair approves, and what is kept."""
    present, apologies = _attendance(meeting)
    decisions = _decisions(meeting)
    actions = _actions(meeting)
    disagreements = _lead_disagreements(meeting)
    items = []
    agenda = list(meeting.items.select_related("case", "case__person"))
    escalations = _escalations(meeting, [item.case_id for item in agenda if item.case_id])
    for number, item in enumerate(agenda, start=1):
        case_id = item.case_id
        items.append(
            {
                "item_id": item.pk,
                "position": number,
                "heading": item.heading,
                "kind": item.kind,
                "standing": item.standing,
                "case_id": case_id,
                "case_reference": item.case.reference if case_id else "",
                "decisions": decisions.get(case_id, []) if case_id else [],
                "actions": actions.get(case_id, []) if case_id else [],
                "minute": item.minute,
                "escalations_resolved": escalations.get(case_id, []) if case_id else [],
                "lead_disagreements": disagreements.get(case_id, []) if case_id else [],
            }
        )
    return {
        "date": meeting.date.isoformat(),
        "attendance": present,
        "apologies": apologies,
        "items": items,
    }


def is_approved(meeting: PanelMeeting) -> bool:
    return meeting.minutes_status == MinutesStatus.APPROVED


def record_of(meeting: PanelMeeting) -> dict:
    """The minutes to show: as the chair approved them, or the live draft before."""
    if is_approved(meeting) and meeting.minutes_record:
        return meeting.minutes_record
    return draft(meeting)


def involvement(case_ids) -> dict[int, set[int]]:
    """The agencies involved in each case now: an agency that left a case no longer receives
    its minutes, as it no longer sees the case."""
    involved = defaultdict(set)
    rows = Case.involved_agencies.through.objects.filter(case_id__in=list(case_ids))
    for case_id, agency_id in rows.values_list("case_id", "agency_id"):
        involved[case_id].add(agency_id)
    return involved


def cut_for_agency(record: dict, agency_id: int) -> dict:
    """The minutes an agency receives: other business and the items about cases it is
    involved in (panel.rules.meeting_room.items_for_agency), nothing about anyone else."""

    items = [SimpleNamespace(case_id=item["case_id"], data=item) for item in record["items"]]
    involved = involvement(item.case_id for item in items if item.case_id)
    kept = items_for_agency(items, involved, agency_id)
    return {**record, "items": [item.data for item in kept]}


def with_amendments(record: dict, meeting: PanelMeeting) -> dict:
    """Approved minutes with each item's minute as amended since, and the amendments made:
    the one part of approved minutes that changes, and only by a recorded amendment."""
    if not is_approved(meeting):
        return {**record, "items": [{**item, "amendments": []} for item in record["items"]]}
    live = {
        item.pk: item
        for item in AgendaItem.objects.filter(meeting=meeting).prefetch_related("amendments__by")
    }
    items = []
    for item in record["items"]:
        agenda_item = live.get(item["item_id"])
        amendments = list(agenda_item.amendments.all()) if agenda_item else []
        items.append(
            {
                **item,
                "minute": agenda_item.minute if agenda_item else item["minute"],
                "amendments": [
                    {
                        "made_on": _day(amendment.made_at),
                        "by": str(amendment.by),
                        "reason": amendment.reason,
                        "previous_minute": amendment.previous_minute,
                    }
                    for amendment in amendments
                ],
            }
        )
    return {**record, "items": items}


def minutes_for(meeting: PanelMeeting, *, agency_id: int | None = None) -> dict:
    """What a reader is shown: the whole minutes, or an agency's cut, with amendments."""
    record = record_of(meeting)
    if agency_id is not None:
        record = cut_for_agency(record, agency_id)
    return with_amendments(record, meeting)


def case_ids_shown(record: dict) -> list[int]:
    """The cases the minutes name: each a read of that case (audit)."""
    return [item["case_id"] for item in record["items"] if item["case_id"]]


def counts(record: dict) -> dict:
    """What approving locks, in numbers: items, decisions, actions."""
    items = record["items"]
    return {
        "items": len(items),
        "decisions": sum(len(item["decisions"]) for item in items),
        "actions": sum(len(item["actions"]) for item in items),
        "attendance": len(record["attendance"]),
        "apologies": len(record["apologies"]),
    }


def waiting_for_approval(today: date) -> list[PanelMeeting]:
    """The meetings whose minutes the chair can approve now (panel.rules.minutes_approval_problem):
    held, with items, not yet approved. Oldest first."""
    candidates = (
        PanelMeeting.objects.exclude(minutes_status=MinutesStatus.APPROVED)
        .filter(date__lte=today)
        .annotate(item_count=Count("items"))
        .filter(item_count__gt=0)
        .order_by("date")
    )
    return [
        meeting
        for meeting in candidates
        if rules.minutes_approval_problem(
            meeting_date=meeting.date,
            today=today,
            items=meeting.item_count,
            approved=is_approved(meeting),
            ended=meeting.ended_at is not None,
        )
        is None
    ]


def minutes_pdf_html(meeting: PanelMeeting, record: dict, *, agency=None) -> str:
    return render_to_string(
        "panel/minutes_pdf.html",
        {"meeting": meeting, "minutes": record, "agency": agency},
    )


def minutes_pdf_response(
    request, meeting: PanelMeeting, record: dict, *, agency=None, on_serve=None
):
    """The minutes (or an agency's cut) as a PDF, built on the worker and kept until their
    content changes (caspa/core/documents.py); else its build queued and the waiting page."""
    # The date and the agency name the file, never a person: downloads folders are read by others.
    filename = f"minutes-{meeting.date:%Y-%m-%d}"
    if agency is not None:
        filename += f"-{slugify(agency.short_name)}"
    return documents.pdf_response(
        request,
        kind=documents.MINUTES,
        record=documents.meeting_record(meeting.pk, agency_id=agency.pk if agency else None),
        html=minutes_pdf_html(meeting, record, agency=agency),
        filename=f"{filename}.pdf",
        waiting_for=f"The minutes of the panel meeting of {_day(meeting.date)}",
        on_serve=on_serve,
    )
