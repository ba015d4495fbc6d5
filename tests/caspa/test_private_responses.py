"""No copy of what CASPA answers stays in a browser's cache or back/forward history: every
response Django produces says `Cache-Control: no-store, private`; static files may be cached."""

import pytest
from django.http import HttpResponse
from django.urls import reverse

from caspa.core.privacy import (
    PRIVATE_CACHE_CONTROL,
    PrivateResponseMiddleware,
    is_private_response,
)
from tests.factories import fill_pathway


def test_a_signed_in_page_is_kept_by_no_cache(client_for, cora):
    response = client_for(cora).get(reverse("home"))
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE_CACHE_CONTROL
    assert is_private_response(response)


def test_a_case_plan_pdf_is_kept_by_no_cache(client_for, rosa, cora):
    [(referral, _)] = fill_pathway(rosa, cora, 1)
    response = client_for(cora).get(reverse("panel:case_plan_pdf", args=[referral.case.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert is_private_response(response)


def test_a_page_not_found_is_kept_by_no_cache(client_for, cora):
    response = client_for(cora).get("/cases/999999/")
    assert response.status_code == 404
    assert is_private_response(response)


def test_the_redirect_to_sign_in_is_kept_by_no_cache(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))
    assert is_private_response(response)


def test_a_view_cannot_ask_for_its_answer_to_be_cached(rf):
    def cached_view(request):
        response = HttpResponse("Alex Example's plan")
        response["Cache-Control"] = "public, max-age=3600"
        return response

    response = PrivateResponseMiddleware(cached_view)(rf.get("/"))
    assert response["Cache-Control"] == PRIVATE_CACHE_CONTROL


def test_static_files_may_still_be_cached(client, db):
    response = client.get("/static/caspa/favicon.svg")
    assert response.status_code == 200
    assert not is_private_response(response)


@pytest.mark.parametrize(
    ("header", "private"),
    [
        ("no-store, private", True),
        ("private, no-store, max-age=0", True),
        ("NO-STORE,PRIVATE", True),
        ("private", False),
        ("no-store", False),
        ("public, no-store, private", False),
        ("", False),
    ],
)
def test_a_response_is_private_only_when_it_says_no_store_and_private(header, private):
    response = HttpResponse()
    if header:
        response["Cache-Control"] = header
    assert is_private_response(response) is private
