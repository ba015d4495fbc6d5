"""Agencies' returns before a panel meeting: asked for by the sweep on working days counted
back from the meeting, e-mailed once to each SPoC and reminded once, sent and revised by the
SPoC until the meeting, and shown wherever the panel and the agencies read the case."""

import logging
import threading
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from accounts.roles import Role
from accounts.services import agency_appoint_spoc
from actions import services as action_services
from caspa.core.models import OutboxMessage
from panel import meetings, returns
from panel import services as panel_services
from panel.models import AgencyReturn, PanelMeeting
from panel.rules.returns import return_dates
from tests.conftest import persona
from tests.factories import AgencyFactory, fill_pathway
from tests.strategies import ANY_VALUE, SLOW_OK, VALUE

PERSON_DETAILS = ("Sample", "Alex", "Example")


@pytest.fixture
def spocs(cora, housing, police, harriet, piers):
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    agency_appoint_spoc(agency=police, spoc=piers, by=cora)


def involve(case, cora, *agencies):
    case.refresh_from_db()
    return panel_services.case_set_agencies(
        case_id=case.pk, by=cora, version=case.version, agencies=agencies
    )


@pytest.fixture
def on_agenda(case, cora, housing, police):
    """The case, with Housing and Bedfordshire Police involved, on a meeting's agenda:
    make(meeting_date) returns the meeting."""
    involve(case, cora, housing, police)

    def make(day: date) -> PanelMeeting:
        meeting = PanelMeeting.objects.create(date=day)
        meetings.agenda_build(meeting_id=meeting.pk, by=cora)
        return meeting

    return make


def a_meeting_ahead(days: int = 21) -> date:
    """A meeting far enough ahead of the real today for its returns to be sent."""
    return timezone.localdate() + timedelta(days=days)


def return_emails(kind="request"):
    words = {"request": "CASPA: your agency's return", "reminder": "CASPA: reminder"}[kind]
    return [email for email in mail.outbox if email.subject.startswith(words)]


def sweep(day):
    return returns.run_returns_sweep(today=day)


@pytest.fixture
def asked(spocs, on_agenda):
    """The meeting three weeks ahead, its returns asked for; the returns by agency name."""
    meeting = on_agenda(a_meeting_ahead())
    sweep(return_dates(meeting.date).requested_on)
    mail.outbox.clear()
    return meeting, {row.agency.short_name: row for row in AgencyReturn.objects.all()}


def send(row, by, **text):
    row.refresh_from_db()
    fields = {"contact": "", "changes": "", "risks": "", "progress": "", **text}
    return returns.return_submit(return_id=row.pk, by=by, version=row.version, **fields)


# --- the sweep ------------------------------------------------------------------------------


def test_returns_are_asked_for_five_working_days_before_the_meeting_and_not_before(
    spocs, on_agenda, case
):
    meeting = on_agenda(date(2027, 3, 4))  # a Thursday
    assert sweep(date(2027, 2, 24)).returns_asked == 0
    assert not AgencyReturn.objects.exists()
    assert sweep(date(2027, 2, 25)).returns_asked == 2
    rows = AgencyReturn.objects.filter(meeting=meeting, case=case).select_related("agency")
    assert sorted(row.agency.name for row in rows) == ["Bedfordshire Police", "Housing"]
    assert {(row.requested_on, row.due_on) for row in rows} == {
        (date(2027, 2, 25), date(2027, 3, 3))
    }


@pytest.mark.parametrize(
    ("meeting_on", "too_early", "asked_on"),
    [
        # Tuesday 5 January 2027: 1 January, 28 and 25 December 2026 are bank holidays.
        (date(2027, 1, 5), date(2026, 12, 23), date(2026, 12, 24)),
        # Thursday 1 April 2027: Good Friday 26 March and Easter Monday 29 March.
        (date(2027, 4, 1), date(2027, 3, 22), date(2027, 3, 23)),
    ],
)
def test_bank_holidays_are_not_counted_as_working_days_before_the_meeting(
    spocs, on_agenda, meeting_on, too_early, asked_on
):
    on_agenda(meeting_on)
    assert sweep(too_early).returns_asked == 0
    assert sweep(asked_on).returns_asked == 2
    assert len(return_emails()) == 2


def test_each_spoc_is_emailed_once_with_a_link_and_nothing_personal(
    spocs, on_agenda, case, harriet, piers
):
    meeting = on_agenda(date(2027, 3, 4))
    for day in (date(2027, 2, 25), date(2027, 2, 25), date(2027, 2, 26), date(2027, 3, 1)):
        sweep(day)
    emails = return_emails()
    assert sorted(email.to[0] for email in emails) == sorted([harriet.email, piers.email])
    police = AgencyReturn.objects.get(agency__short_name="Police")
    [to_piers] = [email for email in emails if email.to == [piers.email]]
    assert to_piers.subject == (
        f"CASPA: your agency's return on case {case.reference} for the panel meeting of "
        "4 March 2027"
    )
    assert reverse("panel:return", args=[police.pk]) in to_piers.body
    assert "by the end of Wednesday 3 March 2027" in to_piers.body
    assert "Thursday 4 March 2027" in to_piers.body
    for detail in (*PERSON_DETAILS, case.person.family_name, case.person.given_names):
        assert detail not in to_piers.subject + to_piers.body
    assert police.request_message.kind == "return.request"
    assert police.request_message.reference == case.reference
    assert meeting.returns.count() == 2


def test_an_agency_without_a_spoc_is_asked_but_not_emailed_until_it_has_one(
    on_agenda, case, cora, police, piers, caplog
):
    on_agenda(date(2027, 3, 4))
    with caplog.at_level(logging.INFO, logger="panel.returns"):
        sweep(date(2027, 2, 25))
    assert return_emails() == []
    assert AgencyReturn.objects.filter(request_message=None).count() == 2
    assert f"Police has no SPoC to e-mail about {case.reference}" in caplog.text
    agency_appoint_spoc(agency=police, spoc=piers, by=cora)
    sweep(date(2027, 2, 26))
    [email] = return_emails()
    assert email.to == [piers.email]
    police_return = AgencyReturn.objects.get(agency=police)
    assert police_return.requested_on == date(2027, 2, 26)  # when it was asked by e-mail


def test_a_reminder_goes_once_and_only_to_agencies_whose_return_is_not_in(asked, piers, harriet):
    meeting, rows = asked
    send(rows["Police"], piers, contact="Seen at home on Monday.")
    dates = return_dates(meeting.date)
    sweep(dates.reminded_on - timedelta(days=1))
    assert return_emails("reminder") == []
    sweep(dates.reminded_on)
    sweep(dates.reminded_on)
    sweep(dates.due_on)
    [reminder] = return_emails("reminder")
    assert reminder.to == [harriet.email]
    assert f"due {dates.due_on.day} {dates.due_on:%B %Y}" in reminder.subject
    assert "is not in yet" in reminder.body
    assert return_emails() == []  # and no second request
    assert OutboxMessage.objects.filter(kind="return.reminder").count() == 1


def test_an_agency_asked_on_the_reminder_date_is_not_reminded_as_well(spocs, on_agenda):
    meeting = on_agenda(date(2027, 3, 4))
    sweep(date(2027, 3, 2))  # the sweep missed the request date: it catches up
    sweep(date(2027, 3, 3))
    assert len(return_emails()) == 2
    assert return_emails("reminder") == []
    assert meeting.returns.count() == 2


def test_an_agency_joining_the_case_is_asked_at_the_next_sweep(
    spocs, on_agenda, case, cora, housing, police, asc
):
    on_agenda(date(2027, 3, 4))
    sweep(date(2027, 2, 25))
    involve(case, cora, housing, police, asc)
    assert sweep(date(2027, 2, 26)).returns_asked == 1
    assert len(return_emails()) == 2  # ASC has no SPoC: no e-mail


def test_no_return_is_asked_for_a_meeting_that_has_happened_or_other_business(spocs, cora, case):
    meeting = PanelMeeting.objects.create(date=date(2027, 3, 4))
    meetings.agenda_add_item(meeting_id=meeting.pk, by=cora, title="Annual report")
    assert sweep(date(2027, 2, 25)).returns_asked == 0
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    assert sweep(date(2027, 3, 4)).returns_asked == 0  # the meeting's own day
    assert not AgencyReturn.objects.exists()


# --- sending a return -----------------------------------------------------------------------


def test_the_spoc_sends_their_agencys_return_from_its_page(asked, case, client_for, piers, cora):
    meeting, rows = asked
    action_services.action_agree(
        case=case,
        by=cora,
        owner_agency=rows["Police"].agency,
        description="Welfare check every week",
        due_on=timezone.localdate() + timedelta(days=14),
    )
    page = client_for(piers).get(reverse("panel:return", args=[rows["Police"].pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert case.reference in html
    assert str(case.person) in html
    assert f"By the end of {rows['Police'].due_on:%A} {rows['Police'].due_on.day}" in html
    assert "Welfare check every week" in html  # the agency's open action
    response = client_for(piers).post(
        reverse("panel:return", args=[rows["Police"].pk]),
        {
            "version": 1,
            "contact": "Seen at home on Monday.",
            "changes": "",
            "risks": "Neighbours report shouting.",
            "progress": "",
        },
    )
    assert response.status_code == 302
    row = AgencyReturn.objects.get(pk=rows["Police"].pk)
    assert (row.contact, row.risks, row.submitted_by) == (
        "Seen at home on Monday.",
        "Neighbours report shouting.",
        piers,
    )
    assert case.events.last().summary == (
        "Return from Bedfordshire Police for the panel meeting of "
        f"{meeting.date.day} {meeting.date:%B %Y} received"
    )


def test_a_return_can_be_revised_until_the_meeting(asked, case, piers):
    _, rows = asked
    send(rows["Police"], piers, contact="Seen on Monday.")
    revised = send(rows["Police"], piers, contact="Seen on Monday and Wednesday.")
    assert revised.contact == "Seen on Monday and Wednesday."
    assert case.events.last().summary.endswith(" revised")
    assert revised.history.count() >= 3  # asked, sent, revised


def test_an_empty_return_is_refused_next_to_the_first_box(asked, client_for, piers):
    _, rows = asked
    response = client_for(piers).post(
        reverse("panel:return", args=[rows["Police"].pk]),
        {"version": 1, "contact": " ", "changes": "", "risks": "", "progress": ""},
    )
    assert response.status_code == 200
    assert returns.RETURN_EMPTY in response.content.decode()
    assert 'href="#id_contact"' in response.content.decode()
    assert not AgencyReturn.objects.get(pk=rows["Police"].pk).is_in


def test_another_agencys_spoc_may_not_send_its_return(asked, client_for, harriet):
    _, rows = asked
    url = reverse("panel:return", args=[rows["Police"].pk])
    assert client_for(harriet).get(url).status_code == 403
    response = client_for(harriet).post(url, {"version": 1, "contact": "Not mine"})
    assert response.status_code == 403
    assert not AgencyReturn.objects.get(pk=rows["Police"].pk).is_in


def test_the_coordinator_reads_returns_on_the_case_but_does_not_send_them(asked, cora_client):
    _, rows = asked
    assert cora_client.get(reverse("panel:return", args=[rows["Police"].pk])).status_code == 403


def test_a_spoc_of_an_agency_not_involved_is_told_the_return_does_not_exist(asked, client_for):
    _, rows = asked
    fire = AgencyFactory(name="Fire and Rescue", short_name="Fire")
    fiona = persona("fiona", "Fiona", Role.SPOC, fire)
    assert (
        client_for(fiona).get(reverse("panel:return", args=[rows["Police"].pk])).status_code == 404
    )


def test_an_agency_removed_from_the_case_no_longer_sees_its_return(
    asked, case, cora, housing, client_for, piers
):
    meeting, rows = asked
    involve(case, cora, housing)
    assert client_for(piers).get(reverse("panel:return", args=[rows["Police"].pk])).status_code == (
        404
    )
    assert "No returns are due." in client_for(piers).get(reverse("home")).content.decode()
    missing = returns.returns_for_meeting_case(meeting, case).missing
    assert [row.agency.short_name for row in missing] == ["Housing"]


def test_a_return_is_refused_once_the_meeting_has_happened(asked, client_for, piers):
    meeting, rows = asked
    PanelMeeting.objects.filter(pk=meeting.pk).update(date=timezone.localdate())
    url = reverse("panel:return", args=[rows["Police"].pk])
    page = client_for(piers).get(url)
    assert "The meeting has happened" in page.content.decode()
    assert "Send the return</button>" not in page.content.decode()
    response = client_for(piers).post(url, {"version": 1, "contact": "Too late"})
    assert returns.MEETING_HAS_HAPPENED in response.content.decode()
    assert not AgencyReturn.objects.get(pk=rows["Police"].pk).is_in


def test_a_return_changed_meanwhile_is_refused_and_what_was_typed_is_kept(asked, client_for, piers):
    _, rows = asked
    send(rows["Police"], piers, contact="Sent from the other tab.")
    response = client_for(piers).post(
        reverse("panel:return", args=[rows["Police"].pk]),
        {"version": 1, "contact": "Typed in this tab.", "changes": "", "risks": "", "progress": ""},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this return while you had it open" in html
    assert "Typed in this tab." in html  # in the box, to send again
    assert "Sent from the other tab." in html  # what it says now
    assert 'name="version" value="2"' in html
    assert AgencyReturn.objects.get(pk=rows["Police"].pk).contact == "Sent from the other tab."


# --- where returns show ---------------------------------------------------------------------


def test_the_spocs_home_page_lists_the_returns_due_overdue_marked_until_sent(
    asked, case, client_for, piers
):
    meeting, rows = asked
    home = client_for(piers).get(reverse("home")).content.decode()
    assert "Returns due" in home
    assert reverse("panel:return", args=[rows["Police"].pk]) in home
    assert f'Return on case <span class="caspa-ref">{case.reference}</span>' in home
    assert "Overdue" not in home.split("Returns due")[1].split("</ul>")[0]
    AgencyReturn.objects.filter(pk=rows["Police"].pk).update(
        due_on=timezone.localdate() - timedelta(days=1)
    )
    home = client_for(piers).get(reverse("home")).content.decode()
    assert "Overdue" in home.split("Returns due")[1].split("</ul>")[0]
    send(rows["Police"], piers, contact="Seen.")
    assert "No returns are due." in client_for(piers).get(reverse("home")).content.decode()


def test_on_the_meeting_day_the_spoc_is_told_which_returns_were_not_sent_and_why(
    asked, case, client_for, piers, harriet
):
    meeting, rows = asked
    send(rows["Housing"], harriet, contact="Sent in time.")
    PanelMeeting.objects.filter(pk=meeting.pk).update(date=timezone.localdate())
    home = client_for(piers).get(reverse("home")).content.decode()
    assert "No returns are due." in home  # none can be sent any more
    warning = home.split('id="home-returns-missed"')[1].split("</div>")[0]
    assert "too late to send it" in warning
    assert reverse("panel:return", args=[rows["Police"].pk]) in warning
    # Housing sent theirs: nothing missed.
    assert 'id="home-returns-missed"' not in client_for(harriet).get(reverse("home")).text


def test_every_agency_involved_reads_the_returns_on_the_case_page_with_the_missing_named(
    asked, case, client_for, harriet, piers
):
    _, rows = asked
    send(rows["Police"], piers, risks="Neighbours report shouting.")
    meetings = reverse("panel:case_meetings", args=[case.pk])
    page = client_for(harriet).get(meetings).content.decode()
    section = page.split("Agencies' returns")[1]
    assert "Neighbours report shouting." in section
    assert "No return from Housing" in section
    assert "No return from Bedfordshire Police" not in section
    # Harriet may send Housing's, not change the Police's.
    assert reverse("panel:return", args=[rows["Housing"].pk]) in section
    assert reverse("panel:return", args=[rows["Police"].pk]) not in section


def test_the_case_page_says_when_no_return_has_been_asked_for(case, client_for, cora):
    page = client_for(cora).get(reverse("panel:case_meetings", args=[case.pk])).content.decode()
    assert "No agency has been asked for a return yet" in page


def test_the_meeting_screen_shows_each_return_and_names_the_missing(asked, cora_client, piers):
    meeting, rows = asked
    send(rows["Police"], piers, progress="Referral to the drug service made.")
    page = cora_client.get(reverse("panel:screen", args=[meeting.pk, 1])).content.decode()
    assert "Referral to the drug service made." in page
    assert "No return from Housing" in page


def test_the_agenda_pack_compiles_the_returns_per_case_and_names_the_missing(
    asked, cora_client, piers
):
    meeting, rows = asked
    send(rows["Police"], piers, changes="Moved to a ground-floor flat.")
    page = cora_client.get(reverse("panel:pack", args=[meeting.pk])).content.decode()
    assert "Moved to a ground-floor flat." in page
    assert "No return from Housing" in page


def test_the_agenda_names_each_missing_return_once_returns_are_asked_for(
    spocs, on_agenda, cora_client, piers
):
    meeting = on_agenda(a_meeting_ahead())
    url = reverse("panel:meeting", args=[meeting.pk])
    assert "No return from" not in cora_client.get(url).content.decode()
    sweep(return_dates(meeting.date).requested_on)
    page = cora_client.get(url).content.decode()
    assert "No return from Bedfordshire Police" in page
    assert "No return from Housing" in page
    send(AgencyReturn.objects.get(agency__short_name="Police"), piers, contact="Seen.")
    page = cora_client.get(url).content.decode()
    assert "No return from Bedfordshire Police" not in page
    assert "No return from Housing" in page


def test_the_agenda_and_pack_read_returns_in_the_same_queries_however_many_cases(
    spocs, rosa, cora, housing, police, cora_client
):
    meeting = PanelMeeting.objects.create(date=a_meeting_ahead())

    def queries_for(url):
        with CaptureQueriesContext(connection) as queries:
            assert cora_client.get(url).status_code == 200
        return len(queries)

    url = reverse("panel:meeting", args=[meeting.pk])
    counts = []
    for _ in range(2):
        for referral, _placement in fill_pathway(rosa, cora, 2):
            involve(referral.case, cora, housing, police)
        meetings.agenda_build(meeting_id=meeting.pk, by=cora)
        sweep(return_dates(meeting.date).requested_on)
        counts.append(queries_for(url))
    assert AgencyReturn.objects.count() == 8
    assert counts[0] == counts[1]
    items = list(meeting.items.all())
    with CaptureQueriesContext(connection) as queries:
        returns.attach_returns(items, meeting)
    assert len(queries) == 2
    assert all(len(item.returns.missing) == 2 for item in items)


@SLOW_OK
@given(data=st.data())
def test_no_input_to_a_return_causes_a_server_error(asked, client_for, piers, data):
    _, rows = asked
    row = AgencyReturn.objects.get(pk=rows["Police"].pk)
    form = data.draw(
        st.fixed_dictionaries(
            {"version": st.one_of(st.just(str(row.version)), VALUE)},
            optional={name: ANY_VALUE for name in returns.RETURN_FIELDS},
        )
    )
    response = client_for(piers).post(reverse("panel:return", args=[row.pk]), form)
    assert response.status_code in (200, 302, 409)


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_still_ask_and_email_each_agency_once(
    rosa, cora, housing, police, harriet, piers
):
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    agency_appoint_spoc(agency=police, spoc=piers, by=cora)
    for referral, _placement in fill_pathway(rosa, cora, 3):
        involve(referral.case, cora, housing, police)
    meeting = PanelMeeting.objects.create(date=date(2027, 3, 4))
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(returns.returns_sweep(today=date(2027, 2, 25)))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(result.returns_asked for result in results) == 6
    assert sum(result.requests_written for result in results) == 6
    assert OutboxMessage.objects.filter(kind="return.request").count() == 6
    assert AgencyReturn.history.filter(history_type="+").count() == 6
