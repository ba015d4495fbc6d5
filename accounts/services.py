"""Writes to agencies and people: one function per change, each in a transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Agency, User
from accounts.roles import Role

SPOC_MUST_BELONG_TO_AGENCY = "The single point of contact must work for the agency."
SPOC_MUST_HAVE_SPOC_ROLE = "The single point of contact must have the SPoC role."


@transaction.atomic
def agency_create(*, name: str, short_name: str, is_host: bool = False) -> Agency:
    return Agency.objects.create(name=name, short_name=short_name, is_host=is_host)


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    agency: Agency,
    password: str | None = None,
    job_title: str = "",
    phone: str = "",
) -> User:
    """A new user, in their agency's group so that they share its per-case permissions."""
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        agency=agency,
        job_title=job_title,
        phone=phone,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    user_join_agency_group(user=user)
    return user


def user_record_sign_in(*, user: User) -> None:
    """Keep when the user last signed in before this sign-in, before Django moves `last_login`
    on: their home page shows what changed on their cases since then. Called by the sign-in
    page once the password is right, before the session starts."""
    User.objects.filter(pk=user.pk).update(previous_sign_in_at=user.last_login)
    user.previous_sign_in_at = user.last_login


def user_join_agency_group(*, user: User) -> None:
    """Keep the user in exactly their own agency's group (the groups that carry case access)."""
    stale = user.groups.filter(name__startswith="agency:")
    if user.agency_id is not None:
        stale = stale.exclude(pk=user.agency.group_id)
        user.groups.add(user.agency.group_id)
    user.groups.remove(*stale)


@transaction.atomic
def agency_appoint_spoc(*, agency: Agency, spoc: User, by: User) -> Agency:
    """Record who the agency's single point of contact is, with who recorded it."""
    if spoc.agency_id != agency.pk:
        raise ValidationError({"spoc": SPOC_MUST_BELONG_TO_AGENCY})
    if spoc.role != Role.SPOC:
        raise ValidationError({"spoc": SPOC_MUST_HAVE_SPOC_ROLE})
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    agency.spoc = spoc
    agency._history_user = by
    agency.save(update_fields=["spoc"])
    return agency
