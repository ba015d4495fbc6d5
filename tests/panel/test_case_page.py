"""The case page in parts: a summary on every sub-page, each sub-page with exactly its own
records, the chronology newest first and filtered by kind, one door for them all, and every
read recorded (docs/case-page.md)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.services import agency_appoint_spoc
from actions import services as action_services
from audit.models import RecordRead
from panel import services
from panel.chronology import record_event
from panel.models import AgendaItem, AgendaKind, Case, EventKind, MinutesStatus, PanelMeeting
from tests.factories import fill_pathway

SUB_PAGES = (
    "panel:case",
    "panel:case_actions",
    "panel:case_meetings",
    "panel:case_chronology",
    "panel:case_people",
)


def url(name, case, query=""):
    return reverse(name, args=[case.pk]) + query


@pytest.fixture
def busy_case(case, cora, harriet, housing, police):
    """The case with a lead, a second agency, an action, an MDT, a risk and two meetings."""
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    case = services.case_set_agencies(
        case_id=case.pk, by=cora, version=case.version, agencies=[housing, police]
    )
    case = services.case_appoint_lead(
        case_id=case.pk,
        by=cora,
        version=case.version,
        agency=housing,
        officer="Dana Reed, housing officer",
        reason="The tenancy is the heart of it",
    )
    action_services.action_agree(
        case=case,
        by=cora,
        owner_agency=housing,
        description="Repair the boiler before the frost",
        due_on=timezone.localdate() + timedelta(days=10),
    )
    services.mdt_record(
        case_id=case.pk,
        by=cora,
        held_on=timezone.localdate() - timedelta(days=3),
        invited=[housing, police],
        attended=[housing],
        notes="Met at the flat with the neighbour present",
    )
    past = PanelMeeting.objects.create(
        date=timezone.localdate() - timedelta(days=30),
        minutes_status=MinutesStatus.APPROVED,
        minutes_approved_by=cora,
        minutes_approved_at=timezone.now(),
    )
    draft = PanelMeeting.objects.create(date=timezone.localdate() - timedelta(days=2))
    coming = PanelMeeting.objects.create(date=timezone.localdate() + timedelta(days=12))
    for position, meeting in enumerate((past, draft, coming), start=1):
        AgendaItem.objects.create(
            meeting=meeting, position=position, kind=AgendaKind.REVIEW, case=case
        )
    Case.objects.filter(pk=case.pk).update(next_review_on=timezone.localdate() + timedelta(days=5))
    case.refresh_from_db()
    return case


def test_every_sub_page_shows_the_summary_and_marks_itself_current(client_for, cora, busy_case):
    client = client_for(cora)
    coming = PanelMeeting.objects.get(date=timezone.localdate() + timedelta(days=12))
    for name in SUB_PAGES:
        page = client.get(url(name, busy_case)).text
        assert str(busy_case.person) in page, name
        assert f'<span class="caspa-ref">{busy_case.reference}</span>' in page, name
        assert "Awaiting its first panel" in page, name
        assert "Housing: Dana Reed, housing officer" in page, name
        assert f"{busy_case.next_review_on:%-d %B %Y}" in page, name
        assert f"{coming.date:%A %-d %B %Y} (case review)" in page, name
        assert "Past its review date" not in page, name
        nav = page[page.index('<nav class="caspa-sub-navigation"') :].split("</nav>")[0]
        assert nav.count('aria-current="page"') == 1, name
        assert f'href="{url(name, busy_case)}" aria-current="page"' in nav, name


def test_the_summary_flags_a_review_date_gone_by(client_for, cora, busy_case):
    Case.objects.filter(pk=busy_case.pk).update(
        next_review_on=timezone.localdate() - timedelta(days=1)
    )
    for name in SUB_PAGES:
        assert "Past its review date" in client_for(cora).get(url(name, busy_case)).text, name


def test_a_case_on_no_agenda_says_so(client_for, cora, case):
    assert "Not on a meeting's agenda" in client_for(cora).get(url("panel:case", case)).text


# What each sub-page alone shows: its records, and the forms of the changes that are its own.
ONLY_ON = {
    "panel:case_actions": ["Repair the boiler before the frost", "Agree the action"],
    "panel:case_meetings": ["Met at the flat with the neighbour present", "Record the MDT meeting"],
    "panel:case_people": ["harriet@", "Record the lead agency", "Record the agencies involved"],
    "panel:case": ["Review of the risk assessment", "Close the case"],
    "panel:case_chronology": ["The tenancy is the heart of it"],
}


def test_each_sub_page_shows_exactly_its_own_records(client_for, cora, busy_case):
    client = client_for(cora)
    pages = {name: client.get(url(name, busy_case)).text for name in SUB_PAGES}
    for name, marks in ONLY_ON.items():
        for mark in marks:
            assert [other for other, page in pages.items() if mark in page] == [name], mark


def test_the_actions_page_links_each_action_with_the_status_the_log_shows(
    client_for, cora, busy_case
):
    [action] = busy_case.actions.all()
    from actions.models import Action

    Action.objects.filter(pk=action.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    page = client_for(cora).get(url("panel:case_actions", busy_case)).text
    link = f'<a class="govuk-link caspa-ref" href="{reverse("actions:detail", args=[action.pk])}">'
    assert f"{link}{action.reference}</a>" in page
    row = page[page.index(action.reference) :].split("</tr>")[0]
    assert "Open</strong>" in row
    assert "Overdue</strong>" in row


def test_the_meetings_page_links_the_minutes_each_reader_may_read(
    client_for, cora, harriet, busy_case
):
    past, draft, coming = PanelMeeting.objects.order_by("date")
    minutes = {meeting: reverse("panel:minutes", args=[meeting.pk]) for meeting in (past, draft)}
    coordinators = client_for(cora).get(url("panel:case_meetings", busy_case)).text
    assert f'href="{minutes[past]}"' in coordinators
    assert f'href="{minutes[draft]}"' in coordinators  # the panel's staff read drafts
    spocs = client_for(harriet).get(url("panel:case_meetings", busy_case)).text
    assert f'href="{minutes[past]}"' in spocs  # their agency's cut of approved minutes
    assert f'href="{minutes[draft]}"' not in spocs
    assert "Not yet approved" in spocs
    assert client_for(harriet).get(minutes[past]).status_code == 200
    assert client_for(harriet).get(minutes[draft]).status_code == 403
    table = spocs[spocs.index("On the agenda as") :]
    row = table[table.index(f"{coming.date:%-d %B %Y}") :].split("</tr>")[0]
    assert "Meeting to come" in row


def test_the_people_page_names_each_agencys_spoc_the_lead_and_the_referrer(
    client_for, harriet, busy_case
):
    page = client_for(harriet).get(url("panel:case_people", busy_case)).text
    table = page[page.index("Agencies involved") : page.index("Referred by")]
    assert 'Housing <strong class="govuk-tag">Lead agency</strong>' in table
    assert f"{harriet}" in table
    assert harriet.email in table
    assert "Bedfordshire Police" in table
    assert "None appointed" in table
    referral = busy_case.referral
    referred = page[page.index("Referred by") :]
    assert (referral.referrer_name or str(referral.created_by)) in referred
    assert referral.reference in referred
    assert "Record the lead agency" not in page  # a SPoC changes nothing here


# --- the chronology ------------------------------------------------------------------------


def lines(page: str) -> list[str]:
    part = page[page.index('<ol class="govuk-list caspa-chronology">') :]
    part = part[: part.index("</ol>")]
    return [line.split("<br>")[1].split(" <span")[0] for line in part.split("<li")[1:]]


def test_the_chronology_is_newest_first_and_filtered_by_kind(client_for, cora, case):
    now = timezone.now()
    for days, kind, summary in (
        (1, EventKind.ACTIONS, "Oldest action line"),
        (2, EventKind.MEETINGS, "A meeting line"),
        (3, EventKind.ACTIONS, "Newest action line"),
    ):
        record_event(case, summary, cora, at=now + timedelta(days=days), kind=kind)
    client = client_for(cora)
    whole = lines(client.get(url("panel:case_chronology", case)).text)
    assert whole[:3] == ["Newest action line", "A meeting line", "Oldest action line"]
    assert len(whole) == case.events.count()
    page = client.get(url("panel:case_chronology", case, "?kind=actions")).text
    assert lines(page) == ["Newest action line", "Oldest action line"]
    assert "2 entries about actions, newest first." in page


def test_a_kind_with_nothing_says_so_and_an_unknown_kind_is_refused(client_for, cora, case):
    client = client_for(cora)
    page = client.get(url("panel:case_chronology", case, "?kind=returns")).text
    assert "Nothing in the chronology is about agencies&#x27; returns yet." in page
    refused = client.get(url("panel:case_chronology", case, "?kind=gossip"))
    assert refused.status_code == 200
    assert "Select one of the kinds listed" in refused.text
    assert "<title>Error:" in refused.text
    assert len(lines(refused.text)) == case.events.count()  # shown whole


def test_the_chronology_pages_25_at_a_time(client_for, cora, case):
    start = timezone.now()
    for n in range(30):
        record_event(
            case, f"Line {n}", cora, at=start + timedelta(minutes=n), kind=EventKind.ACTIONS
        )
    client = client_for(cora)
    first = client.get(url("panel:case_chronology", case, "?kind=actions")).text
    assert lines(first) == [f"Line {n}" for n in range(29, 4, -1)]
    second = client.get(url("panel:case_chronology", case, "?kind=actions&page=2")).text
    assert lines(second) == [f"Line {n}" for n in range(4, -1, -1)]
    assert 'href="?kind=actions&amp;page=2"' in first


def queries_for(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_chronology_page_costs_the_same_at_five_lines_or_sixty(client_for, cora, case):
    client = client_for(cora)
    start = timezone.now()
    for n in range(5):
        record_event(
            case, f"Line {n}", cora, at=start + timedelta(minutes=n), kind=EventKind.ACTIONS
        )
    few = queries_for(client, url("panel:case_chronology", case))
    for n in range(55):
        record_event(case, f"More {n}", None, at=start + timedelta(hours=n), kind=EventKind.RETURNS)
    many = queries_for(client, url("panel:case_chronology", case))
    assert many == few


# --- one door, every read recorded ---------------------------------------------------------


@pytest.mark.parametrize("name", SUB_PAGES)
def test_an_uninvolved_agency_and_a_manager_get_404_on_every_sub_page(
    client_for, piers, maya, case, name
):
    assert client_for(piers).get(url(name, case)).status_code == 404
    assert client_for(maya).get(url(name, case)).status_code == 404


@pytest.mark.parametrize("name", SUB_PAGES)
def test_every_sub_page_is_a_read_of_the_case(client_for, harriet, case, name):
    reads = RecordRead.objects.filter(record_type="panel.case", record_id=case.pk, reader=harriet)
    before = reads.count()
    assert client_for(harriet).get(url(name, case)).status_code == 200
    assert reads.count() == before + 1


# --- each change goes back to the sub-page it came from ------------------------------------


def lead_form(case, agency, **fields):
    return {"version": case.version, "agency": agency.pk, "reason": "Tenancy", **fields}


def test_a_change_goes_back_to_the_sub_page_it_was_made_on(client_for, cora, busy_case, housing):
    people = url("panel:case_people", busy_case)
    response = client_for(cora).post(
        reverse("panel:case_appoint_lead", args=[busy_case.pk]),
        lead_form(busy_case, housing, return_to=people),
    )
    assert (response.status_code, response["Location"]) == (302, people)


def test_a_refused_change_is_shown_on_the_sub_page_that_holds_its_form(
    client_for, cora, busy_case, housing
):
    response = client_for(cora).post(
        reverse("panel:case_appoint_lead", args=[busy_case.pk]),
        lead_form(busy_case, housing, reason="", officer="Kept officer", return_to="/nowhere/"),
    )
    assert response.status_code == 200
    assert 'aria-current="page">People involved</a>' in response.text
    assert "Kept officer" in response.text  # nothing typed is lost


def test_another_cases_page_is_not_where_a_change_goes_back_to(
    client_for, rosa, cora, busy_case, housing
):
    [(other, _)] = fill_pathway(rosa, cora, 1)
    response = client_for(cora).post(
        reverse("panel:case_appoint_lead", args=[busy_case.pk]),
        lead_form(busy_case, housing, return_to=url("panel:case_people", other.case)),
    )
    assert response["Location"] == busy_case.get_absolute_url()


def test_an_mdt_recorded_from_the_meetings_page_goes_back_there(client_for, cora, case, housing):
    meetings = url("panel:case_meetings", case)
    held = date.today() - timedelta(days=1)
    response = client_for(cora).post(
        reverse("panel:mdt_record", args=[case.pk]),
        {
            "held_on_day": held.day,
            "held_on_month": held.month,
            "held_on_year": held.year,
            "attended": [housing.pk],
            "return_to": meetings,
        },
    )
    assert (response.status_code, response["Location"]) == (302, meetings)


def test_the_chronology_links_the_cases_actions_and_keeps_other_references_whole(
    client_for, rosa, cora, busy_case
):
    [action] = busy_case.actions.all()
    [(other, _)] = fill_pathway(rosa, cora, 1)
    record_event(
        busy_case,
        f"Compare {other.case.reference} and A-{999999:06d}",
        cora,
        kind=EventKind.PATHWAY,
    )
    page = client_for(cora).get(url("panel:case_chronology", busy_case)).text
    href = reverse("actions:detail", args=[action.pk])
    assert f'<a class="govuk-link caspa-ref" href="{href}">{action.reference}</a> agreed' in page
    assert f'Compare <span class="caspa-ref">{other.case.reference}</span> and' in page
    assert '<span class="caspa-ref">A-999999</span>' in page  # not this case's: no link
