"""Escalations, from when they are raised to what was done about them.

An escalation is opened when an action is first escalated (by the reminder sweep or by hand)
and its level raised as the action climbs. It ends only with what someone did about it, never
by the clock: the lead agency's SPoC (while it is with them), the panel chair or the
coordinator reassigns the action, gives it a new due date or closes it
(`escalation_resolve`), or its owner finishes the action (`escalation_end_with_owner`). Each
ending is recorded on the escalation (who, when, the response, the outcome) and in the case's
chronology; a resolution by hand e-mails the owning agencies' SPoCs through the outbox.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Agency, User
from accounts.roles import Role
from actions import permissions, rules
from actions.models import Action, ActionUpdate, Escalation, EscalationOutcome
from caspa.core import outbox
from caspa.core.choices import ActionStatus
from caspa.core.locking import lock_at_version, save_as
from panel.chronology import EventKind, record_event
from panel.services import require_on_caseload

NOT_ESCALATED = "{reference} is not escalated: there is nothing to resolve."
ESCALATED_AGAIN_AT_ONCE = (
    "With that due date the action would be escalated again at once: choose a later date"
)
MARKED_DONE = "Marked done by its owner"
RESOLVED_EMAIL_KIND = "escalation.resolved"
EXCERPT_LENGTH = 80


def _open_escalation(action: Action) -> Escalation | None:
    return action.escalations.select_for_update().filter(resolved_at__isnull=True).first()


def _raised(escalation, action: Action, *, level: int, by, reason: str) -> Escalation | None:
    """The escalation opened, or the open one raised, unsaved; None when nothing changes."""
    reason = reason.strip()
    if escalation is None:
        return Escalation(
            action=action, level=level, raised_at=timezone.now(), raised_by=by, reason=reason
        )
    if level > escalation.level or reason:
        escalation.level = max(escalation.level, level)
        if reason:  # escalated again by hand: both reasons are kept
            joined = f"{escalation.reason} Then: {reason}" if escalation.reason else reason
            escalation.reason = joined[: Escalation._meta.get_field("reason").max_length]
        return escalation
    return None  # stepped back to the lead agency: it keeps the highest level


def escalation_raise(action: Action, *, level: int, by=None, reason: str = "") -> Escalation:
    """Open the action's escalation, or raise the level of the one open. The caller (the
    sweep, or escalating by hand) holds the action's lock, so two cannot open one each; the
    database holds one open per action besides (`one_open_escalation_per_action`)."""
    escalation = _open_escalation(action)
    changed = _raised(escalation, action, level=level, by=by, reason=reason)
    if changed is None:
        return escalation
    changed._history_user = by
    changed.save()
    return changed


def escalations_raise_by_the_sweep(raised: list[tuple[Action, int]]) -> None:
    """`escalation_raise` for each (action, level), as the sweep raises them (no one, no
    reason), in a few queries whatever their number, with their history. The caller holds
    the actions' locks."""
    if not raised:
        return
    open_now = {
        escalation.action_id: escalation
        for escalation in Escalation.objects.select_for_update().filter(
            action__in=[action.pk for action, _ in raised], resolved_at__isnull=True
        )
    }
    opened, raised_further = [], []
    for action, level in raised:
        escalation = open_now.get(action.pk)
        changed = _raised(escalation, action, level=level, by=None, reason="")
        if changed is not None:
            (opened if escalation is None else raised_further).append(changed)
    Escalation.objects.bulk_create(opened)
    Escalation.history.bulk_history_create(opened)
    Escalation.objects.bulk_update(raised_further, ["level"])
    Escalation.history.bulk_history_create(raised_further, update=True)


def _escalation_to_end(action: Action) -> Escalation:
    """The open escalation; for an action escalated before escalations were recorded, one
    opened now, so that its end is recorded like any other."""
    return _open_escalation(action) or escalation_raise(action, level=action.escalation_level)


def _end(action: Action, escalation: Escalation, *, by, response: str, outcome: str) -> None:
    """Record the end on the escalation, and take the action off escalation so that the sweep
    does not raise it again. The caller saves the action."""
    action.escalation_level = action.manual_escalation_level = 0
    action.manual_escalation_reason = ""
    escalation.resolved_at = timezone.now()
    escalation.resolved_by = by
    escalation.response = response
    escalation.outcome = outcome
    escalation._history_user = by
    escalation.save()


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1].rstrip() + "…"


def escalation_end_with_owner(action: Action, *, by, update: ActionUpdate) -> Escalation:
    """The owner's update finished an escalated action: its escalation ends with it, done (or
    closed, when it could not be done or is no longer needed), the owner's note its response.
    Called by actions.services.action_update, which holds the action's lock and saves it."""
    escalation = _escalation_to_end(action)
    done = update.status == ActionStatus.DONE
    _end(
        action,
        escalation,
        by=by,
        response=update.note or MARKED_DONE,
        outcome=EscalationOutcome.DONE if done else EscalationOutcome.CLOSED,
    )
    said = f" {_excerpt(update.note)}" if update.note else ""
    record_event(
        action.case,
        f"Escalation of action {action.reference} resolved by its owner's update: "
        f"{update.get_status_display().lower()}.{said}",
        by,
        kind=EventKind.ACTIONS,
    )
    return escalation


def _resolver(by, action: Action) -> str:
    """Who resolved it, as the chronology says it: a role, not a name (the line says who)."""
    if permissions.receives_chair_escalations(by):
        return "the panel chair"
    if permissions.keeps_the_log(by):
        return "the panel coordinator" if by.role == Role.COORDINATOR else "the panel's admin staff"
    return "the lead agency's SPoC" if action.case.lead_agency_id else "the owning agency's SPoC"


def _what_was_done(action: Action, outcome: str) -> str:
    if outcome == EscalationOutcome.REASSIGNED:
        return f"reassigned to {action.owner_agency.name}, due {action.due_on:%-d %B %Y}"
    if outcome == EscalationOutcome.RE_DATED:
        return f"given a new due date, {action.due_on:%-d %B %Y}"
    return f"closed, {action.get_status_display().lower()}"


@transaction.atomic
def escalation_resolve(
    *,
    action_id: int,
    by,
    version: int,
    response: str,
    outcome: str,
    new_owner_agency=None,
    new_owner_officer: str = "",
    new_due_on=None,
    closing_status: str | None = None,
) -> Escalation:
    """Resolve an action's escalation with what was done: reassigned to another agency involved
    (with a new due date), given a new due date, or closed as not done or no longer needed (the
    response its note, as an owner's update would be)."""
    action = lock_at_version(
        Action.objects.select_related("case", "owner_agency"), pk=action_id, version=version
    )
    # Checked on the locked row: an agency that left the case since the page loaded is refused.
    if not permissions.visible_actions(by).filter(pk=action.pk).exists():
        raise PermissionDenied(permissions.RESOLVE_LEAD_CHAIR_OR_COORDINATOR_ONLY)
    refusal = permissions.resolve_refusal(by, action)
    if refusal:
        raise PermissionDenied(refusal)
    if not action.is_escalated:
        raise ValidationError(NOT_ESCALATED.format(reference=action.reference))
    require_on_caseload(action.case)
    today = timezone.localdate()
    problems = rules.resolution_problems(
        outcome=outcome,
        response=response,
        today=today,
        new_due_on=new_due_on,
        new_owner_agency_id=new_owner_agency.pk if new_owner_agency else None,
        owner_agency_id=action.owner_agency_id,
        involved_agency_ids=set(action.case.involved_agencies.values_list("pk", flat=True)),
        closing_status=closing_status,
    )
    if not problems and outcome in (EscalationOutcome.REASSIGNED, EscalationOutcome.RE_DATED):
        # However short the deployment's periods, the new date must not put it straight back.
        again = rules.escalation_level(
            status=action.status,
            due_on=new_due_on,
            today=today,
            last_update_on=None,
            policy=rules.policy_from_settings(settings),
        )
        if again:
            problems["new_due_on"] = ESCALATED_AGAIN_AT_ONCE
    if problems:
        raise ValidationError(problems)

    response = response.strip()
    escalation = _escalation_to_end(action)
    owners = [action.owner_agency]
    if outcome == EscalationOutcome.REASSIGNED:
        action.owner_agency = new_owner_agency
        action.owner_officer = new_owner_officer.strip()
        owners.append(new_owner_agency)
    if outcome in (EscalationOutcome.REASSIGNED, EscalationOutcome.RE_DATED):
        action.due_on = new_due_on
    if outcome == EscalationOutcome.CLOSED:
        action.status = closing_status
        ActionUpdate.objects.create(
            action=action, status=closing_status, note=response, written_by=by
        )
    _end(action, escalation, by=by, response=response, outcome=outcome)
    save_as(action, by=by)

    what = _what_was_done(action, outcome)
    record_event(
        action.case,
        f"Escalation of action {action.reference} resolved by {_resolver(by, action)}: "
        f"{what}. {_excerpt(response)}",
        by,
        kind=EventKind.ACTIONS,
    )
    _email_owners(action, owners, what, by)
    return escalation


def _email_owners(action: Action, owners: list, what: str, by) -> None:
    """Tell the owning agency's SPoC (and the new owner's, when reassigned), in the change's
    transaction: the action's reference and what was done, no name."""
    link = settings.SITE_URL.rstrip("/") + reverse("actions:detail", args=[action.pk])
    spocs = User.objects.filter(
        pk__in=Agency.objects.filter(pk__in=[agency.pk for agency in owners]).values("spoc")
    ).exclude(pk=by.pk)
    for spoc in spocs.order_by("pk"):
        outbox.write(
            to=spoc.email,
            subject=f"CASPA: the escalation of action {action.reference} is resolved",
            body=f"The escalation of action {action.reference} on case {action.case.reference} "
            f"is resolved: {what}.\n\nSee the action here:\n{link}\n",
            kind=RESOLVED_EMAIL_KIND,
            reference=action.reference,
        )
