"""Who may see and do what in accounts: the people directory and the agency list."""

from django.core.exceptions import PermissionDenied

from accounts.roles import Perm


def can_view_people(user) -> bool:
    return user.has_perm(Perm.VIEW_PEOPLE)


def require_view_people(user) -> None:
    if not can_view_people(user):
        raise PermissionDenied("Only the panel coordinator and admin staff can see this list.")
