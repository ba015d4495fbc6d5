"""One POST endpoint per change, each behind one door: what each refuses, and to whom."""

import pytest
from django.urls import reverse

from referrals.choices import Status
from referrals.models import Referral
from tests.factories import make_referral

# Every change made from a referral page: (URL name, its arguments besides the pk).
CHANGES = [
    ("referrals:save_section", ["person"]),
    ("referrals:submit", []),
    ("referrals:answer_question", []),
    ("referrals:delete_draft", []),
    ("referrals:link_person", []),
    ("referrals:ask_for_information", []),
    ("referrals:decline", []),
    ("panel:referral_accept", []),
]
SCREENING = [name for name, _ in CHANGES[4:]]


@pytest.mark.parametrize(("name", "args"), CHANGES)
def test_a_change_is_made_by_post_only(client_for, rosa, cora, name, args):
    referral = make_referral(rosa, submit=name in SCREENING)
    user = cora if name in SCREENING else rosa
    response = client_for(user).get(reverse(name, args=[referral.pk, *args]))
    assert response.status_code == 405


def test_starting_and_merging_are_by_post_only(client_for, rosa, cora):
    assert client_for(rosa).get(reverse("referrals:create_draft")).status_code == 405
    assert client_for(cora).get(reverse("referrals:merge_duplicate", args=[1])).status_code == 405


@pytest.mark.parametrize("name", SCREENING)
def test_people_who_do_not_screen_cannot_decide(client_for, rosa, harriet, name):
    referral = make_referral(rosa, submit=True)
    for user in (rosa, harriet):
        response = client_for(user).post(
            reverse(name, args=[referral.pk]), {"version": referral.version, "person": "new"}
        )
        assert response.status_code == 403
    assert Referral.objects.get(pk=referral.pk).person is None


@pytest.mark.parametrize("name", SCREENING)
def test_a_draft_is_not_there_to_screen(client_for, rosa, cora, name):
    draft = make_referral(rosa)
    response = client_for(cora).post(reverse(name, args=[draft.pk]), {"version": draft.version})
    assert response.status_code == 404


def test_a_spoc_who_sees_a_referral_still_cannot_change_its_answers(client_for, rosa, harriet):
    referral = make_referral(rosa, lives_with="")
    client = client_for(harriet)
    url = reverse("referrals:save_section", args=[referral.pk, "person"])
    assert client.post(url, {"version": referral.version, "lives_with": "x"}).status_code == 404
    sent = make_referral(rosa, submit=True)
    url = reverse("referrals:save_section", args=[sent.pk, "person"])
    assert client.post(url, {"version": sent.version, "lives_with": "x"}).status_code == 403
    assert client.post(reverse("referrals:submit", args=[sent.pk])).status_code == 403
    assert Referral.objects.get(pk=referral.pk).lives_with == ""
    assert Referral.objects.get(pk=sent.pk).lives_with == "Lives alone"


def test_a_sent_referral_takes_its_maker_to_its_page_saying_it_can_no_longer_change(
    client_for, rosa
):
    referral = make_referral(rosa, submit=True)
    client = client_for(rosa)
    for response in (
        client.get(reverse("referrals:section", args=[referral.pk, "risk"]), follow=True),
        client.get(reverse("referrals:check", args=[referral.pk]), follow=True),
        client.post(
            reverse("referrals:save_section", args=[referral.pk, "risk"]),
            {"version": referral.version, "tried_so_far": "Changed after sending"},
            follow=True,
        ),
        client.post(
            reverse("referrals:submit", args=[referral.pk]),
            {"version": referral.version},
            follow=True,
        ),
    ):
        assert response.redirect_chain == [(referral.get_absolute_url(), 302)]
        assert "sent for screening, so its answers can no longer change" in response.text
    referral.refresh_from_db()
    assert referral.status == Status.SUBMITTED
    assert "Changed after sending" not in referral.tried_so_far


def test_the_sent_page_is_only_for_a_referral_waiting_for_screening(client_for, rosa):
    draft = make_referral(rosa)
    response = client_for(rosa).get(reverse("referrals:sent", args=[draft.pk]))
    assert response.url == draft.get_absolute_url()


def test_no_such_section_is_not_found(client_for, rosa):
    referral = make_referral(rosa)
    client = client_for(rosa)
    assert client.get(reverse("referrals:section", args=[referral.pk, "nope"])).status_code == 404
    url = reverse("referrals:save_section", args=[referral.pk, "nope"])
    assert client.post(url, {"version": referral.version}).status_code == 404
