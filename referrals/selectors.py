"""Reads about referrals and people: matching, earlier history, what changed."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connections
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Greatest

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


def screening_queue(now: datetime) -> list[tuple[Referral, int]]:
    """The referrals waiting for a decision, oldest first, each with its days waiting."""
    queue = Referral.objects.screening_queue().select_related("referring_agency")
    return [(referral, (now - referral.submitted_at).days) for referral in queue]


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
        found = people_named(Person.objects.all(), term.split())
    return list(
        found.filter(merged_into=None).order_by("family_name", "given_names")[:SEARCH_LIMIT]
    )


# A name word this close in spelling to one of a person's names (pg_trgm's word similarity,
# 0 to 1) finds them on PostgreSQL: "Alexx" finds Alex. SQLite has no trigrams.
TRIGRAM_THRESHOLD = 0.5
NAME_FIELDS = ("family_name", "given_names", "other_names")
MOST_WORDS = 4


def _uses_trigrams(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def _named(queryset: QuerySet, words: list[str], *, soundex_field: str | None) -> QuerySet:
    """Rows holding every word in one of their names (ignoring case), or, for a family name
    indexed by its sound, sounding like it (matching.soundex); on PostgreSQL also a name close
    in spelling (trigram word similarity). Best matches first on PostgreSQL."""
    trigrams = _uses_trigrams(queryset)
    closeness = []
    for i, word in enumerate(words[:MOST_WORDS]):
        matches = Q()
        for field in NAME_FIELDS:
            matches |= Q(**{f"{field}__icontains": word})
        if soundex_field and matching.soundex(word):
            matches |= Q(**{soundex_field: matching.soundex(word)})
        if trigrams:
            name = f"_closeness_{i}"
            queryset = queryset.annotate(
                **{name: Greatest(*(TrigramWordSimilarity(word, f) for f in NAME_FIELDS))}
            )
            matches |= Q(**{f"{name}__gte": TRIGRAM_THRESHOLD})
            closeness.append(F(name))
        queryset = queryset.filter(matches)
    if closeness:
        queryset = queryset.order_by(sum(closeness[1:], closeness[0]).desc(), *NAME_FIELDS[:2])
    return queryset


def people_named(people: QuerySet[Person], words: list[str]) -> QuerySet[Person]:
    """The person records, of those given, that a name search finds (see `_named`)."""
    return _named(people, words, soundex_field="family_name_soundex")


def _sounds_like(words: list[str], family_name: str, other_names: str) -> bool:
    """Every word is in one of the names or sounds like the family name, and one sounds like it."""
    typed = f"{family_name} {other_names}".lower()
    sounding = [matching.family_names_match(word, family_name) for word in words]
    return any(sounding) and all(
        sounds or word.lower() in typed for word, sounds in zip(words, sounding, strict=True)
    )


def referrals_named(referrals: QuerySet[Referral], words: list[str]) -> QuerySet[Referral]:
    """The referrals, of those given, about someone a name search finds: by the person record
    they are linked to, or by the names typed in the referral itself. A referral has no sound
    index, so the sound of its typed family name is compared here (matching.family_names_match)
    only for those not yet linked to a record: the few waiting to be screened, or drafts."""
    linked = Q(person__in=people_named(Person.objects.all(), words).order_by().values("pk"))
    typed = Q(pk__in=_named(referrals, words, soundex_field=None).order_by().values("pk"))
    unlinked = referrals.filter(person=None).values_list(*NAME_FIELDS, "pk")
    sounds_alike = [
        pk
        for family_name, *other_names, pk in unlinked
        if _sounds_like(words[:MOST_WORDS], family_name, " ".join(other_names))
    ]
    return referrals.filter(linked | typed | Q(pk__in=sounds_alike))
