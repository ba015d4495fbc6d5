"""The case's shared risk assessment and plan: its risks (scored, with their plan), the
person's voice, their capacity per decision and what agencies have tried
(docs/risk-assessment.md).

One service per change, each in a transaction, checking itself that the user runs the panel
and the case is on the caseload; a record edited from a page is saved only at the version the
page showed (caspa.core.locking). Every change is in the record's history with the user and
in the case's chronology, in words a person reads. The reads the case page needs are at the
end.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caspa.core.locking import lock_at_version, save_as
from panel import permissions
from panel.chronology import EventKind, decided_at, record_event
from panel.models import (
    CapacityAssessment,
    CapacityOutcome,
    Case,
    DesiredOutcome,
    Intervention,
    Risk,
    RiskBand,
    RiskTo,
)
from panel.rules import risk as risk_rules
from panel.selectors import actions_of, capacity_of, interventions_of, outcomes_of, risks_of
from panel.services import require_on_caseload
from referrals.choices import Need

DESCRIPTION_NEEDED = "Say what could happen"
AGENCY_NOT_INVOLVED = "The agency must be one of the agencies involved in the case"
TO_WHOM_UNKNOWN = "Select who could be harmed from the list"
NEED_UNKNOWN = "Select the need from the list"
ALREADY_RETIRED = "This risk is already retired."
RETIRED_REASON_NEEDED = "Say why the risk is retired"
OUTCOME_NEEDED = "Enter what the person wants to achieve, in their words"
DECISION_NEEDED = "Enter the decision the person's capacity was assessed for"
ASSESSED_BY_NEEDED = "Enter who assessed, with their role"
ASSESSED_ON_NEEDED = "Enter the date of the assessment"
ASSESSED_IN_FUTURE = "The date of the assessment must be today or in the past"
CAPACITY_OUTCOME_NEEDED = "Select the outcome of the assessment"
WHAT_NEEDED = "Say what was offered or done"
UNTIL_BEFORE_FROM = "The date it ended must be the same as or after the date it started"

# How much of a description a chronology line quotes.
QUOTED = 60

# A risk's fields a person edits, with the words a chronology line uses for each.
RISK_FIELDS = {
    "description": "what could happen",
    "to_whom": "to whom",
    "need": "the need",
    "likelihood": "likelihood",
    "severity": "severity",
    "warning_signs": "warning signs",
    "protective_factors": "protective factors",
    "source_agency": "information from",
    "monitored_by": "monitored by",
    "monitoring_officer": "monitoring officer",
    "contingency_trigger": "if this happens",
    "contingency_response": "who does what",
    "out_of_hours_contact": "out of hours contact",
}
INTERVENTION_FIELDS = {
    "agency": "agency",
    "what": "what was done",
    "started_on": "from",
    "ended_on": "until",
    "what_happened": "what happened",
}


def quoted(text: str) -> str:
    """A description as a chronology line quotes it: its first 60 characters."""
    text = " ".join(text.split())
    return f"'{text if len(text) <= QUOTED else text[: QUOTED - 1].rstrip() + '…'}'"


def scored(likelihood: int, severity: int) -> str:
    """'high (16)'"""
    value = risk_rules.score(likelihood=likelihood, severity=severity)
    return f"{RiskBand(risk_rules.band_for_score(value)).label.lower()} ({value})"


def _on_day(day: date | None) -> str:
    return f"{day:%-d %B %Y}" if day else ""


def _case_for_change(case_id: int, by) -> Case:
    """The case, locked, if the user runs the panel and the case is on the caseload."""
    permissions.require_running_the_panel(by)
    case = Case.objects.select_for_update().get(pk=case_id)
    require_on_caseload(case)
    return case


def _involved_ids(case: Case) -> set[int]:
    return set(case.involved_agencies.values_list("pk", flat=True))


def _risk_problems(case: Case, fields: dict, before: Risk | None = None) -> dict:
    """What is wrong with a risk as the user would have it. On a change, the agency the
    information came from is checked only if it changes: an agency that has left the case
    still gave it."""
    problems = {}
    if not (fields.get("description") or "").strip():
        problems["description"] = DESCRIPTION_NEEDED
    for name in ("likelihood", "severity"):
        if fields.get(name) not in risk_rules.SCALE:
            problems[name] = risk_rules.OUT_OF_SCALE
    if any(value not in RiskTo.values for value in fields.get("to_whom") or ()):
        problems["to_whom"] = TO_WHOM_UNKNOWN
    if (fields.get("need") or "") not in ("", *Need.values):
        problems["need"] = NEED_UNKNOWN
    involved = _involved_ids(case)
    for name in ("source_agency", "monitored_by"):
        agency = fields.get(name)
        unchanged = (
            before is not None and name == "source_agency" and agency == before.source_agency
        )
        if agency is not None and agency.pk not in involved and not unchanged:
            problems[name] = AGENCY_NOT_INVOLVED
    return problems


TEXT_FIELDS = set(RISK_FIELDS) - {
    "to_whom",
    "likelihood",
    "severity",
    "source_agency",
    "monitored_by",
}


def _clean_risk(fields: dict) -> dict:
    cleaned = {name: fields.get(name) for name in RISK_FIELDS}
    for name in TEXT_FIELDS:
        cleaned[name] = (cleaned[name] or "").strip()
    wanted = fields.get("to_whom") or ()
    cleaned["to_whom"] = [value for value in RiskTo.values if value in wanted]
    return cleaned


# --- risks ---------------------------------------------------------------------------------


@transaction.atomic
def risk_add(
    *,
    case_id: int,
    by,
    description: str,
    likelihood: int,
    severity: int,
    to_whom=(),
    need: str = "",
    warning_signs: str = "",
    protective_factors: str = "",
    source_agency=None,
    monitored_by=None,
    monitoring_officer: str = "",
    contingency_trigger: str = "",
    contingency_response: str = "",
    out_of_hours_contact: str = "",
) -> Risk:
    """A new risk in the case's assessment, scored on the two 1-5 scales, raised today."""
    fields = dict(locals())
    case = _case_for_change(case_id, by)
    problems = _risk_problems(case, fields)
    if problems:
        raise ValidationError(problems)
    risk = Risk(case=case, raised_on=timezone.localdate(), raised_by=by, **_clean_risk(fields))
    risk._history_user = by
    risk.save()
    whom = f" (to {risk.to_whom_display()})" if risk.to_whom else ""
    record_event(
        case,
        f"Risk added: {quoted(risk.description)}{whom}, likelihood {risk.likelihood}, "
        f"severity {risk.severity}: {scored(risk.likelihood, risk.severity)}",
        by,
        meeting=decided_at(case),
        kind=EventKind.ASSESSMENT,
    )
    return risk


def _lock_risk(risk_id: int, version: int, by) -> Risk:
    permissions.require_running_the_panel(by)
    risk = lock_at_version(Risk.objects.select_related("case"), pk=risk_id, version=version)
    require_on_caseload(risk.case)
    return risk


@transaction.atomic
def risk_change(*, risk_id: int, by, version: int, **fields) -> Risk:
    """Re-score a current risk, or change anything else about it or its plan. Each field not
    given stays as it is."""
    unknown = set(fields) - set(RISK_FIELDS)
    if unknown:
        raise TypeError(f"risk_change() got unexpected fields {sorted(unknown)}")
    risk = _lock_risk(risk_id, version, by)
    if not risk.is_current:
        raise ValidationError(ALREADY_RETIRED)
    wanted = {name: getattr(risk, name) for name in RISK_FIELDS} | fields
    problems = _risk_problems(risk.case, wanted, before=risk)
    if problems:
        raise ValidationError(problems)
    wanted = _clean_risk(wanted)
    changed = [name for name, value in wanted.items() if getattr(risk, name) != value]
    if not changed:
        return risk
    before = (risk.likelihood, risk.severity, risk.description)
    for name in changed:
        setattr(risk, name, wanted[name])
    save_as(risk, by=by)
    rescored = {"likelihood", "severity"} & set(changed)
    others = [RISK_FIELDS[name] for name in changed if name not in rescored]
    if rescored:
        line = f"Risk re-scored: {quoted(before[2])} {scored(*before[:2])} → " + scored(
            risk.likelihood, risk.severity
        )
        if others:
            line += f"; also changed: {', '.join(others)}"
    else:
        line = f"Risk changed: {quoted(before[2])}: {', '.join(others)}"
    record_event(risk.case, line, by, meeting=decided_at(risk.case), kind=EventKind.ASSESSMENT)
    return risk


@transaction.atomic
def risk_retire(*, risk_id: int, by, version: int, reason: str) -> Risk:
    """The risk no longer applies: kept, with why, and out of the case's level."""
    risk = _lock_risk(risk_id, version, by)
    if not risk.is_current:
        raise ValidationError(ALREADY_RETIRED)
    if not (reason or "").strip():
        raise ValidationError({"reason": RETIRED_REASON_NEEDED})
    risk.retired_on = timezone.localdate()
    risk.retired_reason = reason.strip()
    save_as(risk, by=by)
    record_event(
        risk.case,
        f"Risk retired: {quoted(risk.description)} (was {scored(risk.likelihood, risk.severity)})"
        f": {risk.retired_reason}",
        by,
        meeting=decided_at(risk.case),
        kind=EventKind.ASSESSMENT,
    )
    return risk


# --- the person's voice --------------------------------------------------------------------


@transaction.atomic
def persons_views_revise(*, case_id: int, by, version: int, persons_views: str) -> Case:
    """The person's views and wishes, in their words where possible, as they are now."""
    permissions.require_running_the_panel(by)
    case = lock_at_version(Case.objects, pk=case_id, version=version)
    require_on_caseload(case)
    persons_views = (persons_views or "").strip()
    if persons_views == case.persons_views:
        return case
    case.persons_views = persons_views
    save_as(case, by=by, update_fields=["persons_views"])
    said = f": {quoted(persons_views)}" if persons_views else ": now blank"
    record_event(
        case, f"The person's views and wishes revised{said}", by, kind=EventKind.ASSESSMENT
    )
    return case


@transaction.atomic
def desired_outcome_add(*, case_id: int, by, outcome: str) -> DesiredOutcome:
    """Something the person wants to achieve (Making Safeguarding Personal)."""
    case = _case_for_change(case_id, by)
    if not (outcome or "").strip():
        raise ValidationError({"outcome": OUTCOME_NEEDED})
    desired = DesiredOutcome(
        case=case, outcome=outcome.strip(), added_on=timezone.localdate(), added_by=by
    )
    desired._history_user = by
    desired.save()
    record_event(
        case, f"Desired outcome added: {quoted(desired.outcome)}", by, kind=EventKind.ASSESSMENT
    )
    return desired


@transaction.atomic
def desired_outcome_change(*, outcome_id: int, by, version: int, outcome: str) -> DesiredOutcome:
    """The person's words for an outcome, revised. (Whether it was achieved is marked when
    the case leaves the pathway.)"""
    permissions.require_running_the_panel(by)
    desired = lock_at_version(
        DesiredOutcome.objects.select_related("case"), pk=outcome_id, version=version
    )
    require_on_caseload(desired.case)
    if not (outcome or "").strip():
        raise ValidationError({"outcome": OUTCOME_NEEDED})
    before = desired.outcome
    if outcome.strip() == before:
        return desired
    desired.outcome = outcome.strip()
    save_as(desired, by=by)
    record_event(
        desired.case,
        f"Desired outcome revised: {quoted(before)} → {quoted(desired.outcome)}",
        by,
        kind=EventKind.ASSESSMENT,
    )
    return desired


# --- mental capacity -----------------------------------------------------------------------


@transaction.atomic
def capacity_record(
    *,
    case_id: int,
    by,
    decision: str,
    assessed_by: str,
    assessed_on: date | None,
    outcome: str,
    notes: str = "",
) -> CapacityAssessment:
    """The person's capacity for one decision: who assessed, when, and what they found."""
    case = _case_for_change(case_id, by)
    problems = {}
    if not (decision or "").strip():
        problems["decision"] = DECISION_NEEDED
    if not (assessed_by or "").strip():
        problems["assessed_by"] = ASSESSED_BY_NEEDED
    if assessed_on is None:
        problems["assessed_on"] = ASSESSED_ON_NEEDED
    elif assessed_on > timezone.localdate():
        problems["assessed_on"] = ASSESSED_IN_FUTURE
    if outcome not in CapacityOutcome.values:
        problems["outcome"] = CAPACITY_OUTCOME_NEEDED
    if problems:
        raise ValidationError(problems)
    assessment = CapacityAssessment(
        case=case,
        decision=decision.strip(),
        assessed_by=assessed_by.strip(),
        assessed_on=assessed_on,
        outcome=outcome,
        notes=(notes or "").strip(),
        recorded_by=by,
    )
    assessment._history_user = by
    assessment.save()
    record_event(
        case,
        f"Mental capacity recorded for the decision {quoted(assessment.decision)}: "
        f"{assessment.get_outcome_display().lower()} (assessed by {assessment.assessed_by}, "
        f"{_on_day(assessed_on)})",
        by,
        kind=EventKind.ASSESSMENT,
    )
    return assessment


# --- what has been tried -------------------------------------------------------------------


def _intervention_problems(case: Case, fields: dict, before: Intervention | None = None) -> dict:
    """On a change, the agency is checked only if it changes: what an agency did stays on
    the record after it leaves the case."""
    problems = {}
    agency = fields.get("agency")
    unchanged = before is not None and agency == before.agency
    if agency is None or (agency.pk not in _involved_ids(case) and not unchanged):
        problems["agency"] = AGENCY_NOT_INVOLVED
    if not (fields.get("what") or "").strip():
        problems["what"] = WHAT_NEEDED
    started_on, ended_on = fields.get("started_on"), fields.get("ended_on")
    if started_on and ended_on and ended_on < started_on:
        problems["ended_on"] = UNTIL_BEFORE_FROM
    return problems


def _when(intervention: Intervention) -> str:
    if intervention.started_on and intervention.ended_on:
        return f"{_on_day(intervention.started_on)} to {_on_day(intervention.ended_on)}"
    if intervention.started_on:
        return f"from {_on_day(intervention.started_on)}, ongoing"
    if intervention.ended_on:
        return f"until {_on_day(intervention.ended_on)}"
    return "ongoing"


@transaction.atomic
def intervention_record(
    *,
    case_id: int,
    by,
    agency,
    what: str,
    started_on: date | None = None,
    ended_on: date | None = None,
    what_happened: str = "",
) -> Intervention:
    """What an agency has offered or done for the person, so the panel does not start again."""
    case = _case_for_change(case_id, by)
    fields = {"agency": agency, "what": what, "started_on": started_on, "ended_on": ended_on}
    problems = _intervention_problems(case, fields)
    if problems:
        raise ValidationError(problems)
    intervention = Intervention(
        case=case,
        agency=agency,
        what=what.strip(),
        started_on=started_on,
        ended_on=ended_on,
        what_happened=(what_happened or "").strip(),
        recorded_by=by,
    )
    intervention._history_user = by
    intervention.save()
    record_event(
        case,
        f"What has been tried: {agency.short_name}, {quoted(intervention.what)} "
        f"({_when(intervention)})",
        by,
        kind=EventKind.ASSESSMENT,
    )
    return intervention


@transaction.atomic
def intervention_change(*, intervention_id: int, by, version: int, **fields) -> Intervention:
    """An intervention's details, or what came of it, as they are now. Each field not given
    stays as it is."""
    unknown = set(fields) - set(INTERVENTION_FIELDS)
    if unknown:
        raise TypeError(f"intervention_change() got unexpected fields {sorted(unknown)}")
    permissions.require_running_the_panel(by)
    intervention = lock_at_version(
        Intervention.objects.select_related("case", "agency"), pk=intervention_id, version=version
    )
    require_on_caseload(intervention.case)
    wanted = {name: getattr(intervention, name) for name in INTERVENTION_FIELDS} | fields
    problems = _intervention_problems(intervention.case, wanted, before=intervention)
    if problems:
        raise ValidationError(problems)
    for name in ("what", "what_happened"):
        wanted[name] = (wanted[name] or "").strip()
    changed = [name for name, value in wanted.items() if getattr(intervention, name) != value]
    if not changed:
        return intervention
    before = f"{intervention.agency.short_name}, {quoted(intervention.what)}"
    for name in changed:
        setattr(intervention, name, wanted[name])
    save_as(intervention, by=by)
    record_event(
        intervention.case,
        f"What has been tried, changed: {before}: "
        f"{', '.join(INTERVENTION_FIELDS[name] for name in changed)} ({_when(intervention)})",
        by,
        kind=EventKind.ASSESSMENT,
    )
    return intervention


# --- reads for the case page ---------------------------------------------------------------


@dataclass
class AgencyInterventions:
    agency: object
    interventions: list = field(default_factory=list)


@dataclass
class Assessment:
    """The case's assessment and plan as its page shows it."""

    case: Case
    risks: list
    retired: list
    derived_level: str | None
    desired_outcomes: list
    capacity: list
    interventions_by_agency: list
    can_change: bool

    def get_derived_level_display(self) -> str:
        return RiskBand(self.derived_level).label if self.derived_level else ""


def assessment_for_page(case: Case, *, can_change: bool) -> Assessment:
    """`can_change`: whether the page offers the links to change it (the view asks the
    permission door; the services check again)."""
    risks = risks_of(case)
    # Each card lists its mitigations: the case's actions, read once (panel.selectors).
    for risk in risks:
        risk.mitigation_list = [action for action in actions_of(case) if action.risk_id == risk.pk]
    current = [risk for risk in risks if risk.is_current]
    current.sort(key=lambda risk: (-risk.score, risk.pk))
    by_agency: dict[int, AgencyInterventions] = {}
    for intervention in interventions_of(case):
        group = by_agency.setdefault(
            intervention.agency_id, AgencyInterventions(intervention.agency)
        )
        group.interventions.append(intervention)
    return Assessment(
        case=case,
        risks=current,
        retired=[risk for risk in risks if not risk.is_current],
        derived_level=risk_rules.derived_level(risk.band for risk in current),
        desired_outcomes=outcomes_of(case),
        capacity=capacity_of(case),
        interventions_by_agency=sorted(by_agency.values(), key=lambda group: group.agency.name),
        can_change=can_change,
    )
