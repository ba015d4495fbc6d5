"""A record's history in words: who changed what, as a person reads it (docs/history.md).

django-simple-history keeps every version of a record; `entries` compares each version with
the one before and tells each change in words: the field's label in sentence case, a choice
by its label (several choices joined with "and"), a date as "6 June 1985", a yes or no as
Yes or No, a linked record by its name or reference, never an internal id. A change from
nothing says what the field was set to; a change to nothing says what it was.

The page that shows a history says how its linked records and odd fields read
(`Words`): a person record, for instance, is named only to those who may see it.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.text import Truncator
from simple_history import utils as simple_history_utils
from simple_history.models import DeletedObject, ModelChange

from caspa.core.time_words import date_in_words

NOT_GIVEN = "(not given)"
SHORT = 80  # characters of a changed text shown in a history line

WordsFor = Callable[[Any], str]


@dataclass(frozen=True)
class Change:
    """One field's change. `old` and `new` are words (NOT_GIVEN when empty); `sentence` is
    the line a history shows."""

    field: str
    old: str
    new: str
    sentence: str


@dataclass(frozen=True)
class Entry:
    when: datetime
    who: str
    what: str
    changes: list[Change]
    said: str = ""  # words the entry quotes: the referrer's answer to a question


@dataclass(frozen=True)
class Words:
    """How one page tells a model's changes.

    - `quiet`: fields whose changes are bookkeeping, left out.
    - `fields`: a field's value in words, where the model's own field does not say it
      (a person record shown only to those who may see it; an NHS number in its groups).
    - `keys`: for a field holding {choice: detail} (ticked needs with their evidence), the
      choices whose labels name its keys.
    - `sentences`: a field's whole line, told from its old and new values, where its value
      alone would not read (a link to a record the reader may not see: "Linked to a person
      record").
    - `headline`: the field whose change heads its entry ("Status: Declined").
    """

    quiet: frozenset[str] = frozenset()
    fields: Mapping[str, WordsFor] = field(default_factory=dict)
    keys: Mapping[str, type[models.Choices]] = field(default_factory=dict)
    sentences: Mapping[str, Callable[[Any, Any], str]] = field(default_factory=dict)
    headline: str | None = "status"


# --- values in words (pure) -----------------------------------------------------------------


def label_of(verbose_name: str) -> str:
    """A field's label in sentence case, keeping acronyms (NHS, GP) and without "(optional)"."""
    label = str(verbose_name).removesuffix(" (optional)").strip()
    return label[:1].upper() + label[1:]


def timestamp_in_words(moment: datetime) -> str:
    """ "2 December 2026, 14:05", in local time."""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return format_date(moment, "j F Y, H:i")


class Named(str):
    """A linked record's name or reference: kept as written inside a sentence."""


def lowered(label: str) -> str:
    """A choice's label as it reads inside a sentence: "Poor self-care" → "poor self-care";
    "NHS" and names (`Named`) kept."""
    if isinstance(label, Named):
        return label
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def joined(words: Iterable[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def listed(labels: list[str], *, mid_sentence: bool = False) -> str:
    """Labels joined with "and", each after the first (and the first too, `mid_sentence`) as
    it reads inside a sentence."""
    return joined(
        label if i == 0 and not mid_sentence else lowered(label) for i, label in enumerate(labels)
    )


def is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def value_in_words(value, model_field=None, *, key_choices=None) -> str:
    """One stored value in words, by what the field is. Empty: NOT_GIVEN."""
    if is_empty(value):
        return NOT_GIVEN
    choices = _choices_of(model_field)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return timestamp_in_words(value)
    if isinstance(value, date):
        return date_in_words(value)
    if isinstance(value, dict | list | tuple | set):
        return listed(_labels(value, key_choices or choices))
    if isinstance(value, models.Model | DeletedObject):
        return record_in_words(value)
    if choices:
        return str(choices.get(value, value))
    return str(value)


def _choices_of(model_field) -> dict:
    if model_field is None or not model_field.choices:
        return {}
    return dict(model_field.flatchoices)


def record_in_words(record) -> str:
    """A linked record by its reference (R-000012) or its name, never by its id."""
    if isinstance(record, DeletedObject):
        return f"a {record.model._meta.verbose_name} since deleted"
    reference = getattr(record, "reference", None)
    return str(reference) if reference else str(record)


def _labels(values, choices) -> list[str]:
    labels = dict(choices.choices) if isinstance(choices, type) else dict(choices or {})
    return [
        value if isinstance(value, Named) else str(labels.get(value, value)) for value in values
    ]


def excerpts(old: str, new: str, width: int = SHORT) -> tuple[str, str]:
    """Two long texts cut to `width` around where they first differ, so that the cut parts
    show the difference ("…visits offered weekly…")."""
    if len(old) <= width and len(new) <= width:
        return old, new
    same = next(
        (i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b),
        min(len(old), len(new)),
    )
    start = max(0, same - width // 4)
    if start:  # start at a word
        space = old.rfind(" ", 0, start + 1)
        start = space + 1 if space > 0 else start

    def cut(text: str) -> str:
        part = Truncator(text[start:]).chars(width)
        return ("…" + part) if start else part

    return cut(old), cut(new)


def change_in_words(
    label: str, old, new, *, words: WordsFor | None = None, model_field=None, key_choices=None
) -> Change:
    """One field's change as a line a person reads."""
    tell = words or (lambda value: value_in_words(value, model_field, key_choices=key_choices))
    old_words = NOT_GIVEN if is_empty(old) else tell(old)
    new_words = NOT_GIVEN if is_empty(new) else tell(new)
    question = label.endswith("?")
    if words is None and _is_collection(old, new):
        sentence = _collection_change(label, old, new, model_field, key_choices)
    elif is_empty(old):
        sentence = (
            f"{label} {_short(new_words)}" if question else f"{label} set to: {_short(new_words)}"
        )
    elif is_empty(new):
        sentence = (
            f"{label} Answer removed (was: {_short(old_words)})"
            if question
            else f"{label} removed (was: {_short(old_words)})"
        )
    else:
        was, now = excerpts(old_words, new_words)
        sentence = (
            f"{label} {now} (was: {was})" if question else f"{label} changed from {was} to {now}"
        )
    return Change(label, old_words, new_words, sentence)


def _short(text: str) -> str:
    return Truncator(text).chars(SHORT)


def _is_collection(old, new) -> bool:
    return any(isinstance(value, dict | list | tuple | set) for value in (old, new))


def _collection_change(label, old, new, model_field, key_choices) -> str:
    """Ticked choices or linked records: what was added and removed, or whose detail changed."""
    choices = key_choices or (
        dict(model_field.flatchoices) if model_field and model_field.choices else {}
    )
    before, after = list(old or []), list(new or [])
    if not before:
        return f"{label} set to: {listed(_labels(after, choices))}"
    if not after:
        return f"{label} removed (was: {listed(_labels(before, choices))})"
    added = [value for value in after if value not in before]
    removed = [value for value in before if value not in after]
    parts = []
    if added:
        parts.append(f"added {listed(_labels(added, choices), mid_sentence=True)}")
    if removed:
        parts.append(f"removed {listed(_labels(removed, choices), mid_sentence=True)}")
    if not parts and isinstance(old, dict) and isinstance(new, dict):
        detailed = [key for key in after if old.get(key) != new.get(key)]
        details = listed(_labels(detailed, choices), mid_sentence=True)
        parts.append(f"the detail given for {details} changed")
    return f"{label}: {'; '.join(parts)}" if parts else f"{label} changed"


# --- a record's versions in words ------------------------------------------------------------


def entries(records, words: Words = Words()) -> list[Entry]:
    """A readable history from simple-history records (newest first): who changed what.

    The records' many-to-many rows are read in one query for each such field, whatever the
    number of versions (`_m2m_rows`); a linked record a version points to is read with the
    versions when the caller selects it (`select_related`)."""
    ordered = sorted(records, key=lambda r: (r.history_date, r.pk))
    m2m = _m2m_rows(ordered, words.quiet)
    found: list[Entry] = []
    previous = None
    for record in ordered:
        who = str(record.history_user) if record.history_user else "The system"
        if previous is None:
            found.append(Entry(record.history_date, who, "Created", []))
        else:
            delta = record.diff_against(
                previous,
                excluded_fields=words.quiet | set(m2m),
                foreign_keys_are_objs=True,
            )
            in_order = _in_field_order(
                record, [*delta.changes, *_m2m_changes(previous, record, m2m)]
            )
            headline = next((c for c in in_order if c.field == words.headline), None)
            changes = [_change(record, c, words) for c in in_order if c is not headline]
            if headline is not None:
                label = label_of(_model_field(record, headline.field).verbose_name)
                now = _change(record, headline, words).new
                found.append(Entry(record.history_date, who, f"{label}: {now}", changes))
            elif changes:
                found.append(Entry(record.history_date, who, "Changed", changes))
        previous = record
    return list(reversed(found))


@dataclass(frozen=True)
class _M2MRows:
    """One many-to-many field's rows for each version ({history id: rows}), each row as
    simple-history's diff gives it ({through field: linked record}), and its key for comparing."""

    rows: dict[int, list[dict]]
    keys: dict[int, list[tuple]]


def _m2m_rows(ordered: list, quiet: frozenset[str]) -> dict[str, _M2MRows]:
    """The many-to-many rows of every version, one query for each field (what
    simple-history's diff_against reads with two queries for each version)."""
    if not ordered:
        return {}
    first = ordered[0]
    found = {}
    for m2m_field in getattr(first, "_history_m2m_fields", []):
        if m2m_field.name in quiet:
            continue
        through = getattr(first, m2m_field.name).model
        names = [
            f.name
            for f in through._meta.fields
            if f.editable and f.name not in ("id", "m2m_history_id", "history")
        ]
        linked = [f for f in names if isinstance(through._meta.get_field(f), models.ForeignKey)]
        rows: dict[int, list[dict]] = {record.pk: [] for record in ordered}
        keys: dict[int, list[tuple]] = {record.pk: [] for record in ordered}
        reverse_name = simple_history_utils.get_m2m_reverse_field_name(m2m_field)
        for row in (
            through.objects.filter(history__in=list(rows))
            .select_related(*linked)
            .order_by(reverse_name)
        ):
            rows[row.history_id].append({name: _linked(row, through, name) for name in names})
            keys[row.history_id].append(
                tuple(getattr(row, through._meta.get_field(name).attname) for name in names)
            )
        found[m2m_field.name] = _M2MRows(rows, {pk: sorted(key) for pk, key in keys.items()})
    return found


def _linked(row, through, name: str):
    """A through row's linked record, or a DeletedObject (as simple-history's diff gives it)."""
    try:
        value = getattr(row, name)
    except ObjectDoesNotExist:
        value = None
    if value is None:
        meta = through._meta.get_field(name)
        value = DeletedObject(meta.related_model, getattr(row, meta.attname))
    return value


def _m2m_changes(previous, record, m2m: dict[str, _M2MRows]) -> list[ModelChange]:
    return [
        ModelChange(name, rows.rows[previous.pk], rows.rows[record.pk])
        for name, rows in m2m.items()
        if rows.keys[previous.pk] != rows.keys[record.pk]
    ]


def _model_field(record, name: str):
    return record.instance_type._meta.get_field(name)


def _change(record, change, words: Words) -> Change:
    model_field = _model_field(record, change.field)
    label = label_of(model_field.verbose_name)
    old, new = _nothing_if_unlinked(change.old), _nothing_if_unlinked(change.new)
    if model_field.many_to_many:
        target = model_field.m2m_reverse_field_name()
        old = [Named(record_in_words(row[target])) for row in old or []]
        new = [Named(record_in_words(row[target])) for row in new or []]
    elif change.field in words.sentences:
        sentence = words.sentences[change.field](old, new)
        return Change(label, sentence, sentence, sentence)
    elif isinstance(old, dict) or isinstance(new, dict):
        keys = words.keys.get(change.field)
        return change_in_words(label, old, new, model_field=model_field, key_choices=keys)
    return change_in_words(
        label, old, new, words=words.fields.get(change.field), model_field=model_field
    )


def _nothing_if_unlinked(value):
    """simple-history gives an empty link as a deleted object with no key: it is nothing."""
    if isinstance(value, DeletedObject) and value.pk is None:
        return None
    return value


def _in_field_order(record, changes):
    fields = [f.name for f in record.instance_type._meta.get_fields()]
    return sorted(changes, key=lambda c: fields.index(c.field) if c.field in fields else 0)
