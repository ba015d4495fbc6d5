"""Writes to agencies and people: one function per change, each in a transaction."""

import time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import permissions, two_factor
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


# --- Two-factor sign-in (docs/two-factor.md) --------------------------------------------------

CODE_NOT_RIGHT = (
    "The code is not right. Enter the 6-digit code your authenticator app shows now, or one of "
    "your backup codes."
)
ENROL_CODE_NOT_RIGHT = (
    "The code is not right. Enter the 6-digit code your authenticator app shows now for CASPA."
)
CODE_WAIT = "Too many wrong codes in a row. Wait {seconds} seconds, then enter a new code."
ENROL_START_AGAIN = "This page is out of date. Reload it and scan the QR code again."
ALREADY_SET_UP = "Two-factor sign-in is already set up for this account."
RESET_NOT_ALLOWED = (
    "Only the panel coordinator and the panel admin staff can reset two-factor sign-in."
)
RESET_NOTHING_TO_RESET = "{username} has not set up two-factor sign-in: there is nothing to reset."
RESET_CHANGE_REASON = "Two-factor sign-in reset"

# The code's ValidationError says which refusal it was: a wrong code counts toward the lockout,
# a wait does not (it was never checked).
WRONG_CODE = "wrong_code"
MUST_WAIT = "must_wait"


def _wait_refusal(details) -> ValidationError:
    seconds = max(1, int((details["locked_until"] - timezone.now()).total_seconds() + 0.999))
    return ValidationError({"code": ValidationError(CODE_WAIT.format(seconds=seconds), MUST_WAIT)})


def two_factor_enrol(*, user: User, key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Set up two-factor sign-in: the authenticator app, given the secret `key` it was shown,
    proves it has it with a current `code`; then a fresh set of single-use backup codes.
    Returns the app's device and the backup codes, which are shown once. A wrong code keeps
    nothing."""
    code = two_factor.normalise_code(code)
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        if two_factor.has_set_up(user):
            raise ValidationError(ALREADY_SET_UP)
        try:
            totp = TOTP(bytes.fromhex(key), step=30, t0=0, digits=6)
        except (TypeError, ValueError) as error:
            raise ValidationError(ENROL_START_AGAIN) from error
        totp.time = time.time()
        if not (two_factor.is_app_code(code) and totp.verify(int(code), tolerance=1)):
            raise ValidationError({"code": ValidationError(ENROL_CODE_NOT_RIGHT, WRONG_CODE)})
        # Whatever a past enrolment left (after a reset none is left) gives way to this one.
        for device in devices_for_user(user, confirmed=None):
            device.delete()
        device = TOTPDevice.objects.create(
            user=user, name="Authenticator app", key=key, confirmed=True, last_t=totp.t()
        )
        backup = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_BACKUP_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=backup, token=c) for c in codes)
    return device, codes


def two_factor_verify(*, user: User, code: str):
    """Prove the second factor with the app's current code or an unused backup code (used, it
    is gone). Returns the device that accepted it. Wrong codes in a row make the next try wait
    longer each time (django-otp's throttling, kept on the device); the wrong try is kept even
    though the code is refused."""
    code = two_factor.normalise_code(code)
    model = TOTPDevice if two_factor.is_app_code(code) else StaticDevice
    with transaction.atomic():
        device = model.objects.devices_for_user(user, confirmed=True).select_for_update().first()
        if device is None:
            accepted = False
        else:
            allowed, details = device.verify_is_allowed()
            if not allowed and details and "locked_until" in details:
                raise _wait_refusal(details)
            accepted = device.verify_token(code)
    # Outside the transaction: the refusal must not undo the count of wrong tries.
    if not accepted:
        raise ValidationError({"code": ValidationError(CODE_NOT_RIGHT, WRONG_CODE)})
    return device


@transaction.atomic
def two_factor_reset(*, by: User, user: User) -> None:
    """The user lost their authenticator app: their devices and backup codes go, and they set
    up two-factor sign-in again at their next page. Kept in the user's history, with who reset
    it and when."""
    if not permissions.can_reset_two_factor(by):
        raise PermissionDenied(RESET_NOT_ALLOWED)
    user = User.objects.select_for_update().get(pk=user.pk)
    devices = list(devices_for_user(user, confirmed=None))
    if not devices:
        raise ValidationError(RESET_NOTHING_TO_RESET.format(username=user.username))
    for device in devices:
        device.delete()
    # The history row is the record: saving a field that has not changed writes one, with the
    # acting user and the reason.
    user._history_user = by
    user._change_reason = RESET_CHANGE_REASON
    user.save(update_fields=["is_active"])
