"""Every change to the caseload: one function each, in a transaction.

Anything that adds to the caseload, or frees a place on it, first locks the Pathway row, so
that the count it takes and the change it makes cannot interleave with another's (without the
lock, 33 cases got into a 15-case pathway: docs/engineering-notes.md, "The cap under
concurrency").
"""

from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from caspa.core.choices import OPEN_ACTION_STATUSES
from caspa.core.locking import lock_at_version, save_as
from panel import permissions, rules, selectors
from panel.chronology import EventKind, decided_at, record_event
from panel.models import Case, CaseStatus, MDTMeeting, Outcome, Pathway
from panel.rules import closure as closure_rules
from panel.selectors import caseload_count
from referrals import services as referral_services


@dataclass(frozen=True)
class Placement:
    case: Case
    waiting_position: int | None  # None: the case has a place on the caseload
    caseload: int


def _lock_pathway() -> Pathway:
    # A migration creates the row; a flushed database (a test's teardown) may have lost it.
    Pathway.objects.get_or_create(pk=1)
    return Pathway.objects.select_for_update().get(pk=1)


NOT_ON_CASELOAD = (
    "{reference} is not on the caseload ({status}): the panel records decisions, actions and "
    "MDT meetings only for a case it holds."
)


def require_on_caseload(case: Case) -> None:
    """A case the pathway no longer holds (closed, not adopted) or does not hold yet (waiting)
    takes no more decisions: every service that changes one checks this itself."""
    if not case.is_on_caseload:
        raise ValidationError(
            NOT_ON_CASELOAD.format(
                reference=case.reference, status=case.get_status_display().lower()
            )
        )


def open_actions(case: Case, **where) -> list:
    """The case's actions still open (their statuses are shared with the actions app)."""
    return list(case.actions.filter(status__in=OPEN_ACTION_STATUSES, **where).order_by("pk"))


def open_actions_problem(still_open: list) -> str:
    """Why a case with these open actions cannot close yet."""
    return OPEN_ACTIONS_BEFORE_CLOSING.format(
        count=len(still_open),
        s="" if len(still_open) == 1 else "s",
        references=", ".join(action.reference for action in still_open),
    )


def _lock_case(case_id: int, version: int, by) -> Case:
    """The case at the version the user saw, locked, if the user runs the panel."""
    permissions.require_running_the_panel(by)
    return lock_at_version(Case.objects, pk=case_id, version=version)


def _save(case: Case, by) -> Case:
    return save_as(case, by=by)


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
        # The person's voice is carried over; the panel scores the risks itself.
        persons_views=referral.persons_views,
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
    case.involved_agencies.set({referral.referring_agency, *referral.agencies_involved.all()})
    permissions.sync_case_access(case)

    record_event(
        case,
        f"Referral {referral.reference} accepted at screening",
        by,
        now,
        kind=EventKind.PATHWAY,
    )
    if case.previous_case:
        record_event(
            case,
            f"Reopens closed case {case.previous_case.reference}",
            by,
            now,
            kind=EventKind.PATHWAY,
        )
    if case.status == CaseStatus.WAITING:
        position = Case.objects.waiting_list().filter(waiting_since__lte=now).count()
        record_event(
            case,
            f"The pathway is full: waiting for a place (number {position})",
            by,
            now,
            kind=EventKind.PATHWAY,
        )
        return Placement(case, position, caseload)
    record_event(
        case, "Joined the caseload: awaiting its first panel", by, now, kind=EventKind.PATHWAY
    )
    return Placement(case, None, caseload)


@transaction.atomic
def referral_accept_onto_pathway(*, referral_id: int, by, version: int):
    """Accept a referral at screening and open its case: on the caseload, or waiting for a place.

    The referral's checks (who may screen, waiting for screening, person confirmed, the
    version seen) and the e-mail are referrals.services.referral_mark_accepted's; the
    decision and the case happen together or not at all. Returns the referral and its
    Placement.
    """
    referral = referral_services.referral_mark_accepted(
        referral_id=referral_id, by=by, version=version
    )
    return referral, case_open_from_referral(referral=referral, by=by)


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
        save_as(case, by=by)
        record_event(
            case,
            "A place came free: joined the caseload, awaiting its first panel",
            by,
            now,
            kind=EventKind.PATHWAY,
        )
    return admitted


LEAD_REASON_NEEDED = "Say why this agency leads: who leads is what the panel most often settles."
LEAD_MUST_BE_INVOLVED = "The lead agency must be one of the agencies involved in the case."
ALREADY_CLOSED = "This case is already closed."
OPEN_ACTIONS_BEFORE_CLOSING = (
    "The case still has {count} open action{s} ({references}): each must be marked done, "
    "could not be done, or no longer needed before the case closes."
)


@transaction.atomic
def case_appoint_lead(*, case_id: int, by, version: int, agency, officer: str, reason: str) -> Case:
    """Appoint (or change) the lead agency and lead responsible officer, with the reason."""
    case = _lock_case(case_id, version, by)
    require_on_caseload(case)
    errors = {}
    if not case.involved_agencies.filter(pk=agency.pk).exists():
        errors["agency"] = LEAD_MUST_BE_INVOLVED
    if not reason.strip():
        errors["reason"] = LEAD_REASON_NEEDED
    if errors:
        raise ValidationError(errors)
    before = case.lead_agency
    case.lead_agency = agency
    case.lead_officer = officer
    _save(case, by)
    verb = "Lead agency changed" if before else "Lead agency appointed"
    from_part = f" from {before.name}" if before and before != agency else ""
    record_event(
        case,
        f"{verb}{from_part} to {agency.name} ({officer or 'officer to be named'}): "
        f"{reason.strip()}",
        by,
        meeting=decided_at(case),
        kind=EventKind.AGENCIES,
    )
    return case


@dataclass(frozen=True)
class Closure:
    case: Case
    admitted: list[Case]  # the waiting referrals that took the freed place


@transaction.atomic
def case_close(
    *,
    case_id: int,
    by,
    version: int,
    outcome: str,
    agreed_on=None,
    outcome_detail: str = "",
    step_down_agency=None,
    override_reason: str = "",
    handover_plan: str = "",
    handover_contingency: str = "",
) -> Closure:
    """Close a case with its outcome, if the closure rule allows it (panel/rules/closure.py:
    a step-down needs the risk reviewed below high or the panel's reason, a handover, and each
    desired outcome marked); the freed place goes to the first waiting referral."""
    pathway = _lock_pathway()
    case = _lock_case(case_id, version, by)
    if case.status in (CaseStatus.CLOSED, CaseStatus.NOT_ADOPTED):
        raise ValidationError(ALREADY_CLOSED)
    facts = selectors.closure_facts(case)
    problems = closure_rules.closure_problems(
        outcome=outcome,
        agreed_on_given=agreed_on is not None,
        override_reason=override_reason,
        step_down_agency_id=step_down_agency.pk if step_down_agency else None,
        handover_plan=handover_plan,
        handover_contingency=handover_contingency,
        outcome_detail=outcome_detail,
        **facts,
    )
    still_open = open_actions(case)
    if still_open:
        problems = {NON_FIELD_ERRORS: open_actions_problem(still_open), **problems}
    if problems:
        raise ValidationError(problems)
    stepped_down = outcome == Outcome.STEPPED_DOWN
    level = facts["latest_reviewed_level"]
    overridden = stepped_down and closure_rules.override_used(
        latest_reviewed_level=level, override_reason=override_reason
    )
    case.status = CaseStatus.CLOSED
    case.outcome = outcome
    case.outcome_detail = outcome_detail.strip()
    case.step_down_agency = step_down_agency if stepped_down else None
    case.handover_plan = handover_plan.strip() if stepped_down else ""
    case.handover_contingency = handover_contingency.strip() if stepped_down else ""
    case.step_down_override_reason = override_reason.strip() if overridden else ""
    case.closure_agreed_on = agreed_on
    case.closed_at = timezone.now()
    _save(case, by)
    record_event(
        case, _closed_in_words(case, level), by, meeting=decided_at(case), kind=EventKind.PATHWAY
    )
    return Closure(case, _admit_waiting(pathway, by))


def _closed_in_words(case: Case, level: str | None) -> str:
    agreed = f"(agreed {case.closure_agreed_on:%-d %B %Y})"
    if case.outcome != Outcome.STEPPED_DOWN:
        return f"Closed: {case.get_outcome_display()} {agreed}"
    handover = f"Handover: {shorten(case.handover_plan, 80)}"
    agency = case.step_down_agency.name
    if not case.step_down_override_reason:
        return f"Closed: risk reduced, stepped down to {agency} {agreed}. {handover}"
    # The risk was not reduced: the line says so, and why the panel stepped it down anyway.
    still = (
        "before the panel reviewed the risk" if level is None else f"with the risk still {level}"
    )
    reason = shorten(case.step_down_override_reason, 200)
    return (
        f"Closed: stepped down to {agency} {still} {agreed}. {handover} "
        f"The panel's reason: {reason}"
    )


def shorten(text: str, length: int) -> str:
    """The first `length` characters of a text, on one line, with … when cut: a chronology
    line names what it is about; the case page shows the whole."""
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length].rstrip() + "…"


NOT_A_NEW_CASE = "Only a case awaiting its first panel can be adopted or not adopted."
NOT_ADOPTED_REASON_NEEDED = "Say why the panel did not adopt the case"
NOT_ADOPTED_SIGNPOST_NEEDED = "Select the better route for the case"


@transaction.atomic
def case_adopt(*, case_id: int, by, version: int, meeting) -> Case:
    """The panel adopts a new case: it becomes active on the pathway. Its level at adoption
    is its level now: the one a review at this meeting agreed, if the panel reviewed it first
    (a review later at the same meeting records its level instead: panel/reviews.py)."""
    case = _lock_case(case_id, version, by)
    if case.status != CaseStatus.AWAITING_PANEL:
        raise ValidationError(NOT_A_NEW_CASE)
    case.status = CaseStatus.ACTIVE
    case.risk_level_at_adoption = case.risk_level
    _save(case, by)
    record_event(
        case,
        f"Adopted by the panel meeting of {meeting.date:%-d %B %Y}",
        by,
        meeting=meeting,
        kind=EventKind.PATHWAY,
    )
    return case


@transaction.atomic
def case_not_adopt(
    *, case_id: int, by, version: int, meeting, reason: str, signpost: str
) -> Closure:
    """The panel does not adopt a new case; its place goes to the first waiting referral."""
    errors = {}
    if not reason.strip():
        errors["reason"] = NOT_ADOPTED_REASON_NEEDED
    if not signpost:
        errors["signpost"] = NOT_ADOPTED_SIGNPOST_NEEDED
    if errors:
        raise ValidationError(errors)
    pathway = _lock_pathway()
    case = _lock_case(case_id, version, by)
    if case.status != CaseStatus.AWAITING_PANEL:
        raise ValidationError(NOT_A_NEW_CASE)
    case.status = CaseStatus.NOT_ADOPTED
    case.closed_at = timezone.now()  # when it left the caseload
    case.not_adopted_reason = reason.strip()
    case.not_adopted_signpost = signpost
    _save(case, by)
    record_event(
        case,
        f"Not adopted by the panel meeting of {meeting.date:%-d %B %Y}: {reason.strip()} "
        f"Better route: {case.get_not_adopted_signpost_display()}.",
        by,
        meeting=meeting,
        kind=EventKind.PATHWAY,
    )
    return Closure(case, _admit_waiting(pathway, by))


LEAD_AGENCY_STAYS_INVOLVED = "The lead agency stays involved: appoint another lead first."
LEAVING_AGENCY_OWNS_ACTIONS = (
    "{agency} still owns {count} open action{s} on this case ({references}): {its_owner} must "
    "mark {them} done, could not be done, or no longer needed before {agency} leaves."
)


@transaction.atomic
def case_set_agencies(*, case_id: int, by, version: int, agencies) -> Case:
    """Set the agencies involved. Those who join see the case; those who leave lose access to
    everything on it at once. An agency that owns open actions cannot leave until its actions
    are reassigned or closed."""
    case = _lock_case(case_id, version, by)
    require_on_caseload(case)
    wanted = set(agencies)
    if case.lead_agency and case.lead_agency not in wanted:
        raise ValidationError({"agencies": LEAD_AGENCY_STAYS_INVOLVED})
    current = set(case.involved_agencies.all())
    if wanted == current:
        return case
    leaving = sorted(current - wanted, key=str)
    still_open = open_actions(case, owner_agency__in=leaving)  # one query for all who leave
    problems = []
    for agency in leaving:
        owned = [action for action in still_open if action.owner_agency_id == agency.pk]
        if owned:
            problems.append(
                LEAVING_AGENCY_OWNS_ACTIONS.format(
                    agency=agency.name,
                    count=len(owned),
                    s="" if len(owned) == 1 else "s",
                    references=", ".join(action.reference for action in owned),
                    them="it" if len(owned) == 1 else "them",
                    its_owner="its owner" if len(owned) == 1 else "their owner",
                )
            )
    if problems:
        raise ValidationError({"agencies": problems})
    _save(case, by)
    case.involved_agencies.set(wanted)
    permissions.sync_case_access(case)
    changes = [f"{a.name} joined" for a in sorted(wanted - current, key=str)]
    changes += [f"{a.name} left" for a in sorted(current - wanted, key=str)]
    record_event(
        case,
        "Agencies involved: " + "; ".join(changes),
        by,
        meeting=decided_at(case),
        kind=EventKind.AGENCIES,
    )
    return case


MDT_DATE_NEEDED = "Enter the date of the MDT meeting"


@transaction.atomic
def mdt_record(*, case_id: int, by, held_on, invited, attended, notes: str) -> MDTMeeting:
    """Record an MDT meeting the coordinator called about one case."""
    if held_on is None:
        raise ValidationError({"held_on": MDT_DATE_NEEDED})
    permissions.require_running_the_panel(by)
    case = Case.objects.select_for_update().get(pk=case_id)
    require_on_caseload(case)
    mdt = MDTMeeting(case=case, held_on=held_on, notes=notes, called_by=by)
    mdt._history_user = by
    mdt.save()
    mdt.invited.set(invited)
    mdt.attended.set(attended)
    names = ", ".join(sorted(agency.short_name for agency in attended)) or "no agency recorded"
    record_event(
        case,
        f"MDT meeting held {held_on:%-d %B %Y} (attended: {names})",
        by,
        kind=EventKind.MEETINGS,
    )
    return mdt
