"""Who sees and updates which actions.

The owning agency's SPoC updates its actions; the coordinator and admin staff (who keep the
action log) see and update all. Anyone else gets 404, so an action's existence is not given away.
"""

from django.db.models import QuerySet
from django.http import Http404

from accounts.roles import Perm
from actions.models import Action


def can_keep_the_log(user) -> bool:
    return user.has_perm(Perm.KEEP_ACTION_LOG)


def updatable_actions(user) -> QuerySet[Action]:
    if can_keep_the_log(user):
        return Action.objects.all()
    if user.has_perm(Perm.UPDATE_AGENCY_ACTIONS) and user.agency_id:
        return Action.objects.filter(owner_agency=user.agency_id)
    return Action.objects.none()


def action_for_updating(user, pk: int) -> Action:
    action = updatable_actions(user).filter(pk=pk).first()
    if action is None:
        raise Http404("No such action")
    return action
