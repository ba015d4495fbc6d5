"""Who sees which case. The only module of the panel app that talks to django-guardian.

An agency sees a case when it is involved in it: its group holds the case's view permission,
granted and withdrawn as agencies join and leave the case. The coordinator, admin staff and
the chair see every case (their role's view_all_cases permission).
"""

from django.db.models import QuerySet
from django.http import Http404
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from accounts.roles import Perm
from panel.models import Case

VIEW_CASE = "panel.view_case"


def grant_agency_access(*, case: Case, agency) -> None:
    assign_perm(VIEW_CASE, agency.group, case)


def withdraw_agency_access(*, case: Case, agency) -> None:
    remove_perm(VIEW_CASE, agency.group, case)


def can_see_cases(user) -> bool:
    return user.has_perm(Perm.VIEW_ALL_CASES) or user.has_perm(Perm.VIEW_AGENCY_CASES)


def visible_cases(user) -> QuerySet[Case]:
    if user.has_perm(Perm.VIEW_ALL_CASES):
        return Case.objects.all()
    if not user.has_perm(Perm.VIEW_AGENCY_CASES):
        return Case.objects.none()  # managers: aggregates only, on the dashboard
    return get_objects_for_user(user, VIEW_CASE, klass=Case, accept_global_perms=False)


def case_for_viewing(user, pk: int) -> Case:
    case = visible_cases(user).filter(pk=pk).first()
    if case is None:
        raise Http404("No such case")
    return case
