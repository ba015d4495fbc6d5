"""Nothing the app answers is kept by a browser or a proxy: every response Django produces
carries `Cache-Control: no-store, private` (docs/privacy.md).

Any page, fragment, redirect, PDF, CSV or error page may show a person's details, and a shared
PC's browser would otherwise keep them in its cache and its back/forward history after the
user signed out, for the next person at the keyboard to see with the Back button. The
middleware sits below WhiteNoise in MIDDLEWARE, so static files (which hold no one's details
and are worth caching) never reach it.
"""

from django.utils.cache import cc_delim_re

PRIVATE_CACHE_CONTROL = "no-store, private"


class PrivateResponseMiddleware:
    """Sets the header on every response, replacing whatever a view set: nothing may ask to be
    cached publicly."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["Cache-Control"] = PRIVATE_CACHE_CONTROL
        return response


def is_private_response(response) -> bool:
    """Whether the response tells browsers and proxies to keep no copy of it."""
    header = response.get("Cache-Control", "") if hasattr(response, "get") else ""
    directives = {part.split("=", 1)[0].strip().lower() for part in cc_delim_re.split(header)}
    return {"no-store", "private"} <= directives and "public" not in directives
