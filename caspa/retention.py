"""Retention: a person whose every case closed more than `RETENTION_YEARS_AFTER_CLOSURE` years
ago (6 by default), with no referral still open, is listed for the coordinator to review; the
coordinator may then anonymise what is held about them (docs/subject-access-and-retention.md).

Anonymising replaces who the person is (names, date of birth, NHS number, address, the people
around them) and every piece of free text about them with "[anonymised]", and removes the
history rows that hold the old values. It keeps every date, status, choice, agency, level,
outcome and count, so every figure on the dashboard is the same before and after (a test
compares them), and every reference, so the audit of who read what still points somewhere.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from caspa.core import documents
from caspa.person_records import KINDS, PersonRecords, history_model, person_records
from panel.chronology import record_event
from panel.models import Case, CaseStatus, EventKind, ItemDraft, PanelMeeting
from referrals.choices import Status
from referrals.models import Person, Referral
from referrals.permissions import person_for_rights, require_answering_persons_rights
from referrals.rules import matching

ANONYMISED = "[anonymised]"
ENDED = (CaseStatus.CLOSED, CaseStatus.NOT_ADOPTED)
OPEN_REFERRAL = (Status.DRAFT, Status.SUBMITTED, Status.MORE_INFORMATION)

OPEN_CASE = "{ref} has a case still open ({case}), so nothing about them can be anonymised."
RECENT_CASE = (
    "{case} closed less than {years} years ago, so {ref} is not yet past the retention period."
)
OPEN_REFERRAL_HELD = (
    "{ref} has a referral still open ({referral}), so nothing about them can be anonymised."
)
NO_CASE = "{ref} has never had a case, so the retention period after closure does not apply."
ALREADY = "{ref} has already been anonymised."
MERGED = "{ref} was merged into {into}: anonymise {into} instead."

# What anonymising replaces, by record: who the person is, and every piece of free text about
# them. Dates, statuses, choices, agencies, levels and outcomes stay: the dashboard counts them.
ANONYMISED_FIELDS = {
    "people": ("family_name", "given_names", "other_names", "date_of_birth", "nhs_number"),
    "referrals": (
        "family_name",
        "given_names",
        "other_names",
        "date_of_birth",
        "nhs_number",
        "address",
        "lives_with",
        "ethnicity_not_known_reason",
        "gender_description",
        "preferred_language",
        "disability",
        "communication_needs",
        "needs",
        "risk_description",
        "why_critical_now",
        "tried_so_far",
        "safety_plan",
        "interim_plan",
        "interim_plan_why_not",
        "persons_views",
        "consent_detail",
        "capacity_conclusion",
        "risk_tools",
        "risk_tools_none_reason",
        "referrer_name",
        "referrer_role",
        "referrer_phone",
        "referrer_email",
        "referrer_availability",
        "more_information_question",
        "decline_reason",
        "signpost_detail",
    ),
    "screening_questions": ("question", "answer"),
    "cases": (
        "lead_officer",
        "risk_level_reason",
        "persons_views",
        "outcome_detail",
        "handover_plan",
        "handover_contingency",
        "step_down_override_reason",
        "not_adopted_reason",
    ),
    "chronology": ("summary",),
    "risks": (
        "description",
        "warning_signs",
        "protective_factors",
        "monitoring_officer",
        "contingency_trigger",
        "contingency_response",
        "out_of_hours_contact",
        "retired_reason",
    ),
    "desired_outcomes": ("outcome", "achievement_note"),
    "capacity_assessments": ("decision", "assessed_by", "notes"),
    "interventions": ("what", "what_happened"),
    "reviews": ("level_reason", "snapshot"),
    "mdt_meetings": ("notes",),
    "lead_disagreements": ("reason",),
    "lead_positions": ("position",),
    "returns": ("contact", "changes", "risks", "progress"),
    "actions": ("description", "owner_officer", "manual_escalation_reason"),
    "action_updates": ("note",),
    "escalations": ("reason", "response"),
    "agenda_items": ("notes", "minute"),
    "minutes_amendments": ("previous_minute", "minute"),
}

# In the JSON kept with a record (a review's snapshot, a meeting's approved minutes), the keys
# whose text is a code, a date, a reference or an agency: kept. Any other text is replaced.
KEPT_KEYS = ("kind", "status", "band", "level", "need", "reference", "standing", "outcome")
KEPT_KEY_ENDINGS = ("_on", "_at", "_id", "agency", "reference", "date", "to_whom", "achievement")


def retention_years() -> int:
    return settings.RETENTION_YEARS_AFTER_CLOSURE


def retention_cutoff(now: datetime, years: int) -> datetime:
    """A case that closed before this instant is past the retention period."""
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February, in a year that has none
        return now.replace(year=now.year - years, day=28)


# --- the rule -------------------------------------------------------------------------------


def retention_problem(
    *,
    reference: str,
    anonymised: bool,
    merged_into: str,
    open_referral: str,
    cases: list[tuple[str, str, datetime | None]],  # (reference, status, closed_at)
    cutoff: datetime,
    years: int,
) -> str:
    """Why this person's records may not be anonymised now, or "" when they may."""
    if merged_into:
        return MERGED.format(ref=reference, into=merged_into)
    if anonymised:
        return ALREADY.format(ref=reference)
    if open_referral:
        return OPEN_REFERRAL_HELD.format(ref=reference, referral=open_referral)
    if not cases:
        return NO_CASE.format(ref=reference)
    for case, status, closed_at in cases:
        if status not in ENDED or closed_at is None:
            return OPEN_CASE.format(ref=reference, case=case)
    for case, _, closed_at in cases:
        if closed_at >= cutoff:
            return RECENT_CASE.format(case=case, years=years, ref=reference)
    return ""


def is_anonymised(person: Person) -> bool:
    return person.family_name == ANONYMISED


# --- reads ----------------------------------------------------------------------------------


def people_past_retention(*, now: datetime | None = None) -> QuerySet[Person]:
    """The people for the retention review: every case of theirs ended before the cutoff, no
    referral open, not merged into another record, not already anonymised."""
    cutoff = retention_cutoff(now or timezone.now(), retention_years())
    cases = Case.objects.filter(person=OuterRef("pk"))
    return (
        Person.objects.filter(merged_into__isnull=True)
        .exclude(family_name=ANONYMISED)
        .filter(Exists(cases))
        .exclude(Exists(cases.exclude(status__in=ENDED, closed_at__lt=cutoff)))
        .exclude(Exists(Referral.objects.filter(person=OuterRef("pk"), status__in=OPEN_REFERRAL)))
        .annotate(last_closed_at=models.Max("cases__closed_at"), case_count=models.Count("cases"))
        .order_by("last_closed_at", "pk")
    )


@dataclass(frozen=True)
class Preview:
    """What anonymising one person would change: each kind of record and its fields."""

    held: PersonRecords
    problem: str
    changes: list[tuple[str, int, list[str]]]  # (kind's title, records, field labels)
    history_rows: int


def retention_preview(*, by, person: Person, now: datetime | None = None) -> Preview:
    require_answering_persons_rights(by)
    held = person_records(person)
    changes = []
    for kind in KINDS:
        records = held[kind.key]
        if records and kind.key in ANONYMISED_FIELDS:
            labels = [
                str(kind.model._meta.get_field(name).verbose_name)
                for name in ANONYMISED_FIELDS[kind.key]
            ]
            changes.append((kind.title, len(records), labels))
    return Preview(
        held=held,
        problem=_problem(person, held, now or timezone.now()),
        changes=changes,
        history_rows=sum(len(rows) for rows in held.history.values()),
    )


def _problem(person: Person, held: PersonRecords, now: datetime) -> str:
    open_referral = next((r.reference for r in held["referrals"] if r.status in OPEN_REFERRAL), "")
    return retention_problem(
        reference=person.reference,
        anonymised=is_anonymised(person),
        merged_into=person.merged_into.reference if person.merged_into_id else "",
        open_referral=open_referral,
        cases=[(c.reference, c.status, c.closed_at) for c in held["cases"]],
        cutoff=retention_cutoff(now, retention_years()),
        years=retention_years(),
    )


# --- the change -----------------------------------------------------------------------------


def scrubbed(value, key: str = ""):
    """JSON kept with a record, its free text replaced (codes, dates and references kept)."""
    if isinstance(value, dict):
        return {k: scrubbed(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [scrubbed(v, key) for v in value]
    if isinstance(value, str) and value and not _kept(key):
        return ANONYMISED
    return value


def _kept(key: str) -> bool:
    return key in KEPT_KEYS or key.endswith(KEPT_KEY_ENDINGS)


def _anonymised_value(record, name: str):
    model_field = record._meta.get_field(name)
    value = getattr(record, name)
    if value in (None, "", [], {}):
        return value
    if isinstance(model_field, models.DateField):
        return None
    if isinstance(model_field, models.JSONField):
        return scrubbed(value)
    if (
        isinstance(model_field, models.EmailField)
        or model_field.max_length
        and (model_field.max_length < len(ANONYMISED))
    ):
        return ""
    return ANONYMISED


def _anonymise_records(held: PersonRecords) -> None:
    for kind in KINDS:
        records, names = held[kind.key], ANONYMISED_FIELDS.get(kind.key, ())
        if not records or not names:
            continue
        for record in records:
            for name in names:
                setattr(record, name, _anonymised_value(record, name))
            if kind.model is Person:
                record.family_name_soundex = matching.soundex(record.family_name)
        fields = list(names) + (["family_name_soundex"] if kind.model is Person else [])
        kind.model.objects.bulk_update(records, fields)


def _anonymise_minutes(held: PersonRecords) -> None:
    """The approved minutes' entries about the person's cases (other items untouched)."""
    case_ids = set(held.case_ids())
    meetings = PanelMeeting.objects.filter(
        pk__in={item.meeting_id for item in held["agenda_items"]}
    ).select_for_update()
    for meeting in meetings:
        record = meeting.minutes_record or {}
        items = record.get("items", [])
        if not any(item.get("case_id") in case_ids for item in items):
            continue
        record["items"] = [
            {
                **scrubbed(item),
                "heading": f"{ANONYMISED} ({item.get('case_reference', '')})",
            }
            if item.get("case_id") in case_ids
            else item
            for item in items
        ]
        PanelMeeting.objects.filter(pk=meeting.pk).update(minutes_record=record)


def _remove_history(held: PersonRecords) -> int:
    """The history rows holding the old values, with their agencies' rows: removed."""
    removed = 0
    for kind in KINDS:
        model = history_model(kind)
        ids = [record.pk for record in held[kind.key]]
        if model is None or not ids:
            continue
        rows = model.objects.filter(id__in=ids)
        # The agencies of each version (simple-history's m2m rows) point at it by `history`.
        for relation in model._meta.related_objects:
            if relation.field.name == "history":
                relation.related_model.objects.filter(
                    history__in=rows.values("history_id")
                ).delete()
        removed += rows.delete()[0]
    return removed


def _remove_built_documents(held: PersonRecords) -> int:
    """The PDFs kept of the person's records (caspa/core/documents.py): each case's plan, and
    the pack and minutes (whole and every agency's cut) of each meeting that heard a case of
    theirs. Deleted, not anonymised: the next request builds them again from what is left."""
    return documents.forget(
        *(documents.case_record(case_id) for case_id in held.case_ids()),
        *(documents.meeting_record(m) for m in {item.meeting_id for item in held["agenda_items"]}),
    )


def retention_anonymise(*, by, person_id: int, now: datetime | None = None) -> Person:
    """Anonymises everything held about the person, in one transaction, as `by`; refuses (a
    ValidationError with the reason) unless the person is past the retention period."""
    now = now or timezone.now()
    with transaction.atomic():
        person = person_for_rights(by, person_id)
        person = Person.objects.select_for_update().get(pk=person.pk)
        held = person_records(person)
        problem = _problem(person, held, now)
        if problem:
            raise ValidationError(problem)
        ItemDraft.objects.filter(item__in=held["agenda_items"]).delete()
        _remove_built_documents(held)
        _anonymise_records(held)
        _anonymise_minutes(held)
        _remove_history(held)
        # One history row now says who anonymised the record, and when.
        person.refresh_from_db()
        person._history_user = by
        person._change_reason = "Anonymised after the retention period"
        person.save()
        for case in held["cases"]:
            record_event(
                case,
                f"Anonymised after the retention period ({person.reference}).",
                by,
                now,
                kind=EventKind.PATHWAY,
            )
    return person
