"""Arbitrary input to every form of the referrals app never causes a server error."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from referrals.forms import SECTION_FORMS
from referrals.models import Referral
from tests.factories import make_referral
from tests.strategies import ANY_VALUE, SLOW_OK, VALUE

# Run again on SQLite by `make test` (docs/bounded-input.md).
pytestmark = pytest.mark.bad_input


def field_names(form) -> list[str]:
    names = []
    for name, field in form.fields.items():
        parts = getattr(field.widget, "widgets_names", None)
        names += [name + part for part in parts] if parts else [name]
    return names


def post_data(names, version):
    return st.fixed_dictionaries(
        {"version": st.one_of(st.just(str(version)), VALUE)},
        optional={name: ANY_VALUE for name in [*names, "then"] if name != "version"},
    )


@pytest.mark.parametrize("section", list(SECTION_FORMS))
@SLOW_OK
@given(data=st.data())
def test_no_answer_to_any_section_causes_a_server_error(rosa_client, rosa, section, data):
    referral = Referral.objects.filter(created_by=rosa).first() or make_referral(rosa)
    referral.refresh_from_db()
    names = field_names(SECTION_FORMS[section](referral=referral))
    payload = data.draw(post_data(names, referral.version))
    url = reverse("referrals:save_section", args=[referral.pk, section])
    response = rosa_client.post(url, payload)
    assert response.status_code in (200, 302, 409)


@SLOW_OK
@given(data=st.data())
def test_no_input_to_the_check_page_causes_a_server_error(rosa_client, rosa, data):
    referral = Referral.objects.filter(created_by=rosa).first() or make_referral(rosa)
    referral.refresh_from_db()
    payload = data.draw(post_data([], referral.version))
    response = rosa_client.post(reverse("referrals:submit", args=[referral.pk]), payload)
    assert response.status_code in (200, 302, 409)


SCREENING_FIELDS = {
    "referrals:find_person": ["search"],
    "referrals:link_person": ["person", "search"],
    "panel:referral_accept": [],
    "referrals:ask_for_information": ["question"],
    "referrals:decline": ["reason", "signpost", "signpost_detail"],
}


@pytest.mark.parametrize("endpoint", list(SCREENING_FIELDS))
@SLOW_OK
@given(data=st.data())
def test_no_screening_input_causes_a_server_error(cora_client, rosa, cora, endpoint, data):
    referral = Referral.objects.first() or make_referral(rosa, submit=True)
    referral.refresh_from_db()
    payload = data.draw(post_data(SCREENING_FIELDS[endpoint], referral.version))
    url = reverse(endpoint, args=[referral.pk])
    response = cora_client.post(url, payload)
    assert response.status_code in (200, 302, 409)


@SLOW_OK
@given(duplicate=ANY_VALUE)
def test_no_merge_input_causes_a_server_error(cora_client, rosa, cora, duplicate):
    from referrals import services

    referral = Referral.objects.first() or make_referral(rosa, submit=True)
    referral.refresh_from_db()
    if referral.person is None:
        referral = services.referral_link_person(
            referral_id=referral.pk, by=cora, version=referral.version, person_id=None
        )
    url = reverse("referrals:merge_duplicate", args=[referral.person.pk])
    response = cora_client.post(url, {"duplicate": duplicate})
    assert response.status_code in (200, 302)


@SLOW_OK
@given(path=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_/%.", max_size=40))
def test_no_address_under_referrals_causes_a_server_error(rosa_client, path):
    response = rosa_client.get("/referrals/" + path)
    assert response.status_code in (200, 301, 302, 403, 404, 405)
