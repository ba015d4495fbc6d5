"""A case's chronology: one timeline of everything that happened to it.

A leaf module: every service that changes a case (the panel's, the actions') adds its line
here, and it imports nothing else of the panel app but the model.
"""

from django.utils import timezone

from panel.models import Case, CaseEvent


def record_event(case: Case, summary: str, by, at=None) -> CaseEvent:
    """Add a line to the case's chronology, as `by` (None: the system, e.g. the sweep)."""
    return CaseEvent.objects.create(
        case=case, summary=summary, by=by, happened_at=at or timezone.now()
    )
