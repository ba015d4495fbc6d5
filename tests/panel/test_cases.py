"""Cases: the lead agency, closure with an outcome, the freed place, who sees what."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from panel import services
from panel.models import Case, CaseStatus, Outcome
from panel.rules import closure as closure_rules
from tests.factories import fill_pathway, ready_to_step_down

AGREED = date(2026, 11, 20)


def appoint(case, by, agency, reason="Housing holds the tenancy and sees her weekly"):
    case.refresh_from_db()
    return services.case_appoint_lead(
        case_id=case.pk,
        by=by,
        version=case.version,
        agency=agency,
        officer="Harriet Lomax",
        reason=reason,
    )


def close(case, by, **kwargs):
    case.refresh_from_db()
    return services.case_close(case_id=case.pk, by=by, version=case.version, **kwargs)


def test_appointing_the_lead_agency_is_recorded_with_the_reason(case, cora, housing):
    appoint(case, cora, housing)
    case.refresh_from_db()
    assert case.lead_agency == housing
    assert case.history.latest().history_user == cora
    assert case.history.latest().lead_agency_id == housing.pk
    assert case.events.last().summary == (
        "Lead agency appointed to Housing (Harriet Lomax): "
        "Housing holds the tenancy and sees her weekly"
    )


def test_changing_the_lead_agency_says_from_whom_and_why(case, cora, housing, asc):
    case.involved_agencies.add(asc)
    appoint(case, cora, housing)
    appoint(case, cora, asc, reason="Care needs now outweigh the tenancy issue")
    assert "Lead agency changed from Housing to Adult Social Care" in case.events.last().summary
    assert [h.lead_agency_id for h in case.history.order_by("history_date")][-2:] == [
        housing.pk,
        asc.pk,
    ]


def test_the_lead_agency_needs_a_reason_and_must_be_involved(case, cora, housing, police):
    with pytest.raises(ValidationError) as caught:
        appoint(case, cora, police, reason=" ")
    assert caught.value.message_dict == {
        "agency": [services.LEAD_MUST_BE_INVOLVED],
        "reason": [services.LEAD_REASON_NEEDED],
    }


def test_a_case_cannot_close_without_an_outcome(case, cora):
    with pytest.raises(ValidationError) as caught:
        close(case, cora, outcome="", agreed_on=AGREED)
    assert caught.value.message_dict == {"outcome": [closure_rules.OUTCOME_NEEDED]}
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_PANEL


def test_the_database_refuses_a_closed_case_without_an_outcome(case):
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)


def test_stepping_down_needs_the_agency_taking_it_on(case, cora, housing):
    handover = ready_to_step_down(case, by=cora)
    with pytest.raises(ValidationError) as caught:
        close(case, cora, outcome=Outcome.STEPPED_DOWN, agreed_on=AGREED, **handover)
    assert caught.value.message_dict == {
        "step_down_agency": [closure_rules.STEP_DOWN_AGENCY_NEEDED]
    }
    closure = close(
        case,
        cora,
        outcome=Outcome.STEPPED_DOWN,
        step_down_agency=housing,
        agreed_on=AGREED,
        **handover,
    )
    assert closure.case.status == CaseStatus.CLOSED
    assert closure.case.step_down_agency == housing
    assert closure.case.events.last().summary.startswith(
        "Closed: risk reduced, stepped down to Housing (agreed 20 November 2026). Handover: "
        "Housing keeps the weekly tenancy visit"
    )


def test_closing_a_case_gives_its_place_to_the_first_waiting_referral(rosa, cora):
    results = fill_pathway(rosa, cora, 17)
    first_case = results[0][0].case
    closure = close(first_case, cora, outcome=Outcome.MOVED_AWAY, agreed_on=AGREED)
    first_waiting = results[15][0].case
    assert closure.admitted == [first_waiting]
    first_waiting.refresh_from_db()
    assert first_waiting.status == CaseStatus.AWAITING_PANEL
    assert services.caseload_count() == 15
    assert list(Case.objects.waiting_list()) == [results[16][0].case]


def test_the_coordinator_closes_a_case_from_its_page_and_is_told_who_took_the_place(
    client_for, rosa, cora
):
    results = fill_pathway(rosa, cora, 16)
    case = results[0][0].case
    response = client_for(cora).post(
        reverse("panel:case_close", args=[case.pk]),
        {
            "version": case.version,
            "outcome": "died",
            "agreed_on_day": "20",
            "agreed_on_month": "11",
            "agreed_on_year": "2026",
        },
        follow=True,
    )
    assert response.redirect_chain == [(case.get_absolute_url(), 302)]
    assert f"{case.reference} is closed" in response.text
    assert f"A place came free: {results[15][0].reference}" in response.text


def test_closing_from_the_page_without_an_outcome_says_so_and_keeps_what_was_typed(
    client_for, case, cora
):
    response = client_for(cora).post(
        reverse("panel:case_close", args=[case.pk]),
        {
            "version": case.version,
            "outcome_detail": "Moved to Leeds",
            "return_to": case.get_absolute_url(),
            "agreed_on_day": "20",
            "agreed_on_month": "11",
            "agreed_on_year": "2026",
        },
    )
    assert response.status_code == 200
    assert "Select the outcome: a case cannot close without one" in response.text
    assert "Moved to Leeds" in response.text
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_PANEL


def test_a_spoc_sees_their_agencys_case_but_cannot_change_it(client_for, case, harriet):
    client = client_for(harriet)
    assert case.reference in client.get(reverse("panel:cases")).text
    assert client.get(case.get_absolute_url()).status_code == 200
    response = client.post(
        reverse("panel:case_close", args=[case.pk]),
        {
            "version": case.version,
            "outcome": "died",
            "agreed_on_day": "20",
            "agreed_on_month": "11",
            "agreed_on_year": "2026",
        },
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_PANEL


@pytest.mark.parametrize("outsider", ["piers", "maya"])
def test_other_agencies_and_managers_do_not_see_the_case(client_for, case, outsider, request):
    client = client_for(request.getfixturevalue(outsider))
    assert client.get(case.get_absolute_url()).status_code == 404


def test_the_waiting_list_shows_positions(client_for, rosa, cora):
    results = fill_pathway(rosa, cora, 17)
    page = client_for(cora).get(reverse("panel:waiting_list")).text
    assert page.index(results[15][0].reference) < page.index(results[16][0].reference)


def test_two_coordinators_changing_the_same_case_the_second_is_told(
    client_for, case, cora, adam, housing
):
    version = case.version
    url = reverse("panel:case_appoint_lead", args=[case.pk])
    data = {"version": version, "agency": housing.pk, "reason": "Tenancy"}
    assert client_for(cora).post(url, data).status_code == 302
    response = client_for(adam).post(url, {**data, "reason": "Care needs outweigh the tenancy"})
    assert response.status_code == 409
    assert "Someone else changed this case" in response.text
    assert "Care needs outweigh the tenancy" in response.text  # what Adam typed is kept
    assert case.events.last().summary.endswith(": Tenancy")


def test_the_case_page_offers_the_coordinator_every_form_on_the_part_it_changes(
    client_for, case, cora
):
    client = client_for(cora)
    for sub_page, form_label in (
        ("panel:case_people", "Why this agency leads"),
        ("panel:case_people", "Record the agencies involved"),
        ("panel:case_actions", "What is to be done"),
        ("panel:case_meetings", "Date of the MDT meeting"),
        ("panel:case", "Record the review"),
    ):
        assert form_label in client.get(reverse(sub_page, args=[case.pk])).text, sub_page
    page = client.get(case.get_absolute_url()).text
    assert f'href="{reverse("panel:case_closing", args=[case.pk])}">Close the case</a>' in page
