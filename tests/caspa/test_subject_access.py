"""The subject access export: everything held about one person, in one ZIP named by their
reference, as a PDF for the person and JSON for the record, third parties marked for review;
the coordinator's alone, and recorded."""

import io
import json
import logging
import zipfile
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import User
from actions import services as action_services
from actions.models import Escalation, EscalationOutcome
from audit.models import RecordRead
from caspa.core.models import OutboxMessage
from caspa.person_records import KINDS, person_records
from caspa.subject_access import FREE_TEXT, THIRD_PARTY, subject_access_export
from panel.models import AgendaItem, CaseEvent, MinutesAmendment, MinutesStatus
from referrals.models import Person, ScreeningQuestion
from tests.factories import accept, make_referral


@pytest.fixture
def held(cora, rosa):
    """Alex Example, referred by Rosa and accepted by Cora: one case with one action."""
    referral, placement = accept(make_referral(rosa, submit=True), cora)
    case = referral.case
    action_services.action_agree(
        case=case,
        by=cora,
        description="Housing to visit weekly and check the heating",
        owner_agency=rosa.agency,
        due_on=timezone.localdate() + timedelta(days=14),
    )
    return referral.person


def export_of(response) -> tuple[str, dict]:
    """(the PDF's text, the JSON) of an export's ZIP."""
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    pdf = next(name for name in names if name.endswith(".pdf"))
    document = next(name for name in names if name.endswith(".json"))
    reader = PdfReader(io.BytesIO(archive.read(pdf)))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    return text, json.loads(archive.read(document))


def test_the_coordinator_downloads_a_zip_named_by_the_persons_reference(held, cora_client):
    response = cora_client.post(reverse("subject_access_export", args=[held.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    disposition = response["Content-Disposition"]
    assert f'filename="{held.reference}-subject-access.zip"' in disposition
    assert "Example" not in disposition
    assert "Alex" not in disposition
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == [
        f"{held.reference}-subject-access.json",
        f"{held.reference}-subject-access.pdf",
    ]


def test_the_pdf_and_the_json_hold_the_person_their_referral_case_and_action(held, cora_client):
    text, document = export_of(cora_client.post(reverse("subject_access_export", args=[held.pk])))

    referral = held.referrals.get()
    case = referral.case
    action = case.actions.get()
    assert document["person"] == held.reference
    assert document["sections"]["people"][0]["fields"]["family_name"] == "Example"
    assert document["sections"]["referrals"][0]["reference"] == referral.reference
    assert document["sections"]["cases"][0]["reference"] == case.reference
    assert document["sections"]["actions"][0]["fields"]["description"] == action.description
    for words in ("Example", "1 Fictional Street, Luton", referral.reference, case.reference):
        assert words in text
    assert "Housing to visit weekly and check the heating" in text


def test_third_parties_are_marked_for_review_in_the_pdf_and_the_json(held, cora_client):
    text, document = export_of(cora_client.post(reverse("subject_access_export", args=[held.pk])))

    referral = document["sections"]["referrals"][0]
    marked = referral["for_review_before_release"]
    for field in ("referrer_name", "referrer_email", "referrer_phone", "lives_with"):
        assert marked[field] == THIRD_PARTY
    assert marked["created_by"] == THIRD_PARTY  # a member of staff of another agency
    assert marked["risk_description"] == FREE_TEXT
    assert "family_name" not in marked
    assert "date_of_birth" not in marked
    # pypdf may split a word where the font kerns it ("Rosa T est"): compared without spaces.
    assert f"Your name: Rosa Test [{THIRD_PARTY}]".replace(" ", "") in text.replace(" ", "")
    assert f"[{FREE_TEXT}]" in text


def test_the_export_is_a_read_of_every_record_in_it_and_a_line_in_the_chronology(held, cora):
    records = person_records(held).every_record()

    subject_access_export(by=cora, person=held)

    reads = set(RecordRead.objects.filter(reader=cora).values_list("record_type", "record_id"))
    assert {(record._meta.label_lower, record.pk) for record in records} <= reads
    case = held.cases.get()
    line = CaseEvent.objects.filter(case=case, by=cora).latest("pk")
    assert line.summary.startswith(
        f"A subject access export of everything held about {held.reference}"
    )


def test_what_is_logged_and_e_mailed_names_the_reference_never_the_person(held, cora, caplog):
    mails_before = OutboxMessage.objects.count()
    with caplog.at_level(logging.DEBUG):
        subject_access_export(by=cora, person=held)

    logged = " ".join(record.getMessage() for record in caplog.records)
    assert held.reference in logged
    for detail in ("Example", "Alex", "9434765919", "1980-05-17"):
        assert detail not in logged
    assert OutboxMessage.objects.count() == mails_before


@pytest.mark.parametrize("persona", ["adam", "chidi", "maya", "harriet", "rosa", "milo"])
def test_only_the_coordinator_may_export_not_admin_staff_nor_anyone_else(
    held, client_for, request, persona
):
    user = request.getfixturevalue(persona)
    response = client_for(user).post(reverse("subject_access_export", args=[held.pk]))

    assert response.status_code == 403
    assert not RecordRead.objects.filter(reader=user).exists()


def test_someone_not_signed_in_is_sent_to_sign_in(held, client):
    response = client.post(reverse("subject_access_export", args=[held.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_the_export_is_a_post_never_a_link(held, cora_client):
    assert cora_client.get(reverse("subject_access_export", args=[held.pk])).status_code == 405


def test_a_person_who_is_not_held_is_not_found(db, cora_client):
    assert cora_client.post(reverse("subject_access_export", args=[999999])).status_code == 404


def test_the_persons_page_offers_the_export_to_the_coordinator_only(
    held, cora_client, adam, client_for
):
    url = reverse("referrals:person", args=[held.pk])
    button = f"Export everything held about {held.reference}"

    assert button in cora_client.get(url).content.decode()
    assert button not in client_for(adam).get(url).content.decode()


def test_gathering_what_is_held_takes_the_same_queries_however_many_records(held, cora):
    case = held.cases.get()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            person_records(held)
        return len(captured)

    before = queries()
    for n in range(4):
        action_services.action_agree(
            case=case,
            by=cora,
            description=f"Further work {n}",
            owner_agency=held.referrals.get().referring_agency,
            due_on=timezone.localdate() + timedelta(days=7),
        )
    assert queries() == before


# --- on the demo's data: every kind of record -----------------------------------------------


def _fullest(people) -> Person:
    """The demo person with the most kinds of record held (one with approved minutes)."""

    def kinds(person):
        held = person_records(person)
        return (sum(1 for kind in KINDS if held[kind.key]), bool(held.approved_minutes))

    return max(people, key=kinds)


@pytest.mark.django_db
def test_the_export_holds_every_kind_of_record_held_and_no_one_elses(demo, client):
    coordinator = User.objects.get(username="coordinator")
    person = _fullest(Person.objects.filter(cases__isnull=False).distinct())
    held = person_records(person)
    # The kinds the demo may not have for one person, added so that every kind is in it.
    referral = held["referrals"][0]
    if not held["screening_questions"]:
        ScreeningQuestion.objects.create(
            referral=referral,
            question="Has the person been asked about the referral?",
            asked_by=coordinator,
            asked_at=referral.submitted_at,
            answer="Yes, on the day it was made.",
            answered_by=referral.created_by,
            answered_at=referral.submitted_at,
        )
    if not held["escalations"]:
        action = held["actions"][0]
        Escalation.objects.create(
            action=action,
            level=1,
            raised_at=action.created_at,
            raised_by=coordinator,
            reason="A week overdue with no update from its owner.",
            resolved_at=action.created_at,
            resolved_by=coordinator,
            response="The owner's manager rebooked the visit.",
            outcome=EscalationOutcome.RE_DATED,
        )
    item = AgendaItem.objects.filter(
        case__person=person, meeting__minutes_status=MinutesStatus.APPROVED
    ).first()
    MinutesAmendment.objects.create(
        item=item, previous_minute=item.minute, minute=item.minute + " Amended.", by=coordinator
    )
    client.force_login(coordinator)
    client.get(reverse("referrals:person", args=[person.pk]))  # a read of the person record
    held = person_records(person)

    text, document = export_of(client.post(reverse("subject_access_export", args=[person.pk])))

    for kind in KINDS:
        records = document["sections"][kind.key]
        assert len(records) == len(held[kind.key]) > 0, kind.key
        assert kind.title in text
        for record in records:
            assert record["reference"] in text
    for case in held["cases"]:
        assert case.persons_views in json.dumps(document, ensure_ascii=False)
    assert document["history"]
    assert document["reads"]
    assert document["approved_minutes"]
    assert "Who has read these records" in text
    assert "Approved minutes about the person's cases" in text
    assert all(read["for_review_before_release"]["by"] == THIRD_PARTY for read in document["reads"])
    # Other people's cases on the same agendas are not in it.
    others = Person.objects.filter(
        cases__agenda_items__meeting__items__case__person=person
    ).exclude(pk=person.pk)
    others = others.exclude(family_name=person.family_name).distinct()
    assert others.exists()
    for other in others[:5]:
        assert str(other) not in text
        assert str(other) not in json.dumps(document, ensure_ascii=False)
