"""A disagreement over the lead agency is recorded with each agency's position and the panel's
decision and reason: the decided agency leads, and all of it is in the chronology, on the case
page and in the minutes."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from panel import disagreements, meetings, services
from panel.models import LeadDisagreement, PanelMeeting
from tests.factories import AgencyFactory


@pytest.fixture
def involved(case, cora, asc, housing, police):
    """The case with Adult Social Care, Housing and the Police involved; Housing leads."""
    case = services.case_set_agencies(
        case_id=case.pk, by=cora, version=case.version, agencies=[asc, housing, police]
    )
    return services.case_appoint_lead(
        case_id=case.pk, by=cora, version=case.version, agency=housing, officer="", reason="Tenancy"
    )


POSITIONS = "positions"


def record(case, by, **answers):
    answers.setdefault("officer", "A. Okafor, social worker")
    answers.setdefault("reason", "Her needs are for care and support")
    return disagreements.lead_disagreement_record(
        case_id=case.pk, by=by, version=case.version, **answers
    )


def test_the_panel_decides_who_leads_and_it_is_recorded_with_each_position(
    involved, cora, asc, police
):
    disagreement = record(
        involved,
        cora,
        positions={police: "She is a victim of crime: we lead.", asc: "Her care comes first"},
        decided_agency=asc,
    )
    involved.refresh_from_db()
    assert (involved.lead_agency, involved.lead_officer) == (asc, "A. Okafor, social worker")
    assert [(p.agency, p.position) for p in disagreement.positions.all()] == [
        (asc, "Her care comes first"),
        (police, "She is a victim of crime: we lead."),
    ]
    assert (disagreement.decided_agency, disagreement.recorded_by) == (asc, cora)
    summaries = list(
        involved.events.order_by("happened_at", "pk").values_list("summary", flat=True)
    )
    assert (
        "Agencies disagreed over the lead: ASC: Her care comes first; Police: She is a victim of "
        "crime: we lead. The panel decided Adult Social Care leads: Her needs are for care and "
        "support"
    ) in summaries
    assert summaries[-1].startswith("Lead agency changed from Housing to Adult Social Care")
    assert disagreement.history.get().history_user == cora


def test_blank_positions_do_not_count_and_two_are_needed(involved, cora, asc, police, housing):
    with pytest.raises(ValidationError) as refused:
        record(involved, cora, positions={police: "Us", asc: "  ", housing: ""}, decided_agency=asc)
    assert refused.value.message_dict[POSITIONS] == [disagreements.POSITIONS_NEEDED]
    assert not LeadDisagreement.objects.exists()
    involved.refresh_from_db()
    assert involved.lead_agency == housing


def test_an_agency_not_involved_has_no_position_and_cannot_be_decided(involved, cora, asc):
    fire = AgencyFactory(name="Fire and Rescue", short_name="Fire")
    with pytest.raises(ValidationError) as refused:
        record(involved, cora, positions={fire: "Us", asc: "Them"}, decided_agency=fire)
    assert refused.value.message_dict[POSITIONS] == [
        "Fire and Rescue is not involved in the case: only involved agencies' positions"
    ]
    assert refused.value.message_dict["decided_agency"] == [services.LEAD_MUST_BE_INVOLVED]


def test_the_panels_reason_is_required(involved, cora, asc, police):
    with pytest.raises(ValidationError) as refused:
        record(involved, cora, positions={police: "A", asc: "B"}, decided_agency=asc, reason=" ")
    assert refused.value.message_dict["reason"] == [disagreements.DISAGREEMENT_REASON_NEEDED]


def test_only_those_who_run_the_panel_record_it(involved, harriet, asc, police):
    with pytest.raises(PermissionDenied):
        record(involved, harriet, positions={police: "A", asc: "B"}, decided_agency=asc)


def test_the_coordinator_records_it_from_its_page_and_the_case_page_lists_it(
    client_for, involved, cora, asc, police
):
    client = client_for(cora)
    people = reverse("panel:case_people", args=[involved.pk])
    case_page = client.get(people).text
    assert "Record a disagreement over the lead agency" in case_page
    page = client.get(reverse("panel:lead_disagreement", args=[involved.pk]))
    assert page.status_code == 200
    for agency in ("Adult Social Care", "Housing", "Bedfordshire Police"):
        assert f"{agency}&#x27;s position" in page.text
    response = client.post(
        reverse("panel:lead_disagreement_record", args=[involved.pk]),
        {
            "version": involved.version,
            f"position_{police.pk}": "It is a care matter",
            f"position_{asc.pk}": "It is a crime matter",
            "decided_agency": asc.pk,
            "officer": "",
            "reason": "Care and support needs come first",
            "meeting": "",
        },
    )
    assert (response.status_code, response["Location"]) == (302, people)
    case_page = client.get(people).text
    assert "Disagreements over the lead agency" in case_page
    assert "It is a crime matter" in case_page
    assert "The panel decided Adult Social Care leads: Care and support needs come first" in (
        case_page
    )


def test_a_bad_disagreement_shows_errors_and_keeps_what_was_typed(
    client_for, involved, cora, police
):
    response = client_for(cora).post(
        reverse("panel:lead_disagreement_record", args=[involved.pk]),
        {"version": involved.version, f"position_{police.pk}": "Only ours", "reason": ""},
    )
    assert response.status_code == 200
    assert "<title>Error:" in response.text.replace("\n", "")
    assert "Select the agency the panel decided leads" in response.text
    assert "Say why the panel decided this agency leads" in response.text
    assert "Only ours" in response.text
    assert not LeadDisagreement.objects.exists()


def test_fewer_than_two_positions_is_shown_by_the_first_agencys_box(
    client_for, involved, cora, asc, police
):
    response = client_for(cora).post(
        reverse("panel:lead_disagreement_record", args=[involved.pk]),
        {
            "version": involved.version,
            f"position_{police.pk}": "Only ours",
            "decided_agency": asc.pk,
            "reason": "Care",
        },
    )
    assert response.status_code == 200
    assert disagreements.POSITIONS_NEEDED in response.text
    assert f'href="#id_position_{asc.pk}"' in response.text


def test_a_case_changed_meanwhile_is_refused_with_the_text_kept(
    client_for, involved, cora, asc, police, housing
):
    seen = involved.version
    services.case_appoint_lead(
        case_id=involved.pk, by=cora, version=seen, agency=police, officer="", reason="For now"
    )
    response = client_for(cora).post(
        reverse("panel:lead_disagreement_record", args=[involved.pk]),
        {
            "version": seen,
            f"position_{police.pk}": "Ours",
            f"position_{housing.pk}": "Theirs",
            "decided_agency": asc.pk,
            "reason": "Care first",
        },
    )
    assert response.status_code == 409
    assert "Someone else changed this case" in response.text
    assert "Care first" in response.text
    assert not LeadDisagreement.objects.exists()


def test_a_spoc_cannot_open_the_page(client_for, involved, harriet):
    page = client_for(harriet).get(reverse("panel:lead_disagreement", args=[involved.pk]))
    assert page.status_code == 403
    people = reverse("panel:case_people", args=[involved.pk])
    assert "Record a disagreement" not in client_for(harriet).get(people).text


def test_the_minutes_show_a_disagreement_recorded_at_the_meeting(
    client_for, involved, cora, chidi, asc, police
):
    meeting = PanelMeeting.objects.create(date=date(2026, 12, 8))
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    record(
        involved,
        cora,
        positions={police: "A care matter", asc: "A crime matter"},
        decided_agency=asc,
        meeting=meeting,
    )
    page = client_for(chidi).get(reverse("panel:minutes", args=[meeting.pk])).text
    assert "Disagreement over the lead agency" in page
    assert "A crime matter" in page
    assert "The panel decided Adult Social Care leads: Her needs are for care and support" in page
    other = PanelMeeting.objects.create(date=date(2027, 1, 12))
    assert (
        "A crime matter"
        not in client_for(chidi).get(reverse("panel:minutes", args=[other.pk])).text
    )


def test_a_meeting_the_case_was_not_at_is_refused(involved, cora, asc, police):
    meeting = PanelMeeting.objects.create(date=date(2026, 12, 8))
    with pytest.raises(ValidationError) as refused:
        record(
            involved, cora, positions={police: "A", asc: "B"}, decided_agency=asc, meeting=meeting
        )
    assert refused.value.message_dict["meeting"] == [disagreements.NOT_AT_THAT_MEETING]
