"""Signing in as production asks, for the bench's clients (Locust's users, and the runner
priming the workers): the password, then the code of the account's authenticator app,
computed from its TOTP device's key (docs/benchmarks.md). No Django and no Locust here."""

import hashlib
import hmac
import re
import struct
import time
from http.cookiejar import DefaultCookiePolicy

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TWO_FACTOR = "/accounts/two-factor/"


def secure_cookies_over_the_loopback(policy, cookie, request):
    """Production's cookies are Secure (TLS ends at the proxy in front of it); here the bench
    is that proxy, on 127.0.0.1, so the client sends them back over plain http. requests
    copies the session's cookies into a fresh jar for each request, so the policy is patched
    where every jar finds it, in the bench's client processes only."""
    return True


DefaultCookiePolicy.return_ok_secure = secure_cookies_over_the_loopback


def as_behind_the_proxy(session, host: str) -> None:
    """What the TLS-ending proxy in front of production says: the request came over https."""
    session.headers.update(
        {"X-Forwarded-Proto": "https", "Origin": host.replace("http://", "https://")}
    )


def totp(hex_key: str, at: float) -> str:
    """RFC 6238, as django-otp's TOTPDevice checks it: 30-second steps, six digits."""
    counter = struct.pack(">Q", int(at) // 30)
    digest = hmac.new(bytes.fromhex(hex_key), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def csrf(html: str) -> str:
    found = CSRF.search(html)
    return found.group(1) if found else ""


def sign_in(session, base: str, username: str, password: str, key: str, **locust) -> None:
    """`locust`: Locust's name= for each step (`names=("sign in", "two-factor code")`)."""
    first, second = locust.pop("names", (None, None))
    named = (lambda name: {"name": name}) if first else (lambda name: {})
    page = session.get(f"{base}/accounts/sign-in/", **named(first))
    session.post(
        f"{base}/accounts/sign-in/",
        {"username": username, "password": password, "csrfmiddlewaretoken": csrf(page.text)},
        **named(first),
    )
    # Two users of one account (the demo's SPoCs) cannot use one code twice: the next
    # 30-second step gives a fresh one.
    for _attempt in range(4):
        page = session.get(f"{base}{TWO_FACTOR}", **named(second))
        if TWO_FACTOR not in page.url:
            return
        response = session.post(
            f"{base}{TWO_FACTOR}",
            {"code": totp(key, time.time()), "csrfmiddlewaretoken": csrf(page.text)},
            **named(second),
        )
        if TWO_FACTOR not in response.url:
            return
        time.sleep(31 - time.time() % 30)
    raise RuntimeError(f"{username} could not sign in")
