"""An action agreed to reduce one of the case's risks: part of that risk's plan."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from actions import rules, services
from actions.models import Action
from panel import assessment
from tests.factories import fill_pathway

DUE = timezone.localdate() + timedelta(days=14)


@pytest.fixture
def case(rosa, cora):
    [(referral, _)] = fill_pathway(rosa, cora, 1)
    return referral.case


def add_risk(case, by, description="Eviction for rent arrears"):
    return assessment.risk_add(
        case_id=case.pk, by=by, description=description, likelihood=4, severity=4
    )


def agree(case, by, housing, **extra):
    return services.action_agree(
        case=case,
        by=by,
        description="Apply for a discretionary housing payment",
        owner_agency=housing,
        due_on=DUE,
        **extra,
    )


def test_an_action_agreed_for_a_risk_is_linked_and_the_chronology_names_the_risk(
    case, cora, housing
):
    risk = add_risk(case, cora)
    action = agree(case, cora, housing, risk=risk)
    assert action.risk == risk
    assert list(risk.mitigations.all()) == [action]
    assert case.events.last().summary == (
        f"Action {action.reference} agreed by the coordinator: Housing, due {DUE:%-d %B %Y}, "
        "to reduce the risk 'Eviction for rent arrears'"
    )


def test_an_action_without_a_risk_says_nothing_of_one(case, cora, housing):
    action = agree(case, cora, housing)
    assert action.risk is None
    assert "risk" not in case.events.last().summary


def test_a_risk_of_another_case_is_refused(case, cora, housing, rosa):
    [(other_referral, _)] = fill_pathway(rosa, cora, 1)
    elsewhere = add_risk(other_referral.case, cora)
    with pytest.raises(ValidationError) as refused:
        agree(case, cora, housing, risk=elsewhere)
    assert refused.value.message_dict == {"risk": [rules.RISK_NOT_CURRENT]}
    assert not Action.objects.exists()


def test_a_retired_risk_is_refused(case, cora, housing):
    risk = add_risk(case, cora)
    assessment.risk_retire(risk_id=risk.pk, by=cora, version=risk.version, reason="Resolved")
    with pytest.raises(ValidationError) as refused:
        agree(case, cora, housing, risk=risk)
    assert refused.value.message_dict == {"risk": [rules.RISK_NOT_CURRENT]}


def test_the_agree_form_offers_the_cases_current_risks(client_for, case, cora):
    current = add_risk(case, cora, "Falls on the stairs at night")
    retired = add_risk(case, cora, "Fire from candles")
    assessment.risk_retire(risk_id=retired.pk, by=cora, version=retired.version, reason="Gone")
    page = client_for(cora).get(reverse("panel:case_actions", args=[case.pk])).text
    assert "The risk it reduces (optional)" in page
    assert f'<option value="{current.pk}">Falls on the stairs at night (high, 16)</option>' in page
    assert f'<option value="{retired.pk}">' not in page


def test_agreed_from_the_case_page_the_action_shows_on_the_risk_and_the_risk_on_the_action(
    client_for, case, cora, housing, harriet
):
    risk = add_risk(case, cora)
    response = client_for(cora).post(
        reverse("actions:agree", args=[case.pk]),
        {
            "description": "Apply for a discretionary housing payment",
            "owner_agency": housing.pk,
            "due_on_day": DUE.day,
            "due_on_month": DUE.month,
            "due_on_year": DUE.year,
            "risk": risk.pk,
            "return_to": case.get_absolute_url(),
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    harriets = client_for(harriet)
    action_page = harriets.get(reverse("actions:detail", args=[action.pk])).text
    assert "The risk it reduces" in action_page
    assert "Eviction for rent arrears" in action_page
    case_page = harriets.get(case.get_absolute_url()).text
    card = case_page[case_page.index(f'id="risk-{risk.pk}"') :]
    card = card[: card.index("Raised")]
    assert f"{action.reference}</a>: Apply for a discretionary housing payment" in card


def test_a_risk_the_form_does_not_offer_is_refused_next_to_the_field(
    client_for, case, cora, housing, rosa
):
    [(other_referral, _)] = fill_pathway(rosa, cora, 1)
    elsewhere = add_risk(other_referral.case, cora)
    response = client_for(cora).post(
        reverse("actions:agree", args=[case.pk]),
        {
            "description": "Apply for a discretionary housing payment",
            "owner_agency": housing.pk,
            "due_on_day": DUE.day,
            "due_on_month": DUE.month,
            "due_on_year": DUE.year,
            "risk": elsewhere.pk,
            "return_to": case.get_absolute_url(),
        },
    )
    assert response.status_code == 200
    assert "Select one of the case&#x27;s current risks, or none" in response.text
    assert not Action.objects.exists()
