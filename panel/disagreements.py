"""Agencies disagreeing over who should lead a case: each agency's position, and the panel's
decision with its reason, kept together; the decided agency is appointed lead as any lead is
(panel.services.case_appoint_lead)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caspa.core.locking import lock_at_version
from panel import permissions, services
from panel.chronology import EventKind, decided_at, record_event
from panel.models import Case, LeadDisagreement, LeadPosition

POSITIONS_NEEDED = "Enter the positions of at least two agencies: a disagreement has two sides"
POSITION_NOT_INVOLVED = "{agency} is not involved in the case: only involved agencies' positions"
DECIDED_AGENCY_NEEDED = "Select the agency the panel decided leads"
DISAGREEMENT_REASON_NEEDED = "Say why the panel decided this agency leads"
NOT_AT_THAT_MEETING = "The case was not on that meeting's agenda"


def lead_disagreement_problems(
    *, case: Case, positions: dict, decided_agency, reason: str, meeting
) -> dict:
    """What is wrong with a disagreement as recorded, by field; empty when it can be."""
    involved = set(case.involved_agencies.values_list("pk", flat=True))
    problems = {}
    outsiders = sorted(agency.name for agency in positions if agency.pk not in involved)
    if outsiders:
        problems["positions"] = [POSITION_NOT_INVOLVED.format(agency=name) for name in outsiders]
    elif len(positions) < 2:
        problems["positions"] = POSITIONS_NEEDED
    if decided_agency is None:
        problems["decided_agency"] = DECIDED_AGENCY_NEEDED
    elif decided_agency.pk not in involved:
        problems["decided_agency"] = services.LEAD_MUST_BE_INVOLVED
    if not (reason or "").strip():
        problems["reason"] = DISAGREEMENT_REASON_NEEDED
    if meeting is not None and not meeting.items.filter(case=case).exists():
        problems["meeting"] = NOT_AT_THAT_MEETING
    return problems


@transaction.atomic
def lead_disagreement_record(
    *,
    case_id: int,
    by,
    version: int,
    positions: dict,
    decided_agency,
    officer: str,
    reason: str,
    meeting=None,
) -> LeadDisagreement:
    """Record agencies' disagreement over the lead (`positions`: agency -> its position; blank
    positions are not positions) and the panel's decision, and appoint the decided agency."""
    permissions.require_running_the_panel(by)
    case = lock_at_version(Case.objects, pk=case_id, version=version)
    services.require_on_caseload(case)
    positions = {agency: text.strip() for agency, text in positions.items() if text.strip()}
    problems = lead_disagreement_problems(
        case=case,
        positions=positions,
        decided_agency=decided_agency,
        reason=reason,
        meeting=meeting,
    )
    if problems:
        raise ValidationError(problems)
    reason = reason.strip()
    disagreement = LeadDisagreement(
        case=case,
        meeting=meeting,
        decided_agency=decided_agency,
        reason=reason,
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    disagreement._history_user = by
    disagreement.save()
    ordered = sorted(positions.items(), key=lambda pair: pair[0].name)
    LeadPosition.objects.bulk_create(
        LeadPosition(disagreement=disagreement, agency=agency, position=text)
        for agency, text in ordered
    )
    said = "; ".join(f"{agency.short_name}: {text.rstrip('.')}" for agency, text in ordered)
    record_event(
        case,
        f"Agencies disagreed over the lead: {said}. The panel decided {decided_agency.name} "
        f"leads: {reason}",
        by,
        meeting=decided_at(case, meeting),
        kind=EventKind.AGENCIES,
    )
    services.case_appoint_lead(
        case_id=case.pk,
        by=by,
        version=version,
        agency=decided_agency,
        officer=officer,
        reason=reason,
    )
    return disagreement
