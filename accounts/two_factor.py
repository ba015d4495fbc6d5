"""Two-factor sign-in: after the password, a code from an authenticator app or a single-use
backup code (docs/two-factor.md).

django-otp keeps the devices (an app's TOTP secret; a set of backup codes) and, in its own
middleware, which device proved the second factor in this session. This module owns when the
second factor is asked for, the door that sends a signed-in user to prove it, and how the
secret is shown at enrolment. The writes (enrol, verify, reset) are in accounts.services.
"""

from base64 import b32encode
from binascii import unhexlify
from contextvars import ContextVar
from urllib.parse import urlencode

import segno
from django.apps import apps
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

# In the session: this session's user has set up two-factor sign-in, so it is asked for even
# where it is not required (the demo); the secret of an enrolment under way; the backup codes,
# until the page that shows them once.
SET_UP_SESSION_KEY = "two_factor_set_up"
ENROL_KEY_SESSION_KEY = "two_factor_enrol_key"
BACKUP_CODES_SESSION_KEY = "two_factor_backup_codes"

# The pages a signed-in user reaches before the second factor: to prove it or set it up, or to
# leave. Static files are served before any of this (whitenoise).
OPEN_URL_NAMES = (
    "accounts:two_factor_enrol",
    "accounts:two_factor_verify",
    "accounts:sign_out",
    "accounts:signed_out",
    "health",
)


def has_set_up(user) -> bool:
    """The user has an authenticator app confirmed with a code."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _session_has_set_up(request) -> bool:
    return bool(getattr(request, "session", {}).get(SET_UP_SESSION_KEY))


def _is_verified(user) -> bool:
    # django-otp's middleware sets otp_device: the device that proved the second factor.
    return getattr(user, "otp_device", None) is not None


def is_asked_for(request) -> bool:
    """Everyone proves a second factor where it is required (production); elsewhere only
    those who set it up. Reads only settings and the session: no query on every page."""
    return settings.TWO_FACTOR_REQUIRED or _session_has_set_up(request)


def is_pending(request) -> bool:
    """Signed in with the password, but the second factor is still to be proved."""
    user = getattr(request, "user", None)
    return (
        user is not None
        and is_asked_for(request)
        and user.is_authenticated
        and not _is_verified(user)
    )


def offers_set_up(request) -> bool:
    """Where two-factor sign-in is not required (the demo), a signed-in user who has not set it
    up is offered to, from the header."""
    user = getattr(request, "user", None)
    return (
        user is not None
        and not settings.TWO_FACTOR_REQUIRED
        and not _session_has_set_up(request)
        and user.is_authenticated
        and not _is_verified(user)
    )


def qr_code_data_uri(config_url: str) -> str:
    """The otpauth:// address as a QR code, an SVG in a data: URI (our Content-Security-Policy
    allows data: images and nothing inline)."""
    # A viewBox instead of a fixed size, so the page's <img> sets the size; a white quiet zone
    # of the four modules scanners expect.
    return segno.make(config_url, error="m").svg_data_uri(omitsize=True, border=4, light="white")


def secret_in_words(hex_key: str) -> str:
    """The secret as an app asks for it when typed in: base32, in groups of four."""
    text = b32encode(unhexlify(hex_key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def normalise_code(code: str) -> str:
    """What people type: spaces and dashes between groups, either case."""
    return "".join(code.split()).replace("-", "").lower()


def is_app_code(code: str) -> bool:
    """Six digits are an authenticator app's code; anything else is tried as a backup code."""
    return len(code) == 6 and code.isdigit()


class TwoFactorMiddleware:
    """Until the second factor is proved, a signed-in user reaches only the pages that prove
    it or set it up, and sign-out. Everything else sends them there: enrolment if they have no
    authenticator app yet, else the code page. htmx asks get a 403 that tells htmx to go
    there as a whole page (as an expired session's polled fragment does, docs/two-factor.md)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_pending(request) and request.path not in {reverse(n) for n in OPEN_URL_NAMES}:
            return self.send_to_second_factor(request)
        return self.get_response(request)

    @staticmethod
    def send_to_second_factor(request):
        name = "two_factor_verify" if has_set_up(request.user) else "two_factor_enrol"
        url = reverse(f"accounts:{name}")
        if request.headers.get("HX-Request") == "true":
            return HttpResponse(status=403, headers={"HX-Redirect": url})
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)


# While the signed-in user is read: the device that this session's second factor was proved
# with (django-otp's persistent id), so that the user is read with it in one query.
_SESSION_DEVICE: ContextVar[str | None] = ContextVar("session_device", default=None)
# The attribute of a user read that way that holds the device.
READ_WITH_USER = "_second_factor_device"


def user_with_session_device(user_id):
    """The user, with their agency and the device their session proved the second factor
    with, in one query (accounts.backends.PasswordBackend asks, while SecondFactorMiddleware
    reads the user). None where the session names no device or one of no such user: then the
    user is read alone, and django-otp's own reading of the device finds it or not."""
    persistent_id = _SESSION_DEVICE.get()
    if not persistent_id:
        return None
    try:
        label, pk = persistent_id.rsplit("/", 1)
        model = apps.get_model(label)
        if not issubclass(model, Device):
            return None
        device = (
            model._default_manager.select_related("user__agency")
            .filter(pk=int(pk), user_id=user_id)
            .first()
        )
    except (ValueError, LookupError):
        return None
    if device is None:
        return None
    user = device.user
    setattr(user, READ_WITH_USER, device)
    return user


class SecondFactorMiddleware(OTPMiddleware):
    """django-otp's middleware (which device, if any, proved the second factor this session),
    reading that device in the same query as the signed-in user instead of one of its own on
    every page (docs/performance.md). Whether the device still proves it is django-otp's check,
    unchanged: the device must be the user's and confirmed, or the session loses it."""

    def _verify_user_sync(self, request, user):
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        token = _SESSION_DEVICE.set(persistent_id)
        try:
            authenticated = user.is_authenticated  # reads the user, and with them the device
        finally:
            _SESSION_DEVICE.reset(token)
        self._init_user_fields(user)
        if authenticated:
            device = getattr(user, READ_WITH_USER, None)
            if device is None and persistent_id:
                device = self._device_from_persistent_id(persistent_id)
            user.otp_device = self._finalize_device(request, user, device)
        return user
