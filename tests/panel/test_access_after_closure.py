"""After a case closes, the agencies involved read it for the handover period (3 months by
default), then only the coordinator's staff and the agency taking it on do; a new referral
about the person opens a new case through the usual route."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from actions.models import Action
from panel import permissions, services
from panel.models import Case, Outcome
from panel.rules import access_after_closure as rule
from tests.factories import accept, make_referral, ready_to_step_down

NOW = timezone.now()


@pytest.fixture
def stepped_down(case, cora, police, housing):
    """Rosa's case (Housing), with the Police involved too, stepped down to Housing."""
    case.involved_agencies.add(police)
    permissions.sync_case_access(case)
    case.refresh_from_db()
    handover = ready_to_step_down(case, by=cora)
    services.case_close(
        case_id=case.pk,
        by=cora,
        version=case.version,
        outcome=Outcome.STEPPED_DOWN,
        agreed_on=timezone.localdate(),
        step_down_agency=housing,
        **handover,
    )
    return Case.objects.get(pk=case.pk)


def closed_ago(case, **ago):
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(**ago))


def status_for(client_for, user, case):
    return client_for(user).get(reverse("panel:case", args=[case.pk])).status_code


def test_every_agency_involved_reads_a_case_for_the_handover_period_after_it_closes(
    client_for, stepped_down, harriet, piers, chidi, cora
):
    closed_ago(stepped_down, days=85)
    for user in (harriet, piers, chidi, cora):
        assert status_for(client_for, user, stepped_down) == 200, user


def test_after_the_handover_period_only_the_coordinators_staff_and_the_agency_taking_it_on(
    client_for, stepped_down, harriet, piers, chidi, cora, adam
):
    closed_ago(stepped_down, days=95)
    assert status_for(client_for, harriet, stepped_down) == 200  # Housing took it on
    assert status_for(client_for, cora, stepped_down) == 200
    assert status_for(client_for, adam, stepped_down) == 200
    refused = client_for(piers).get(reverse("panel:case", args=[stepped_down.pk]))
    assert refused.status_code == 403
    assert "for 3 months after, for the handover" in refused.text
    assert status_for(client_for, chidi, stepped_down) == 403
    # Gone from their lists and searches too: the one rule decides them all.
    assert not permissions.visible_cases(piers).filter(pk=stepped_down.pk).exists()
    assert stepped_down.reference not in client_for(piers).get(reverse("panel:cases")).text


def test_the_handover_period_is_a_setting(client_for, stepped_down, piers, settings):
    closed_ago(stepped_down, days=95)
    settings.CASE_ACCESS_AFTER_CLOSURE_MONTHS = 6
    assert status_for(client_for, piers, stepped_down) == 200
    settings.CASE_ACCESS_AFTER_CLOSURE_MONTHS = 0
    closed_ago(stepped_down, minutes=1)
    assert status_for(client_for, piers, stepped_down) == 403


def test_the_actions_of_a_closed_case_follow_the_case(stepped_down, piers, harriet, cora):
    from actions import permissions as action_permissions

    Action.objects.create(
        case=stepped_down,
        description="Check the smoke alarms",
        owner_agency=piers.agency,
        due_on=timezone.localdate(),
        status="done",
        created_by=cora,
    )
    closed_ago(stepped_down, days=95)
    assert not action_permissions.visible_actions(piers).filter(case=stepped_down).exists()
    assert action_permissions.visible_actions(harriet).filter(case=stepped_down).exists()


def test_an_agency_that_was_never_involved_is_not_told_the_case_exists(
    client_for, stepped_down, maya, db
):
    from accounts.roles import Role
    from tests.factories import AgencyFactory, UserFactory

    outsider = UserFactory(
        username="fire-spoc", role=Role.SPOC, agency=AgencyFactory(short_name="Fire")
    )
    closed_ago(stepped_down, days=95)
    assert status_for(client_for, outsider, stepped_down) == 404
    assert status_for(client_for, maya, stepped_down) == 404


def test_a_new_referral_about_the_person_opens_access_through_the_usual_route(
    client_for, stepped_down, rosa, cora, piers, police
):
    closed_ago(stepped_down, days=200)
    again = make_referral(rosa, submit=True, nhs_number="", family_name="Sample0")
    again.agencies_involved.add(police)
    referral, _ = accept(again, cora)
    new_case = referral.case
    assert new_case.pk != stepped_down.pk
    assert status_for(client_for, piers, new_case) == 200
    assert status_for(client_for, piers, stepped_down) == 403  # the old one stays closed


@given(
    closed_days_ago=st.integers(0, 400),
    months=st.integers(0, 12),
    involved=st.booleans(),
    takes_it_on=st.booleans(),
)
def test_the_rule_keeps_access_exactly_within_the_period_or_for_the_agency_taking_it_on(
    closed_days_ago, months, involved, takes_it_on
):
    closed_at = NOW - timedelta(days=closed_days_ago)
    keeps = rule.agency_keeps_access(
        closed_at=closed_at, now=NOW, months=months, involved=involved, takes_it_on=takes_it_on
    )
    within = closed_at > rule.handover_cutoff(NOW, months=months)
    assert keeps == (takes_it_on or (involved and within))
    assert (
        rule.agency_keeps_access(
            closed_at=None, now=NOW, months=months, involved=involved, takes_it_on=False
        )
        == involved
    )
