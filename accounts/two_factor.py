"""Two-factor sign-in: after the password, a code from an authenticator app or a single-use
backup code (docs/two-factor.md).

django-otp keeps the devices (an app's TOTP secret; a set of backup codes) and, in its own
middleware, which device proved the second factor in this session. This module owns when the
second factor is asked for, the door that sends a signed-in user to prove it, and how the
secret is shown at enrolment. The writes (enrol, verify, reset) are in accounts.services.
"""

from base64 import b32encode
from binascii import unhexlify
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
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
