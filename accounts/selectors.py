"""Reads of agencies and people."""

from django.db.models import Exists, OuterRef, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Agency, User


def agency_directory() -> QuerySet[Agency]:
    """Every active agency with its SPoC, for anyone who needs to know whom to contact."""
    return Agency.objects.active().select_related("spoc")


def people_by_agency() -> QuerySet[User]:
    """Everyone active, with whether they have set up two-factor sign-in."""
    set_up = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (
        User.objects.filter(is_active=True)
        .annotate(two_factor_set_up=Exists(set_up))
        .select_related("agency")
        .order_by("agency__name", "role", "last_name", "first_name")
    )
