"""The floor: the About page, an authenticated page on the base template with no query of its
own, costs what every page pays before its own work (docs/performance.md). At most 4 queries:
the session, and the user with their agency and the device that proved the second factor; the
session is written only when the idle timer needs it, and the navigation's permission
questions ask the database nothing."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from accounts.sessions import LAST_SEEN_SESSION_KEY, LAST_SEEN_SLACK
from tests.accounts.test_two_factor import verified_client
from tests.factories import PASSWORD, UserFactory
from tests.queries import page_queries

ABOUT = reverse("about")
SIGN_IN = reverse("accounts:sign_in")
FLOOR_LIMIT = 4


def session_writes(queries: list[str]) -> list[str]:
    return [q for q in queries if q.startswith(("UPDATE", "INSERT")) and "django_session" in q]


def stored(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def idle_for(client, duration: timedelta) -> None:
    """As if nobody had used the session for `duration`: what the database holds of it (its
    expiry, and when it was last seen) moved that far into the past."""
    row = stored(client)
    data = SessionStore().decode(row.session_data)
    data[LAST_SEEN_SESSION_KEY] -= int(duration.total_seconds())
    row.session_data = SessionStore().encode(data)
    row.expire_date -= duration
    row.save()


@pytest.mark.parametrize("role", list(Role))
def test_the_floor_costs_at_most_4_queries_for_every_role(client_for, asc, role):
    user = UserFactory(role=role, agency=asc)
    queries = page_queries(client_for(user), ABOUT)
    assert len(queries) <= FLOOR_LIMIT, "\n".join(queries)
    assert not session_writes(queries)


def test_the_second_factor_costs_no_query_of_its_own(client_for, cora, harriet):
    # Production always asks for the second factor; the test run does not. The device that
    # proved it is read in the user's query, so a page costs the same either way and the
    # suite's counts are production's.
    without = page_queries(client_for(cora), ABOUT)
    with override_settings(TWO_FACTOR_REQUIRED=True):
        proved = page_queries(verified_client(harriet), ABOUT)
    assert len(proved) == len(without), "\n".join(proved)
    assert len(proved) <= FLOOR_LIMIT


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_a_session_naming_someone_elses_device_is_not_proved(cora, harriet):
    client = verified_client(cora)
    theirs = TOTPDevice.objects.create(user=harriet, name="Authenticator app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = theirs.persistent_id
    session.save()
    response = client.get(ABOUT)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two_factor_verify"))


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_a_device_no_longer_confirmed_no_longer_proves_the_session(cora):
    client = verified_client(cora)
    assert client.get(ABOUT).status_code == 200
    TOTPDevice.objects.filter(user=cora).update(confirmed=False)
    response = client.get(ABOUT)
    assert response.status_code == 302
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_the_about_page_says_what_caspa_is_and_whom_to_ask(client_for, cora):
    response = client_for(cora).get(reverse("home"))
    assert f'href="{ABOUT}"' in response.text
    about = client_for(cora).get(ABOUT)
    assert "Critical Adult Safeguarding Partnership Arrangements" in about.text
    assert "ask the panel coordinator" in about.text


def test_the_about_page_is_for_people_signed_in(client):
    response = client.get(ABOUT)
    assert response.status_code == 302
    assert response.url.startswith(SIGN_IN)


def test_a_page_seen_within_the_slack_does_not_write_the_session(client, cora):
    client.post(SIGN_IN, {"username": "cora", "password": PASSWORD})
    expiry = stored(client).expire_date
    assert not session_writes(page_queries(client, ABOUT))
    assert stored(client).expire_date == expiry


def test_a_page_seen_after_the_slack_moves_the_sign_out_on(client, cora):
    client.post(SIGN_IN, {"username": "cora", "password": PASSWORD})
    idle_for(client, LAST_SEEN_SLACK)
    before = stored(client).expire_date
    assert client.get(ABOUT).status_code == 200
    remaining = stored(client).expire_date - timezone.now()
    assert stored(client).expire_date > before
    idle = timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    assert idle - LAST_SEEN_SLACK < remaining <= idle


def test_the_session_still_ends_after_the_idle_minutes(client, cora):
    client.post(SIGN_IN, {"username": "cora", "password": PASSWORD})
    idle = timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    # Active just inside the limit, a page keeps the session; then left idle for the limit,
    # the next page is the sign-in page.
    idle_for(client, idle - LAST_SEEN_SLACK)
    assert client.get(ABOUT).status_code == 200
    idle_for(client, idle)
    response = client.get(ABOUT)
    assert response.status_code == 302
    assert response.url.startswith(SIGN_IN)


def test_a_timed_out_sessions_cookie_makes_no_new_session(client, cora):
    client.post(SIGN_IN, {"username": "cora", "password": PASSWORD})
    Session.objects.all().delete()  # timed out and cleared away
    assert client.get(SIGN_IN).status_code == 200
    assert not Session.objects.exists()
