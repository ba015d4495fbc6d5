"""Everything CASPA holds about one person, gathered in one read: what a subject access export
prints and what anonymising after retention rewrites (docs/subject-access-and-retention.md).

The person's record and any merged into it; their referrals and the coordinator's questions;
their cases with the chronology, the risk assessment and plan (risks, desired outcomes,
capacity, interventions, reviews), MDT meetings, lead disagreements, agencies' returns;
actions with their updates and escalations; the agenda items about their cases with the
amendments to their minutes; every simple-history row of all of these; and every record of
who read them. The number of queries is fixed by the kinds of record, never by how many there
are (a test holds it to that).

Agenda items of other business, other cases' items and the meetings themselves are not about
the person, so they are not here; a meeting's approved minutes are read only for the items
about the person's cases (`approved_minutes`).
"""

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q

from actions.models import Action, ActionUpdate, Escalation
from audit.models import RecordRead
from panel.models import (
    AgencyReturn,
    AgendaItem,
    CapacityAssessment,
    Case,
    CaseEvent,
    DesiredOutcome,
    Intervention,
    LeadDisagreement,
    LeadPosition,
    MDTMeeting,
    MinutesAmendment,
    MinutesStatus,
    Risk,
    RiskReview,
)
from referrals.models import Person, Referral, ScreeningQuestion


@dataclass(frozen=True)
class Kind:
    """One kind of record held about the person, in the order the export shows them."""

    key: str
    title: str
    model: type[models.Model]


KINDS = (
    Kind("people", "Person record", Person),
    Kind("referrals", "Referrals", Referral),
    Kind("screening_questions", "Questions asked at screening, and the answers", ScreeningQuestion),
    Kind("cases", "Cases", Case),
    Kind("chronology", "Chronology", CaseEvent),
    Kind("risks", "Risk assessment: the risks and the plan", Risk),
    Kind("desired_outcomes", "Desired outcomes", DesiredOutcome),
    Kind("capacity_assessments", "Mental capacity assessments", CapacityAssessment),
    Kind("interventions", "What agencies have tried", Intervention),
    Kind("reviews", "Reviews of the risk assessment", RiskReview),
    Kind("mdt_meetings", "MDT meetings", MDTMeeting),
    Kind("lead_disagreements", "Disagreements over the lead agency", LeadDisagreement),
    Kind("lead_positions", "Each agency's position on the lead", LeadPosition),
    Kind("returns", "Agencies' returns", AgencyReturn),
    Kind("actions", "Actions", Action),
    Kind("action_updates", "Updates on actions", ActionUpdate),
    Kind("escalations", "Escalations of actions", Escalation),
    Kind("agenda_items", "Panel meeting agenda items and their minutes", AgendaItem),
    Kind("minutes_amendments", "Amendments to the minutes", MinutesAmendment),
)


@dataclass
class PersonRecords:
    person: Person
    records: dict[str, list[models.Model]]  # Kind.key to the records of that kind
    history: dict[str, list[models.Model]] = field(default_factory=dict)  # Kind.key to rows
    reads: list[RecordRead] = field(default_factory=list)
    # (meeting, the approved minutes' entry for one item about the person's case)
    approved_minutes: list[tuple[object, dict]] = field(default_factory=list)

    def __getitem__(self, key: str) -> list[models.Model]:
        return self.records[key]

    def every_record(self) -> list[models.Model]:
        return [record for kind in KINDS for record in self.records[kind.key]]

    def case_ids(self) -> list[int]:
        return [case.pk for case in self.records["cases"]]


def _ids(records) -> list[int]:
    return [record.pk for record in records]


def person_records(person: Person) -> PersonRecords:
    """Everything held about `person` (and the records merged into it)."""
    people = list(Person.objects.filter(Q(pk=person.pk) | Q(merged_into=person)).order_by("pk"))
    people_ids = _ids(people)
    referrals = list(
        Referral.objects.filter(person__in=people_ids)
        .prefetch_related("agencies_involved")
        .order_by("created_at", "pk")
    )
    referral_ids = _ids(referrals)
    cases = list(
        Case.objects.filter(person__in=people_ids)
        .prefetch_related("involved_agencies")
        .order_by("waiting_since", "pk")
    )
    case_ids = _ids(cases)
    on_cases = {"case__in": case_ids}
    disagreements = list(LeadDisagreement.objects.filter(**on_cases))
    actions = list(Action.objects.filter(**on_cases).order_by("due_on", "pk"))
    action_ids = _ids(actions)
    items = list(
        AgendaItem.objects.filter(**on_cases).select_related("meeting").order_by("meeting__date")
    )
    records = {
        "people": people,
        "referrals": referrals,
        "screening_questions": list(ScreeningQuestion.objects.filter(referral__in=referral_ids)),
        "cases": cases,
        "chronology": list(CaseEvent.objects.filter(**on_cases).order_by("happened_at", "pk")),
        "risks": list(Risk.objects.filter(**on_cases).order_by("raised_on", "pk")),
        "desired_outcomes": list(DesiredOutcome.objects.filter(**on_cases)),
        "capacity_assessments": list(CapacityAssessment.objects.filter(**on_cases)),
        "interventions": list(Intervention.objects.filter(**on_cases)),
        "reviews": list(RiskReview.objects.filter(**on_cases)),
        "mdt_meetings": list(
            MDTMeeting.objects.filter(**on_cases).prefetch_related("invited", "attended")
        ),
        "lead_disagreements": disagreements,
        "lead_positions": list(LeadPosition.objects.filter(disagreement__in=_ids(disagreements))),
        "returns": list(AgencyReturn.objects.filter(**on_cases).order_by("due_on", "pk")),
        "actions": actions,
        "action_updates": list(
            ActionUpdate.objects.filter(action__in=action_ids).order_by("written_at", "pk")
        ),
        "escalations": list(Escalation.objects.filter(action__in=action_ids)),
        "agenda_items": items,
        "minutes_amendments": list(
            MinutesAmendment.objects.filter(item__in=_ids(items)).order_by("pk")
        ),
    }
    held = PersonRecords(person=person, records=records)
    held.history = _history(records)
    held.reads = _reads(records)
    held.approved_minutes = _approved_minutes(items, set(case_ids))
    return held


def _history(records: dict[str, list[models.Model]]) -> dict[str, list[models.Model]]:
    """Every simple-history row of every record held, oldest first: one query a kind."""
    history = {}
    for kind in KINDS:
        manager = getattr(kind.model, "history", None)
        if manager is None or not hasattr(manager, "model"):
            continue
        ids = _ids(records[kind.key])
        history[kind.key] = (
            list(manager.filter(id__in=ids).order_by("id", "history_date", "history_id"))
            if ids
            else []
        )
    return history


def history_model(kind: Kind):
    """The simple-history model of a kind of record, or None for a kind without history."""
    manager = getattr(kind.model, "history", None)
    return manager.model if manager is not None and hasattr(manager, "model") else None


def _reads(records: dict[str, list[models.Model]]) -> list[RecordRead]:
    """Who read any of the records, and when: one query."""
    condition = Q(pk__in=[])
    for kind in KINDS:
        ids = _ids(records[kind.key])
        if ids:
            condition |= Q(record_type=kind.model._meta.label_lower, record_id__in=ids)
    return list(RecordRead.objects.filter(condition).order_by("read_at", "pk"))


def _approved_minutes(items: list[AgendaItem], case_ids: set[int]) -> list[tuple[object, dict]]:
    """The approved minutes' entries for the items about the person's cases, as the chair
    approved them (the meetings come with the items: no further query)."""
    found = []
    seen = set()
    for item in items:
        meeting = item.meeting
        if meeting.pk in seen or meeting.minutes_status != MinutesStatus.APPROVED:
            continue
        seen.add(meeting.pk)
        for entry in (meeting.minutes_record or {}).get("items", []):
            if entry.get("case_id") in case_ids:
                found.append((meeting, entry))
    return found
