"""Every change to an action: one function each, in a transaction, checking the state it needs
and the rights of the user itself (the page hiding a button is not a check)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from actions import escalations, permissions, rules
from actions.models import Action, ActionUpdate
from caspa.core.locking import lock_at_version, save_as
from panel import permissions as case_permissions
from panel.assessment import quoted
from panel.chronology import EventKind, record_event
from panel.models import Case, Risk
from panel.services import require_on_caseload

NOT_OPEN = "{reference} is {status}: only an open action can be escalated."
ESCALATION_REASON_NEEDED = "Say why you are escalating it"


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
    risk=None,
) -> Action:
    """An action agreed at a panel meeting, an MDT, or by the coordinator, for a case the
    pathway holds; `risk`, if given, is the case's current risk it reduces (its plan's
    mitigation)."""
    if not case_permissions.can_run_panel(by):
        raise PermissionDenied(case_permissions.RUN_PANEL_ONLY)
    case = Case.objects.select_for_update().get(pk=case.pk)
    require_on_caseload(case)
    problems = rules.action_problems(
        description=description,
        due_on=due_on,
        today=timezone.localdate(),
        owner_agency_id=owner_agency.pk if owner_agency else None,
        involved_agency_ids=set(case.involved_agencies.values_list("pk", flat=True)),
    )
    if risk is not None:
        risk = Risk.objects.select_for_update().filter(pk=risk.pk, case=case).first()
        if risk is None or not risk.is_current:
            problems["risk"] = rules.RISK_NOT_CURRENT
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
        risk=risk,
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
    reduces = f", to reduce the risk {quoted(risk.description)}" if risk else ""
    record_event(
        case,
        f"Action {action.reference} agreed {where}: {owner_agency.short_name}, "
        f"due {due_on:%-d %B %Y}{reduces}",
        by,
        kind=EventKind.ACTIONS,
    )
    return action


def _lock(action_id: int, version: int) -> Action:
    return lock_at_version(
        Action.objects.select_related("case", "owner_agency"), pk=action_id, version=version
    )


@transaction.atomic
def action_update(*, action_id: int, by, version: int, status: str, note: str = "") -> Action:
    """The owner's update: a new status and a dated note, kept as an entry of its own."""
    action = _lock(action_id, version)
    # Checked on the locked row: an agency that left the case since the page loaded is refused.
    still_sees_it = permissions.visible_actions(by).filter(pk=action.pk).exists()
    if not (still_sees_it and permissions.may_update(by, action)):
        raise PermissionDenied(permissions.UPDATE_OWN_AGENCY_ONLY)
    # A closed case's agencies read it for the handover, and change nothing on it.
    require_on_caseload(action.case)
    problems = rules.update_problems(status=status, note=note, status_before=action.status)
    if problems:
        raise ValidationError(problems)
    update = ActionUpdate.objects.create(
        action=action, status=status, note=note.strip(), written_by=by
    )
    before = action.get_status_display()
    was_escalated = action.is_escalated
    action.status = status
    if was_escalated and not action.is_open:
        # Finishing the action (or it no longer being needed) resolves its escalation.
        escalations.escalation_end_with_owner(action, by=by, update=update)
    save_as(action, by=by)
    if before != action.get_status_display():
        record_event(
            action.case,
            f"Action {action.reference} ({action.owner_agency.short_name}): "
            f"{before} → {action.get_status_display()}",
            by,
            kind=EventKind.ACTIONS,
        )
    return action


@transaction.atomic
def action_escalate(*, action_id: int, by, version: int, level: int, reason: str) -> Action:
    """The coordinator escalates by hand, with a reason; the sweep sends the notice."""
    if not permissions.keeps_the_log(by):
        raise PermissionDenied(permissions.KEEP_THE_LOG_ONLY)
    if not reason.strip():
        raise ValidationError({"reason": ESCALATION_REASON_NEEDED})
    action = _lock(action_id, version)
    if not action.is_open:
        raise ValidationError(
            NOT_OPEN.format(reference=action.reference, status=action.get_status_display().lower())
        )
    require_on_caseload(action.case)
    action.manual_escalation_level = max(action.manual_escalation_level, level)
    action.manual_escalation_reason = reason.strip()
    action.escalation_level = max(action.escalation_level, level)
    save_as(action, by=by)
    escalations.escalation_raise(action, level=action.escalation_level, by=by, reason=reason)
    who = "the lead agency's SPoC" if level == 1 else "the panel chair"
    record_event(
        action.case,
        f"Action {action.reference} escalated by hand to {who}: {reason.strip()}",
        by,
        kind=EventKind.ACTIONS,
    )
    return action
