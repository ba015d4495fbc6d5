"""Who may see and change referrals and person records.

- A referrer sees the referrals they made.
- An agency's SPoC also sees every submitted referral their agency made.
- The coordinator and admin staff (who screen) see every submitted referral and the
  person records behind them.
- Nobody else sees a referral: not another agency, not managers.
Only the person who made a referral changes its answers, and only while it is a draft or
back with them for more information. Missing and forbidden both answer 404, so that a
referral's existence is not given away.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.roles import Perm, Role
from referrals.choices import Status
from referrals.models import Person, Referral


def can_make_referrals(user) -> bool:
    return user.has_perm(Perm.MAKE_REFERRAL) and user.agency_id is not None


def can_screen(user) -> bool:
    return user.has_perm(Perm.SCREEN_REFERRALS)


def visible_referrals(user) -> QuerySet[Referral]:
    mine = Q(created_by=user)
    if can_screen(user):
        return Referral.objects.filter(mine | ~Q(status=Status.DRAFT))
    if user.role == Role.SPOC and user.agency_id:
        return Referral.objects.filter(
            mine | (Q(referring_agency=user.agency_id) & ~Q(status=Status.DRAFT))
        )
    return Referral.objects.filter(mine)


def referral_for_viewing(user, pk: int) -> Referral:
    referral = visible_referrals(user).filter(pk=pk).first()
    if referral is None:
        raise Http404("No such referral")
    return referral


def referral_for_editing(user, pk: int) -> Referral:
    referral = referral_for_viewing(user, pk)
    if referral.created_by_id != user.pk:
        raise PermissionDenied("Only the person who made a referral can change its answers.")
    return referral


def require_making_referrals(user) -> None:
    if not can_make_referrals(user):
        raise PermissionDenied("Your role cannot make referrals.")


def require_screening(user) -> None:
    if not can_screen(user):
        raise PermissionDenied("Only the panel coordinator and admin staff screen referrals.")


def person_for_viewing(user, pk: int) -> Person:
    require_screening(user)
    try:
        return Person.objects.get(pk=pk)
    except Person.DoesNotExist:
        raise Http404("No such person") from None
