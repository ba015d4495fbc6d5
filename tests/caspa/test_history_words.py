"""A record's history in words (caspa/core/history.py): each kind of field as a person reads it,
and a referral's history as its referrer and the coordinator see it."""

import re
from datetime import date

import pytest

from caspa.core import history
from referrals import selectors, services
from referrals.choices import Need
from referrals.models import Person, Referral
from tests.factories import make_referral


def field(name, model=Referral):
    return model._meta.get_field(name)


def test_a_choice_reads_as_its_label():
    change = history.change_in_words("Gender", "", "non_binary", model_field=field("gender"))
    assert change.sentence == "Gender set to: Non-binary"


def test_a_change_says_what_it_was_and_what_it_is():
    change = history.change_in_words("Gender", "man", "woman", model_field=field("gender"))
    assert change.sentence == "Gender changed from Man to Woman"


def test_a_question_reads_as_its_answer():
    label = history.label_of(field("interpreter_needed").verbose_name)
    change = history.change_in_words(label, "no", "yes", model_field=field("interpreter_needed"))
    assert change.sentence == "Do they need an interpreter? Yes (was: No)"


def test_ticked_choices_read_as_their_labels_joined_with_and():
    change = history.change_in_words(
        "Needs",
        {},
        {"self_neglect": "No heating", "victimisation": "Cuckooed", "housing": "Arrears"},
        key_choices=Need,
    )
    assert change.sentence == (
        "Needs set to: Poor self-care or self-neglect, victimisation by others (including "
        "sexual exploitation, cuckooing, modern slavery) and vulnerable housing or unstable "
        "tenancy"
    )


def test_ticked_choices_say_what_was_added_and_removed_and_whose_detail_changed():
    before = {"self_neglect": "No heating", "housing": "Arrears"}
    added = history.change_in_words(
        "Needs", before, {**before, "offending": "Theft"}, key_choices=Need
    )
    assert added.sentence == "Needs: added risk of offending or reoffending"
    removed = history.change_in_words(
        "Needs", before, {"self_neglect": "No heating"}, key_choices=Need
    )
    assert removed.sentence == "Needs: removed vulnerable housing or unstable tenancy"
    detail = history.change_in_words(
        "Needs", before, {**before, "housing": "Eviction notice"}, key_choices=Need
    )
    assert detail.sentence == (
        "Needs: the detail given for vulnerable housing or unstable tenancy changed"
    )


def test_a_date_reads_as_a_gov_uk_date():
    change = history.change_in_words(
        "Date of birth", None, date(1985, 6, 6), model_field=field("date_of_birth")
    )
    assert change.sentence == "Date of birth set to: 6 June 1985"
    again = history.change_in_words(
        "Date of birth", date(1985, 6, 6), date(1985, 6, 7), model_field=field("date_of_birth")
    )
    assert again.sentence == "Date of birth changed from 6 June 1985 to 7 June 1985"


def test_a_yes_or_no_reads_as_yes_or_no():
    assert history.value_in_words(True) == "Yes"
    assert history.value_in_words(False) == "No"


def test_nothing_before_says_only_what_it_became_and_nothing_after_says_what_it_was():
    assert history.change_in_words("Other names", "", "Al").sentence == "Other names set to: Al"
    gone = history.change_in_words("Other names", "Al", "")
    assert gone.sentence == "Other names removed (was: Al)"
    assert gone.new == history.NOT_GIVEN


def test_a_long_text_shows_where_it_changed():
    start = "Housing offered repairs in October and again in November; " * 3
    change = history.change_in_words("Tried", start + "ASC declined.", start + "ASC visited.")
    assert "declined" in change.sentence
    assert "visited" in change.sentence


def test_labels_keep_their_acronyms_and_lose_optional():
    assert history.label_of(field("nhs_number").verbose_name) == "NHS number"
    assert history.label_of("lives with") == "Lives with"


# --- a referral's history, on the database ---------------------------------------------------

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def sentences(entries):
    return [change.sentence for entry in entries for change in entry.changes]


def linked_referral(rosa, cora):
    referral = make_referral(rosa, submit=True, date_of_birth=date(1985, 6, 6))
    return services.referral_link_person(
        referral_id=referral.pk, by=cora, version=referral.version, person_id=None
    )


def test_the_referrer_sees_that_a_person_record_was_linked_but_not_which(rosa, cora):
    referral = linked_referral(rosa, cora)
    person = Person.objects.get(referrals=referral)
    said = sentences(selectors.history_entries(referral.history.all(), rosa))
    assert "Linked to a person record" in said
    assert not any(person.reference in line or "Alex Example" in line for line in said)


def test_the_coordinator_sees_which_person_record_by_name_and_reference(rosa, cora):
    referral = linked_referral(rosa, cora)
    person = Person.objects.get(referrals=referral)
    said = sentences(selectors.history_entries(referral.history.all(), cora))
    assert f"Person set to: Alex Example ({person.reference})" in said


def test_a_referrals_answers_read_in_words_never_as_codes_or_ids(rosa, cora, police):
    referral = linked_referral(rosa, cora)
    said = sentences(selectors.history_entries(referral.history.all(), rosa))
    assert "Date of birth set to: 6 June 1985" in said
    assert "NHS number set to: 943 476 5919" in said
    assert "Needs set to: Poor self-care or self-neglect" in said
    assert "Ethnicity set to: White: English, Welsh, Scottish, Northern Irish or British" in said
    assert f"Agencies involved set to: {rosa.agency.name}" in said
    for line in said:
        assert not ISO_DATE.search(line), line
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", line), line  # a code such as self_neglect
        assert "(blank)" not in line


def test_a_change_of_agencies_involved_names_them(rosa, police):
    referral = make_referral(rosa)
    services.referral_save_answers(
        referral_id=referral.pk,
        by=rosa,
        version=referral.version,
        answers={"agencies_involved": [rosa.agency.pk, police.pk]},
    )
    said = sentences(selectors.history_entries(Referral.objects.get().history.all(), rosa))
    assert f"Agencies involved: added {police.name}" in said


@pytest.mark.parametrize("who", ["rosa", "cora"])
def test_the_status_heads_its_entry_in_words(request, who, rosa, cora):
    referral = make_referral(rosa, submit=True)
    entries = selectors.history_entries(referral.history.all(), request.getfixturevalue(who))
    assert entries[0].what == "Status: Waiting for screening"
    assert entries[-1].what == "Created"


def test_a_merged_person_records_history_names_the_record_it_joined(rosa, cora):
    first = linked_referral(rosa, cora)
    second = make_referral(rosa, submit=True, nhs_number="", family_name="Exampel")
    second = services.referral_link_person(
        referral_id=second.pk, by=cora, version=second.version, person_id=None
    )
    keep, duplicate = first.person, second.person
    services.person_merge(keep_id=keep.pk, duplicate_id=duplicate.pk, by=cora)
    said = sentences(selectors.person_history(keep, cora))
    assert f"Merged into Alex Example ({keep.reference})" in said
