"""The risk assessment and plan as people use it: the case page's section, shown to everyone
who sees the case, and a page for each form, for the coordinator only."""

from datetime import date

import pytest
from django.urls import reverse

from panel import assessment
from panel.models import CapacityOutcome
from panel.rules import risk as risk_rules
from tests.factories import fill_pathway, make_referral

EVICTION = "Eviction for rent arrears"


@pytest.fixture
def risk(case, cora, housing):
    return assessment.risk_add(
        case_id=case.pk,
        by=cora,
        description=EVICTION,
        likelihood=4,
        severity=4,
        to_whom=["person", "children"],
        need="housing",
        warning_signs="Rent unpaid two weeks running",
        protective_factors="Her sister visits weekly",
        source_agency=housing,
        monitored_by=housing,
        monitoring_officer="Harriet Lomax, tenancy officer",
        contingency_trigger="A notice of eviction",
        contingency_response="Housing calls an MDT within two days",
        out_of_hours_contact="Emergency duty team, 01632 960999",
    )


@pytest.fixture
def desired(case, cora):
    return assessment.desired_outcome_add(case_id=case.pk, by=cora, outcome="To keep my flat")


@pytest.fixture
def tried(case, cora, housing):
    return assessment.intervention_record(
        case_id=case.pk,
        by=cora,
        agency=housing,
        what="Offered emergency repairs",
        started_on=date(2026, 10, 1),
    )


def test_a_spoc_of_an_involved_agency_sees_each_risk_with_its_score_band_and_plan(
    client_for, case, risk, harriet
):
    page = client_for(harriet).get(case.get_absolute_url()).text
    assert "Risk assessment and plan" in page
    assert EVICTION in page
    assert "Likelihood 4 (likely) × severity 4 (major) = 16" in page
    assert '<strong class="govuk-tag govuk-tag--orange">High</strong>' in page
    for part in (
        "The person, children",
        "Vulnerable housing or unstable tenancy",
        "Rent unpaid two weeks running",
        "Her sister visits weekly",
        "Harriet Lomax, tenancy officer",
        "A notice of eviction",
        "Housing calls an MDT within two days",
        "Emergency duty team, 01632 960999",
    ):
        assert part in page
    # Read-only for her: no links to change anything.
    assert reverse("panel:risk_change", args=[risk.pk]) not in page
    assert reverse("panel:risk_add", args=[case.pk]) not in page


def test_an_uninvolved_agencys_spoc_does_not_see_the_case(client_for, case, risk, piers):
    assert client_for(piers).get(case.get_absolute_url()).status_code == 404


def test_the_coordinator_is_offered_every_change_on_the_case_page(
    client_for, case, risk, desired, tried, cora
):
    page = client_for(cora).get(case.get_absolute_url()).text
    for url in (
        reverse("panel:risk_add", args=[case.pk]),
        reverse("panel:risk_change", args=[risk.pk]),
        reverse("panel:risk_retire", args=[risk.pk]),
        reverse("panel:persons_views_revise", args=[case.pk]),
        reverse("panel:desired_outcome_add", args=[case.pk]),
        reverse("panel:desired_outcome_change", args=[desired.pk]),
        reverse("panel:capacity_record", args=[case.pk]),
        reverse("panel:intervention_record", args=[case.pk]),
        reverse("panel:intervention_change", args=[tried.pk]),
    ):
        assert url in page


def test_retired_risks_are_listed_apart_with_why(client_for, case, risk, cora):
    assessment.risk_retire(
        risk_id=risk.pk, by=cora, version=risk.version, reason="Arrears cleared by a DHP award"
    )
    page = client_for(cora).get(case.get_absolute_url()).text
    assert "Retired risks (1)" in page
    assert "Arrears cleared by a DHP award" in page
    assert "No current risks recorded yet." in page


def test_the_persons_voice_capacity_and_what_was_tried_are_shown(
    client_for, case, desired, tried, cora, harriet
):
    assessment.capacity_record(
        case_id=case.pk,
        by=cora,
        decision="Where to live",
        assessed_by="Ana Patel, social worker",
        assessed_on=date(2026, 11, 1),
        outcome=CapacityOutcome.HAS_CAPACITY,
    )
    page = client_for(harriet).get(case.get_absolute_url()).text
    assert "Wants to stay at home." in page  # the person's views, from the referral
    assert "To keep my flat" in page
    assert "Where to live" in page
    assert "Has capacity for this decision" in page
    assert "From the referral" in page
    assert "Housing offered repairs; ASC offered care; both declined." in page
    assert "Offered emergency repairs" in page
    assert "Ongoing" in page


# --- the pages of each form ----------------------------------------------------------------


def pages(case, risk, desired, tried):
    return {
        "risk_add": reverse("panel:risk_add", args=[case.pk]),
        "risk_change": reverse("panel:risk_change", args=[risk.pk]),
        "risk_retire": reverse("panel:risk_retire", args=[risk.pk]),
        "persons_views_revise": reverse("panel:persons_views_revise", args=[case.pk]),
        "desired_outcome_add": reverse("panel:desired_outcome_add", args=[case.pk]),
        "desired_outcome_change": reverse("panel:desired_outcome_change", args=[desired.pk]),
        "capacity_record": reverse("panel:capacity_record", args=[case.pk]),
        "intervention_record": reverse("panel:intervention_record", args=[case.pk]),
        "intervention_change": reverse("panel:intervention_change", args=[tried.pk]),
    }


PAGES = [
    "risk_add",
    "risk_change",
    "risk_retire",
    "persons_views_revise",
    "desired_outcome_add",
    "desired_outcome_change",
    "capacity_record",
    "intervention_record",
    "intervention_change",
]


@pytest.mark.parametrize("name", PAGES)
def test_each_page_opens_for_the_coordinator_with_a_way_back_to_the_case(
    client_for, case, risk, desired, tried, cora, name
):
    response = client_for(cora).get(pages(case, risk, desired, tried)[name])
    assert response.status_code == 200
    assert f"Back to case {case.reference}" in response.text
    assert f'href="{case.get_absolute_url()}#assessment"' in response.text


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_involved_spoc_is_refused_each_page(
    client_for, case, risk, desired, tried, harriet, name, method
):
    client = client_for(harriet)
    url = pages(case, risk, desired, tried)[name]
    lines = case.events.count()
    response = getattr(client, method)(url, {"version": 1, "reason": "x", "outcome": "x"})
    assert response.status_code == 403
    assert case.events.count() == lines


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_uninvolved_spoc_is_told_nothing_exists(
    client_for, case, risk, desired, tried, piers, name, method
):
    response = getattr(client_for(piers), method)(pages(case, risk, desired, tried)[name], {})
    assert response.status_code == 404


def test_the_likelihood_and_severity_are_radios_with_the_stated_scales(client_for, case, cora):
    page = client_for(cora).get(reverse("panel:risk_add", args=[case.pk])).text
    assert page.count('type="radio" value="') == 10
    for number in risk_rules.SCALE:
        assert f"{number} – {risk_rules.LIKELIHOOD[number]}" in page
        assert f"{number} – {risk_rules.SEVERITY[number]}".replace("'", "&#x27;") in page
    assert page.count('type="checkbox"') == 4  # to whom: person, others, children, staff


def test_the_first_risk_starts_from_the_referral_and_offers_its_needs_first(client_for, rosa, cora):
    referral = make_referral(
        rosa,
        submit=True,
        needs={"housing": "Notice served", "mental_health": "Low mood"},
        primary_need="housing",
        risk_description="Eviction on 1 February, then rough sleeping in winter.",
    )
    from tests.factories import accept

    _, placement = accept(referral, cora)
    case = placement.case
    page = client_for(cora).get(reverse("panel:risk_add", args=[case.pk])).text
    assert "Eviction on 1 February, then rough sleeping in winter." in page
    assert page.index('<optgroup label="On the referral">') < page.index("Poor mental health")
    assert page.index("Poor mental health") < page.index('<optgroup label="Other needs">')
    assert '<option value="housing" selected>' in page
    assert case.risks.count() == 0  # the panel scores the risks; none are made for it


def test_once_a_risk_exists_the_form_starts_blank(client_for, case, risk, cora):
    page = client_for(cora).get(reverse("panel:risk_add", args=[case.pk])).text
    assert "Risk of death from cold and malnutrition." not in page


def risk_form(**fields):
    return {
        "description": "Falls on the stairs at night",
        "likelihood": "3",
        "severity": "4",
        "to_whom": ["person"],
        "need": "",
        **fields,
    }


def test_the_coordinator_adds_a_risk_and_sees_it_on_the_case(client_for, case, cora):
    client = client_for(cora)
    response = client.post(reverse("panel:risk_add", args=[case.pk]), risk_form(), follow=True)
    assert response.redirect_chain == [(f"{case.get_absolute_url()}#assessment", 302)]
    assert "The risk is added: high." in response.text
    assert "Likelihood 3 (possible) × severity 4 (major) = 12" in response.text
    chronology = client.get(reverse("panel:case_chronology", args=[case.pk])).text
    assert "Risk added: &#x27;Falls on the stairs at night&#x27; (to the person)" in chronology


def test_a_risk_off_the_scale_is_refused_on_the_page_keeping_what_was_typed(client_for, case, cora):
    response = client_for(cora).post(
        reverse("panel:risk_add", args=[case.pk]), risk_form(likelihood="7")
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert risk_rules.OUT_OF_SCALE in response.text
    assert 'href="#id_likelihood_0"' in response.text
    assert "Falls on the stairs at night" in response.text
    assert 'id="id_severity_3" name="severity" type="radio" value="4" checked>' in response.text
    assert not case.risks.exists()


def test_a_risk_from_an_uninvolved_agency_is_refused_next_to_the_field(
    client_for, case, cora, police
):
    response = client_for(cora).post(
        reverse("panel:risk_add", args=[case.pk]), risk_form(source_agency=police.pk)
    )
    assert response.status_code == 200
    assert assessment.AGENCY_NOT_INVOLVED in response.text
    assert not case.risks.exists()


def test_a_risk_changed_meanwhile_is_refused_keeping_what_was_typed(
    client_for, case, risk, cora, adam
):
    url = reverse("panel:risk_change", args=[risk.pk])
    seen = risk.version
    assert client_for(adam).post(url, risk_form(version=seen, likelihood="5")).status_code == 302
    response = client_for(cora).post(
        url, risk_form(version=seen, description="Falls, and a fire from candles")
    )
    assert response.status_code == 409
    assert "Someone else changed this risk while you had it open" in response.text
    assert "Falls, and a fire from candles" in response.text  # what Cora typed
    assert "The risk as it is now" in response.text
    assert f'name="version" value="{seen + 1}"' in response.text
    risk.refresh_from_db()
    assert (risk.description, risk.likelihood) == ("Falls on the stairs at night", 5)


def test_retiring_from_its_page_needs_a_reason(client_for, case, risk, cora):
    url = reverse("panel:risk_retire", args=[risk.pk])
    client = client_for(cora)
    response = client.post(url, {"version": risk.version, "reason": ""})
    assert response.status_code == 200
    assert assessment.RETIRED_REASON_NEEDED in response.text
    response = client.post(url, {"version": risk.version, "reason": "Moved to a ground floor flat"})
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.retired_reason == "Moved to a ground floor flat"


def test_the_persons_views_page_keeps_the_text_on_a_conflict(client_for, case, cora, adam):
    url = reverse("panel:persons_views_revise", args=[case.pk])
    seen = case.version
    client_for(adam).post(url, {"version": seen, "persons_views": "Wants to move to Dunstable"})
    response = client_for(cora).post(
        url, {"version": seen, "persons_views": "Wants to stay, with her cat"}
    )
    assert response.status_code == 409
    assert "Wants to stay, with her cat" in response.text
    assert "Wants to move to Dunstable" in response.text  # as it is now
    case.refresh_from_db()
    assert case.persons_views == "Wants to move to Dunstable"


def test_desired_outcomes_from_their_pages(client_for, case, cora):
    client = client_for(cora)
    add = reverse("panel:desired_outcome_add", args=[case.pk])
    assert assessment.OUTCOME_NEEDED in client.post(add, {"outcome": " "}).text
    assert client.post(add, {"outcome": "To see my grandchildren"}).status_code == 302
    desired = case.desired_outcomes.get()
    change = reverse("panel:desired_outcome_change", args=[desired.pk])
    assert client.post(change, {"version": 1, "outcome": "To see my family"}).status_code == 302
    desired.refresh_from_db()
    assert desired.outcome == "To see my family"


def test_a_capacity_assessment_in_the_future_is_refused_on_its_page(client_for, case, cora):
    response = client_for(cora).post(
        reverse("panel:capacity_record", args=[case.pk]),
        {
            "decision": "Accepting care at home",
            "assessed_by": "Dr Okafor, GP",
            "assessed_on_day": "1",
            "assessed_on_month": "1",
            "assessed_on_year": "2099",
            "outcome": "lacks_capacity",
        },
    )
    assert response.status_code == 200
    assert assessment.ASSESSED_IN_FUTURE in response.text
    assert "Accepting care at home" in response.text
    assert not case.capacity_assessments.exists()


def test_what_was_tried_from_its_pages(client_for, case, cora, housing, police):
    client = client_for(cora)
    add = reverse("panel:intervention_record", args=[case.pk])
    refused = client.post(add, {"agency": police.pk, "what": "Welfare check"})
    assert assessment.AGENCY_NOT_INVOLVED in refused.text
    form = {
        "agency": housing.pk,
        "what": "Tenancy sustainment visits",
        "started_on_day": "5",
        "started_on_month": "10",
        "started_on_year": "2026",
    }
    assert client.post(add, form).status_code == 302
    tried = case.interventions.get()
    change = reverse("panel:intervention_change", args=[tried.pk])
    too_early = {**form, "version": 1, "ended_on_day": "1", "ended_on_month": "10"}
    too_early["ended_on_year"] = "2026"
    assert assessment.UNTIL_BEFORE_FROM in client.post(change, too_early).text
    done = {**too_early, "ended_on_day": "30", "what_happened": "Engaged, rent plan agreed"}
    assert client.post(change, done).status_code == 302
    tried.refresh_from_db()
    assert (tried.ended_on, tried.what_happened) == (
        date(2026, 10, 30),
        "Engaged, rent plan agreed",
    )


def test_a_closed_case_shows_its_assessment_without_links_to_change_it(client_for, rosa, cora):
    [(referral, _)] = fill_pathway(rosa, cora, 1)
    case = referral.case
    assessment.risk_add(case_id=case.pk, by=cora, description=EVICTION, likelihood=2, severity=2)
    from panel import services

    services.case_close(
        case_id=case.pk, by=cora, version=case.version, outcome="died", agreed_on=date.today()
    )
    page = client_for(cora).get(case.get_absolute_url()).text
    assert EVICTION in page
    assert reverse("panel:risk_add", args=[case.pk]) not in page


def test_a_change_to_a_closed_case_is_refused_on_the_page_with_why(client_for, case, cora):
    from panel import services

    services.case_close(
        case_id=case.pk, by=cora, version=case.version, outcome="died", agreed_on=date.today()
    )
    response = client_for(cora).post(reverse("panel:risk_add", args=[case.pk]), risk_form())
    assert response.status_code == 200
    assert f"{case.reference} is not on the caseload (closed)" in response.text
    assert "Falls on the stairs at night" in response.text
    assert not case.risks.exists()


def test_what_was_tried_changed_meanwhile_is_refused_keeping_what_was_typed(
    client_for, case, tried, cora, adam, housing
):
    url = reverse("panel:intervention_change", args=[tried.pk])
    form = {"version": tried.version, "agency": housing.pk, "what": "Offered emergency repairs"}
    assert client_for(adam).post(url, {**form, "what_happened": "Declined"}).status_code == 302
    response = client_for(cora).post(url, {**form, "what_happened": "Accepted in the end"})
    assert response.status_code == 409
    assert (
        "Someone else changed this record of what was tried while you had it open" in response.text
    )
    assert "Accepted in the end" in response.text
    assert "Declined" in response.text  # as it is now
    tried.refresh_from_db()
    assert tried.what_happened == "Declined"


def test_a_risk_changed_from_the_meeting_screen_goes_back_to_the_screen(
    client_for, case, risk, cora
):
    from panel.models import PanelMeeting

    meeting = PanelMeeting.objects.create(date=date(2026, 12, 8))
    screen = reverse("panel:screen", args=[meeting.pk, 1])
    coordinator = client_for(cora)
    change = reverse("panel:risk_change", args=[risk.pk])
    page = coordinator.get(f"{change}?return_to={screen}").text
    assert "Back to the meeting screen" in page
    assert f'name="return_to" value="{screen}"' in page
    sent = {
        "version": risk.version,
        "description": EVICTION,
        "likelihood": 3,
        "severity": 4,
        "to_whom": ["person"],
        "return_to": screen,
    }
    response = coordinator.post(change, sent)
    assert (response.status_code, response["Location"]) == (302, screen)
    risk.refresh_from_db()
    assert risk.score == 12


def test_a_return_to_another_site_or_page_goes_back_to_the_case_instead(
    client_for, case, risk, cora
):
    coordinator = client_for(cora)
    change = reverse("panel:risk_change", args=[risk.pk])
    for elsewhere in ("https://example.org/phish", reverse("panel:cases")):
        page = coordinator.get(f"{change}?return_to={elsewhere}").text
        assert "Back to the meeting screen" not in page
        assert 'name="return_to"' not in page
