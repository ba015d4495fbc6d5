"""Referral services on the real database: state changes, history, locking, matching."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from caspa.core.locking import ChangedMeanwhile
from panel import services as panel_services
from referrals import selectors, services
from referrals.choices import Signpost, Status
from referrals.models import Person, Referral
from tests.factories import make_referral


def screen_person(referral, by, person_id=None):
    return services.referral_link_person(
        referral_id=referral.pk, by=by, version=referral.version, person_id=person_id
    )


def test_a_new_referral_knows_its_referrer(rosa):
    referral = services.referral_start(by=rosa)
    assert referral.status == Status.DRAFT
    assert referral.referring_agency == rosa.agency
    assert referral.referrer_email == "rosa@example.org"
    assert referral.history.latest().history_user == rosa


def test_an_incomplete_referral_cannot_be_submitted(rosa):
    referral = make_referral(rosa, lives_with="")
    with pytest.raises(services.IncompleteReferral) as caught:
        services.referral_submit(referral_id=referral.pk, by=rosa, version=referral.version)
    assert [m.field for m in caught.value.missing] == ["lives_with"]
    assert Referral.objects.get(pk=referral.pk).status == Status.DRAFT


def test_a_complete_referral_goes_to_the_screening_queue(rosa):
    referral = make_referral(rosa, submit=True)
    assert referral.status == Status.SUBMITTED
    assert referral.submitted_at is not None
    assert list(Referral.objects.screening_queue()) == [referral]


def test_a_second_save_from_an_old_version_is_refused_with_what_changed(rosa):
    referral = make_referral(rosa)
    opened_at = referral.version
    services.referral_save_answers(
        referral_id=referral.pk, by=rosa, version=opened_at, answers={"address": "2 New Road"}
    )
    with pytest.raises(ChangedMeanwhile) as caught:
        services.referral_save_answers(
            referral_id=referral.pk, by=rosa, version=opened_at, answers={"address": "3 Old Road"}
        )
    assert caught.value.seen_version == opened_at
    since = selectors.changes_since(caught.value.record, caught.value.seen_version)
    changes = [c for entry in since for c in entry.changes]
    assert [(c.field, c.new) for c in changes] == [("Where they live", "2 New Road")]
    assert Referral.objects.get(pk=referral.pk).address == "2 New Road"


def test_answers_cannot_change_once_sent_for_screening(rosa):
    referral = make_referral(rosa, submit=True)
    with pytest.raises(ValidationError):
        services.referral_save_answers(
            referral_id=referral.pk, by=rosa, version=referral.version, answers={"address": "x"}
        )


def test_someone_already_known_is_flagged_without_the_referrer_being_told_who(rosa, cora):
    first = make_referral(rosa, submit=True)
    screen_person(first, cora)
    second = make_referral(rosa, submit=True, family_name="Exampel", nhs_number="")
    assert second.may_be_known
    assert second.person is None  # only the coordinator links records


def test_the_coordinator_links_a_repeat_referral_and_sees_the_earlier_one(rosa, cora):
    first = make_referral(rosa, submit=True)
    first = screen_person(first, cora)
    second = make_referral(rosa, submit=True)
    assert selectors.possible_matches(second.identity()) == [first.person]
    second = screen_person(second, cora, person_id=first.person.pk)
    assert selectors.earlier_referrals(second.person, before=second) == [first]


def test_a_new_person_record_cannot_duplicate_a_held_nhs_number(rosa, cora):
    first = screen_person(make_referral(rosa, submit=True), cora)
    second = make_referral(rosa, submit=True)
    with pytest.raises(ValidationError) as caught:
        screen_person(second, cora)
    assert caught.value.message_dict == {"person": [services.NHS_NUMBER_ALREADY_HELD]}
    assert Person.objects.count() == 1
    assert first.person.nhs_number == "9434765919"


def test_the_database_holds_one_live_record_per_nhs_number(db):
    Person.objects.create(family_name="A", given_names="B", nhs_number="9434765919")
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(family_name="C", given_names="D", nhs_number="9434765919")


def test_accepting_needs_a_confirmed_person(rosa, cora):
    referral = make_referral(rosa, submit=True)
    with pytest.raises(ValidationError) as caught:
        panel_services.referral_accept_onto_pathway(
            referral_id=referral.pk, by=cora, version=referral.version
        )
    assert caught.value.messages == [services.PERSON_NOT_CONFIRMED]
    assert Referral.objects.get(pk=referral.pk).status == Status.SUBMITTED


def test_accepting_adds_to_the_caseload_and_records_who_decided(rosa, cora):
    referral = screen_person(make_referral(rosa, submit=True), cora)
    accepted, placement = panel_services.referral_accept_onto_pathway(
        referral_id=referral.pk, by=cora, version=referral.version
    )
    assert accepted.status == Status.ACCEPTED
    assert placement.waiting_position is None
    assert placement.caseload == 1 == panel_services.caseload_count()
    assert accepted.case.person == accepted.person
    assert accepted.screened_by == cora
    assert accepted.history.latest().history_user == cora


def test_asking_for_information_sends_the_referrer_a_link_and_nothing_personal(
    rosa, cora, django_capture_on_commit_callbacks
):
    referral = make_referral(rosa, submit=True, given_names="Alexandra")
    with django_capture_on_commit_callbacks(execute=True):
        asked = services.referral_ask_for_information(
            referral_id=referral.pk,
            by=cora,
            version=referral.version,
            question="Who is the person's GP?",
        )
    assert asked.status == Status.MORE_INFORMATION
    assert asked.is_editable_by_referrer
    [email] = mail.outbox
    assert email.to == ["rosa@example.org"]
    assert f"/referrals/{referral.pk}/" in email.body
    assert referral.reference in email.subject
    for detail in ("Alexandra", "Example", "GP", "1980", "9434765919", "Fictional Street"):
        assert detail not in email.body + email.subject


def test_an_answered_referral_returns_to_the_queue_keeping_its_place(rosa, cora):
    first = make_referral(rosa, submit=True)
    second = make_referral(rosa, submit=True, nhs_number="")
    asked = services.referral_ask_for_information(
        referral_id=first.pk, by=cora, version=first.version, question="GP?"
    )
    answered = services.referral_save_answers(
        referral_id=first.pk, by=rosa, version=asked.version, answers={"address": "GP: Dr Demo"}
    )
    resubmitted = services.referral_answer_question(
        referral_id=first.pk, by=rosa, version=answered.version, answer="Dr Demo, told."
    )
    assert resubmitted.status == Status.SUBMITTED
    assert resubmitted.resubmitted_at is not None
    assert list(Referral.objects.screening_queue()) == [first, second]


def test_declining_needs_a_reason_and_a_better_route(rosa, cora):
    referral = make_referral(rosa, submit=True)
    with pytest.raises(ValidationError):
        services.referral_decline(
            referral_id=referral.pk,
            by=cora,
            version=referral.version,
            reason="Not critical",
            signpost=Signpost.OTHER,
            signpost_detail="",
        )
    declined = services.referral_decline(
        referral_id=referral.pk,
        by=cora,
        version=referral.version,
        reason="Domestic abuse is the main risk",
        signpost=Signpost.MARAC,
    )
    assert declined.status == Status.DECLINED
    assert declined.get_signpost_display() == "MARAC (domestic abuse)"


def test_the_database_refuses_a_decline_without_a_reason(rosa):
    referral = make_referral(rosa, submit=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(status=Status.DECLINED)


def test_a_decision_is_only_made_once(rosa, cora):
    referral = screen_person(make_referral(rosa, submit=True), cora)
    accepted, _ = panel_services.referral_accept_onto_pathway(
        referral_id=referral.pk, by=cora, version=referral.version
    )
    with pytest.raises(ValidationError) as caught:
        services.referral_decline(
            referral_id=referral.pk,
            by=cora,
            version=accepted.version,
            reason="x",
            signpost=Signpost.MARAC,
        )
    assert caught.value.messages == [services.NOT_WAITING_FOR_SCREENING]


def test_merging_two_records_moves_referrals_and_keeps_both_histories(rosa, cora):
    first = screen_person(make_referral(rosa, submit=True), cora)
    second = screen_person(
        make_referral(rosa, submit=True, nhs_number="", family_name="Exampel"), cora
    )
    keep, duplicate = first.person, second.person
    assert keep != duplicate

    services.person_merge(keep_id=keep.pk, duplicate_id=duplicate.pk, by=cora)

    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep
    assert set(keep.referrals.all()) == {first, second}
    assert duplicate.history.count() == 2  # created, then merged
    assert duplicate.history.latest().history_user == cora
    assert Referral.objects.get(pk=second.pk).history.latest().person_id == keep.pk


def test_a_record_cannot_be_merged_into_itself(rosa, cora):
    person = screen_person(make_referral(rosa, submit=True), cora).person
    with pytest.raises(ValidationError):
        services.person_merge(keep_id=person.pk, duplicate_id=person.pk, by=cora)


def test_the_referral_history_says_who_changed_what(rosa, cora):
    referral = make_referral(rosa, submit=True)
    services.referral_ask_for_information(
        referral_id=referral.pk, by=cora, version=referral.version, question="GP?"
    )
    entries = selectors.history_entries(referral.history.all())
    assert entries[0].who == str(cora)
    assert entries[0].what == "Status: More information asked for"
    assert entries[-1].what == "Created"
    assert entries[-1].who == str(rosa)


def test_changes_to_the_agencies_involved_are_in_the_history(rosa, police):
    referral = make_referral(rosa)
    services.referral_save_answers(
        referral_id=referral.pk,
        by=rosa,
        version=referral.version,
        answers={"agencies_involved": [rosa.agency.pk, police.pk]},
    )
    latest = Referral.objects.get(pk=referral.pk).history.latest()
    assert set(latest.agencies_involved.values_list("agency_id", flat=True)) == {
        rosa.agency.pk,
        police.pk,
    }


def test_accepting_a_referral_not_waiting_for_screening_is_refused_and_opens_no_case(rosa, cora):
    referral = screen_person(make_referral(rosa, submit=True), cora)
    asked = services.referral_ask_for_information(
        referral_id=referral.pk, by=cora, version=referral.version, question="GP?"
    )
    with pytest.raises(ValidationError) as caught:
        panel_services.referral_accept_onto_pathway(
            referral_id=referral.pk, by=cora, version=asked.version
        )
    assert caught.value.messages == [services.NOT_WAITING_FOR_SCREENING]
    assert panel_services.caseload_count() == 0


def test_accepting_sends_the_referrer_the_decision(rosa, cora, django_capture_on_commit_callbacks):
    referral = screen_person(make_referral(rosa, submit=True), cora)
    with django_capture_on_commit_callbacks(execute=True):
        panel_services.referral_accept_onto_pathway(
            referral_id=referral.pk, by=cora, version=referral.version
        )
    [email] = mail.outbox
    assert email.subject == f"CASPA: referral {referral.reference} has been screened"


# --- the services check who may make each change themselves ---


def test_nobody_changes_the_answers_of_someone_elses_referral(rosa, harriet):
    referral = make_referral(rosa)
    with pytest.raises(PermissionDenied, match="Only the person who made a referral"):
        services.referral_save_answers(
            referral_id=referral.pk, by=harriet, version=referral.version, answers={"address": "x"}
        )
    with pytest.raises(PermissionDenied):
        services.referral_submit(referral_id=referral.pk, by=harriet, version=referral.version)
    assert Referral.objects.get(pk=referral.pk).status == Status.DRAFT


def test_a_role_that_cannot_refer_cannot_start_a_referral(maya):
    with pytest.raises(PermissionDenied, match="Your role cannot make referrals"):
        services.referral_start(by=maya)


@pytest.mark.parametrize(
    ("change", "extra"),
    [
        (services.referral_link_person, {"person_id": None}),
        (services.referral_ask_for_information, {"question": "GP?"}),
        (
            services.referral_decline,
            {"reason": "Not critical", "signpost": Signpost.MARAC, "signpost_detail": ""},
        ),
        (panel_services.referral_accept_onto_pathway, {}),
    ],
)
def test_only_screeners_decide_on_referrals(rosa, harriet, change, extra):
    referral = make_referral(rosa, submit=True)
    for user in (rosa, harriet):
        with pytest.raises(PermissionDenied, match="Only the panel coordinator and admin staff"):
            change(referral_id=referral.pk, by=user, version=referral.version, **extra)
    assert Referral.objects.get(pk=referral.pk).status == Status.SUBMITTED


def test_only_screeners_merge_person_records(rosa, cora):
    first = screen_person(make_referral(rosa, submit=True), cora).person
    second = screen_person(
        make_referral(rosa, submit=True, nhs_number="", family_name="Exampel"), cora
    ).person
    with pytest.raises(PermissionDenied):
        services.person_merge(keep_id=first.pk, duplicate_id=second.pk, by=rosa)
    assert Person.objects.get(pk=second.pk).merged_into is None
