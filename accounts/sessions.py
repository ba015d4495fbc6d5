"""The idle timer without a write on every page (docs/performance.md).

A session lasts SESSION_IDLE_MINUTES from the last request: its expiry, kept with it in the
database, moves forward each time the session is saved. Saving it on every request would cost
every page a write; instead this middleware stamps the session with when it was last seen, and
so has it saved, only when the stamp is at least LAST_SEEN_SLACK old. A session therefore ends
between SESSION_IDLE_MINUTES minus the slack and SESSION_IDLE_MINUTES after the last request,
never later; a page seen within the slack of the last stamp writes nothing.
"""

import time
from datetime import timedelta

from django.contrib.auth import SESSION_KEY

LAST_SEEN_SESSION_KEY = "last_seen"
LAST_SEEN_SLACK = timedelta(minutes=1)


def needs_stamp(session, now: float) -> bool:
    last_seen = session.get(LAST_SEEN_SESSION_KEY)
    return last_seen is None or now - last_seen >= LAST_SEEN_SLACK.total_seconds()


def stamp_at_sign_in(sender, request, user, **kwargs):
    """Signing in saves the session: it is stamped then, so the first pages after it write
    nothing."""
    request.session[LAST_SEEN_SESSION_KEY] = int(time.time())


class IdleTimerMiddleware:
    """After SessionMiddleware: on the way out, stamps a signed-in session when its stamp is
    older than the slack, which has SessionMiddleware save it with a fresh expiry. A session
    with nobody signed in is left alone; one without a cookie is never loaded for this."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a signed-in session has an idle timer: a stale cookie, or one just signed out,
        # is not saved (nor made anew) for it.
        if session is not None and not session.is_empty() and SESSION_KEY in session:
            now = time.time()
            if needs_stamp(session, now):
                session[LAST_SEEN_SESSION_KEY] = int(now)
        return response
