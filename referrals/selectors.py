"""Reads about referrals and people: matching, earlier history, what changed."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from referrals.choices import Status
from referrals.models import Person, Referral
from referrals.rules import matching, nhs_numbers


def possible_matches(identity: matching.Identity, *, exclude: tuple[int, ...] = ()) -> list[Person]:
    """Live person records that may be the person a referral names (matching.may_be_same_person).

    The database narrows by NHS number or by the sound of the family name; the rule decides.
    """
    nhs_number = nhs_numbers.normalise_nhs_number(identity.nhs_number)
    narrowing = Q(family_name_soundex=matching.soundex(identity.family_name))
    if nhs_number:
        narrowing |= Q(nhs_number=nhs_number)
    candidates = Person.objects.filter(narrowing, merged_into=None).exclude(pk__in=exclude)
    return [p for p in candidates if matching.may_be_same_person(identity, p.identity())]


def earlier_referrals(person: Person, *, before: Referral | None = None) -> list[Referral]:
    """Every other referral about this person (or about records merged into it)."""
    people = [person.pk, *person.merged_records.values_list("pk", flat=True)]
    found = Referral.objects.filter(person__in=people).exclude(status=Status.DRAFT)
    if before is not None:
        found = found.exclude(pk=before.pk)
    return list(found.select_related("referring_agency").order_by("submitted_at"))


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    what: str
    changes: list[Change]


# Fields whose changes are bookkeeping, not something a reader of the history needs.
QUIET_FIELDS = {
    "version",
    "updated_at",
    "may_be_known",
    "screened_at",
    "resubmitted_at",
    "submitted_at",
    "screened_by",
}


def _shown(record, field: str, value) -> str:
    if value in (None, "", [], {}):
        return "(blank)"
    model_field = record.instance_type._meta.get_field(field)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, dict):
        return ", ".join(str(key) for key in value)
    if isinstance(value, list):
        return f"{len(value)} selected"
    return str(value)


def _label(record, field: str) -> str:
    label = str(record.instance_type._meta.get_field(field).verbose_name)
    return label[:1].upper() + label[1:]


def history_entries(records) -> list[HistoryEntry]:
    """A readable history from simple-history records (newest first): who changed what."""
    ordered = sorted(records, key=lambda r: r.history_date)
    entries = []
    previous = None
    for record in ordered:
        who = str(record.history_user) if record.history_user else "The system"
        if previous is None:
            entries.append(HistoryEntry(record.history_date, who, "Created", []))
        else:
            delta = record.diff_against(previous, excluded_fields=QUIET_FIELDS)
            changes = [
                Change(
                    _label(record, c.field),
                    _shown(record, c.field, c.old),
                    _shown(record, c.field, c.new),
                )
                for c in delta.changes
            ]
            if changes:
                status = next((c for c in delta.changes if c.field == "status"), None)
                what = f"Status: {_shown(record, 'status', status.new)}" if status else "Changed"
                entries.append(HistoryEntry(record.history_date, who, what, changes))
        previous = record
    return list(reversed(entries))


def changes_since(referral: Referral, version: int) -> list[HistoryEntry]:
    """What others saved after the version someone started editing from."""
    history = referral.history.select_related("history_user")
    # A version can have two records (its save, then its many-to-many change): the last is
    # what the person saw.
    seen = history.filter(version=version).order_by("-history_date", "-history_id").first()
    later = list(history.filter(version__gt=version))
    if seen is None:
        return history_entries(later)
    return [entry for entry in history_entries([seen, *later]) if entry.what != "Created"]


def person_history(person: Person) -> list[HistoryEntry]:
    """A person record's history and those of the records merged into it, told as one."""
    return sorted(
        (
            entry
            for record in [person, *person.merged_records.all()]
            for entry in history_entries(record.history.select_related("history_user"))
        ),
        key=lambda entry: entry.when,
        reverse=True,
    )


def waiting_for_screening_count() -> int:
    return Referral.objects.screening_queue().count()


def waiting_for_referrer_count() -> int:
    """Referrals back with their referrers, for more information."""
    return Referral.objects.filter(status=Status.MORE_INFORMATION).count()


def screening_queue(filters: dict) -> QuerySet[Referral]:
    """The referrals waiting for a decision, oldest first, as the queue's filters
    (ScreeningQueueFilterForm's cleaned data) ask."""
    queue = Referral.objects.screening_queue().select_related("referring_agency")
    if filters.get("agency"):
        queue = queue.filter(referring_agency=filters["agency"])
    if filters.get("show") == "answered":
        queue = queue.filter(resubmitted_at__isnull=False)
    elif filters.get("show") == "may_be_known":
        queue = queue.filter(may_be_known=True)
    return queue


def with_days_waiting(referrals, now: datetime) -> list[tuple[Referral, int]]:
    """Each referral with the days it has waited since it was sent."""
    return [(referral, (now - referral.submitted_at).days) for referral in referrals]


def questions_for_referrer(user) -> list[Referral]:
    """The user's referrals the coordinator has sent back with a question."""
    return list(Referral.objects.filter(created_by=user, status=Status.MORE_INFORMATION))


@dataclass(frozen=True)
class PersonChoices:
    """The records a coordinator may link a referral to: those that may be its person, those
    their search found besides (`found`), and the record it is linked to now, first."""

    candidates: list[Person]
    found: list[Person]


def person_choices(referral: Referral, search: str = "") -> PersonChoices:
    candidates = possible_matches(referral.identity())
    found = [person for person in search_people(search) if person not in candidates]
    candidates += found
    if referral.person and referral.person not in candidates:
        candidates.insert(0, referral.person)
    return PersonChoices(candidates, found)


SEARCH_LIMIT = 20


def search_people(term: str) -> list[Person]:
    """The coordinator's search before creating a record: by NHS number, or by name."""
    # PostgreSQL refuses NUL in a query; nobody's name contains one.
    term = (term or "").replace("\x00", "").strip()[:100]
    if not term:
        return []
    nhs_number = nhs_numbers.normalise_nhs_number(term)
    if nhs_number.isdigit():
        found = Person.objects.filter(nhs_number=nhs_number)
    else:
        words = term.split()
        found = Person.objects.all()
        for word in words[:4]:
            found = found.filter(
                Q(family_name__icontains=word)
                | Q(given_names__icontains=word)
                | Q(other_names__icontains=word)
                | Q(family_name_soundex=matching.soundex(word))
            )
    return list(
        found.filter(merged_into=None).order_by("family_name", "given_names")[:SEARCH_LIMIT]
    )
