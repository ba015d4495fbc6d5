"""Where a referral stands, for its referrer: the referral's status until accepted, then the
case it opened, followed to its close."""

from datetime import date

import pytest
from django.template import Context, Template

from panel.rules.referral_standing import referral_standing
from tests.factories import accept, make_referral


def test_before_screening_the_referral_s_own_status_is_the_standing():
    assert referral_standing(referral_status="submitted").tag == "Waiting for screening"
    asked = referral_standing(referral_status="more_information")
    assert asked.tag == "More information asked for"
    assert "answer it" in asked.detail


def test_a_closed_case_reads_closed_with_its_date_and_outcome_not_accepted():
    standing = referral_standing(
        referral_status="accepted",
        case_status="closed",
        case_reference="C-000057",
        closed_on=date(2025, 11, 3),
        outcome_words="Risk reduced: stepped down to one agency",
    )
    assert standing.tag == "Case closed"
    assert standing.detail == (
        "Case C-000057 closed on 3 November 2025: risk reduced: stepped down to one agency."
    )
    assert "Accepted" not in standing.tag


def test_each_case_status_has_its_own_words():
    tags = {
        status: referral_standing(referral_status="accepted", case_status=status).tag
        for status in ("waiting", "awaiting_panel", "active", "not_adopted", "closed")
    }
    assert len(set(tags.values())) == 5
    with pytest.raises(ValueError, match="unknown case status"):
        referral_standing(referral_status="accepted", case_status="lost")


def test_the_template_tag_follows_the_referral_to_its_case(cora, rosa):
    referral = make_referral(rosa, submit=True)
    tag = Template(
        "{% load pathway %}{% referral_standing referral as s %}{{ s.tag }}|{{ s.detail }}"
    )
    assert tag.render(Context({"referral": referral})).startswith("Waiting for screening|")
    accept(referral, cora)
    referral.refresh_from_db()
    html = tag.render(Context({"referral": referral}))
    assert html.startswith("Accepted: awaiting its first panel|")
    assert referral.case.reference in html
