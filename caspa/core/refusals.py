"""A refusal whose reason the 403 page shows: our own words, never anything from the request.

Every other PermissionDenied gets the general "You cannot see this page"."""

from django.core.exceptions import PermissionDenied


class RefusedWithReason(PermissionDenied):
    """Raise with a sentence of ours that tells the user why, and what to do instead."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
