from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.forms import WRONG_USERNAME_OR_PASSWORD
from tests.factories import PASSWORD

SIGN_IN = reverse("accounts:sign_in")


def sign_in(client, username, password):
    return client.post(SIGN_IN, {"username": username, "password": password})


def test_the_coordinator_signs_in_and_reaches_home(client, cora):
    response = sign_in(client, "cora", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")
    home = client.get(reverse("home"))
    assert "Welcome, Cora" in home.text


def test_a_wrong_password_says_so_and_keeps_the_username(client, cora):
    response = sign_in(client, "cora", "not-the-password")
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "The username or password is not right" in response.text
    assert 'value="cora"' in response.text
    assert "Error: Sign in" in response.text  # the page title says there is an error


def test_an_empty_form_names_each_missing_field_next_to_it(client, db):
    response = sign_in(client, "", "")
    assert '<a href="#id_username">Enter your username</a>' in response.text
    assert '<a href="#id_password">Enter your password</a>' in response.text
    assert 'id="id_username-error"' in response.text
    assert 'aria-describedby="id_username-error"' in response.text


def test_pages_need_a_signed_in_user(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(SIGN_IN)


@pytest.mark.parametrize("username", ["cora", "nobody-by-this-name"])
def test_five_wrong_passwords_lock_the_username_with_a_clear_page(client, cora, username):
    for _ in range(4):
        assert sign_in(client, username, "wrong").status_code == 200
    locked = sign_in(client, username, "wrong")
    assert locked.status_code == 429
    assert "This account is locked for now" in locked.text
    # Even the right password is refused until the lock lifts.
    again = sign_in(client, username, PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_does_not_stop_another_user(client, cora, adam):
    for _ in range(5):
        sign_in(client, "cora", "wrong")
    assert sign_in(Client(), "adam", PASSWORD).status_code == 302


def test_sign_out_ends_the_session(client, cora):
    sign_in(client, "cora", PASSWORD)
    response = client.post(reverse("accounts:sign_out"))
    assert response.url == reverse("accounts:signed_out")
    assert client.get(reverse("home")).status_code == 302


def test_sign_out_is_not_done_by_a_link(client, cora):
    # A GET must not sign anyone out (a prefetch or an <img> could do it).
    sign_in(client, "cora", PASSWORD)
    assert client.get(reverse("accounts:sign_out")).status_code == 405
    assert client.get(reverse("home")).status_code == 200


def test_a_session_lasts_30_minutes_from_the_last_request(client, cora):
    sign_in(client, "cora", PASSWORD)
    client.get(reverse("home"))
    session = Session.objects.get(session_key=client.session.session_key)
    remaining = session.expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)


def test_an_idle_session_is_signed_out(client, cora):
    sign_in(client, "cora", PASSWORD)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(SIGN_IN)


def test_pages_tell_people_about_the_idle_sign_out(client_for, cora):
    response = client_for(cora).get(reverse("home"))
    assert "signed out after 30 minutes without activity" in response.text


def test_the_sign_in_page_explains_a_timed_out_session(client, db):
    response = client.get(SIGN_IN + "?timed_out=1")
    assert "You were signed out because you had not done anything for 30 minutes" in response.text


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_wrong_password_message_states_the_lockout_rule(client, db):
    response = sign_in(client, "cora", "wrong")
    expected = WRONG_USERNAME_OR_PASSWORD.format(limit=3, minutes=30)
    assert expected in response.text
