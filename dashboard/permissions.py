"""Who sees the dashboard, who sees its figures exact, and who writes the Board's commentary:
the dashboard's one access door."""

from django.core.exceptions import PermissionDenied

from accounts.roles import Perm
from panel import permissions as panel_permissions

ACCESS_REPORT_ONLY = "The access report is for the coordinator and managers."
DASHBOARD_ONLY = "The dashboard is for managers, the chair and the coordinator."
COMMENTARY_ONLY = "The coordinator writes the Board's commentary."


def can_view_dashboard(user) -> bool:
    return user.has_perm(Perm.VIEW_DASHBOARD)


def require_viewing_dashboard(user) -> None:
    if not can_view_dashboard(user):
        raise PermissionDenied(DASHBOARD_ONLY)


def sees_exact_figures(user) -> bool:
    """Who sees every case anyway sees exact counts; everyone else sees them suppressed."""
    return panel_permissions.sees_every_case(user)


def can_write_commentary(user) -> bool:
    return panel_permissions.can_run_panel(user)


def require_writing_commentary(user) -> None:
    if not can_write_commentary(user):
        raise PermissionDenied(COMMENTARY_ONLY)


def can_view_access_report(user) -> bool:
    return user.has_perm(Perm.VIEW_ACCESS_REPORT)


def require_viewing_access_report(user) -> None:
    if not can_view_access_report(user):
        raise PermissionDenied(ACCESS_REPORT_ONLY)


def sees_unusual_reading(user) -> bool:
    """Who is told, on their home page, of users opening more records than usual: the
    coordinator (who runs the panel and reads the access report)."""
    return panel_permissions.can_run_panel(user) and can_view_access_report(user)
