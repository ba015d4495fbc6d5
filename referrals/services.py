"""Every change to a referral or a person: one function each, in a transaction.

Each checks for itself that the user may make the change (the guards of
referrals.permissions: PermissionDenied) and that the referral is in a state for it
(ValidationError, with a message saying why). Each locks the record at the version the user
saw (caspa.core.locking): if someone saved in between, it raises ChangedMeanwhile rather than
overwrite. Each writes history with the acting user.

Accepting a referral opens a case on the pathway: the pathway's service
(panel.services.referral_accept_onto_pathway) calls referral_mark_accepted and opens the case
in one transaction.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caspa.core.locking import lock_at_version, save_as
from referrals import notices, permissions, selectors
from referrals.choices import Signpost, Status
from referrals.models import Person, Referral, ScreeningQuestion
from referrals.rules import completeness, nhs_numbers

NOT_WAITING_FOR_SCREENING = "This referral is not waiting for screening."
PERSON_NOT_CONFIRMED = (
    "Confirm who the person is first: link the referral to a record already held, or create one."
)
PERSON_MERGED = "That record has been merged into another. Link to the record it was merged into."
NHS_NUMBER_ALREADY_HELD = (
    "A record with this NHS number is already held. Link the referral to it instead."
)
SIGNPOST_OTHER_NEEDS_DETAIL = "Say which other route the referrer should use"
CANNOT_MERGE_INTO_ITSELF = "Choose two different records to merge."
NO_SUCH_RECORD = "There is no record with that number"
KEPT_RECORD_MERGED = "This record has been merged into another: merge into that one instead."
ANSWER_THE_QUESTION = (
    "The coordinator has asked a question about this referral: answer it to send the referral back."
)
NO_QUESTION_OPEN = "There is no question waiting for an answer on this referral."
ANSWER_NEEDED = "Enter your answer to the coordinator's question"
ONLY_DRAFTS_DELETED = "Only a draft can be deleted. This referral has been sent for screening."


class IncompleteReferral(Exception):
    def __init__(self, missing: list[completeness.Missing]):
        super().__init__(f"{len(missing)} answers missing")
        self.missing = missing


def _lock(referral_id: int, version: int) -> Referral:
    return lock_at_version(Referral.objects, pk=referral_id, version=version)


@transaction.atomic
def referral_start(*, by) -> Referral:
    """A new draft, with what we already know about the referrer filled in."""
    permissions.require_making_referrals(by)
    referral = Referral(
        created_by=by,
        referring_agency=by.agency,
        referrer_name=by.get_full_name(),
        referrer_role=by.job_title,
        referrer_agency=by.agency,
        referrer_phone=by.phone,
        referrer_email=by.email,
    )
    referral._history_user = by
    referral.save()
    return referral


@transaction.atomic
def referral_save_answers(*, referral_id: int, by, version: int, answers: dict) -> Referral:
    """Save some of a referral's answers (one section of the form), complete or not."""
    referral = _lock(referral_id, version)
    _check_answers_open(referral, by)
    agencies = answers.pop("agencies_involved", None)
    for field, value in answers.items():
        setattr(referral, field, value)
    save_as(referral, by=by)
    if agencies is not None:
        # simple-history records a many-to-many change as a record of its own, after the save.
        referral.agencies_involved.set(agencies)
    return referral


@transaction.atomic
def referral_submit(*, referral_id: int, by, version: int) -> Referral:
    """Send a complete referral for screening (again, if it came back for more information)."""
    referral = _lock(referral_id, version)
    _check_answers_open(referral, by)
    if referral.status == Status.MORE_INFORMATION:
        # Back with a question: it goes back with the answer (referral_answer_question).
        raise ValidationError(ANSWER_THE_QUESTION)
    _require_complete(referral)
    referral.submitted_at = timezone.now()
    return _send_for_screening(referral, by)


@transaction.atomic
def referral_answer_question(*, referral_id: int, by, version: int, answer: str) -> Referral:
    """The referrer's answer to the coordinator's question, which sends the referral back for
    screening (with any answers they changed meanwhile), and the coordinator told."""
    referral = _lock(referral_id, version)
    _check_answers_open(referral, by)
    question = (
        ScreeningQuestion.objects.select_for_update()
        .filter(referral=referral, answered_at=None)
        .first()
    )
    if referral.status != Status.MORE_INFORMATION or question is None:
        raise ValidationError(NO_QUESTION_OPEN)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": ANSWER_NEEDED})
    _require_complete(referral)
    now = timezone.now()
    question.answer = answer
    question.answered_by = by
    question.answered_at = now
    question.save()
    referral.resubmitted_at = now
    _send_for_screening(referral, by)
    notices.notify_question_answered(question)
    return referral


def _require_complete(referral: Referral) -> None:
    missing = completeness.missing_answers(referral.answers())
    if missing:
        raise IncompleteReferral(missing)


def _send_for_screening(referral: Referral, by) -> Referral:
    referral.status = Status.SUBMITTED
    referral.may_be_known = bool(selectors.possible_matches(referral.identity()))
    return save_as(referral, by=by)


@transaction.atomic
def referral_delete_draft(*, referral_id: int, by, version: int) -> str:
    """Delete a draft that will not be sent: its maker's to do, and only while it is a draft.

    A draft has no person record, case or question (those come at screening), so nothing else
    refers to it. The deletion is kept in the referral's history (who, when), and the reads of
    it in the audit trail. Returns the reference the draft had."""
    referral = _lock(referral_id, version)
    permissions.require_maker(by, referral)
    if referral.status != Status.DRAFT:
        raise ValidationError(ONLY_DRAFTS_DELETED)
    reference = referral.reference
    referral._history_user = by
    referral.delete()
    return reference


def _check_answers_open(referral: Referral, by) -> None:
    permissions.require_maker(by, referral)
    if not referral.is_editable_by_referrer:
        raise ValidationError(permissions.ANSWERS_CLOSED)


def _lock_for_screening(referral_id: int, by, version: int) -> Referral:
    permissions.require_screening(by)
    referral = _lock(referral_id, version)
    if not referral.is_waiting_for_screening:
        raise ValidationError(NOT_WAITING_FOR_SCREENING)
    return referral


def _screened(referral: Referral, by) -> None:
    referral.screened_by = by
    referral.screened_at = timezone.now()


@transaction.atomic
def referral_link_person(*, referral_id: int, by, version: int, person_id: int | None) -> Referral:
    """Say who the referral is about: a person already held, or (person_id None) a new record."""
    referral = _lock_for_screening(referral_id, by, version)
    if person_id is None:
        nhs_number = nhs_numbers.normalise_nhs_number(referral.nhs_number)
        if nhs_number and Person.objects.filter(nhs_number=nhs_number, merged_into=None).exists():
            raise ValidationError({"person": NHS_NUMBER_ALREADY_HELD})
        person = Person(
            family_name=referral.family_name,
            given_names=referral.given_names,
            other_names=referral.other_names,
            date_of_birth=referral.date_of_birth,
            nhs_number=nhs_number,
            ethnicity=referral.ethnicity,
            gender=referral.gender,
        )
        person._history_user = by
        person.save()
    else:
        person = Person.objects.get(pk=person_id)
        if person.merged_into_id is not None:
            raise ValidationError({"person": PERSON_MERGED})
    referral.person = person
    return save_as(referral, by=by)


@transaction.atomic
def referral_mark_accepted(*, referral_id: int, by, version: int) -> Referral:
    """The screening decision to accept, and the referrer told.

    Only the pathway calls this (panel.services.referral_accept_onto_pathway), which opens the
    referral's case in the same transaction: an accepted referral always has its case.
    """
    referral = _lock_for_screening(referral_id, by, version)
    if referral.person_id is None:
        raise ValidationError(PERSON_NOT_CONFIRMED)
    _screened(referral, by)
    referral.status = Status.ACCEPTED
    save_as(referral, by=by)
    notices.notify_screening_decision(referral)
    return referral


@transaction.atomic
def referral_ask_for_information(*, referral_id: int, by, version: int, question: str) -> Referral:
    """Send the referral back to its referrer, editable, with the coordinator's question."""
    referral = _lock_for_screening(referral_id, by, version)
    _screened(referral, by)
    referral.status = Status.MORE_INFORMATION
    referral.more_information_question = question
    save_as(referral, by=by)
    ScreeningQuestion.objects.create(
        referral=referral, question=question, asked_by=by, asked_at=referral.screened_at
    )
    notices.notify_more_information_needed(referral)
    return referral


@transaction.atomic
def referral_decline(
    *, referral_id: int, by, version: int, reason: str, signpost: str, signpost_detail: str = ""
) -> Referral:
    """Decline, with the reason and the better route for the referrer to take."""
    if signpost == Signpost.OTHER and not signpost_detail.strip():
        raise ValidationError({"signpost_detail": SIGNPOST_OTHER_NEEDS_DETAIL})
    referral = _lock_for_screening(referral_id, by, version)
    _screened(referral, by)
    referral.status = Status.DECLINED
    referral.decline_reason = reason
    referral.signpost = signpost
    referral.signpost_detail = signpost_detail
    save_as(referral, by=by)
    notices.notify_screening_decision(referral)
    return referral


@transaction.atomic
def person_merge(*, keep_id: int, duplicate_id: int, by) -> Person:
    """Two records that turn out to be one person become one; both histories are kept.

    The duplicate is not deleted: it points at the record kept, and its referrals move there.
    """
    permissions.require_screening(by)
    if keep_id == duplicate_id:
        raise ValidationError({"duplicate": CANNOT_MERGE_INTO_ITSELF})
    # Lock both rows in a fixed order, so that two merges at once cannot deadlock.
    locked = {
        p.pk: p
        for p in Person.objects.select_for_update()
        .filter(pk__in=sorted([keep_id, duplicate_id]))
        .order_by("pk")
    }
    if duplicate_id not in locked:
        raise ValidationError({"duplicate": NO_SUCH_RECORD})
    keep, duplicate = locked.get(keep_id), locked[duplicate_id]
    if keep is None:
        raise Person.DoesNotExist("No person record to keep")
    if keep.merged_into_id:
        raise ValidationError(KEPT_RECORD_MERGED)
    if duplicate.merged_into_id:
        raise ValidationError({"duplicate": PERSON_MERGED})

    duplicate.merged_into = keep
    duplicate._history_user = by
    duplicate.save()
    for field in ("nhs_number", "date_of_birth", "other_names", "ethnicity", "gender"):
        if not getattr(keep, field) and getattr(duplicate, field):
            setattr(keep, field, getattr(duplicate, field))
    keep._history_user = by
    keep.save()
    for referral in Referral.objects.select_for_update().filter(person=duplicate):
        referral.person = keep
        save_as(referral, by=by)
    return keep
