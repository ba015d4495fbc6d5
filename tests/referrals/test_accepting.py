"""Accepting a referral from the screening page: the pathway's endpoint (panel:referral_accept)
opens the case; the referral pages show the cap through the pathway's template tag."""

from django.urls import reverse

from caspa.core.forms import OUT_OF_DATE
from panel.models import Case, CaseStatus, Pathway
from referrals import services
from referrals.choices import Status
from referrals.models import Referral
from tests.factories import make_referral


def linked(referral, by):
    return services.referral_link_person(
        referral_id=referral.pk, by=by, version=referral.version, person_id=None
    )


def accept(client, referral, **data):
    referral.refresh_from_db()
    return client.post(
        reverse("panel:referral_accept", args=[referral.pk]),
        {"version": referral.version, **data},
        follow=True,
    )


def test_the_accept_form_posts_to_the_pathway_which_opens_the_case(client_for, rosa, cora):
    referral = linked(make_referral(rosa, submit=True), cora)
    client = client_for(cora)
    page = client.get(reverse("referrals:screening_detail", args=[referral.pk])).text
    assert f'action="/cases/accept-referral/{referral.pk}/"' in page
    response = accept(client, referral)
    assert response.redirect_chain == [(reverse("referrals:screening_queue"), 302)]
    assert (
        f"{referral.reference} is accepted for the next panel meeting. "
        "The pathway now holds 1 of 15 cases."
    ) in response.text
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    assert referral.case.status == CaseStatus.AWAITING_PANEL


def test_on_a_full_pathway_the_accepted_referral_waits_and_the_pages_say_so(client_for, rosa, cora):
    Pathway.objects.update_or_create(pk=1, defaults={"cap": 1})
    first = linked(make_referral(rosa, submit=True), cora)
    second = linked(make_referral(rosa, submit=True, nhs_number="", family_name="Other"), cora)
    client = client_for(cora)
    assert "0 of 1</span> places on the pathway taken" in (
        client.get(reverse("referrals:screening_queue")).text
    )
    accept(client, first)
    assert "1 of 1</span> places on the pathway taken" in (
        client.get(reverse("referrals:screening_queue")).text
    )
    page = client.get(reverse("referrals:screening_detail", args=[second.pk])).text
    assert "The pathway holds 1 of 1 cases now" in page
    assert "It is full:" in page
    response = accept(client, second)
    assert f"{second.reference} is accepted. The pathway is full: it holds 1 of 1 cases" in (
        response.text
    )
    assert "number 1 on the waiting list" in response.text
    assert Case.objects.get(referral=second).status == CaseStatus.WAITING


def test_accepting_before_the_person_is_confirmed_goes_back_saying_why(client_for, rosa, cora):
    referral = make_referral(rosa, submit=True)
    response = accept(client_for(cora), referral)
    screening = reverse("referrals:screening_detail", args=[referral.pk])
    assert response.redirect_chain == [(screening, 302)]
    assert services.PERSON_NOT_CONFIRMED in response.text.replace("&#x27;", "'")
    assert Referral.objects.get(pk=referral.pk).status == Status.SUBMITTED
    assert not Case.objects.exists()


def test_accepting_from_a_page_gone_stale_goes_back_saying_what_changed(
    client_for, rosa, cora, adam
):
    referral = linked(make_referral(rosa, submit=True), cora)
    seen = referral.version
    services.referral_ask_for_information(
        referral_id=referral.pk, by=adam, version=seen, question="GP?"
    )
    response = client_for(cora).post(
        reverse("panel:referral_accept", args=[referral.pk]), {"version": seen}, follow=True
    )
    assert response.redirect_chain[0][0] == reverse(
        "referrals:screening_detail", args=[referral.pk]
    )
    assert f"{referral.reference} has not been accepted: it changed while you had it open" in (
        response.text
    )
    assert f"Status: More information asked for by {adam}" in response.text
    assert Referral.objects.get(pk=referral.pk).status == Status.MORE_INFORMATION
    assert not Case.objects.exists()


def test_accepting_without_the_version_says_the_page_is_out_of_date(client_for, rosa, cora):
    referral = linked(make_referral(rosa, submit=True), cora)
    response = client_for(cora).post(
        reverse("panel:referral_accept", args=[referral.pk]), {"version": "x"}, follow=True
    )
    assert OUT_OF_DATE in response.text
    assert Referral.objects.get(pk=referral.pk).status == Status.SUBMITTED


def test_only_screeners_accept_and_only_by_post(client_for, rosa, harriet, cora):
    referral = linked(make_referral(rosa, submit=True), cora)
    url = reverse("panel:referral_accept", args=[referral.pk])
    for user in (rosa, harriet):
        assert client_for(user).post(url, {"version": referral.version}).status_code == 403
    assert client_for(cora).get(url).status_code == 405
    assert client_for(cora).post(reverse("panel:referral_accept", args=[999999])).status_code == (
        404
    )
    assert Referral.objects.get(pk=referral.pk).status == Status.SUBMITTED
