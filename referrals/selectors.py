"""Reads about referrals and people: matching, earlier history, what changed."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connections
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Greatest

from caspa.core import history
from referrals import permissions
from referrals.choices import Need, RiskTool, Status
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
    found = Referral.objects.filter(Q(person=person) | Q(person__merged_into=person)).exclude(
        status=Status.DRAFT
    )
    if before is not None:
        found = found.exclude(pk=before.pk)
    return list(found.select_related("referring_agency", "case").order_by("submitted_at"))


# Fields whose changes are bookkeeping, not something a reader of the history needs.
QUIET_FIELDS = frozenset(
    {
        "version",
        "updated_at",
        "may_be_known",
        "screened_at",
        "resubmitted_at",
        "submitted_at",
        "screened_by",
    }
)


def linked_to_a_person(old, new) -> str:
    """A referral's link to a person record, told without naming the record."""
    if old is None:
        return "Linked to a person record"
    if new is None:
        return "No longer linked to a person record"
    return "Linked to another person record"


def merged_into(old, new) -> str:
    """A person record merged into another (seen on the person pages: the screeners')."""
    return f"Merged into {person_in_words(new)}" if new else "No longer merged into another record"


def person_in_words(person: Person) -> str:
    return f"{person} ({history.record_in_words(person)})"


def history_words(viewer=None) -> history.Words:
    """How a referral's or a person's history reads to `viewer`: the person record it is
    linked to is named only to those who may see person records (the screeners)."""
    sees_people = viewer is not None and permissions.can_screen(viewer)
    return history.Words(
        quiet=QUIET_FIELDS,
        fields={
            "person": person_in_words,
            "nhs_number": nhs_numbers.nhs_number_in_groups,
        },
        sentences={"merged_into": merged_into}
        | ({} if sees_people else {"person": linked_to_a_person}),
        keys={"needs": Need, "risk_tools": RiskTool},
    )


# What a version of a referral links to, read with the versions (the history's words name them).
HISTORY_LINKS = ("history_user", "person", "referring_agency", "referrer_agency")


def history_entries(records, viewer=None) -> list[history.Entry]:
    """A readable history from simple-history records (newest first): who changed what."""
    return history.entries(records, history_words(viewer))


ANSWERED = "Answered the coordinator's question"


def referral_history(referral: Referral, viewer=None, questions=None) -> list[history.Entry]:
    """The referral's history (newest first), with each answer to a coordinator's question
    (the questions are in the referral's own records, as it was sent back). `questions`: the
    referral's questions (questions_and_answers), where the page has read them already."""
    entries = history_entries(referral.history.select_related(*HISTORY_LINKS), viewer)
    if questions is None:
        questions = questions_and_answers(referral)
    answers = [
        history.Entry(q.answered_at, str(q.answered_by), ANSWERED, [], said=q.answer)
        for q in questions
        if not q.is_open
    ]
    return sorted([*entries, *answers], key=lambda entry: entry.when, reverse=True)


def questions_and_answers(referral: Referral) -> list:
    """Every question the coordinator asked about this referral, oldest first, each with its
    answer once given."""
    return list(referral.questions.select_related("asked_by", "answered_by"))


def open_question(referral: Referral, questions=None):
    """The question waiting for the referrer's answer, if any. `questions`: as
    `referral_history`'s."""
    if questions is None:
        return referral.questions.filter(answered_at=None).select_related("asked_by").first()
    return next((q for q in questions if q.is_open), None)


def changes_since(referral: Referral, version: int, viewer=None) -> list[history.Entry]:
    """What others saved after the version someone started editing from."""
    history = referral.history.select_related(*HISTORY_LINKS)
    # A version can have two records (its save, then its many-to-many change): the last is
    # what the person saw.
    seen = history.filter(version=version).order_by("-history_date", "-history_id").first()
    later = list(history.filter(version__gt=version))
    if seen is None:
        return history_entries(later, viewer)
    entries = history_entries([seen, *later], viewer)
    return [entry for entry in entries if entry.what != "Created"]


def person_history(person: Person, viewer=None) -> list[history.Entry]:
    """A person record's history and those of the records merged into it, told as one."""
    versions: dict[int, list] = {}
    records = Q(id=person.pk) | Q(id__in=person.merged_records.values("pk"))
    for version in person.history.model.objects.filter(records).select_related(
        "history_user", "merged_into"
    ):
        versions.setdefault(version.id, []).append(version)
    return sorted(
        (entry for record in versions.values() for entry in history_entries(record, viewer)),
        key=lambda entry: entry.when,
        reverse=True,
    )


def waiting_for_screening_count() -> int:
    return Referral.objects.screening_queue().count()


def waiting_for_referrer_count() -> int:
    """Referrals back with their referrers, for more information."""
    return Referral.objects.filter(status=Status.MORE_INFORMATION).count()


@dataclass(frozen=True)
class Waiting:
    for_screening: int  # as waiting_for_screening_count
    for_referrer: int  # as waiting_for_referrer_count


def waiting_counts() -> Waiting:
    """How many referrals wait for screening and how many for their referrers: one query."""
    counts = Referral.objects.aggregate(
        for_screening=Count("pk", filter=Q(pk__in=Referral.objects.screening_queue().values("pk"))),
        for_referrer=Count("pk", filter=Q(status=Status.MORE_INFORMATION)),
    )
    return Waiting(**counts)


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
        found = people_named(Person.objects.all(), term.split())
    return list(
        found.filter(merged_into=None).order_by("family_name", "given_names")[:SEARCH_LIMIT]
    )


# --- the referral lists' filters: where each referral stands --------------------------------

# A case's stored statuses once it has left the pathway (panel.models.CaseStatus). The panel
# is above this app, so the list reads them through the referral's case, as stored, the way
# panel.rules.referral_standing does.
CASE_ENDED = ("closed", "not_adopted")


@dataclass(frozen=True)
class StandingFilter:
    slug: str  # in the list's address: ?stands=asked (never anything about a person)
    label: str
    where: Q


STANDING_FILTERS = [
    StandingFilter("draft", "Drafts", Q(status=Status.DRAFT)),
    StandingFilter("waiting", "Waiting for screening", Q(status=Status.SUBMITTED)),
    StandingFilter("asked", "More information asked for", Q(status=Status.MORE_INFORMATION)),
    StandingFilter("declined", "Declined", Q(status=Status.DECLINED)),
    StandingFilter(
        "pathway", "On the pathway", Q(status=Status.ACCEPTED) & ~Q(case__status__in=CASE_ENDED)
    ),
    StandingFilter(
        "ended",
        "Case closed or not adopted",
        Q(status=Status.ACCEPTED, case__status__in=CASE_ENDED),
    ),
]
STANDING_FILTERS_BY_SLUG = {f.slug: f for f in STANDING_FILTERS}


def standing_counts(referrals) -> dict[str, int]:
    """How many of these referrals each filter finds, in one query: {slug: count}."""
    return referrals.aggregate(
        **{f.slug: Count("pk", filter=f.where) for f in STANDING_FILTERS},
    )


def referrals_standing(referrals, slug: str):
    """The referrals the filter `slug` finds, newest first, each with what its row shows
    (its case for where it stands, its maker); an unknown slug finds them all."""
    chosen = STANDING_FILTERS_BY_SLUG.get(slug)
    if chosen is not None:
        referrals = referrals.filter(chosen.where)
    return referrals.select_related("case", "created_by").order_by("-created_at", "-pk")


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
