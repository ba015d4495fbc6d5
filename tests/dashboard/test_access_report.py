"""The access report: reads of people's records over a period, by agency and by user, for the
coordinator and managers; no person named; its own use recorded."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import ACCESS_REPORT, RecordRead
from tests.factories import make_referral

URL = "/dashboard/access/"


def test_the_access_report_lives_at_its_address():
    assert reverse("dashboard:access_report") == URL


@pytest.mark.parametrize("who", ["cora", "maya"])
def test_the_coordinator_and_managers_open_the_access_report(client_for, who, request):
    response = client_for(request.getfixturevalue(who)).get(URL)
    assert response.status_code == 200
    assert "Access report" in response.text


@pytest.mark.parametrize("who", ["adam", "chidi", "harriet", "rosa", "milo"])
def test_nobody_else_opens_the_access_report(client_for, who, request):
    assert client_for(request.getfixturevalue(who)).get(URL).status_code == 403


def test_someone_not_signed_in_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_the_dashboard_links_to_the_access_report_for_those_who_may_open_it(
    client_for, cora, chidi
):
    assert f'href="{URL}"' in client_for(cora).get(reverse("dashboard:index")).text
    assert f'href="{URL}"' not in client_for(chidi).get(reverse("dashboard:index")).text


def read(reader, record_type, record_id, *, days_ago=0):
    made = RecordRead.objects.create(reader=reader, record_type=record_type, record_id=record_id)
    if days_ago:
        RecordRead.objects.filter(pk=made.pk).update(
            read_at=timezone.now() - timedelta(days=days_ago)
        )


@pytest.fixture
def reads(rosa, harriet, cora):
    """Rosa (Housing) reads a referral twice and another once; Harriet (Housing) the first;
    Cora (ASC) a person's record; and Harriet read one six weeks ago, before the period."""
    read(rosa, "referrals.referral", 1)
    read(rosa, "referrals.referral", 1)
    read(rosa, "referrals.referral", 2)
    read(harriet, "referrals.referral", 1)
    read(cora, "referrals.person", 1)
    read(harriet, "referrals.referral", 3, days_ago=42)


def cells(page, table_id):
    """Each row of the table as its cells' texts."""
    table = page[page.index(f'id="{table_id}"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', table, re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in rows
    ]


def first_names(rows):
    return [[row[0].split()[0], *row[1:]] for row in rows]


def test_the_last_28_days_are_counted_by_agency_and_by_user(client_for, maya, reads):
    page = client_for(maya).get(URL).text
    assert cells(page, "by-agency")[1:] == [
        ["Housing", "2", "4", "2"],
        ["Adult Social Care", "1", "1", "1"],
    ]
    assert first_names(cells(page, "by-user")[1:]) == [
        ["Rosa", "Housing", "3", "2"],
        ["Cora", "Adult Social Care", "1", "1"],
        ["Harriet", "Housing", "1", "1"],
    ]
    assert "5 reads of 3 records." in page


def test_a_period_chosen_counts_the_reads_in_it(client_for, cora, reads):
    start = timezone.localdate() - timedelta(days=50)
    end = timezone.localdate() - timedelta(days=30)
    query = (
        f"?start_day={start.day}&start_month={start.month}&start_year={start.year}"
        f"&end_day={end.day}&end_month={end.month}&end_year={end.year}"
    )
    page = client_for(cora).get(URL + query).text
    assert first_names(cells(page, "by-user")[1:]) == [["Harriet", "Housing", "1", "1"]]


def test_a_date_that_is_not_one_is_shown_beside_its_field_with_what_was_typed(
    client_for, cora, reads
):
    typed = {"start_day": "31", "start_month": "2", "start_year": "2026"}
    typed |= {"end_day": "1", "end_month": "3", "end_year": "twenty"}
    response = client_for(cora).post(URL, typed)
    assert response.status_code == 200
    page = response.text
    assert "govuk-error-summary" in page
    assert "govuk-error-message" in page
    assert 'value="31"' in page
    assert 'value="twenty"' in page
    assert 'id="by-user"' not in page


def test_a_good_period_posted_comes_back_as_its_dates_in_numbers(client_for, cora):
    typed = {"start_day": "1", "start_month": "11", "start_year": "2026"}
    typed |= {"end_day": "30", "end_month": "11", "end_year": "2026"}
    response = client_for(cora).post(URL, typed)
    assert response.status_code == 302
    assert response["Location"] == (
        f"{URL}?start_day=1&start_month=11&start_year=2026&end_day=30&end_month=11&end_year=2026"
    )


def test_the_report_names_no_one_read_about(client_for, maya, rosa):
    referral = make_referral(rosa, family_name="Zebedee-Quorn")
    client_for(rosa).get(reverse("referrals:detail", args=[referral.pk]))
    page = client_for(maya).get(URL).text
    assert "1 read of 1 record." in page
    assert "Zebedee" not in page
    assert referral.reference not in page


def test_each_opening_of_the_report_is_recorded_and_counted_apart(client_for, cora):
    client = client_for(cora)
    client.get(URL, REMOTE_ADDR="10.9.8.7", headers={"User-Agent": "report-test"})
    page = client.get(URL).text
    uses = RecordRead.objects.filter(record_type=ACCESS_REPORT, reader=cora)
    assert uses.count() == 2
    assert uses.filter(address="10.9.8.7", user_agent="report-test").exists()
    assert "This report was opened 2 times in the period" in page
    assert "0 reads of 0 records." in page


def test_the_report_costs_the_same_queries_however_many_reads(client_for, cora, rosa):
    client = client_for(cora)
    read(rosa, "referrals.referral", 1)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for n in range(2, 30):
        read(cora, "referrals.person", n)
        read(rosa, "referrals.referral", n)
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(few)
