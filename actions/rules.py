"""The actions' rules, as pure functions: what open, overdue and escalated mean, agreeing an
action, escalation and reminders. The QuerySet methods and properties on `Action` apply
these same rules in SQL and in Python (docs/architecture.md, "Where each rule lives")."""

from dataclasses import dataclass
from datetime import date, timedelta

from caspa.core.choices import OPEN_ACTION_STATUSES as OPEN_STATUSES
from caspa.core.choices import ActionStatus


def is_open(*, status: str) -> bool:
    return status in OPEN_STATUSES


def is_overdue(*, status: str, due_on: date, today: date) -> bool:
    """Open and past its due date: due today is not yet overdue."""
    return is_open(status=status) and due_on < today


# The levels of escalation: to the lead agency's SPoC, then to the panel chair.
TO_LEAD_AGENCY, TO_CHAIR = 1, 2


def is_escalated(*, escalation_level: int) -> bool:
    """Escalated to the lead agency's SPoC (1) or the panel chair (2), by the sweep or by hand:
    `escalation_level` is always at least the level escalated to by hand."""
    return escalation_level > 0


def escalated_to_agency_id(*, lead_agency_id: int | None, owner_agency_id: int) -> int:
    """The agency whose SPoC an escalated action goes to: the case's lead agency, or the owner
    while the case has no lead."""
    return lead_agency_id or owner_agency_id


DUE_IN_THE_PAST = "The due date must be today or in the future"
OWNER_NOT_INVOLVED = "The owning agency must be one of the agencies involved in the case"
DESCRIPTION_NEEDED = "Say what is to be done"
RISK_NOT_CURRENT = "Select one of the case's current risks, or none"


def action_problems(
    *,
    description: str,
    due_on: date | None,
    today: date,
    owner_agency_id: int | None,
    involved_agency_ids: set[int],
) -> dict:
    """What is wrong with a proposed action, by field; empty when it can be agreed."""
    problems = {}
    if not (description or "").strip():
        problems["description"] = DESCRIPTION_NEEDED
    if due_on is not None and due_on < today:
        problems["due_on"] = DUE_IN_THE_PAST
    if owner_agency_id is not None and owner_agency_id not in involved_agency_ids:
        problems["owner_agency"] = OWNER_NOT_INVOLVED
    return problems


# --- escalation and reminders -------------------------------------------------------------
#
# An open action that is overdue by LEVEL_1_AFTER_DAYS goes to the lead agency's SPoC
# (level 1). If nothing moves on it for LEVEL_2_AFTER_DAYS after that, it goes to the panel
# chair (level 2). "Moving" is an update from the owning agency: each one restarts the second
# clock. An escalation ends only with what was done about it (actions/escalations.py): its
# owner finishing the action, or the lead agency's SPoC, the chair or the coordinator
# reassigning it, giving it a new due date or closing it.


@dataclass(frozen=True)
class EscalationPolicy:
    level_1_after_days: int = 7
    level_2_after_days: int = 14
    remind_days_before_due: int = 3


def policy_from_settings(settings) -> EscalationPolicy:
    """The periods the deployment chose (caspa/settings.py, from the environment)."""
    return EscalationPolicy(
        level_1_after_days=settings.ACTION_ESCALATE_TO_SPOC_AFTER_DAYS,
        level_2_after_days=settings.ACTION_ESCALATE_TO_CHAIR_AFTER_DAYS,
        remind_days_before_due=settings.ACTION_REMIND_DAYS_BEFORE_DUE,
    )


def escalation_level(
    *,
    status: str,
    due_on: date,
    today: date,
    last_update_on: date | None,
    manual_level: int = 0,
    escalated_now: int = 0,
    policy: EscalationPolicy = EscalationPolicy(),
) -> int:
    """0 (not escalated), 1 (the lead agency's SPoC) or 2 (the panel chair).

    An open action escalated now (`escalated_now`, its level) stays escalated however its
    dates read: the escalation ends only with what someone did about it, never by the clock."""
    if not is_open(status=status):
        return 0
    level_1_on = due_on + timedelta(days=policy.level_1_after_days)
    automatic = 0
    if today >= level_1_on:
        automatic = 1
        last_movement = max(level_1_on, last_update_on) if last_update_on else level_1_on
        if today >= last_movement + timedelta(days=policy.level_2_after_days):
            automatic = 2
    return max(automatic, manual_level) or escalated_now


def reminder_kind(
    *, status: str, due_on: date, today: date, policy: EscalationPolicy = EscalationPolicy()
) -> str | None:
    """Which reminder an action is due today: 'due_soon', 'overdue', or None."""
    if not is_open(status=status):
        return None
    if today > due_on:
        return "overdue"
    if today >= due_on - timedelta(days=policy.remind_days_before_due):
        return "due_soon"
    return None


NOTE_NEEDED = {
    "not_done": "Say why the action could not be done",
    "no_longer_needed": "Say what changed, so the panel can tell this from 'not done'",
}


NOTHING_TO_UPDATE = "Change the status, or write what has happened since the last update"


def update_problems(*, status: str, note: str, status_before: str | None = None) -> dict:
    """What is wrong with an update: 'not done' and 'no longer needed' must say why, and an
    update says something: a new status, or a note (an empty one would only look like news)."""
    if status in NOTE_NEEDED and not (note or "").strip():
        return {"note": NOTE_NEEDED[status]}
    if status == status_before and not (note or "").strip():
        return {"note": NOTHING_TO_UPDATE}
    return {}


# --- what was done about an escalation ------------------------------------------------------
#
# The lead agency's SPoC, the chair or the coordinator resolves an escalation by saying what was
# done: the action reassigned to another agency involved (with a new due date), given a new due
# date, or closed as not done or no longer needed. Its owner finishing it resolves it too.

REASSIGNED, RE_DATED, CLOSED, DONE = "reassigned", "re_dated", "closed", "done"
RESOLVED_BY_HAND = (REASSIGNED, RE_DATED, CLOSED)
CLOSING_STATUSES = (ActionStatus.NOT_DONE.value, ActionStatus.NO_LONGER_NEEDED.value)

OUTCOME_NEEDED = "Select what was done about the escalation"
RESPONSE_NEEDED = "Say what was done about the escalation"
NEW_OWNER_NEEDED = "Select the agency the action is reassigned to"
NEW_OWNER_IS_THE_OWNER = "Select another agency: this one owns the action already"
NEW_DUE_DATE_NEEDED = "Enter the new due date"
CLOSING_STATUS_NEEDED = "Select whether it could not be done or is no longer needed"


def resolution_problems(
    *,
    outcome: str,
    response: str,
    today: date,
    new_due_on: date | None = None,
    new_owner_agency_id: int | None = None,
    owner_agency_id: int,
    involved_agency_ids: set[int],
    closing_status: str | None = None,
) -> dict:
    """What is wrong with a resolution, by field; empty when it can be recorded."""
    problems = {}
    if outcome not in RESOLVED_BY_HAND:
        problems["outcome"] = OUTCOME_NEEDED
    if not (response or "").strip():
        problems["response"] = RESPONSE_NEEDED
    if outcome == REASSIGNED:
        if new_owner_agency_id is None:
            problems["new_owner_agency"] = NEW_OWNER_NEEDED
        elif new_owner_agency_id == owner_agency_id:
            problems["new_owner_agency"] = NEW_OWNER_IS_THE_OWNER
        elif new_owner_agency_id not in involved_agency_ids:
            problems["new_owner_agency"] = OWNER_NOT_INVOLVED
    if outcome in (REASSIGNED, RE_DATED):
        if new_due_on is None:
            problems["new_due_on"] = NEW_DUE_DATE_NEEDED
        elif new_due_on < today:
            problems["new_due_on"] = DUE_IN_THE_PAST
    if outcome == CLOSED and closing_status not in CLOSING_STATUSES:
        problems["closing_status"] = CLOSING_STATUS_NEEDED
    return problems
