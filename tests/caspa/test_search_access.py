"""A search shows only what its user may open, and never a person they may not see.

For personas of every kind (the coordinator, the SPoC of an agency involved in a case and of
one involved in none, referrers, a manager, the chair) and terms drawn from the seeded
people's names, dates of birth, NHS numbers and the references of everything held, each result
is opened through the real door of the page it links to, and the page of results is read for
the names of people the persona may not see."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions import permissions as action_permissions
from caspa import search as finding
from caspa.navigation import may_search
from panel import permissions as case_permissions
from referrals import permissions as referral_permissions

pytestmark = pytest.mark.django_db

PERSONAS = [
    "coordinator",
    "SPoC of the involved agency",
    "SPoC of an uninvolved agency",
    "SPoC of the other case's agency",
    "referrer",
    "another referrer",
    "manager",
    "chair",
]


def terms_for(world) -> list[str]:
    """What someone might type: each seeded person's names, birth date in three forms, NHS
    number with and without spaces; every reference held, and some that are nobody's."""
    terms = []
    for referral in (
        world.housing_referral,
        world.police_referral,
        world.waiting_referral,
        world.draft,
    ):
        born = referral.date_of_birth
        terms += [
            referral.family_name,
            referral.given_names + " " + referral.family_name,
            referral.family_name.lower()[:-1],
            f"{born.day} {born.month} {born.year}",
            born.strftime("%d/%m/%Y"),
            f"{born.day} {born:%B %Y}",
            f"{referral.family_name} {born.day} {born.month} {born.year}",
        ]
        if referral.nhs_number:
            nhs = referral.nhs_number
            terms += [nhs, f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}"]
    records = [
        world.housing_referral,
        world.police_referral,
        world.waiting_referral,
        world.draft,
        world.housing_case,
        world.police_case,
        world.action,
    ]
    terms += [record.reference for record in records]
    terms += [f"P-{world.housing_case.person_id:06d}", f"P-{world.police_case.person_id:06d}"]
    terms += ["C-999999", "R-999999", "A-999999"]
    return terms


def opens(door, user, pk) -> bool:
    try:
        door(user, pk)
    except (Http404, PermissionDenied):
        return False
    return True


def people_seen_by(user, world) -> set[str]:
    """The people whose names this user may read: on a person page, a case or a referral they
    may open (each asked of its door)."""
    seen = set()
    for referral in (
        world.housing_referral,
        world.police_referral,
        world.waiting_referral,
        world.draft,
    ):
        name = f"{referral.given_names} {referral.family_name}"
        case = getattr(referral, "case", None) if referral.person_id else None
        if (
            opens(referral_permissions.referral_for_viewing, user, referral.pk)
            or (
                referral.person_id
                and opens(referral_permissions.person_for_viewing, user, referral.person_id)
            )
            or (case and opens(case_permissions.case_for_viewing, user, case.pk))
        ):
            seen.add(name)
    return seen


@settings(
    max_examples=30,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_result_is_something_its_persona_may_open(search_world, data):
    world = search_world
    persona = data.draw(st.sampled_from(PERSONAS), label="persona")
    term = data.draw(st.sampled_from(terms_for(world)), label="term")
    user = world.personas[persona]

    results = finding.search(user, term)
    for person in results.people:
        referral_permissions.person_for_viewing(user, person.pk)
    for referral in results.referrals:
        referral_permissions.referral_for_viewing(user, referral.pk)
    for case in results.cases:
        case_permissions.case_for_viewing(user, case.pk)
    for action in results.actions:
        action_permissions.action_for_viewing(user, action.pk)

    client = Client()
    client.force_login(user)
    response = client.post(reverse("search"), {"term": term})
    if not may_search(user):
        assert response.status_code == 403
        assert results.found == []
        return
    assert response.status_code == 200
    seen = people_seen_by(user, world)
    page = response.text.replace(term, "")  # what they typed comes back to them, in the box
    for referral in (
        world.housing_referral,
        world.police_referral,
        world.waiting_referral,
        world.draft,
    ):
        name = f"{referral.given_names} {referral.family_name}"
        if name not in seen:
            assert name not in page, f"{persona} was shown {name}"
