"""The referrer's reply to the coordinator's question, and deleting a draft: the services,
their refusals, and the pages."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from caspa.core.locking import ChangedMeanwhile
from referrals import services
from referrals.choices import Status
from referrals.models import Referral, ScreeningQuestion
from tests.factories import UserFactory, make_referral

QUESTION = "Who is the person's GP?"
ANSWER = "Dr Demo at the Example Surgery, told on 1 December."


def asked(referrer, coordinator, **overrides):
    referral = make_referral(referrer, submit=True, **overrides)
    return services.referral_ask_for_information(
        referral_id=referral.pk, by=coordinator, version=referral.version, question=QUESTION
    )


def answer(referral, by, text=ANSWER, version=None):
    return services.referral_answer_question(
        referral_id=referral.pk,
        by=by,
        version=referral.version if version is None else version,
        answer=text,
    )


# --- the services: answering ----------------------------------------------------------------


def test_asking_keeps_the_question_as_a_record_waiting_for_its_answer(rosa, cora):
    referral = asked(rosa, cora)
    [question] = referral.questions.all()
    assert (question.question, question.asked_by, question.is_open) == (QUESTION, cora, True)


def test_the_answer_sends_the_referral_back_and_tells_the_coordinator_who_asked(
    rosa, cora, django_capture_on_commit_callbacks
):
    referral = asked(rosa, cora, given_names="Alexandra")
    with django_capture_on_commit_callbacks(execute=True):
        back = answer(referral, rosa)
    assert back.status == Status.SUBMITTED
    assert back.resubmitted_at is not None
    question = ScreeningQuestion.objects.get(referral=referral)
    assert (question.answer, question.answered_by) == (ANSWER, rosa)
    assert question.answered_at == back.resubmitted_at
    [email] = [sent for sent in mail.outbox if sent.to == [cora.email]]
    assert referral.reference in email.subject
    assert reverse("referrals:screening_detail", args=[referral.pk]) in email.body
    # The e-mail carries the reference and a link: not the answer, nor who the person is.
    for detail in ("Alexandra", "Example", "Dr Demo", "GP", "9434765919"):
        assert detail not in email.body + email.subject


def test_an_empty_answer_is_refused_by_its_box_and_nothing_changes(rosa, cora):
    referral = asked(rosa, cora)
    with pytest.raises(ValidationError) as refused:
        answer(referral, rosa, text="   \n ")
    assert refused.value.message_dict == {"answer": [services.ANSWER_NEEDED]}
    assert Referral.objects.get(pk=referral.pk).status == Status.MORE_INFORMATION
    assert ScreeningQuestion.objects.get(referral=referral).is_open


def test_only_the_referrer_answers(rosa, harriet, cora):
    referral = asked(rosa, cora)
    with pytest.raises(PermissionDenied):
        answer(referral, harriet)
    with pytest.raises(PermissionDenied):
        answer(referral, cora)
    assert ScreeningQuestion.objects.get(referral=referral).is_open


def test_there_is_nothing_to_answer_before_a_question_is_asked(rosa):
    draft = make_referral(rosa)
    with pytest.raises(ValidationError) as refused:
        answer(draft, rosa)
    assert refused.value.messages == [services.NO_QUESTION_OPEN]
    assert Referral.objects.get(pk=draft.pk).status == Status.DRAFT


def test_an_answer_from_a_page_older_than_a_change_is_refused(rosa, cora):
    referral = asked(rosa, cora)
    seen = referral.version
    services.referral_save_answers(
        referral_id=referral.pk, by=rosa, version=seen, answers={"address": "2 New Road"}
    )
    with pytest.raises(ChangedMeanwhile):
        answer(referral, rosa, version=seen)
    assert ScreeningQuestion.objects.get(referral=referral).is_open


def test_an_answer_cannot_send_back_a_referral_whose_answers_are_now_incomplete(rosa, cora):
    referral = asked(rosa, cora)
    referral = services.referral_save_answers(
        referral_id=referral.pk, by=rosa, version=referral.version, answers={"lives_with": ""}
    )
    with pytest.raises(services.IncompleteReferral) as incomplete:
        answer(referral, rosa)
    assert [m.field for m in incomplete.value.missing] == ["lives_with"]
    assert ScreeningQuestion.objects.get(referral=referral).is_open


def test_a_referral_back_with_a_question_is_not_sent_back_without_its_answer(rosa, cora):
    referral = asked(rosa, cora)
    with pytest.raises(ValidationError) as refused:
        services.referral_submit(referral_id=referral.pk, by=rosa, version=referral.version)
    assert refused.value.messages == [services.ANSWER_THE_QUESTION]
    assert Referral.objects.get(pk=referral.pk).status == Status.MORE_INFORMATION


def test_a_second_question_is_answered_on_its_own(rosa, cora):
    referral = answer(asked(rosa, cora), rosa)
    referral = services.referral_ask_for_information(
        referral_id=referral.pk, by=cora, version=referral.version, question="And the tenancy?"
    )
    answer(referral, rosa, text="Secure tenancy.")
    pairs = [(q.question, q.answer) for q in ScreeningQuestion.objects.filter(referral=referral)]
    assert pairs == [(QUESTION, ANSWER), ("And the tenancy?", "Secure tenancy.")]


# --- the services: deleting a draft ---------------------------------------------------------


def test_a_draft_is_deleted_by_its_maker_and_the_deletion_kept_in_its_history(rosa):
    draft = make_referral(rosa)
    reference = services.referral_delete_draft(referral_id=draft.pk, by=rosa, version=draft.version)
    assert reference == draft.reference
    assert not Referral.objects.filter(pk=draft.pk).exists()
    deletion = Referral.history.filter(id=draft.pk).latest()
    assert (deletion.history_type, deletion.history_user) == ("-", rosa)


def test_only_a_draft_can_be_deleted(rosa, cora):
    sent = make_referral(rosa, submit=True)
    with pytest.raises(ValidationError) as refused:
        services.referral_delete_draft(referral_id=sent.pk, by=rosa, version=sent.version)
    assert refused.value.messages == [services.ONLY_DRAFTS_DELETED]
    back = asked(rosa, cora, nhs_number="")
    with pytest.raises(ValidationError):
        services.referral_delete_draft(referral_id=back.pk, by=rosa, version=back.version)
    assert Referral.objects.count() == 2


def test_nobody_else_deletes_someones_draft(rosa, harriet, cora, housing):
    draft = make_referral(rosa)
    colleague = UserFactory(username="colleague", role="referrer", agency=housing)
    for other in (harriet, cora, colleague):
        with pytest.raises(PermissionDenied):
            services.referral_delete_draft(referral_id=draft.pk, by=other, version=draft.version)
    assert Referral.objects.filter(pk=draft.pk).exists()


def test_a_draft_changed_since_the_page_was_opened_is_not_deleted(rosa):
    draft = make_referral(rosa)
    seen = draft.version
    services.referral_save_answers(
        referral_id=draft.pk, by=rosa, version=seen, answers={"address": "2 New Road"}
    )
    with pytest.raises(ChangedMeanwhile):
        services.referral_delete_draft(referral_id=draft.pk, by=rosa, version=seen)
    assert Referral.objects.filter(pk=draft.pk).exists()


# --- the pages ------------------------------------------------------------------------------


def answer_url(referral):
    return reverse("referrals:answer_question", args=[referral.pk])


def test_the_referrer_answers_in_the_box_and_the_coordinator_reads_question_and_answer(
    client_for, rosa, cora
):
    referral = asked(rosa, cora)
    client = client_for(rosa)
    page = client.get(referral.get_absolute_url()).text
    assert QUESTION.replace("'", "&#x27;") in page
    assert f'action="{answer_url(referral)}"' in page
    assert "Send the referral back" in page
    assert "Check your answers and send" not in page  # the way back is the answer
    response = client.post(answer_url(referral), {"version": referral.version, "answer": ANSWER})
    assert response.url == reverse("referrals:sent", args=[referral.pk])
    assert "Referral sent back" in client.get(response.url).text

    screening = client_for(cora).get(reverse("referrals:screening_detail", args=[referral.pk]))
    text = screening.text
    assert "Questions and answers" in text
    question_at, answer_at = text.index("Question:</strong> Who is the person"), text.index(ANSWER)
    assert question_at < answer_at  # read together: the answer under its question
    history = text[text.index('id="history"') :]
    assert "Answered the coordinator&#x27;s question" in history
    assert ANSWER in history
    # The referrer's own page now lists the exchange, and no longer asks.
    mine = client.get(referral.get_absolute_url()).text
    assert ANSWER in mine
    assert "Send the referral back" not in mine


def test_sending_back_without_an_answer_says_so_by_the_box(client_for, rosa, cora):
    referral = asked(rosa, cora)
    response = client_for(rosa).post(answer_url(referral), {"version": referral.version})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert 'href="#id_answer"' in response.text
    assert 'id="id_answer-error"' in response.text
    assert "Enter your answer to the coordinator" in response.text
    assert Referral.objects.get(pk=referral.pk).status == Status.MORE_INFORMATION


def test_an_answer_that_cannot_go_back_yet_is_kept_in_its_box(client_for, rosa, cora):
    referral = asked(rosa, cora)
    referral = services.referral_save_answers(
        referral_id=referral.pk, by=rosa, version=referral.version, answers={"lives_with": ""}
    )
    response = client_for(rosa).post(
        answer_url(referral), {"version": referral.version, "answer": ANSWER}
    )
    assert "The referral cannot be sent back yet" in response.text
    assert reverse("referrals:section", args=[referral.pk, "person"]) in response.text
    assert f"\n{ANSWER}</textarea>" in response.text


def test_an_answer_from_an_out_of_date_page_is_kept_with_what_changed(client_for, rosa, cora):
    referral = asked(rosa, cora)
    seen = referral.version
    services.referral_save_answers(
        referral_id=referral.pk, by=rosa, version=seen, answers={"address": "2 New Road"}
    )
    response = client_for(rosa).post(answer_url(referral), {"version": seen, "answer": ANSWER})
    assert response.status_code == 409
    assert "Someone else changed this referral" in response.text
    assert f"\n{ANSWER}</textarea>" in response.text
    assert ScreeningQuestion.objects.get(referral=referral).is_open


def test_a_spoc_sees_the_question_but_has_no_box_to_answer_it(client_for, rosa, harriet, cora):
    referral = asked(rosa, cora)
    page = client_for(harriet).get(referral.get_absolute_url()).text
    assert "The coordinator asks" in page
    assert answer_url(referral) not in page
    response = client_for(harriet).post(
        answer_url(referral), {"version": referral.version, "answer": ANSWER}
    )
    assert response.status_code == 403


def test_deleting_a_draft_from_its_page(client_for, rosa):
    draft = make_referral(rosa)
    client = client_for(rosa)
    delete_page = reverse("referrals:delete", args=[draft.pk])
    assert f'href="{delete_page}"' in client.get(draft.get_absolute_url()).text
    confirm = client.get(delete_page).text
    assert "Are you sure you want to delete this draft?" in confirm
    response = client.post(
        reverse("referrals:delete_draft", args=[draft.pk]), {"version": draft.version}, follow=True
    )
    assert f"Draft referral {draft.reference} is deleted." in response.text
    assert draft.reference not in response.text.replace(f"Draft referral {draft.reference}", "")
    assert not Referral.objects.filter(pk=draft.pk).exists()


def test_a_sent_referral_offers_no_deleting_and_its_delete_page_says_why(client_for, rosa):
    sent = make_referral(rosa, submit=True)
    client = client_for(rosa)
    delete_page = reverse("referrals:delete", args=[sent.pk])
    assert delete_page not in client.get(sent.get_absolute_url()).text
    response = client.get(delete_page, follow=True)
    assert response.redirect_chain[-1][0] == sent.get_absolute_url()
    assert services.ONLY_DRAFTS_DELETED in response.text
    response = client.post(
        reverse("referrals:delete_draft", args=[sent.pk]), {"version": sent.version}, follow=True
    )
    assert response.redirect_chain[-1][0] == sent.get_absolute_url()
    assert services.ONLY_DRAFTS_DELETED in response.text
    assert Referral.objects.filter(pk=sent.pk).exists()


def test_a_draft_changed_in_another_tab_is_asked_about_again(client_for, rosa):
    draft = make_referral(rosa)
    seen = draft.version
    services.referral_save_answers(
        referral_id=draft.pk, by=rosa, version=seen, answers={"address": "2 New Road"}
    )
    response = client_for(rosa).post(
        reverse("referrals:delete_draft", args=[draft.pk]), {"version": seen}, follow=True
    )
    assert "The draft was changed after you opened this page" in response.text
    assert "Are you sure you want to delete this draft?" in response.text
    assert Referral.objects.filter(pk=draft.pk).exists()


def test_another_persons_draft_has_no_delete_page(client_for, rosa, harriet):
    draft = make_referral(rosa)
    assert client_for(harriet).get(reverse("referrals:delete", args=[draft.pk])).status_code == 404
    response = client_for(harriet).post(
        reverse("referrals:delete_draft", args=[draft.pk]), {"version": draft.version}
    )
    assert response.status_code == 404
    assert Referral.objects.filter(pk=draft.pk).exists()


# --- "Who is this?" -------------------------------------------------------------------------


def test_with_no_record_to_choose_who_is_this_is_a_button_not_one_radio(client_for, rosa, cora):
    referral = make_referral(rosa, submit=True)
    client = client_for(cora)
    page = client.get(reverse("referrals:screening_detail", args=[referral.pk])).text
    link_form = page[page.index('action="/referrals/screening/') : page.index("Decision</h2>")]
    assert 'type="radio"' not in link_form
    assert "Create a new person record" in link_form
    client.post(
        reverse("referrals:link_person", args=[referral.pk]),
        {"version": referral.version, "person": "new"},
    )
    assert Referral.objects.get(pk=referral.pk).person is not None


def test_with_a_record_that_may_be_the_person_the_choice_is_asked(client_for, rosa, cora):
    first = make_referral(rosa, submit=True)
    services.referral_link_person(
        referral_id=first.pk, by=cora, version=first.version, person_id=None
    )
    again = make_referral(rosa, submit=True, nhs_number="")  # same name and date of birth
    page = client_for(cora).get(reverse("referrals:screening_detail", args=[again.pk])).text
    assert page.count('name="person" type="radio"') == 2
    assert "None of these: create a new person record" in page


def test_a_draft_has_no_question_to_answer_and_its_page_says_so(client_for, rosa):
    draft = make_referral(rosa)
    response = client_for(rosa).post(
        answer_url(draft), {"version": draft.version, "answer": ANSWER}, follow=True
    )
    assert response.redirect_chain[-1][0] == draft.get_absolute_url()
    assert services.NO_QUESTION_OPEN in response.text
    assert Referral.objects.get(pk=draft.pk).status == Status.DRAFT
