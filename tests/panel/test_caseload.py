"""Accepted referrals join the caseload through one locked service; the sixteenth waits."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from panel import permissions, services
from panel.models import Case, CaseStatus
from tests.factories import fill_pathway, make_referral
from tests.panel.concurrent_accepts import accept_concurrently, referrals_ready_to_accept

ROOT = Path(__file__).resolve().parents[2]


def test_an_accepted_referral_joins_the_caseload_awaiting_its_first_panel(rosa, cora):
    [(referral, placement)] = fill_pathway(rosa, cora, 1)
    case = referral.case
    assert case.status == CaseStatus.AWAITING_PANEL
    assert placement.waiting_position is None
    assert [e.summary for e in case.events.all()] == [
        f"Referral {referral.reference} accepted at screening",
        "Joined the caseload: awaiting its first panel",
    ]


def test_the_sixteenth_case_waits_for_a_place_in_order(rosa, cora):
    results = fill_pathway(rosa, cora, 17)
    assert services.caseload_count() == 15
    assert [placement.waiting_position for _, placement in results[15:]] == [1, 2]
    waiting = list(Case.objects.waiting_list())
    assert [case.referral for case in waiting] == [results[15][0], results[16][0]]


def test_adopting_a_sixteenth_says_plainly_that_the_pathway_is_full(client_for, rosa, cora):
    fill_pathway(rosa, cora, 15)
    referral = make_referral(rosa, submit=True, nhs_number="", family_name="Overflow")
    client = client_for(cora)
    url = reverse("referrals:screening_detail", args=[referral.pk])
    client.post(
        reverse("referrals:link_person", args=[referral.pk]),
        {"version": referral.version, "person": "new"},
    )
    referral.refresh_from_db()
    page = client.get(url).text
    assert "It is full" in page
    response = client.post(
        reverse("panel:referral_accept", args=[referral.pk]),
        {"version": referral.version},
        follow=True,
    )
    assert "The pathway is full: it holds 15 of 15 cases" in response.text
    assert "number 1 on the waiting list" in response.text


def test_agencies_on_the_referral_can_see_the_case_and_no_other_agency_can(
    rosa, cora, harriet, piers
):
    [(referral, _)] = fill_pathway(rosa, cora, 1)
    assert list(permissions.visible_cases(harriet)) == [referral.case]
    assert list(permissions.visible_cases(piers)) == []
    assert list(permissions.visible_cases(cora)) == [referral.case]


@pytest.mark.django_db(transaction=True)
def test_thirty_concurrent_accepts_on_postgresql_give_fifteen_cases_and_fifteen_waiting():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("this run is not on PostgreSQL")
    referrals, coordinator = referrals_ready_to_accept(30)
    errors = accept_concurrently(referrals, coordinator)
    assert errors == []
    assert Case.objects.on_caseload().count() == 15
    assert Case.objects.filter(status=CaseStatus.WAITING).count() == 15


def test_thirty_concurrent_accepts_on_sqlite_give_fifteen_cases_and_fifteen_waiting(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.update(DJANGO_ENV="test", SQLITE_PATH=str(tmp_path / "concurrent.sqlite3"))
    result = subprocess.run(
        [sys.executable, "-m", "tests.panel.concurrent_accepts", "30"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "vendor=sqlite accepts=30 on_caseload=15 waiting=15 errors=0" in result.stdout, (
        result.stdout + result.stderr[-3000:]
    )
