"""Reads of agencies and people."""

from django.db.models import QuerySet

from accounts.models import Agency, User


def agency_directory() -> QuerySet[Agency]:
    """Every active agency with its SPoC, for anyone who needs to know whom to contact."""
    return Agency.objects.active().select_related("spoc")


def people_by_agency() -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True)
        .select_related("agency")
        .order_by("agency__name", "role", "last_name", "first_name")
    )
