"""Agencies' returns before each panel meeting: the sweep that asks for them and reminds, the
SPoC sending one, and how they are read on the pages that show them.

Each agency involved in a case on a meeting's agenda is asked for a short return on it, a set
number of working days before the meeting (settings.PANEL_RETURNS_WORKING_DAYS; the dates are
the pure rules of panel/rules/returns.py). Celery beat runs the sweep (panel/tasks.py); it is
idempotent, so it runs hourly and a missed day is caught up:

1. For every upcoming meeting whose returns are due to be asked for or reminded, the missing
   return rows are inserted (one per agency per case; a unique constraint makes a second
   sweep insert nothing) and read back, locked.
2. Each return not yet asked for by e-mail gets its request e-mail to the agency's SPoC,
   written to the outbox in the same transaction and linked to the return, so it is written
   once. An agency with no SPoC gets no e-mail (logged); its return is still shown missing.
3. From the reminder date, a return not in, asked for before that date and not yet reminded
   gets one reminder, the same way.

E-mails carry the case's reference, the meeting's date and a link, never the person's name.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from caspa.core import outbox
from caspa.core.locking import lock_at_version, save_as
from panel import permissions
from panel.chronology import EventKind, record_event
from panel.models import ON_CASELOAD, AgencyReturn, AgendaItem, Case, PanelMeeting
from panel.rules import returns as rules
from panel.selectors import returns_of
from panel.services import require_on_caseload

log = logging.getLogger(__name__)

REQUEST_KIND = "return.request"
REMINDER_KIND = "return.reminder"

MEETING_HAS_HAPPENED = (
    "The meeting has happened: a return can be sent or changed only before the meeting it is for."
)
RETURN_EMPTY = "Fill in at least one part of the return"
RETURN_FIELDS = ("contact", "changes", "risks", "progress")


def _long(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _short(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


# --- the sweep ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnsSweepResult:
    returns_asked: int = 0  # return rows newly created
    requests_written: int = 0
    reminders_written: int = 0
    emails_sent: int = 0  # everything the outbox sent afterwards, others' e-mails included


def returns_sweep(*, today: date | None = None) -> ReturnsSweepResult:
    """Steps 1 to 3 for every upcoming meeting whose returns are due today. Writes e-mails to
    the outbox; sends nothing itself (run_returns_sweep does)."""
    today = today or timezone.localdate()
    working_days = settings.PANEL_RETURNS_WORKING_DAYS
    asked = requests = reminders = 0
    # Meetings are monthly and scheduled a year or so ahead: a handful of rows.
    for meeting in PanelMeeting.objects.filter(date__gt=today).order_by("date"):
        stage = rules.return_stage(
            meeting_date=meeting.date, today=today, working_days=working_days
        )
        if stage is None:
            continue
        dates = rules.return_dates(meeting.date, working_days)
        result = _sweep_meeting(meeting, dates, remind=stage == "remind", today=today)
        asked += result.returns_asked
        requests += result.requests_written
        reminders += result.reminders_written
    if asked or requests or reminders:
        log.info(
            "Returns sweep: %s returns asked for, %s requests and %s reminders written",
            asked,
            requests,
            reminders,
        )
    return ReturnsSweepResult(asked, requests, reminders)


def run_returns_sweep(*, today: date | None = None) -> ReturnsSweepResult:
    """The sweep, then the outbox's one claim-and-send: what Celery beat and the management
    command run, and what the demo and tests can call directly."""
    result = returns_sweep(today=today)
    sent = outbox.send_waiting()
    return ReturnsSweepResult(
        result.returns_asked,
        result.requests_written,
        result.reminders_written,
        emails_sent=sum(sent.values()),
    )


def _wanted(meeting: PanelMeeting) -> set[tuple[int, int]]:
    """(case id, agency id) for each agency involved in each case on the agenda that the
    pathway still holds: those asked for a return."""
    through = Case.involved_agencies.through
    return set(
        through.objects.filter(
            case__agenda_items__meeting=meeting, case__status__in=ON_CASELOAD
        ).values_list("case_id", "agency_id")
    )


@transaction.atomic
def _sweep_meeting(
    meeting: PanelMeeting, dates: rules.ReturnDates, *, remind: bool, today: date
) -> ReturnsSweepResult:
    wanted = _wanted(meeting)
    if not wanted:
        return ReturnsSweepResult()
    AgencyReturn.objects.bulk_create(
        [
            AgencyReturn(
                meeting=meeting,
                case_id=case_id,
                agency_id=agency_id,
                requested_on=today,
                due_on=dates.due_on,
            )
            for case_id, agency_id in sorted(wanted)
        ],
        ignore_conflicts=True,
    )
    # Read back, locked, so that two sweeps cannot both write one e-mail: the second waits,
    # then sees the first one's links.
    rows = [
        row
        for row in AgencyReturn.objects.select_for_update(of=("self",))
        .filter(meeting=meeting, case_id__in={case_id for case_id, _ in wanted})
        .select_related("case", "agency__spoc")
        .order_by("pk")
        if (row.case_id, row.agency_id) in wanted
    ]
    new = _without_history(rows)
    requests = [row for row in rows if row.request_message_id is None and not row.is_in]
    reminders = [
        row
        for row in rows
        if remind
        and not row.is_in
        and row.request_message_id is not None
        and row.reminder_message_id is None
        and row.requested_on < dates.reminded_on  # asked on the reminder date: no reminder
    ]
    requested = _write_emails(requests, "request_message", _request_email, meeting)
    for row in requested:
        row.requested_on = today  # the day the agency was asked (later, for a late SPoC)
    AgencyReturn.objects.bulk_update(requested, ["request_message", "requested_on"])
    reminded = _write_emails(reminders, "reminder_message", _reminder_email, meeting)
    AgencyReturn.objects.bulk_update(reminded, ["reminder_message"])
    # The sweep, not a person: the history records no user.
    changed = {row.pk: row for row in [*requested, *reminded] if row.pk not in new}
    AgencyReturn.history.bulk_history_create(list(new.values()))
    AgencyReturn.history.bulk_history_create(list(changed.values()), update=True)
    return ReturnsSweepResult(len(new), len(requested), len(reminded))


def _without_history(rows: list[AgencyReturn]) -> dict[int, AgencyReturn]:
    """The rows this sweep inserted: every other has its creation in the history."""
    recorded = set(
        AgencyReturn.history.filter(id__in=[row.pk for row in rows]).values_list("id", flat=True)
    )
    return {row.pk: row for row in rows if row.pk not in recorded}


def _write_emails(rows, link_field: str, email_for, meeting) -> list[AgencyReturn]:
    """Write each row's e-mail to its agency's SPoC and link it; returns the rows written."""
    to_ask = [row for row in rows if row.agency.spoc and row.agency.spoc.email]
    without = defaultdict(list)
    for row in rows:
        if row not in to_ask:
            without[row.agency.short_name].append(row.case.reference)
    for agency, references in sorted(without.items()):
        log.info(
            "Returns: %s has no SPoC to e-mail about %s (%s)",
            agency,
            ", ".join(references),
            link_field.removesuffix("_message"),
        )
    messages = outbox.write_many(email_for(row, meeting) for row in to_ask)
    for row, message in zip(to_ask, messages, strict=True):
        setattr(row, link_field, message)
    return to_ask


def _return_link(row: AgencyReturn) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("panel:return", args=[row.pk])


def _request_email(row: AgencyReturn, meeting: PanelMeeting) -> outbox.Email:
    reference = row.case.reference
    return outbox.Email(
        to=row.agency.spoc.email,
        subject=f"CASPA: your agency's return on case {reference} for the panel meeting of "
        f"{_short(meeting.date)}",
        body=f"The CASPA panel meets on {_long(meeting.date)} and will discuss case "
        f"{reference}. Please send {row.agency.name}'s short return on the case by the end of "
        f"{_long(row.due_on)}: contact with the person since the last panel, what has "
        "changed, new or changed risks, and progress on your agency's actions.\n\n"
        f"Send it here:\n{_return_link(row)}\n",
        kind=REQUEST_KIND,
        reference=reference,
    )


def _reminder_email(row: AgencyReturn, meeting: PanelMeeting) -> outbox.Email:
    reference = row.case.reference
    return outbox.Email(
        to=row.agency.spoc.email,
        subject=f"CASPA: reminder: your agency's return on case {reference} is due "
        f"{_short(row.due_on)}",
        body=f"{row.agency.name}'s return on case {reference} for the panel meeting on "
        f"{_long(meeting.date)} is not in yet. It is due by the end of {_long(row.due_on)}."
        f"\n\nSend it here:\n{_return_link(row)}\n",
        kind=REMINDER_KIND,
        reference=reference,
    )


# --- sending a return -----------------------------------------------------------------------


@transaction.atomic
def return_submit(
    *,
    return_id: int,
    by,
    version: int,
    contact: str,
    changes: str,
    risks: str,
    progress: str,
) -> AgencyReturn:
    """The agency's SPoC sends its return, or revises it, until the meeting."""
    seen = AgencyReturn.objects.select_related("case", "agency", "meeting").get(pk=return_id)
    if not permissions.may_submit_return(by, seen) or seen.agency_id not in (
        permissions.agencies_with_access(seen.case)
    ):
        raise PermissionDenied(permissions.RETURN_SPOC_ONLY.format(agency=seen.agency.name))
    require_on_caseload(seen.case)
    if not rules.may_still_be_sent(meeting_date=seen.meeting.date, today=timezone.localdate()):
        raise ValidationError(MEETING_HAS_HAPPENED)
    text = {
        "contact": contact.strip(),
        "changes": changes.strip(),
        "risks": risks.strip(),
        "progress": progress.strip(),
    }
    if not any(text.values()):
        raise ValidationError({"contact": RETURN_EMPTY})
    agency_return = lock_at_version(
        AgencyReturn.objects.select_related("case", "agency", "meeting"),
        pk=return_id,
        version=version,
    )
    revised = agency_return.is_in
    for name, value in text.items():
        setattr(agency_return, name, value)
    agency_return.submitted_at = timezone.now()
    agency_return.submitted_by = by
    save_as(agency_return, by=by)
    record_event(
        agency_return.case,
        f"Return from {agency_return.agency.name} for the panel meeting of "
        f"{_short(agency_return.meeting.date)} {'revised' if revised else 'received'}",
        by,
        kind=EventKind.RETURNS,
    )
    return agency_return


# --- reads ----------------------------------------------------------------------------------


@dataclass
class CaseReturns:
    """A case's returns for one meeting: those in, and the agencies asked that have not sent
    theirs (among those still involved in the case)."""

    meeting: PanelMeeting | None = None
    received: list[AgencyReturn] = field(default_factory=list)
    missing: list[AgencyReturn] = field(default_factory=list)
    # The returns the user viewing them may send or change (their agency's), as ids.
    sendable: set[int] = field(default_factory=set)

    @property
    def requested(self) -> bool:
        return bool(self.received or self.missing)


def compile_returns(rows, involved_ids: set[int], meeting=None) -> CaseReturns:
    """One case's return rows for one meeting, sorted into in and missing: no queries."""
    rows = sorted(rows, key=lambda row: row.agency.name)
    return CaseReturns(
        meeting=meeting,
        received=[row for row in rows if row.is_in],
        missing=[row for row in rows if not row.is_in and row.agency_id in involved_ids],
    )


def _rows():
    return AgencyReturn.objects.select_related("agency", "submitted_by", "meeting")


def returns_for_case(case: Case, *, today: date | None = None) -> CaseReturns:
    """The case's returns for its next meeting that asked for them, or else its most recent."""
    today = today or timezone.localdate()
    asked = case.returns.order_by("meeting__date").values_list("meeting_id", "meeting__date")
    meetings = list(asked.distinct())
    if not meetings:
        return CaseReturns()
    upcoming = [pk for pk, day in meetings if day >= today]
    meeting_id = upcoming[0] if upcoming else meetings[-1][0]
    meeting = PanelMeeting.objects.get(pk=meeting_id)
    return returns_for_meeting_case(meeting, case)


def for_viewer(case_returns: CaseReturns, user) -> CaseReturns:
    """Mark the returns the user may send or change: their agency's (the panel's door's rule),
    until the meeting (after it, a return is only read)."""
    today = timezone.localdate()
    case_returns.sendable = {
        row.pk
        for row in [*case_returns.received, *case_returns.missing]
        if permissions.may_submit_return(user, row)
        and rules.may_still_be_sent(meeting_date=row.meeting.date, today=today)
    }
    return case_returns


def returns_for_meeting_case(meeting: PanelMeeting, case: Case) -> CaseReturns:
    """One case's returns for one meeting (the meeting screen's item)."""
    involved = {agency.pk for agency in case.involved_agencies.all()}
    return compile_returns(returns_of(case, meeting), involved, meeting)


def attach_returns(items, meeting: PanelMeeting) -> None:
    """Set `item.returns` (CaseReturns) on each case item of the meeting's agenda, in two
    queries however many items there are."""
    case_ids = [item.case_id for item in items if item.case_id]
    rows = defaultdict(list)
    for row in _rows().filter(meeting=meeting, case_id__in=case_ids):
        rows[row.case_id].append(row)
    # The cases read with the items keep their rows, for what else the page asks of them.
    cases = [item.case for item in items if item.case_id and AgendaItem.case.is_cached(item)]
    for case in cases:
        case.__dict__.setdefault("_returns_at", {})[meeting.pk] = rows[case.pk]
    involved = defaultdict(set)
    prefetched = len(cases) == len(case_ids) and all(
        "involved_agencies" in getattr(case, "_prefetched_objects_cache", {}) for case in cases
    )
    if prefetched:  # read with the items already (the agenda pack)
        for case in cases:
            involved[case.pk] = {agency.pk for agency in case.involved_agencies.all()}
    else:
        through = Case.involved_agencies.through
        for case_id, agency_id in through.objects.filter(case_id__in=case_ids).values_list(
            "case_id", "agency_id"
        ):
            involved[case_id].add(agency_id)
    for item in items:
        if item.case_id:
            item.returns = compile_returns(rows[item.case_id], involved[item.case_id], meeting)


def _asked_of(user):
    """The returns the SPoC's agency has not sent, on cases the pathway holds and the agency
    is still involved in."""
    return AgencyReturn.objects.not_in().filter(
        agency=user.agency_id,
        case__status__in=ON_CASELOAD,
        case__involved_agencies=user.agency_id,
    )


def returns_due(user, *, today: date | None = None) -> list[AgencyReturn]:
    """The returns the SPoC's agency has still to send: for meetings to come, on cases the
    pathway holds and the agency is still involved in; earliest due first."""
    if not permissions.submits_returns(user):
        return []
    today = today or timezone.localdate()
    return list(
        _asked_of(user)
        .filter(meeting__date__gt=today)
        .select_related("case", "meeting")
        .order_by("due_on", "meeting__date", "case_id")
    )


def returns_missed_today(user, *, today: date | None = None) -> list[AgencyReturn]:
    """The returns the SPoC's agency did not send for the meeting held today: too late to
    send (MEETING_HAS_HAPPENED), and the meeting will say they are missing."""
    if not permissions.submits_returns(user):
        return []
    today = today or timezone.localdate()
    return list(
        _asked_of(user)
        .filter(meeting__date=today)
        .select_related("case", "meeting")
        .order_by("case_id")
    )
