from django.conf import settings

from audit.models import USER_AGENT_LENGTH
from audit.origin import Origin, current_origin
from audit.rules import client_address


class ReadOriginMiddleware:
    """Keeps the request's address and user agent where `audit.services.record_read` finds
    them, for as long as the request is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        origin = Origin(
            address=client_address(
                remote_addr=meta.get("REMOTE_ADDR"),
                forwarded_for=meta.get("HTTP_X_FORWARDED_FOR"),
                proxy_count=settings.AUDIT_PROXY_COUNT,
            ),
            user_agent=meta.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH],
        )
        token = current_origin.set(origin)
        try:
            return self.get_response(request)
        finally:
            current_origin.reset(token)
