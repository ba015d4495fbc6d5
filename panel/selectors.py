"""Reads of the pathway: the cap and how full it is. The one place the cap is read from."""

from dataclasses import dataclass

from panel.models import Case, Pathway


def pathway() -> Pathway:
    """The one pathway row. A migration creates it; a flushed test database may have lost it."""
    return Pathway.objects.get_or_create(pk=1)[0]


def pathway_cap() -> int:
    return pathway().cap


def caseload_count() -> int:
    """How many adults the pathway holds now: accepted referrals and adopted cases alike."""
    return Case.objects.on_caseload().count()


@dataclass(frozen=True)
class Caseload:
    held: int
    cap: int
    waiting: int

    @property
    def places_left(self) -> int:
        return max(self.cap - self.held, 0)


def caseload() -> Caseload:
    return Caseload(
        held=caseload_count(),
        cap=pathway_cap(),
        waiting=Case.objects.waiting_list().count(),
    )
