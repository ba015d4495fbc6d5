"""The header's search: what a term means, and what it finds that the user may open.

A term is one of: a reference (R-, C-, A- or P-, with or without its zeros), an NHS number
(10 digits, spaces allowed), a date of birth as people type them ("6 6 1985", "06/06/1985",
"6 June 1985"), a name, or a name with a date of birth. Names are matched as screening matches
them (`referrals.selectors.people_named`, `referrals_named`; with a date of birth,
`referrals.selectors.possible_matches`, the screening rule itself).

What is found is only ever taken from the querysets of the doors of the pages each result
links to (`visible_people`, `visible_referrals`, `visible_cases`, `visible_actions`), so a
search cannot show, or count, anything its user could not open. docs/search.md says more.
"""

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from actions import permissions as action_permissions
from panel import permissions as case_permissions
from referrals import permissions as referral_permissions
from referrals import selectors as referral_selectors
from referrals.models import Person
from referrals.rules import matching, nhs_numbers

SHORTEST = 2
LONGEST = 100
SHOWN = 20  # of each kind; more asks for a narrower search

ENTER_A_TERM = "Enter a name, date of birth, NHS number or reference"
TOO_SHORT = f"Enter at least {SHORTEST} letters or numbers"
DIGITS_ONLY = "Enter an NHS number of 10 digits, like 943 476 5919, or a reference like C-000057"
TOO_LONG = f"Enter {LONGEST} characters or fewer"
NOT_A_DATE = "Enter a real date of birth, like 27 3 1981"

REFERENCE = re.compile(r"([RCAP])\s*-?\s*(\d{1,9})", re.IGNORECASE)
NUMERIC_DATE = re.compile(r"(\d{1,2})[\s/.-]+(\d{1,2})[\s/.-]+(\d{4})")
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
WORDED_DATE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})", re.IGNORECASE)
MONTHS = {
    **{name.lower(): number for number, name in enumerate(calendar.month_name) if name},
    **{name.lower(): number for number, name in enumerate(calendar.month_abbr) if name},
    "sept": 9,
}


class SearchProblem(ValueError):
    """What is wrong with the term, in words for the box's error message."""


@dataclass(frozen=True)
class Query:
    """What a term was taken to mean."""

    reference: tuple[str, int] | None = None  # ("C", 57)
    nhs_number: str = ""
    date_of_birth: date | None = None
    words: tuple[str, ...] = ()

    @property
    def described(self) -> str:
        if self.reference:
            return "a reference"
        if self.nhs_number:
            return "an NHS number"
        if self.words and self.date_of_birth:
            return "a name and a date of birth"
        if self.date_of_birth:
            return "a date of birth"
        return "a name"


def _date(day: str, month: str | int, year: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise SearchProblem(NOT_A_DATE) from None


def date_of_birth_in(text: str) -> date | None:
    """The date, if the whole text is one as people type them; a SearchProblem if it looks
    like a date that cannot be (31 2 1985); None if it is not a date at all."""
    text = text.strip()
    if found := NUMERIC_DATE.fullmatch(text):
        return _date(*found.groups())
    if found := ISO_DATE.fullmatch(text):
        year, month, day = found.groups()
        return _date(day, month, year)
    if found := WORDED_DATE.fullmatch(text):
        day, month, year = found.groups()
        if month.lower() in MONTHS:
            return _date(day, MONTHS[month.lower()], year)
    return None


def _name_and_date(words: list[str]) -> tuple[list[str], date | None]:
    """A date of birth at the end of a name ("Ashdown 6 6 1985", "Ashdown 06/06/1985")."""
    for size in (3, 1):
        if len(words) > size and (found := date_of_birth_in(" ".join(words[-size:]))):
            return words[:-size], found
    return words, None


def understand(term: str) -> Query:
    """What the term means, or a SearchProblem saying what is wrong with it."""
    term = " ".join((term or "").replace("\x00", "").split())[:LONGEST]
    if not term:
        raise SearchProblem(ENTER_A_TERM)
    if len(re.sub(r"[\W_]", "", term)) < SHORTEST:
        raise SearchProblem(TOO_SHORT)
    if found := REFERENCE.fullmatch(term):
        return Query(reference=(found.group(1).upper(), int(found.group(2))))
    if found := date_of_birth_in(term):
        return Query(date_of_birth=found)
    digits = nhs_numbers.normalise_nhs_number(term)
    if digits.isdigit():
        if len(digits) != 10:
            raise SearchProblem(DIGITS_ONLY)
        return Query(nhs_number=digits)
    words, born = _name_and_date(term.split())
    words = [word for word in words if re.search(r"[^\W\d_]", word)]
    if not words:
        raise SearchProblem(TOO_SHORT)
    return Query(date_of_birth=born, words=tuple(words))


@dataclass
class Results:
    query: Query
    people: list = field(default_factory=list)
    referrals: list = field(default_factory=list)
    cases: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    more: set = field(default_factory=set)  # the kinds with more than SHOWN found

    @property
    def found(self) -> list:
        return [*self.people, *self.referrals, *self.cases, *self.actions]


def _first(queryset, kind: str, more: set) -> list:
    rows = list(queryset[: SHOWN + 1])
    if len(rows) > SHOWN:
        more.add(kind)
    return rows[:SHOWN]


def search(user, term: str) -> Results:
    """What the term finds that this user may open: each kind from its page's own door."""
    query = understand(term)
    people = referral_permissions.visible_people(user)
    referrals = referral_permissions.visible_referrals(user)
    cases = case_permissions.visible_cases(user)
    actions = action_permissions.visible_actions(user)
    none = Q(pk__in=[])
    found = {"P": none, "R": none, "C": none, "A": none}

    if not query.reference:
        # Live records only; by its reference, a merged one too (its page names the live one).
        people = people.filter(merged_into=None)
    if query.reference:
        prefix, number = query.reference
        found[prefix] = Q(pk=number)
    elif query.nhs_number:
        number = query.nhs_number
        found["P"] = Q(nhs_number=number)
        found["R"] = Q(nhs_number=number) | Q(person__nhs_number=number)
        found["C"] = Q(person__nhs_number=number)
    elif query.words and query.date_of_birth:
        # The screening rule: a family name that sounds alike, with a close date of birth.
        matched = {
            person.pk
            for word in query.words
            for person in referral_selectors.possible_matches(
                matching.Identity(word, query.date_of_birth)
            )
        }
        born = query.date_of_birth
        named = referral_selectors.referrals_named(referrals, list(query.words))
        found["P"] = Q(pk__in=matched)
        found["R"] = Q(person__in=matched) | Q(pk__in=named.filter(date_of_birth=born).values("pk"))
        found["C"] = Q(person__in=matched)
    elif query.date_of_birth:
        born = query.date_of_birth
        found["P"] = Q(date_of_birth=born)
        found["R"] = Q(date_of_birth=born) | Q(person__date_of_birth=born)
        found["C"] = Q(person__date_of_birth=born)
    else:
        words = list(query.words)
        people = referral_selectors.people_named(people, words)
        named_people = referral_selectors.people_named(Person.objects.all(), words)
        referrals = referral_selectors.referrals_named(referrals, words)
        found["P"] = Q()
        found["R"] = Q()
        found["C"] = Q(person__in=named_people.order_by().values("pk"))

    more: set[str] = set()
    results = Results(query=query, more=more)
    results.people = _first(people.filter(found["P"]), "people", more)
    results.referrals = _first(
        referrals.filter(found["R"])
        .select_related("person", "referring_agency", "case")
        .order_by("-created_at", "-pk"),
        "referrals",
        more,
    )
    results.cases = _first(
        cases.filter(found["C"]).select_related("person").order_by("-waiting_since", "-pk"),
        "cases",
        more,
    )
    results.actions = _first(
        actions.filter(found["A"]).select_related("case", "owner_agency"), "actions", more
    )
    return results
