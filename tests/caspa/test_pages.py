"""Error pages, navigation by role, and the page furniture every page shares."""

import re

from django.test import Client
from django.test.client import RequestFactory
from django.urls import reverse

from caspa.views import server_error


def test_an_unknown_address_gets_a_plain_not_found_page(client_for, cora):
    response = client_for(cora).get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "Traceback" not in response.text


def test_an_unknown_address_is_not_found_when_signed_out_too(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_a_form_sent_without_its_csrf_token_gets_a_clear_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:sign_in"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Your form could not be sent" in response.text


def test_a_page_for_another_role_says_so(client_for, rosa):
    response = client_for(rosa).get(reverse("accounts:people"))
    assert response.status_code == 403
    assert "You cannot see this page" in response.text


def test_the_server_error_page_renders_without_a_session_or_database():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_the_coordinator_is_offered_the_people_list_under_agencies(client_for, cora):
    """Agencies and People are one header item: the People page is reached from Agencies."""
    agencies = client_for(cora).get(reverse("accounts:agencies")).text
    links = re.search(
        r'<nav class="caspa-section-links" aria-label="Agencies">.*?</nav>', agencies, re.S
    )
    assert 'href="/accounts/people/"' in links.group(0)
    people = client_for(cora).get(reverse("accounts:people")).text
    # The header's Agencies item stands for the People page too; the page itself is current.
    assert re.search(r'href="/accounts/agencies/"\s+aria-current="true"', people)
    assert re.search(r'href="/accounts/people/"\s+aria-current="page"', people)


def test_a_referrer_is_not_offered_the_people_list(client_for, rosa):
    response = client_for(rosa).get(reverse("home"))
    assert 'href="/accounts/people/"' not in response.text
    assert 'href="/accounts/agencies/"' in response.text
    agencies = client_for(rosa).get(reverse("accounts:agencies")).text
    assert 'href="/accounts/people/"' not in agencies
    assert "caspa-section-links" not in agencies  # one page only: nothing to link between


def test_the_header_marks_the_current_page(client_for, rosa):
    response = client_for(rosa).get(reverse("accounts:agencies"))
    assert re.search(r'href="/accounts/agencies/"\s+aria-current="page"', response.text)


def test_the_header_says_who_is_signed_in_and_for_which_agency(client_for, harriet):
    response = client_for(harriet).get(reverse("home"))
    user = re.search(r'<div class="caspa-header-user">.*?</div>', response.text, re.S).group(0)
    # Her agency shown; her role, long, is read out, and shown on her home page.
    assert "Harriet Person" in user
    assert ", Housing" in user
    assert '<span class="govuk-visually-hidden"> (Agency single point of contact (SPoC))' in user


def test_every_page_has_a_skip_link_and_the_demo_banner_outside_production(client, db):
    response = client.get(reverse("accounts:sign_in"))
    assert 'class="govuk-skip-link"' in response.text
    assert 'id="main-content"' in response.text
    assert "every person, case and agency contact here is fictional" in response.text


def test_the_agency_list_shows_each_spoc(client_for, rosa, harriet, housing, cora):
    from accounts.services import agency_appoint_spoc

    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    response = client_for(rosa).get(reverse("accounts:agencies"))
    assert "harriet@example.org" in response.text
