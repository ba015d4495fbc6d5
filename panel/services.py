"""Every change to the caseload: one function each, in a transaction.

Anything that adds to the caseload, or frees a place on it, first locks the Pathway row, so
that the count it takes and the change it makes cannot interleave with another's (STACK.md,
trap 1: counting without the lock let 33 cases into a 15-case pathway).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from panel import permissions, rules
from panel.models import Case, CaseEvent, CaseStatus, Pathway


@dataclass(frozen=True)
class Placement:
    case: Case
    waiting_position: int | None  # None: the case has a place on the caseload
    caseload: int


def _lock_pathway() -> Pathway:
    # A migration creates the row; a flushed database (a test's teardown) may have lost it.
    Pathway.objects.get_or_create(pk=1)
    return Pathway.objects.select_for_update().get(pk=1)


def _event(case: Case, summary: str, by, at=None) -> None:
    CaseEvent.objects.create(case=case, summary=summary, by=by, happened_at=at or timezone.now())


def caseload_count() -> int:
    """How many adults the pathway holds now: accepted referrals and adopted cases alike."""
    return Case.objects.on_caseload().count()


@transaction.atomic
def case_open_from_referral(*, referral, by) -> Placement:
    """An accepted referral joins the caseload, or the waiting list when the pathway is full.

    Every path onto the caseload comes through here (or through _admit_waiting, which holds
    the same lock).
    """
    pathway = _lock_pathway()
    caseload = caseload_count()
    now = timezone.now()
    case = Case(
        referral=referral,
        person=referral.person,
        waiting_since=now,
        previous_case=Case.objects.filter(person=referral.person, status=CaseStatus.CLOSED)
        .order_by("-closed_at")
        .first(),
    )
    if rules.has_place(caseload=caseload, cap=pathway.cap):
        case.status = CaseStatus.AWAITING_PANEL
        case.joined_caseload_at = now
        caseload += 1
    else:
        case.status = CaseStatus.WAITING
    case._history_user = by
    case.save()
    agencies = {referral.referring_agency, *referral.agencies_involved.all()}
    case.involved_agencies.set(agencies)
    for agency in agencies:
        permissions.grant_agency_access(case=case, agency=agency)

    _event(case, f"Referral {referral.reference} accepted at screening", by, now)
    if case.previous_case:
        _event(case, f"Reopens closed case {case.previous_case.reference}", by, now)
    if case.status == CaseStatus.WAITING:
        position = Case.objects.waiting_list().filter(waiting_since__lte=now).count()
        _event(case, f"The pathway is full: waiting for a place (number {position})", by, now)
        return Placement(case, position, caseload)
    _event(case, "Joined the caseload: awaiting its first panel", by, now)
    return Placement(case, None, caseload)


def _admit_waiting(pathway: Pathway, by) -> list[Case]:
    """Give freed places to the first on the waiting list. The caller holds the pathway lock."""
    waiting = list(Case.objects.waiting_list().select_for_update())
    admission = rules.admit_from_waiting_list(
        caseload=caseload_count(), waiting=len(waiting), cap=pathway.cap
    )
    admitted = waiting[: admission.admitted]
    now = timezone.now()
    for case in admitted:
        case.status = CaseStatus.AWAITING_PANEL
        case.joined_caseload_at = now
        case.version += 1
        case._history_user = by
        case.save()
        _event(case, "A place came free: joined the caseload, awaiting its first panel", by, now)
    return admitted
