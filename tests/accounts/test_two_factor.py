"""Two-factor sign-in: an authenticator app's code, or a single-use backup code, after the
password (docs/two-factor.md). Off by default in the test run; these tests turn it on."""

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services, two_factor
from tests.factories import PASSWORD
from tests.processes import ROOT, run_manage

PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-" + "k3Vw" * 8,
    "ALLOWED_HOSTS": "caspa.example.org",
}

SIGN_IN = reverse("accounts:sign_in")
ENROL = reverse("accounts:two_factor_enrol")
VERIFY = reverse("accounts:two_factor_verify")
HOME = reverse("home")

required = override_settings(TWO_FACTOR_REQUIRED=True)


def sign_in(client, username):
    return client.post(SIGN_IN, {"username": username, "password": PASSWORD})


def app_code(key_hex: str, steps_ahead: int = 0) -> str:
    """What the authenticator app shows now (or `steps_ahead` 30-second steps later)."""
    app = TOTP(bytes.fromhex(key_hex), drift=steps_ahead)
    return f"{app.token():06d}"


def not_a_current_code(key_hex: str) -> str:
    """Six digits that none of the codes the page accepts now (one step either side) are."""
    near = {app_code(key_hex, steps) for steps in (-1, 0, 1)}
    return next(code for code in ("123456", "654321", "111111", "222222") if code not in near)


def enrol(client) -> tuple[str, list[str]]:
    """Enrol through the pages with the app's real code; returns the secret and backup codes."""
    assert client.get(ENROL).status_code == 200
    key = client.session[two_factor.ENROL_KEY_SESSION_KEY]
    response = client.post(ENROL, {"code": app_code(key), "next": HOME}, follow=True)
    assert "Two-factor sign-in is set up" in response.text
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", response.text)
    return key, codes


def verified_client(user) -> Client:
    """A client signed in as `user`, who has proved the second factor with their app."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@required
def test_a_password_alone_reaches_only_enrolment(client, cora):
    assert sign_in(client, "cora").status_code == 302
    home = client.get(HOME)
    assert home.status_code == 302
    assert home.url.startswith(ENROL)
    cases = client.get(reverse("panel:cases"))
    assert cases.url.startswith(ENROL)
    assert client.get(ENROL).status_code == 200
    # The one way out stays open.
    assert client.post(reverse("accounts:sign_out")).url == reverse("accounts:signed_out")


@required
def test_an_htmx_request_before_the_second_factor_is_sent_to_it_as_a_whole_page(client, cora):
    sign_in(client, "cora")
    response = client.get(HOME, headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert response["HX-Redirect"] == ENROL


@required
def test_the_enrolment_page_shows_a_qr_code_and_the_secret_to_type(client, cora):
    sign_in(client, "cora")
    page = client.get(ENROL)
    assert 'src="data:image/svg+xml' in page.text
    assert 'alt="QR code to add CASPA to an authenticator app"' in page.text
    key = client.session[two_factor.ENROL_KEY_SESSION_KEY]
    assert two_factor.secret_in_words(key) in page.text
    # Nothing shows the secret from the browser's cache or history.
    assert "no-store" in page["Cache-Control"]


@required
def test_the_enrolment_page_has_no_navigation_to_pages_it_would_refuse(client, cora):
    sign_in(client, "cora")
    page = client.get(ENROL).text
    assert reverse("panel:cases") not in page
    assert 'role="search"' not in page


@required
def test_enrolment_with_the_apps_code_shows_ten_backup_codes_once_then_the_pages_open(client, cora):
    sign_in(client, "cora")
    _key, codes = enrol(client)
    assert len(codes) == 10 == len(set(codes))
    assert TOTPDevice.objects.get(user=cora).confirmed
    assert client.get(HOME).status_code == 200
    assert client.get(reverse("panel:cases")).status_code == 200
    # Shown once: going back to the page does not show them again.
    again = client.get(reverse("accounts:two_factor_backup_codes"))
    assert again.status_code == 302
    assert codes[0] not in client.get(HOME).text


@required
def test_enrolment_takes_the_user_on_to_the_page_they_asked_for(client, cora):
    sign_in(client, "cora")
    wanted = reverse("panel:cases")
    sent = client.get(wanted)
    assert client.get(sent.url).status_code == 200
    key = client.session[two_factor.ENROL_KEY_SESSION_KEY]
    done = client.post(ENROL, {"code": app_code(key), "next": wanted}, follow=True)
    assert f'href="{wanted}"' in done.text  # the backup codes page's Continue


@required
def test_a_wrong_code_at_enrolment_is_refused_next_to_the_field_and_keeps_nothing(client, cora):
    sign_in(client, "cora")
    client.get(ENROL)
    key = client.session[two_factor.ENROL_KEY_SESSION_KEY]
    response = client.post(ENROL, {"code": not_a_current_code(key)})
    assert response.status_code == 200
    assert "Error: Set up two-factor sign-in" in response.text
    assert 'id="id_code-error"' in response.text
    assert services.ENROL_CODE_NOT_RIGHT in response.text
    assert not TOTPDevice.objects.filter(user=cora).exists()
    assert not StaticDevice.objects.filter(user=cora).exists()
    assert client.get(HOME).url.startswith(ENROL)
    # The same QR code still works: the app need not be set up again.
    assert client.post(ENROL, {"code": app_code(key)}).status_code == 302


@required
def test_an_empty_code_is_asked_for_next_to_the_field(client, cora):
    sign_in(client, "cora")
    response = client.post(ENROL, {"code": ""})
    assert '<a href="#id_code">Enter the security code</a>' in response.text


@required
def test_the_next_sign_in_asks_for_the_apps_code(client, cora):
    sign_in(client, "cora")
    key, _codes = enrol(client)
    client.post(reverse("accounts:sign_out"))
    sign_in(client, "cora")
    assert client.get(HOME).url.startswith(VERIFY)
    # The code enrolment used is spent; the app's next one is accepted.
    response = client.post(VERIFY, {"code": app_code(key, steps_ahead=1)})
    assert response.status_code == 302
    assert client.get(HOME).status_code == 200


@required
def test_a_wrong_code_at_sign_in_is_refused_with_a_message(client, cora):
    sign_in(client, "cora")
    key, _codes = enrol(client)
    client.post(reverse("accounts:sign_out"))
    sign_in(client, "cora")
    response = client.post(VERIFY, {"code": not_a_current_code(key)})
    assert response.status_code == 200
    assert "Error: Enter your security code" in response.text
    assert 'id="id_code-error"' in response.text
    assert "The code is not right" in response.text
    assert client.get(HOME).url.startswith(VERIFY)


@required
def test_a_backup_code_signs_in_once_only(client, cora):
    sign_in(client, "cora")
    _key, codes = enrol(client)
    client.post(reverse("accounts:sign_out"))

    sign_in(client, "cora")
    assert client.post(VERIFY, {"code": codes[0].upper()}).status_code == 302
    assert client.get(HOME).status_code == 200
    assert StaticToken.objects.filter(device__user=cora).count() == 9
    client.post(reverse("accounts:sign_out"))

    sign_in(client, "cora")
    used_again = client.post(VERIFY, {"code": codes[0]})
    assert "The code is not right" in used_again.text
    assert client.get(HOME).url.startswith(VERIFY)


@required
@override_settings(OTP_TOTP_THROTTLE_FACTOR=60)  # a minute's wait after one wrong code
def test_a_wrong_code_makes_the_next_try_wait(client, cora):
    sign_in(client, "cora")
    key, _codes = enrol(client)
    client.post(reverse("accounts:sign_out"))
    sign_in(client, "cora")
    client.post(VERIFY, {"code": not_a_current_code(key)})
    assert TOTPDevice.objects.get(user=cora).throttling_failure_count == 1
    right_too_soon = client.post(VERIFY, {"code": app_code(key, steps_ahead=1)})
    assert "Too many wrong codes in a row. Wait" in right_too_soon.text
    assert client.get(HOME).url.startswith(VERIFY)


@required
@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_five_wrong_codes_lock_the_account_like_five_wrong_passwords(client, cora):
    sign_in(client, "cora")
    key, _codes = enrol(client)
    client.post(reverse("accounts:sign_out"))
    sign_in(client, "cora")
    for _ in range(4):
        assert client.post(VERIFY, {"code": not_a_current_code(key)}).status_code == 200
    locked = client.post(VERIFY, {"code": not_a_current_code(key)})
    assert locked.status_code == 429
    assert "This account is locked for now" in locked.text
    assert "_auth_user_id" not in client.session  # the sign-in ended
    assert sign_in(client, "cora").status_code == 429  # the password alone is refused too


@required
def test_five_wrong_passwords_still_lock_the_account(client, cora):
    for _ in range(4):
        client.post(SIGN_IN, {"username": "cora", "password": "wrong"})
    assert client.post(SIGN_IN, {"username": "cora", "password": "wrong"}).status_code == 429
    assert sign_in(client, "cora").status_code == 429


@required
def test_an_idle_session_is_signed_out_before_or_after_the_second_factor(client, cora):
    sign_in(client, "cora")
    enrol(client)
    assert client.get(HOME).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(HOME)
    assert response.url.startswith(SIGN_IN)


@required
def test_admin_staff_reset_is_kept_in_the_history_and_the_user_sets_up_again(client, cora, adam):
    sign_in(client, "cora")
    enrol(client)
    assert client.get(HOME).status_code == 200

    people = verified_client(adam).get(reverse("accounts:people"))
    reset_url = reverse("accounts:two_factor_reset", args=[cora.pk])
    assert f'action="{reset_url}"' in people.text
    response = verified_client(adam).post(reset_url, follow=True)
    assert "Two-factor sign-in reset for cora" in response.text

    assert not TOTPDevice.objects.filter(user=cora).exists()
    assert not StaticDevice.objects.filter(user=cora).exists()
    record = cora.history.latest()
    assert record.history_change_reason == services.RESET_CHANGE_REASON
    assert record.history_user == adam
    # Cora's own session is no longer proved: her next page is enrolment.
    assert client.get(HOME).url.startswith(ENROL)


@required
def test_the_coordinator_can_reset_too(cora, harriet):
    TOTPDevice.objects.create(user=harriet, confirmed=True)
    url = reverse("accounts:two_factor_reset", args=[harriet.pk])
    assert verified_client(cora).post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=harriet).exists()


@required
def test_a_spoc_cannot_reset_anyones_two_factor_sign_in(cora, harriet):
    TOTPDevice.objects.create(user=cora, confirmed=True)
    url = reverse("accounts:two_factor_reset", args=[cora.pk])
    assert verified_client(harriet).post(url).status_code == 403
    assert TOTPDevice.objects.filter(user=cora).exists()


def test_the_reset_service_refuses_anyone_but_the_coordinators_staff(cora, harriet):
    TOTPDevice.objects.create(user=cora, confirmed=True)
    with pytest.raises(PermissionDenied):
        services.two_factor_reset(by=harriet, user=cora)
    assert TOTPDevice.objects.filter(user=cora).exists()


def test_resetting_someone_who_has_not_set_it_up_says_so(client_for, adam, harriet):
    url = reverse("accounts:two_factor_reset", args=[harriet.pk])
    response = client_for(adam).post(url, follow=True)
    assert "harriet has not set up two-factor sign-in" in response.text


def test_the_reset_is_a_post(client_for, adam, harriet):
    url = reverse("accounts:two_factor_reset", args=[harriet.pk])
    assert client_for(adam).get(url).status_code == 405


def test_without_the_requirement_a_password_opens_the_pages_and_the_header_offers_set_up(
    client, cora
):
    sign_in(client, "cora")
    home = client.get(HOME)
    assert home.status_code == 200
    assert f'href="{ENROL}">Set up two-factor sign-in</a>' in home.text
    assert "the demo logins skip it" in client.get(ENROL).text


def test_without_the_requirement_someone_who_set_it_up_is_still_asked_for_a_code(client, cora):
    sign_in(client, "cora")
    enrol(client)
    assert "Set up two-factor sign-in</a>" not in client.get(HOME).text
    client.post(reverse("accounts:sign_out"))
    sign_in(client, "cora")
    assert client.get(HOME).url.startswith(VERIFY)


def test_production_requires_two_factor_sign_in():
    code = "from django.conf import settings; print(settings.TWO_FACTOR_REQUIRED)"
    result = run_manage("shell", "--no-imports", "-c", code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_production_refuses_to_turn_two_factor_sign_in_off():
    result = run_manage("check", TWO_FACTOR_REQUIRED="false", **PRODUCTION)
    assert result.returncode != 0
    assert "TWO_FACTOR_REQUIRED cannot be turned off in production" in result.stderr


def test_the_demo_does_not_require_two_factor_sign_in():
    code = "from django.conf import settings; print(settings.TWO_FACTOR_REQUIRED)"
    result = run_manage("shell", "--no-imports", "-c", code, DJANGO_ENV="demo")
    assert result.stdout.strip() == "False", result.stderr


def test_the_demo_logins_say_they_skip_two_factor_sign_in_and_production_requires_it():
    from io import StringIO

    from demo.management.commands.seed_demo import Command

    printed = StringIO()
    Command(stdout=printed).print_logins({})
    assert "Demo logins skip two-factor sign-in; production requires it" in printed.getvalue()
    readme = (ROOT / "README.md").read_text()
    assert "Demo logins skip two-factor sign-in; production requires it" in readme


def test_the_django_admin_resets_through_the_same_service(adam, cora):
    from django.contrib import admin

    TOTPDevice.objects.create(user=cora, confirmed=True)
    adam.is_staff = adam.is_superuser = True
    adam.save()
    client = Client()
    client.force_login(adam)
    changelist = reverse("admin:accounts_user_changelist")
    response = client.post(
        changelist,
        {"action": "reset_two_factor", admin.helpers.ACTION_CHECKBOX_NAME: [cora.pk]},
        follow=True,
    )
    assert "Two-factor sign-in reset for cora." in response.text
    assert not TOTPDevice.objects.filter(user=cora).exists()
    assert cora.history.latest().history_change_reason == services.RESET_CHANGE_REASON
    # Devices are not deleted in the admin without that record.
    assert not admin.site.is_registered(TOTPDevice)
