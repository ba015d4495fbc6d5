"""Writes to panel meetings: the year's dates, the agenda, attendance, minutes.

One function per change, each in a transaction. Decisions about a case taken at a meeting
are in panel/services.py, like every other change to a case.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from caspa.core.locking import lock_at_version, save_as
from panel import minutes, permissions, rules
from panel.models import (
    AgendaItem,
    AgendaKind,
    Attendance,
    Case,
    CaseStatus,
    ItemDraft,
    MinutesAmendment,
    MinutesStatus,
    PanelMeeting,
)
from panel.rules import meeting_room

MINUTES_APPROVED = "The minutes are approved: change them only by a recorded amendment."
TITLE_NEEDED = "Enter what the item is about"


@transaction.atomic
def meetings_schedule_year(*, year: int, weekday: int, nth: int, by) -> list[PanelMeeting]:
    """Create the year's monthly meetings; dates already held are left as they are."""
    permissions.require_running_the_panel(by)
    created = []
    for day in rules.monthly_meeting_dates(year, weekday, nth):
        meeting, was_created = PanelMeeting.objects.get_or_create(date=day)
        if was_created:
            created.append(meeting)
    return created


def _next_position(meeting: PanelMeeting) -> int:
    return (meeting.items.aggregate(last=Max("position"))["last"] or 0) + 1


def agenda_in_order(items: list, *, added_new: list, added_reviews: list) -> list:
    """The agenda after adding: every new referral first (those there in their order, then
    those added), then the other items in their order, with the added reviews after the last
    review there (or, with none, before any other business)."""
    news = [item for item in items if item.kind == AgendaKind.NEW] + list(added_new)
    rest = [item for item in items if item.kind != AgendaKind.NEW]
    after = max((i + 1 for i, item in enumerate(rest) if item.kind == AgendaKind.REVIEW), default=0)
    return news + rest[:after] + list(added_reviews) + rest[after:]


@transaction.atomic
def agenda_build(*, meeting_id: int, by) -> list[AgendaItem]:
    """Add what is missing to the agenda: the new referrals accepted for this meeting and every
    open case for review. Returns the items it added (none: the agenda is left as it was).

    New referrals come first (docs/meeting-room.md, "Building the agenda"): when anything is
    added, every new-referral item, those already there and those added, is numbered before
    every other item; within each group the coordinator's order stands, and what is added goes
    after its own kind (a review after the last review, before any other business that
    follows it). While the meeting runs, the room stays on the item it was looking at.
    """
    permissions.require_running_the_panel(by)
    meeting = PanelMeeting.objects.select_for_update().get(pk=meeting_id)
    items = list(meeting.items.select_for_update().order_by("position", "pk"))
    on_agenda = {item.case_id for item in items if item.case_id}
    new = Case.objects.filter(status=CaseStatus.AWAITING_PANEL).order_by("joined_caseload_at")
    review = Case.objects.filter(status=CaseStatus.ACTIVE).order_by("joined_caseload_at")
    added = {
        kind: [
            AgendaItem(meeting=meeting, kind=kind, case=case)
            for case in cases
            if case.pk not in on_agenda
        ]
        for kind, cases in ((AgendaKind.NEW, new), (AgendaKind.REVIEW, review))
    }
    if not any(added.values()):
        return []
    shown = next((i for i in items if i.position == meeting.current_position), None)
    ordered = agenda_in_order(
        items, added_new=added[AgendaKind.NEW], added_reviews=added[AgendaKind.REVIEW]
    )
    for position, item in enumerate(ordered, start=1):
        if item.pk is None or item.position != position:
            item.position = position
            item._history_user = by
            item.save(**({} if item.pk is None else {"update_fields": ["position"]}))
    if shown is not None and meeting.current_position != shown.position:
        meeting.current_position = shown.position
        meeting.save(update_fields=["current_position"])
    return [*added[AgendaKind.NEW], *added[AgendaKind.REVIEW]]


@transaction.atomic
def agenda_add_item(*, meeting_id: int, by, title: str, notes: str = "") -> AgendaItem:
    permissions.require_running_the_panel(by)
    if not title.strip():
        raise ValidationError({"title": TITLE_NEEDED})
    meeting = PanelMeeting.objects.select_for_update().get(pk=meeting_id)
    item = AgendaItem(
        meeting=meeting,
        position=_next_position(meeting),
        kind=AgendaKind.OTHER,
        title=title.strip(),
        notes=notes,
    )
    item._history_user = by
    item.save()
    return item


@transaction.atomic
def agenda_move(*, item_id: int, by, up: bool) -> None:
    """Swap an item with the one before (up) or after it."""
    permissions.require_running_the_panel(by)
    item = AgendaItem.objects.select_related("meeting").get(pk=item_id)
    items = list(item.meeting.items.select_for_update().order_by("position"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(items):
        return
    mine, theirs = items[index], items[other_index]
    mine.position, theirs.position = theirs.position, mine.position
    for changed in (mine, theirs):
        changed._history_user = by
        changed.save(update_fields=["position"])


def _editable_minutes(meeting: PanelMeeting) -> None:
    if meeting.minutes_status == MinutesStatus.APPROVED:
        raise ValidationError(MINUTES_APPROVED)


@transaction.atomic
def agenda_item_record(
    *, item_id: int, by, version: int, notes: str | None = None, minute: str | None = None
) -> AgendaItem:
    """The coordinator's notes before the meeting, or the minute of the item during it."""
    permissions.require_running_the_panel(by)
    item = lock_at_version(
        AgendaItem.objects.select_related("meeting"), pk=item_id, version=version
    )
    if minute is not None:
        _editable_minutes(item.meeting)
        item.minute = minute
    if notes is not None:
        item.notes = notes
    return save_as(item, by=by)


ATTENDEE_NOT_OF_AGENCY = "{user} works for {their}, not {agency}: choose their own agency"
APOLOGIES_NOT_AGREEING = "Someone sending apologies is not at the meeting to agree"


@transaction.atomic
def attendance_record(
    *,
    meeting_id: int,
    by,
    agency,
    attendee: str,
    agreed_to_confidentiality: bool,
    apologies: bool = False,
    user=None,
) -> Attendance:
    """Who is at the meeting for an agency (or sent apologies), and whether they agreed to the
    confidentiality statement. `user`: their CASPA account, so that they may follow the meeting
    on their own device while it runs (panel.permissions.following)."""
    permissions.require_running_the_panel(by)
    errors = {}
    if user is not None and user.agency_id != agency.pk:
        errors["user"] = ATTENDEE_NOT_OF_AGENCY.format(
            user=user.get_full_name() or user.username,
            their=user.agency.name if user.agency_id else "no agency",
            agency=agency.name,
        )
    if apologies and agreed_to_confidentiality:
        errors["agreed_to_confidentiality"] = APOLOGIES_NOT_AGREEING
    if errors:
        raise ValidationError(errors)
    meeting = PanelMeeting.objects.get(pk=meeting_id)
    attendance, _ = Attendance.objects.get_or_create(
        meeting=meeting,
        agency=agency,
        attendee=attendee.strip(),
    )
    attendance.agreed_to_confidentiality = agreed_to_confidentiality
    attendance.apologies = apologies
    if user is not None:
        attendance.user = user
    attendance._history_user = by
    attendance.save()
    return attendance


@transaction.atomic
def attendance_agree(*, meeting_id: int, by) -> Attendance:
    """A member marked present agrees to the confidentiality statement on their own device."""
    attendance = (
        Attendance.objects.select_for_update()
        .filter(meeting_id=meeting_id, user=by, apologies=False)
        .first()
    )
    if attendance is None:
        raise ValidationError(meeting_room.NOT_PRESENT)
    if not attendance.agreed_to_confidentiality:
        attendance.agreed_to_confidentiality = True
        attendance._history_user = by
        attendance.save()
    return attendance


ALREADY_STARTED = "The meeting has already started."
NOT_STARTED = "The meeting has not started: start it first."
ALREADY_ENDED = "The meeting has ended."
NOT_ITS_DAY = "The meeting of {date} can be started only on its day."
NO_SUCH_ITEM = "The agenda has no item {position}."


@transaction.atomic
def meeting_start(*, meeting_id: int, by) -> PanelMeeting:
    """The coordinator opens the meeting: from now until it ends, the members marked present
    follow it on the room display. Only on the meeting's day; once."""
    permissions.require_running_the_panel(by)
    meeting = PanelMeeting.objects.select_for_update().get(pk=meeting_id)
    if meeting.started_at is not None:
        raise ValidationError(ALREADY_ENDED if meeting.ended_at else ALREADY_STARTED)
    if meeting.date != timezone.localdate():
        raise ValidationError(NOT_ITS_DAY.format(date=f"{meeting.date:%-d %B %Y}"))
    meeting.started_at = timezone.now()
    meeting.current_position = 0
    return save_as(meeting, by=by)


@transaction.atomic
def meeting_end(*, meeting_id: int, by) -> PanelMeeting:
    """The coordinator closes the meeting: the room display closes to the members."""
    permissions.require_running_the_panel(by)
    meeting = PanelMeeting.objects.select_for_update().get(pk=meeting_id)
    if not meeting.is_running:
        raise ValidationError(ALREADY_ENDED if meeting.ended_at else NOT_STARTED)
    meeting.ended_at = timezone.now()
    return save_as(meeting, by=by)


@transaction.atomic
def meeting_show_item(*, meeting_id: int, by, position: int) -> PanelMeeting:
    """The coordinator moves the room to an item (0: the opening); the display follows."""
    permissions.require_running_the_panel(by)
    meeting = PanelMeeting.objects.select_for_update().get(pk=meeting_id)
    if not 0 <= position <= meeting.items.count():
        raise ValidationError(NO_SUCH_ITEM.format(position=position))
    if meeting.current_position != position:
        meeting.current_position = position
        meeting.save(update_fields=["current_position"])
    return meeting


DRAFT_FIELD_UNKNOWN = "No such box on the control view"
DRAFT_NUL_REFUSED = "The text has a null character in it: remove it and type it again."


@transaction.atomic
def item_draft_keep(*, item_id: int, by, field: str, text: str) -> None:
    """Keep what the user has typed in a box of the control view, as they type; an empty box
    removes the draft. `field` is the box's name on the page (its form's prefix and field)."""
    permissions.require_running_the_panel(by)
    if not field or len(field) > 60 or "\x00" in field:
        raise ValidationError(DRAFT_FIELD_UNKNOWN)
    if "\x00" in text:  # no keyboard types it, and PostgreSQL refuses it in text
        raise ValidationError(DRAFT_NUL_REFUSED)
    if text.strip():
        ItemDraft.objects.update_or_create(
            item_id=item_id, user=by, field=field, defaults={"text": text[:5000]}
        )
    else:
        ItemDraft.objects.filter(item_id=item_id, user=by, field=field).delete()


def item_drafts_clear(*, item_id: int, by, fields) -> None:
    """The decision these boxes belong to is saved: their drafts are done with."""
    ItemDraft.objects.filter(item_id=item_id, user=by, field__in=list(fields)).delete()


MINUTES_NOT_APPROVED = "The minutes are still a draft: edit the item's minute directly."
AMENDMENT_REASON_NEEDED = "Say why the approved minute is being amended"


@transaction.atomic
def minutes_approve(*, meeting_id: int, by) -> PanelMeeting:
    """The chair approves the minutes; from now on they change only by recorded amendment.

    What they say now (panel.minutes.draft: the decisions, actions, attendance and apologies)
    is kept with them, in this transaction: the minutes go on saying what was decided when
    the records change later."""
    permissions.require_chairing(by)
    meeting = PanelMeeting.objects.select_for_update().get(pk=meeting_id)
    problem = rules.minutes_approval_problem(
        meeting_date=meeting.date,
        today=timezone.localdate(),
        items=meeting.items.count(),
        approved=meeting.minutes_status == MinutesStatus.APPROVED,
        ended=meeting.ended_at is not None,
    )
    if problem:
        raise ValidationError(problem)
    meeting.minutes_status = MinutesStatus.APPROVED
    meeting.minutes_approved_by = by
    meeting.minutes_approved_at = timezone.now()
    meeting.minutes_record = minutes.draft(meeting)
    return save_as(meeting, by=by)


@transaction.atomic
def minutes_amend(*, item_id: int, by, minute: str, reason: str) -> MinutesAmendment:
    permissions.require_running_the_panel(by)
    if not reason.strip():
        raise ValidationError({"reason": AMENDMENT_REASON_NEEDED})
    item = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item_id)
    if item.meeting.minutes_status != MinutesStatus.APPROVED:
        raise ValidationError(MINUTES_NOT_APPROVED)
    amendment = MinutesAmendment.objects.create(
        item=item, previous_minute=item.minute, minute=minute, reason=reason.strip(), by=by
    )
    item.minute = minute
    save_as(item, by=by)
    return amendment
