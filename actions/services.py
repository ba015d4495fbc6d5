"""Agreeing actions on a case. One function per change, each in a transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actions import rules
from actions.models import OPEN_STATUSES, Action, ActionUpdate
from panel.services import record_event


@transaction.atomic
def action_agree(
    *,
    case,
    by,
    description: str,
    owner_agency,
    due_on,
    owner_officer: str = "",
    meeting=None,
    mdt=None,
) -> Action:
    """An action agreed at a panel meeting, an MDT, or by the coordinator."""
    problems = rules.action_problems(
        description=description,
        due_on=due_on,
        today=timezone.localdate(),
        owner_agency_id=owner_agency.pk if owner_agency else None,
        involved_agency_ids=set(case.involved_agencies.values_list("pk", flat=True)),
    )
    if problems:
        raise ValidationError(problems)
    action = Action(
        case=case,
        description=description.strip(),
        owner_agency=owner_agency,
        owner_officer=owner_officer,
        due_on=due_on,
        agreed_at_meeting=meeting,
        agreed_at_mdt=mdt,
        created_by=by,
    )
    action._history_user = by
    action.save()
    where = (
        f"at the panel meeting of {meeting.date:%-d %B %Y}"
        if meeting
        else f"at the MDT of {mdt.held_on:%-d %B %Y}"
        if mdt
        else "by the coordinator"
    )
    record_event(
        case,
        f"Action {action.reference} agreed {where}: {owner_agency.short_name}, "
        f"due {due_on:%-d %B %Y}",
        by,
    )
    return action


class ActionChanged(Exception):
    """Someone updated the action after this user opened it."""

    def __init__(self, action: Action):
        super().__init__(f"{action.reference} changed since it was opened")
        self.action = action


@transaction.atomic
def action_update(*, action_id: int, by, version: int, status: str, note: str = "") -> Action:
    """The owner's update: a new status and a dated note, kept as an entry of its own."""
    problems = rules.update_problems(status=status, note=note)
    if problems:
        raise ValidationError(problems)
    action = Action.objects.select_for_update().select_related("case").get(pk=action_id)
    if action.version != version:
        raise ActionChanged(action)
    ActionUpdate.objects.create(action=action, status=status, note=note.strip(), written_by=by)
    before = action.get_status_display()
    action.status = status
    was_escalated = action.escalation_level > 0
    if status not in OPEN_STATUSES:
        # Finishing the action (or it no longer being needed) closes any escalation.
        action.escalation_level = action.manual_escalation_level = 0
    action.version += 1
    action._history_user = by
    action.save()
    if was_escalated and action.escalation_level == 0:
        record_event(
            action.case,
            f"Escalation of action {action.reference} ended: {action.get_status_display().lower()}",
            by,
        )
    if before != action.get_status_display():
        record_event(
            action.case,
            f"Action {action.reference} ({action.owner_agency.short_name}): "
            f"{before} → {action.get_status_display()}",
            by,
        )
    return action


@transaction.atomic
def action_escalate(*, action_id: int, by, version: int, level: int, reason: str) -> Action:
    """The coordinator escalates by hand, with a reason; the sweep sends the notice."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why you are escalating it"})
    action = Action.objects.select_for_update().select_related("case").get(pk=action_id)
    if action.version != version:
        raise ActionChanged(action)
    if action.status not in OPEN_STATUSES:
        raise ValidationError("Only an open action can be escalated.")
    action.manual_escalation_level = max(action.manual_escalation_level, level)
    action.manual_escalation_reason = reason.strip()
    action.escalation_level = max(action.escalation_level, level)
    action.version += 1
    action._history_user = by
    action.save()
    who = "the lead agency's SPoC" if level == 1 else "the panel chair"
    record_event(
        action.case, f"Action {action.reference} escalated by hand to {who}: {reason.strip()}", by
    )
    return action
