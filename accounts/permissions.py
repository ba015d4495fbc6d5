"""Who may see and do what in accounts: the people directory, the agency list, and resetting
someone's two-factor sign-in."""

from django.core.exceptions import PermissionDenied

from accounts.roles import Perm, Role


def can_view_people(user) -> bool:
    return user.has_perm(Perm.VIEW_PEOPLE)


def require_view_people(user) -> None:
    if not can_view_people(user):
        raise PermissionDenied("Only the panel coordinator and admin staff can see this list.")


def can_reset_two_factor(user) -> bool:
    """The panel coordinator and their admin staff, who look after the people who use CASPA,
    reset two-factor sign-in for someone who lost their authenticator app."""
    return (
        user.is_authenticated
        and user.is_active
        and user.role
        in (
            Role.COORDINATOR,
            Role.ADMIN_STAFF,
        )
    )


def require_reset_two_factor(user) -> None:
    if not can_reset_two_factor(user):
        raise PermissionDenied(
            "Only the panel coordinator and admin staff can reset two-factor sign-in."
        )
