"""The dashboard page as its users meet it: who may see it, what a manager can and cannot
reach from it, small numbers hidden, and a fixed number of queries however much data."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionStatus, EscalationOutcome
from panel.models import Case, CaseStatus, Outcome
from referrals.choices import Status
from tests.dashboard import records
from tests.dashboard.records import (
    PROTECTING_NOTE,
    SMALL_NOTE,
    a_month_ago,
    period_query,
    referrals_from_police_and_housing,
)

URL = reverse("dashboard:index")


def pathway(cora, housing, *, cases: int, referrals: int):
    """Cases on the caseload with actions (some escalated), a first panel, agencies' returns
    and review dates; closed cases with their levels and desired outcomes, some referred
    again; and referrals, spread over the last year."""
    today = timezone.localdate()
    for n in range(cases):
        joined = today - timedelta(days=20 + 23 * n)
        case = records.case(
            cora,
            submitted=joined - timedelta(days=3),
            joined=joined,
            next_review_on=[today - timedelta(days=n), today, None][n % 3],
        )
        case.involved_agencies.set([housing, cora.agency])
        first = joined + timedelta(days=10 + n % 30)
        records.first_panel(case, first)
        records.agency_return(
            case,
            housing,
            meeting_on=first,
            submitted_at=records.at(first - timedelta(days=n % 3)),
            by=cora,
        )
        records.agency_return(case, cora.agency, meeting_on=first)
        overdue = records.action(case, housing, cora, due=today - timedelta(days=n % 3))
        done = records.action(case, housing, cora, due=today, status=ActionStatus.DONE)
        records.escalation(overdue, level=1 + n % 2, raised=records.at(joined))
        records.escalation(
            done,
            level=1,
            raised=records.at(joined),
            resolved=records.at(joined + timedelta(days=n)),
            outcome=EscalationOutcome.DONE,
            by=cora,
        )
        records.mdt(case, cora, today - timedelta(days=n))
    for n in range(cases):
        closed = records.case(
            cora,
            submitted=today - timedelta(days=300),
            joined=today - timedelta(days=300),
            status=CaseStatus.CLOSED,
            left=today - timedelta(days=10 + n),
            outcome=Outcome.STEPPED_DOWN if n % 2 else Outcome.MOVED_AWAY,
            step_down_agency=housing,
            risk_level_at_adoption=["critical", "high", ""][n % 3],
            risk_level=["medium", "low"][n % 2],
        )
        records.desired_outcome(closed, cora, ["achieved", "partly", ""][n % 3])
        records.desired_outcome(closed, cora, "not_achieved")
        if n % 2:
            records.referral(cora, today - timedelta(days=5), person=closed.person)
    for n in range(referrals):
        records.referral(
            cora,
            today - timedelta(days=n % 360),
            status=[Status.ACCEPTED, Status.DECLINED, Status.SUBMITTED][n % 3],
            ethnicity=["asian_pakistani", "white_british", "black_african", "not_known"][n % 4],
            primary_need=["self_neglect", "housing"][n % 2],
        )


def test_managers_the_chair_and_the_coordinator_see_the_dashboard(client_for, maya, chidi, cora):
    for user in (maya, chidi, cora):
        response = client_for(user).get(URL)
        assert response.status_code == 200
        assert "CASPA dashboard" in response.text


def test_others_are_refused(client_for, harriet, rosa, milo):
    for user in (harriet, rosa, milo):
        assert client_for(user).get(URL).status_code == 403


def test_the_dashboard_is_in_the_header_for_those_who_may_see_it(client_for, maya, harriet):
    assert f'href="{URL}"' in client_for(maya).get(reverse("home")).text
    assert f'href="{URL}"' not in client_for(harriet).get(reverse("home")).text


def test_a_manager_sees_small_counts_as_fewer_than_5_and_the_coordinator_sees_them(
    client_for, maya, cora, housing
):
    pathway(cora, housing, cases=3, referrals=0)
    manager_page = client_for(maya).get(URL).text
    assert "fewer than 5" in manager_page
    assert "A manager" not in manager_page
    age = section(manager_page, "chart-case-age")
    assert re.search(r'data-value="" data-hidden="small">fewer than 5<', age)
    coordinator_age = section(client_for(cora).get(URL).text, "chart-case-age")
    assert re.search(r'data-value="3">3<', coordinator_age)


def test_the_whole_pathway_s_caseload_is_shown_as_it_is(client_for, maya, cora, housing):
    pathway(cora, housing, cases=3, referrals=0)
    page = client_for(maya).get(URL).text
    assert re.search(r'id="headline-caseload">3 of 15<', page)


def section(page: str, element_id: str) -> str:
    start = page.index(f'id="{element_id}"')
    return page[start : page.index("</figure>", start)]


def test_a_manager_can_reach_no_person_level_page_from_the_dashboard(
    client_for, maya, cora, housing
):
    pathway(cora, housing, cases=8, referrals=12)
    client = client_for(maya)
    page = client.get(URL).text
    links = set(re.findall(r'href="(/[^"#?]*)', page))
    for link in links:
        assert not link.startswith(("/cases/", "/referrals/", "/actions/", "/accounts/people")), (
            link
        )
        response = client.get(link)
        if response.status_code == 200 and "text/html" in response["Content-Type"]:
            assert "Example" not in response.text  # no person's name on any page reached
    for name in re.findall(r"Example\d+", page):
        pytest.fail(f"a person's name on the dashboard: {name}")
    assert not re.search(r"\b[CRP]-\d{6}\b", page)  # no case, referral or person reference
    # Nor by typing an address: the lists are empty for a manager, and a case is refused.
    for listing in (reverse("panel:cases"), reverse("referrals:list")):
        response = client.get(listing)
        assert response.status_code in (200, 403)
        assert not re.search(r"\b[CRP]-\d{6}\b", response.text)
    some_case = Case.objects.first()
    assert client.get(some_case.get_absolute_url()).status_code in (403, 404)


def test_the_coordinator_sees_which_long_running_cases_lack_something(
    client_for, cora, housing, maya
):
    today = timezone.localdate()
    joined = today - timedelta(days=250)
    case = records.case(cora, submitted=joined, joined=joined)
    page = client_for(cora).get(URL).text
    assert case.reference in page
    assert case.reference not in client_for(maya).get(URL).text


def test_each_breakdown_downloads_as_csv_with_the_page_s_figures(client_for, maya, cora, housing):
    pathway(cora, housing, cases=6, referrals=30)
    client = client_for(maya)
    today = timezone.localdate()
    query = period_query(today - timedelta(days=364), today)
    response = client.get(reverse("dashboard:csv", args=["referrals-by-agency"]), query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "Referring agency",
        "Accepted",
        "Declined",
        "More information asked for",
        "Waiting for screening",
        "Total",
    ]
    by_agency = {row[0]: row[1:] for row in rows[1:]}
    # The coordinator's agency made all 30, 12 accepted for the cases, and 3 re-referrals of
    # closed cases still waiting for screening: 22, 10, 0, 13.
    assert by_agency["Adult Social Care"] == ["22", "10", "0", "13", "45"]
    assert by_agency["Housing"] == ["0", "0", "0", "0", "0"]
    assert by_agency["Total"] == ["22", "10", "0", "13", "45"]


def test_csv_hides_the_same_small_numbers_as_the_page(client_for, maya, cora, housing):
    pathway(cora, housing, cases=3, referrals=0)
    response = client_for(maya).get(reverse("dashboard:csv", args=["case-age"]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["Under 3 months", "fewer than 5"] in rows
    assert "3" not in [cell for row in rows for cell in row]


def test_an_unknown_breakdown_is_not_found(client_for, maya):
    assert client_for(maya).get(reverse("dashboard:csv", args=["names"])).status_code == 404


def test_csv_cells_that_look_like_formulas_are_made_plain_text():
    from dashboard.views import csv_safe

    assert csv_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csv_safe("+1.2 points") == "+1.2 points"
    assert csv_safe("-cmd") == "'-cmd"
    assert csv_safe("Housing") == "Housing"


def test_a_breakdown_with_nothing_to_draw_is_a_table_without_an_empty_chart(
    client_for, maya, cora, housing
):
    empty = client_for(maya).get(URL).text
    charts = re.findall(r'data-chart="\w+" data-unit="[^"]+" id="chart-([\w-]+)"', empty)
    assert charts == ["ethnicity"]  # Luton's population is still there to compare with
    pathway(cora, housing, cases=6, referrals=0)
    drawn = client_for(maya).get(URL).text
    assert 'id="chart-cases-managed"' in drawn
    assert 'data-chart="column" data-unit="cases" id="chart-cases-managed"' in drawn


# --- the two kinds of hidden count ---------------------------------------------------------------


def test_a_count_hidden_only_to_protect_another_reads_not_shown_on_the_page(
    client_for, maya, cora, police, housing
):
    referrals_from_police_and_housing(cora, police, housing, a_month_ago())
    page = client_for(maya).get(URL).text
    agencies = section(page, "chart-referrals-by-agency")
    police_row = agencies[agencies.index("Bedfordshire Police") :].split("</tr>")[0]
    # 7 accepted is hidden only because 4 declined is: it is not "fewer than 5".
    assert re.findall(r'data-hidden="(\w+)">([^<]+)<', police_row) == [
        ("protecting", "not shown"),
        ("small", "fewer than 5"),
    ]
    assert re.findall(r'data-value="(\d*)"', police_row) == ["", "", "0", "0", "11"]
    # Both kinds are explained under the table.
    assert SMALL_NOTE in agencies
    assert PROTECTING_NOTE in agencies
    # Every figure charted is hidden or 0, and still there is a chart, to mark the hidden ones.
    assert 'data-chart="bar" data-unit="referrals" id="chart-referrals-by-agency"' in page


def test_the_csv_says_not_shown_and_carries_the_footnotes(client_for, maya, cora, police, housing):
    referrals_from_police_and_housing(cora, police, housing, a_month_ago())
    response = client_for(maya).get(reverse("dashboard:csv", args=["referrals-by-agency"]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    by_agency = {row[0]: row[1:] for row in rows[1:] if row}
    assert by_agency["Bedfordshire Police"] == ["not shown", "fewer than 5", "0", "0", "11"]
    assert by_agency["Housing"] == ["not shown", "not shown", "0", "0", "11"]
    assert by_agency["Total"] == ["13", "9", "0", "0", "22"]
    # After the figures, a blank row, then each footnote in a row of its own.
    end = rows.index(["Total", "13", "9", "0", "0", "22"])
    assert rows[end + 1 :] == [[], [SMALL_NOTE], [PROTECTING_NOTE]]


def csv_rows(client, key: str) -> list[list[str]]:
    response = client.get(reverse("dashboard:csv", args=[key]))
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_a_footnote_appears_only_where_its_kind_of_hidden_count_does(
    client_for, maya, cora, housing
):
    client = client_for(maya)
    # Nothing hidden anywhere: no footnote anywhere.
    empty = client.get(URL).text
    assert SMALL_NOTE not in empty
    assert PROTECTING_NOTE not in empty
    assert csv_rows(client, "outcomes")[-1] == ["Total", "0"]

    pathway(cora, housing, cases=3, referrals=0)  # 3 cases, all open under 3 months
    age = section(client.get(URL).text, "chart-case-age")
    # Under 3 months: 3, and so its total.
    assert re.findall(r'data-hidden="(\w+)"', age) == ["small", "small"]
    assert SMALL_NOTE in age
    assert PROTECTING_NOTE not in age
    assert csv_rows(client, "case-age")[-3:] == [["Total", "fewer than 5"], [], [SMALL_NOTE]]


def test_the_coordinator_sees_exact_figures_and_no_footnote(client_for, cora, police, housing):
    referrals_from_police_and_housing(cora, police, housing, a_month_ago())
    client = client_for(cora)
    agencies = section(client.get(URL).text, "chart-referrals-by-agency")
    assert "data-hidden" not in agencies
    assert SMALL_NOTE not in agencies
    assert PROTECTING_NOTE not in agencies
    response = client.get(reverse("dashboard:csv", args=["referrals-by-agency"]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["Bedfordshire Police", "7", "4", "0", "0", "11"] in rows
    assert rows[-1][0] == "Total"


def cases_open_for(cora, days_ago: list[int]):
    today = timezone.localdate()
    for days in days_ago:
        joined = today - timedelta(days=days)
        yield records.case(cora, submitted=joined, joined=joined)


def test_the_long_running_headline_hides_what_the_age_table_hides(client_for, maya, cora):
    # Open for: 2 under 3 months, 7 from 3 to 6, 6 over 6. The 6 is hidden in the age table so
    # that 15 - 7 - 6 cannot give the 2 away; the headline must not show it either.
    list(cases_open_for(cora, [10] * 2 + [120] * 7 + [250] * 6))
    page = client_for(maya).get(URL).text
    age = section(page, "chart-case-age")
    assert re.findall(r'data-hidden="(\w+)">([^<]+)<', age) == [
        ("small", "fewer than 5"),
        ("protecting", "not shown"),
    ]
    assert re.search(r'id="headline-caseload">15 of 15<', page)
    assert re.search(r'id="headline-long-running">not shown<', page)
    headline = page[page.index('id="headline-long-running"') : page.index('id="chart-case-age"')]
    assert PROTECTING_NOTE in headline
    assert "Cases open for 6 months or more: not shown." in section(page, "chart-long-running")


def test_what_long_running_cases_have_cannot_be_worked_out_from_their_number(
    client_for, maya, cora, housing
):
    # 7 cases open over six months (shown: 7), 2 of them with an open action: "5 do not" would
    # give the 2 away.
    cases = list(cases_open_for(cora, [250] * 7))
    today = timezone.localdate()
    for case in cases[:2]:
        records.action(case, housing, cora, due=today + timedelta(days=7))
    page = client_for(maya).get(URL).text
    assert re.search(r'id="headline-long-running">7<', page)
    long_running = section(page, "chart-long-running")
    plan = long_running[long_running.index("An active plan") :].split("</tr>")[0]
    assert re.findall(r">([^<]+)</td>", plan) == ["fewer than 5", "not shown"]
    assert "7 cases have been open for 6 months or more." in long_running
    assert PROTECTING_NOTE in long_running
