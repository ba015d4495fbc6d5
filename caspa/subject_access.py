"""The person's right of access (UK GDPR, article 15): everything CASPA holds about one person,
in one action, as a PDF for the person and JSON for the record, in one ZIP named by the
person's reference (docs/subject-access-and-retention.md).

Third parties' details are marked "for review before release" in both: the coordinator reads
the export and removes or redacts what the person may not be given before it leaves. What is
marked, and why, is declared once here (`THIRD_PARTY_FIELDS`, `review_reason`):

- the people around the person and the professionals named by hand (who they live with, the
  referrer's details, the lead and monitoring officers, the named officer of an action, who
  assessed capacity, the out-of-hours contact);
- every member of staff named from CASPA's own records (who wrote, screened, recorded, updated,
  approved or read): staff of other agencies are third parties to the person;
- every piece of free text (a text box, a note, a minute, the evidence for a need), which may
  name other people: the coordinator reads each one.

The export is itself a read of every record in it (audit.services.record_reads), and a line in
each case's chronology; what is logged carries the reference only.
"""

import io
import json
import logging
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Agency
from audit.models import How
from audit.services import record_reads
from caspa.core.history import NOT_GIVEN, label_of, value_in_words
from caspa.core.references import action_reference
from caspa.person_records import KINDS, PersonRecords, person_records
from panel.chronology import record_event
from panel.models import EventKind, PanelMeeting
from referrals.models import Person
from referrals.permissions import person_for_rights

logger = logging.getLogger(__name__)

THIRD_PARTY = "Third party: for review before release"
FREE_TEXT = "Free text that may name other people: for review before release"
NOT_EXPORTED = {
    "id",
    "version",
    "family_name_soundex",
    "request_message",
    "reminder_message",
    "sweep_next_on",  # the reminder sweep's bookmark (actions/sweep.py), not kept in history
}

# The fields about other people typed by hand, by record; staff named from CASPA's records
# (every link to a user) are third parties too (`review_reason`).
THIRD_PARTY_FIELDS = {
    "referrals.referral": {
        "lives_with",
        "referrer_name",
        "referrer_role",
        "referrer_phone",
        "referrer_email",
        "referrer_availability",
    },
    "panel.case": {"lead_officer"},
    "panel.risk": {"monitoring_officer", "out_of_hours_contact"},
    "panel.capacityassessment": {"assessed_by"},
    "actions.action": {"owner_officer"},
}


def review_reason(model: type[models.Model], model_field) -> str:
    """Why a field's value is for review before release, or "" when it is the person's own."""
    if model_field.name in THIRD_PARTY_FIELDS.get(model._meta.label_lower, ()):
        return THIRD_PARTY
    if model_field.is_relation and model_field.related_model is get_user_model():
        return THIRD_PARTY
    if isinstance(model_field, models.TextField | models.JSONField):
        return FREE_TEXT
    return ""


@dataclass(frozen=True)
class Export:
    filename: str
    content: bytes


def export_filename(person: Person, extension: str) -> str:
    """The person's reference, never their name: the file may sit in a download folder."""
    return f"{person.reference}-subject-access.{extension}"


# --- values ---------------------------------------------------------------------------------


class _Names:
    """The users, agencies and meetings the records link to, read once for the whole export."""

    def __init__(self, held: PersonRecords):
        user_ids, meeting_ids = set(), set()
        rows = held.every_record() + [row for rows in held.history.values() for row in rows]
        for row in rows:
            for model_field in _exported_fields(type(row)):
                if not model_field.many_to_one and not model_field.one_to_one:
                    continue
                linked = getattr(row, model_field.attname)
                if model_field.related_model is get_user_model():
                    user_ids.add(linked)
                elif model_field.related_model is PanelMeeting:
                    meeting_ids.add(linked)
            user_ids.add(getattr(row, "history_user_id", None))
        user_ids |= {read.reader_id for read in held.reads}
        user_ids.discard(None)
        meeting_ids.discard(None)
        self.users = get_user_model().objects.select_related("agency").in_bulk(user_ids)
        self.agencies = Agency.objects.in_bulk()
        self.meetings = PanelMeeting.objects.in_bulk(meeting_ids)

    def user(self, pk) -> str:
        user = self.users.get(pk)
        if user is None:
            return ""
        agency = f", {user.agency.name}" if user.agency_id else ""
        return f"{user}{agency}"

    def linked(self, model_field, pk) -> str:
        if pk is None:
            return ""
        related = model_field.related_model
        if related is get_user_model():
            return self.user(pk)
        if related is Agency:
            agency = self.agencies.get(pk)
            return agency.name if agency else ""
        if related is PanelMeeting:
            meeting = self.meetings.get(pk)
            return str(meeting) if meeting else ""
        return _reference(related, pk)


def _reference(model: type[models.Model], pk: int) -> str:
    label = model._meta.label_lower
    prefix = {"referrals.person": "P", "referrals.referral": "R", "panel.case": "C"}.get(label)
    if prefix:
        return f"{prefix}-{pk:06d}"
    if label == "actions.action":
        return action_reference(pk)
    return f"{model._meta.verbose_name.capitalize()} {pk}"


def _exported_fields(model: type[models.Model]) -> list:
    base = getattr(model, "instance_type", model)  # a history row reads as its record
    return [
        model_field
        for model_field in base._meta.concrete_fields
        if model_field.name not in NOT_EXPORTED
    ]


def _json_value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _words(value, model_field) -> str:
    if isinstance(value, dict):
        choices = dict(model_field.flatchoices) if model_field.choices else {}
        return "; ".join(f"{choices.get(key, key)}: {text}" for key, text in value.items())
    return value_in_words(value, model_field)


@dataclass
class Field:
    name: str
    label: str
    value: object  # as JSON holds it
    words: str  # as the PDF prints it
    review: str  # why it is for review before release, or ""

    @property
    def is_given(self) -> bool:
        return self.words != NOT_GIVEN


def _fields(record, names: _Names, *, many_to_many: bool = True) -> list[Field]:
    model = getattr(type(record), "instance_type", type(record))
    fields = []
    for model_field in _exported_fields(type(record)):
        if model_field.is_relation:
            value = names.linked(model_field, getattr(record, model_field.attname))
            words = value or value_in_words("")
        else:
            raw = getattr(record, model_field.attname)
            value, words = _json_value(raw), _words(raw, model_field)
        fields.append(
            Field(
                model_field.name,
                label_of(model_field.verbose_name),
                value,
                words,
                review_reason(model, model_field),
            )
        )
    if many_to_many:
        for model_field in model._meta.many_to_many:
            agencies = [str(linked) for linked in getattr(record, model_field.name).all()]
            fields.append(
                Field(
                    model_field.name,
                    label_of(model_field.verbose_name),
                    agencies,
                    ", ".join(agencies) or value_in_words(""),
                    "",
                )
            )
    return fields


def _heading(record) -> str:
    reference = getattr(record, "reference", "")
    return reference or _reference(type(record), record.pk)


HISTORY_TYPES = {"+": "Created", "~": "Changed", "-": "Deleted"}


def _history_entries(held: PersonRecords, names: _Names) -> list[dict]:
    """Each past version of each record: who, when, and what it then held. The PDF prints only
    what the version adds to what is shown already: for the first version, the values that
    differ from the record now; for each later one, what changed from the version before."""
    entries = []
    for kind in KINDS:
        now = {
            record.pk: {f.name: f.value for f in _fields(record, names, many_to_many=False)}
            for record in held[kind.key]
        }
        previous = {}
        for row in held.history.get(kind.key, []):
            fields = _fields(row, names, many_to_many=False)
            before = previous.get(row.id, now.get(row.id, {}))
            changed = [f for f in fields if before.get(f.name) != f.value]
            previous[row.id] = {f.name: f.value for f in fields}
            entries.append(
                {
                    "kind": kind.title,
                    "record": _reference(kind.model, row.id),
                    "at": row.history_date,
                    "type": HISTORY_TYPES.get(row.history_type, row.history_type),
                    "by": names.user(row.history_user_id),
                    "fields": fields,
                    "changed": changed,
                }
            )
    return entries


def _reads(held: PersonRecords, names: _Names) -> list[dict]:
    model_of = {kind.model._meta.label_lower: kind.model for kind in KINDS}
    return [
        {
            "record": _reference(model_of[read.record_type], read.record_id)
            if read.record_type in model_of
            else f"{read.record_type} {read.record_id}",
            "by": names.user(read.reader_id),
            "at": read.read_at,
        }
        for read in held.reads
    ]


# --- the export -----------------------------------------------------------------------------


def export_contents(held: PersonRecords, *, produced_at: datetime) -> dict:
    """What the PDF and the JSON both hold, section by section."""
    names = _Names(held)
    sections = [
        {
            "key": kind.key,
            "title": kind.title,
            "records": [
                {"heading": _heading(record), "fields": _fields(record, names)}
                for record in held[kind.key]
            ],
        }
        for kind in KINDS
    ]
    minutes = [
        {"meeting": str(meeting), "approved_at": meeting.minutes_approved_at, "entry": entry}
        for meeting, entry in held.approved_minutes
    ]
    return {
        "person": held.person.reference,
        "produced_at": produced_at,
        "sections": sections,
        "approved_minutes": minutes,
        "history": _history_entries(held, names),
        "reads": _reads(held, names),
    }


def export_json(contents: dict) -> str:
    def record(item):
        return {
            "reference": item["heading"],
            "fields": {f.name: f.value for f in item["fields"]},
            "for_review_before_release": {f.name: f.review for f in item["fields"] if f.review},
        }

    document = {
        "person": contents["person"],
        "produced_at": contents["produced_at"].isoformat(),
        "notice": "Third parties' details are marked for review before release.",
        "sections": {
            section["key"]: [record(item) for item in section["records"]]
            for section in contents["sections"]
        },
        "approved_minutes": [
            {
                "meeting": item["meeting"],
                "approved_at": _json_value(item["approved_at"]),
                "entry": item["entry"],
                "for_review_before_release": FREE_TEXT,
            }
            for item in contents["approved_minutes"]
        ],
        "history": [
            {
                "kind": entry["kind"],
                "record": entry["record"],
                "at": entry["at"].isoformat(),
                "type": entry["type"],
                "by": entry["by"],
                "fields": {f.name: f.value for f in entry["fields"]},
                "for_review_before_release": {
                    "by": THIRD_PARTY,
                    **{f.name: f.review for f in entry["fields"] if f.review},
                },
            }
            for entry in contents["history"]
        ],
        "reads": [
            {
                "record": read["record"],
                "by": read["by"],
                "at": read["at"].isoformat(),
                "for_review_before_release": {"by": THIRD_PARTY},
            }
            for read in contents["reads"]
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False, default=str)


def export_html(contents: dict) -> str:
    return render_to_string(
        "caspa/subject_access_pdf.html",
        {**contents, "THIRD_PARTY": THIRD_PARTY, "FREE_TEXT": FREE_TEXT},
    )


def render_export_pdf(contents: dict) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only the PDF needs

    return HTML(string=export_html(contents)).write_pdf()


def subject_access_export(*, by, person: Person) -> Export:
    """The ZIP of everything held about `person`, for the coordinator to review and release.
    Records the export as a read of every record in it and on each case's chronology."""
    person = person_for_rights(by, person.pk)
    produced_at = timezone.now()
    held = person_records(person)
    contents = export_contents(held, produced_at=produced_at)
    pdf = render_export_pdf(contents)
    document = export_json(contents)
    with transaction.atomic():
        record_reads(reader=by, records=held.every_record(), how=How.EXPORT)
        for case in held["cases"]:
            record_event(
                case,
                f"A subject access export of everything held about {person.reference} was "
                "produced, for review before release.",
                by,
                produced_at,
                kind=EventKind.PATHWAY,
            )
    logger.info("Subject access export of %s produced by user %s", person.reference, by.pk)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(export_filename(person, "pdf"), pdf)
        archive.writestr(export_filename(person, "json"), document)
    return Export(export_filename(person, "zip"), buffer.getvalue())
