"""Who sees and who updates which actions: the actions' one access door.

An action is seen by whoever sees its case (panel/permissions.py says who: the agencies
involved, the coordinator's staff and the chair, for a handover period after it closes), so an
agency that leaves a case loses its actions with it, and the lead agency's SPoC and the chair,
to whom actions are escalated, can open what they are told about. An action is updated by the
owning agency's SPoC, or by the coordinator and admin staff, who keep the action log. An
escalation is resolved by the SPoC of the agency it is escalated to while it is with them, by
the chair, or by those who keep the log. Anything else is 404 (not seen) or 403 (seen, but
not theirs to change).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from accounts.roles import Perm
from actions import rules
from actions.models import Action
from panel import permissions as case_permissions

UPDATE_OWN_AGENCY_ONLY = "Only the owning agency's single point of contact updates this action."
KEEP_THE_LOG_ONLY = "Only the panel coordinator and admin staff keep the action log."
AGENCY_SPOC_ONLY = "Only agencies' single points of contact have a list of their actions."
RESOLVE_LEAD_CHAIR_OR_COORDINATOR_ONLY = (
    "Only the lead agency's single point of contact, the panel chair and the panel coordinator "
    "resolve an escalation."
)
RESOLVE_WITH_THE_CHAIR = (
    "This escalation has gone to the panel chair: only the chair or the panel coordinator can "
    "resolve it now."
)


def keeps_the_log(user) -> bool:
    return user.has_perm(Perm.KEEP_ACTION_LOG)


def receives_chair_escalations(user) -> bool:
    return case_permissions.can_chair(user)


def has_an_actions_page(user) -> bool:
    return keeps_the_log(user) or receives_chair_escalations(user) or updates_agency_actions(user)


def updates_agency_actions(user) -> bool:
    return user.has_perm(Perm.UPDATE_AGENCY_ACTIONS) and user.agency_id is not None


def visible_actions(user) -> QuerySet[Action]:
    """Every action on a case the user sees."""
    if keeps_the_log(user):
        return Action.objects.all()
    return Action.objects.filter(case__in=case_permissions.visible_cases(user))


def may_update(user, action: Action) -> bool:
    """The rule for changing an action the user can see."""
    return keeps_the_log(user) or (
        updates_agency_actions(user) and action.owner_agency_id == user.agency_id
    )


def resolve_refusal(user, action: Action) -> str | None:
    """The rule for resolving the escalation of an action the user can see: why not, or None.

    The SPoC of the agency it is escalated to (the case's lead, or the owner while there is no
    lead) resolves it while it is with them (level 1, or not yet escalated, so that a page
    opened before it was resolved meets the conflict, not a refusal); once it reaches the
    chair, only the chair or the coordinator does."""
    if keeps_the_log(user) or receives_chair_escalations(user):
        return None
    escalated_to = rules.escalated_to_agency_id(
        lead_agency_id=action.case.lead_agency_id, owner_agency_id=action.owner_agency_id
    )
    if not (updates_agency_actions(user) and user.agency_id == escalated_to):
        return RESOLVE_LEAD_CHAIR_OR_COORDINATOR_ONLY
    if action.escalation_level >= rules.TO_CHAIR:
        return RESOLVE_WITH_THE_CHAIR
    return None


def may_resolve(user, action: Action) -> bool:
    return resolve_refusal(user, action) is None


def updatable_actions(user) -> QuerySet[Action]:
    """The actions the user's agency owns on cases it is still involved in (all, for the log)."""
    if keeps_the_log(user):
        return Action.objects.all()
    if not updates_agency_actions(user):
        return Action.objects.none()
    return visible_actions(user).filter(owner_agency=user.agency_id)


def action_for_viewing(user, pk: int) -> Action:
    # With what its page shows and who its escalation tells (the SPoCs of its owner and of
    # its case's lead agency).
    action = (
        visible_actions(user)
        .select_related("case__lead_agency__spoc", "owner_agency__spoc", "risk")
        .filter(pk=pk)
        .first()
    )
    if action is None:
        case_id = Action.objects.filter(pk=pk).values_list("case_id", flat=True).first()
        if case_id is not None:
            # The case's door says why, as it would on the case: 404 to an agency never
            # involved, 403 with the reason once a closed case's handover period has ended.
            case_permissions.case_for_viewing(user, case_id)
        raise Http404("No such action")
    return action


def action_for_updating(user, pk: int) -> Action:
    action = action_for_viewing(user, pk)
    if not may_update(user, action):
        raise PermissionDenied(UPDATE_OWN_AGENCY_ONLY)
    return action


def action_for_escalating(user, pk: int) -> Action:
    action = action_for_viewing(user, pk)
    require_keeping_the_log(user)
    return action


def action_for_resolving(user, pk: int) -> Action:
    action = action_for_viewing(user, pk)
    refusal = resolve_refusal(user, action)
    if refusal:
        raise PermissionDenied(refusal)
    return action


def require_keeping_the_log(user) -> None:
    if not keeps_the_log(user):
        raise PermissionDenied(KEEP_THE_LOG_ONLY)


def require_agency_spoc(user) -> None:
    if not updates_agency_actions(user):
        raise PermissionDenied(AGENCY_SPOC_ONLY)


def case_for_agreeing_actions(user, case_pk: int):
    """Agreeing an action is running the panel: the panel's door decides."""
    return case_permissions.case_for_running(user, case_pk)
