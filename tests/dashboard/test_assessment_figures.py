"""The risk assessment's figures on the dashboard, worked out from records whose answer is
known: the risk level at adoption against at closure, the person's desired outcomes,
re-referrals within 12 months of a closure, agencies' returns, cases past their review date,
and escalations with how long they took. Then each as its viewers see it: exact for the
coordinator, small numbers hidden for a manager, on the page, in the CSV and in the Board's
PDF."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import EscalationOutcome
from dashboard import figures, presentation, rules
from dashboard.rules import Period
from panel.models import Achievement, CaseStatus, Outcome
from referrals.choices import Status
from tests.dashboard import records
from tests.dashboard.pdf_reading import pdf_text
from tests.dashboard.records import PROTECTING_NOTE, SMALL_NOTE, at, period_query

TODAY = date(2026, 6, 15)
SPRING = Period(date(2026, 3, 1), date(2026, 5, 31))
URL = reverse("dashboard:index")


def closed(cora, left: date, *, adopted="critical", level="medium", **fields):
    return records.case(
        cora,
        submitted=left - timedelta(days=120),
        joined=left - timedelta(days=120),
        status=CaseStatus.CLOSED,
        left=left,
        outcome=fields.pop("outcome", Outcome.MOVED_AWAY),
        risk_level_at_adoption=adopted,
        risk_level=level,
        **fields,
    )


def texts(row) -> list[str]:
    return [cell.text for cell in row.cells]


def rows_of(table) -> dict[str, list[str]]:
    rows = (*table.rows, table.footer) if table.footer else table.rows
    return {row.label: texts(row) for row in rows}


# --- risk level at adoption against at closure -------------------------------------------------


@pytest.fixture
def levels(cora, housing):
    """Closed in spring: critical to medium 6, critical to low 2, high to medium 5, and one
    from before the level at adoption was kept, medium at closure. Not counted: a case not
    adopted, one closed before spring, one still open."""
    for n in range(6):
        closed(cora, date(2026, 3, 2) + timedelta(days=n), adopted="critical", level="medium")
    for n in range(2):
        closed(cora, date(2026, 4, 2) + timedelta(days=n), adopted="critical", level="low")
    for n in range(5):
        closed(cora, date(2026, 5, 2) + timedelta(days=n), adopted="high", level="medium")
    closed(cora, date(2026, 5, 20), adopted="", level="medium")
    records.case(
        cora,
        submitted=date(2026, 4, 1),
        joined=date(2026, 4, 1),
        status=CaseStatus.NOT_ADOPTED,
        left=date(2026, 4, 14),
        not_adopted_reason="Single agency can manage",
        risk_level_at_adoption="",
    )
    closed(cora, date(2026, 2, 27), adopted="critical", level="critical")
    records.case(
        cora, submitted=date(2026, 1, 5), joined=date(2026, 1, 5), risk_level_at_adoption="high"
    )


def test_closed_cases_are_crossed_by_their_level_at_adoption_and_at_closure(levels):
    assert figures.leaving(SPRING).risk_levels() == {
        ("critical", "medium"): 6,
        ("critical", "low"): 2,
        ("high", "medium"): 5,
        ("", "medium"): 1,
    }
    table = presentation.build(SPRING, exact=True, today=TODAY).table("risk-levels")
    assert table.columns == (
        "Critical at closure",
        "High at closure",
        "Medium at closure",
        "Low at closure",
        "Total",
    )
    assert rows_of(table) == {
        "Critical": ["0", "0", "6", "2", "8"],
        "High": ["0", "0", "5", "0", "5"],
        "Medium": ["0", "0", "0", "0", "0"],
        "Low": ["0", "0", "0", "0", "0"],
        "Not recorded": ["0", "0", "1", "0", "1"],
        "Total": ["0", "0", "12", "2", "14"],
    }


def test_a_manager_sees_the_cross_table_with_no_hidden_figure_that_can_be_worked_out(levels):
    table = presentation.build(SPRING, exact=False, today=TODAY).table("risk-levels")
    shown = rows_of(table)
    # The 2 and the 1 are hidden; then what would let a reader work them out from the totals:
    # the 6 beside the 2 and their total of 8; the 5 below the 6 and its total; the 12 the
    # column of medium adds up to, which with the 14 would give away the low column's 2; and
    # the 14 itself (see the next test).
    assert shown["Critical"] == ["0", "0", "not shown", "fewer than 5", "not shown"]
    assert shown["High"] == ["0", "0", "not shown", "0", "not shown"]
    assert shown["Not recorded"] == ["0", "0", "fewer than 5", "0", "fewer than 5"]
    assert shown["Total"] == ["0", "0", "not shown", "fewer than 5", "not shown"]
    assert table.footnotes == (SMALL_NOTE, PROTECTING_NOTE)
    # Read line by line, as the rules' reader does, no hidden figure shown comes to one value.
    grid = [[0, 0, 6, 2], [0, 0, 5, 0], [0] * 4, [0] * 4, [0, 0, 1, 0]]
    hidden = [[cell.hidden for cell in row.cells] for row in (*table.rows, table.footer)]
    lines = [[(r, c) for c in range(5)] for r in range(6)] + [
        [(r, c) for r in range(6)] for c in range(5)
    ]
    ranges = rules.known_ranges(
        rules.with_totals(grid, row_totals=True, column_totals=True), hidden, lines
    )
    assert len(ranges) == 10  # every hidden figure
    assert all(low < high for low, high in ranges.values())


def test_the_cases_closed_are_protected_across_the_cross_table_and_the_outcomes(levels):
    # The outcomes: 14 moved away and 1 not adopted, 15 in all. The 1 is hidden, and so the
    # 14 beside it. Shown in the cross-table, its 14 cases closed would give both away (15
    # less 14), so it is hidden there too.
    board = presentation.build(SPRING, exact=False, today=TODAY)
    outcomes = rows_of(board.table("outcomes"))
    assert outcomes["Moved out of the area"] == ["not shown"]
    assert outcomes["Not adopted by the panel"] == ["fewer than 5"]
    assert outcomes["Total"] == ["15"]
    assert rows_of(board.table("risk-levels"))["Total"][-1] == "not shown"
    # Nothing hidden in the outcomes: the cases closed are shown in the cross-table.
    exact_enough = Period(date(2026, 3, 1), date(2026, 3, 31))  # the 6 closed in March
    board = presentation.build(exact_enough, exact=False, today=TODAY)
    assert rows_of(board.table("outcomes"))["Moved out of the area"] == ["6"]
    assert rows_of(board.table("risk-levels"))["Total"] == ["0", "0", "6", "0", "6"]


def test_over_the_12_months_of_the_re_referrals_their_total_is_protected_with_the_others(
    cora, rosa
):
    # 12 months to 31 May 2026: 7 closed (moved away), 2 of them referred again, and 2 not
    # adopted. The 7 in the re-referrals is the cross-table's total: hidden in one, hidden in
    # both.
    year = Period(date(2025, 6, 1), date(2026, 5, 31))
    for n in range(7):
        case = closed(cora, date(2025, 7, 1) + timedelta(days=n))
        if n < 2:
            records.referral(rosa, date(2025, 9, 1), person=case.person)
    for n in range(2):
        records.case(
            cora,
            submitted=date(2025, 8, 1),
            joined=date(2025, 8, 1),
            status=CaseStatus.NOT_ADOPTED,
            left=date(2025, 8, 14) + timedelta(days=n),
            not_adopted_reason="Single agency can manage",
        )
    board = presentation.build(year, exact=False, today=TODAY)
    assert rows_of(board.table("outcomes"))["Total"] == ["9"]
    assert rows_of(board.table("risk-levels"))["Total"][-1] == "not shown"
    closed_row = board.table("re-referrals").footer
    assert texts(closed_row) == ["not shown", "not shown"]
    # A quarter's re-referrals are counted over other months: not tied to its closures.
    assert rules.re_referral_closures(SPRING) != SPRING


# --- desired outcomes --------------------------------------------------------------------------


def test_desired_outcomes_of_cases_closed_in_the_period_are_counted_by_achievement(cora):
    one = closed(
        cora, date(2026, 3, 10), outcome=Outcome.STEPPED_DOWN, step_down_agency=cora.agency
    )
    for achievement in (Achievement.ACHIEVED, Achievement.PARTLY, Achievement.ACHIEVED):
        records.desired_outcome(one, cora, achievement)
    two = closed(cora, date(2026, 4, 10))
    records.desired_outcome(two, cora, Achievement.NOT_ACHIEVED)
    records.desired_outcome(two, cora, "")
    closed(cora, date(2026, 4, 11))  # no desired outcome recorded
    # Not counted: an open case's, and a case closed before the period.
    still_open = records.case(cora, submitted=date(2026, 3, 1), joined=date(2026, 3, 1))
    records.desired_outcome(still_open, cora, Achievement.ACHIEVED)
    records.desired_outcome(closed(cora, date(2026, 2, 1)), cora, Achievement.ACHIEVED)

    leaving = figures.leaving(SPRING)
    assert leaving.desired_outcomes() == {
        "achieved": 2,
        "partly": 1,
        "not_achieved": 1,
        "": 1,
    }
    # The join with desired outcomes does not count a case twice.
    assert leaving.outcomes() == {Outcome.STEPPED_DOWN: 1, Outcome.MOVED_AWAY: 2}
    table = presentation.build(SPRING, exact=True, today=TODAY).table("desired-outcomes")
    assert rows_of(table) == {
        "Achieved": ["2"],
        "Partly achieved": ["1"],
        "Not achieved": ["1"],
        "Not marked": ["1"],
        "Total": ["5"],
    }
    hidden = presentation.build(SPRING, exact=False, today=TODAY).table("desired-outcomes")
    assert rows_of(hidden)["Achieved"] == ["fewer than 5"]
    assert rows_of(hidden)["Total"] == ["5"]


# --- re-referrals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("after", "counts"),
    [
        (timedelta(seconds=1), True),
        (timedelta(days=365), True),  # exactly 365 days: still within
        (timedelta(days=365, seconds=1), False),
        (timedelta(days=366), False),
        (timedelta(0), False),  # the closure itself
        (-timedelta(days=1), False),  # a referral before the closure
    ],
)
def test_a_re_referral_is_submitted_after_the_closure_and_within_365_days(after, counts):
    closed_at = datetime(2025, 6, 10, 10, tzinfo=timezone.get_current_timezone())
    assert rules.re_referred(closed_at, closed_at + after) is counts


def test_the_closures_counted_are_the_12_months_up_to_the_period_s_end():
    assert rules.re_referral_closures(SPRING) == Period(date(2025, 6, 1), date(2026, 5, 31))
    leap = Period(date(2028, 2, 1), date(2028, 2, 29))
    assert rules.re_referral_closures(leap) == Period(date(2027, 3, 1), date(2028, 2, 29))


@pytest.fixture
def re_referred(cora, rosa):
    """Seven cases closed on 10 June 2025 (summer time, like June 2026), each with one later
    referral about the same person, or none; and one closed too long before the period's end."""
    made = {}

    def closed_then(name, referred_on: date | None, **referral):
        case = closed(cora, date(2025, 6, 10))
        if referred_on:
            records.referral(rosa, referred_on, person=case.person, **referral)
        made[name] = case

    closed_then("exactly 365 days", date(2026, 6, 10))
    closed_then("366 days", date(2026, 6, 11))
    closed_then("declined, a month on", date(2025, 7, 10), status=Status.DECLINED)
    closed_then("waiting, a week on", date(2025, 6, 17))
    closed_then("none", None)
    before = closed(cora, date(2025, 6, 10))
    records.referral(rosa, date(2025, 6, 9), person=before.person)  # before the closure
    made["before"] = before
    draft = closed(cora, date(2025, 6, 10))
    records.referral(rosa, date(2025, 6, 20), person=draft.person, status=Status.DRAFT)
    made["a draft"] = draft
    # Closed on 31 May 2025: outside the 12 months up to 31 May 2026, whatever followed.
    outside = closed(cora, date(2025, 5, 31))
    records.referral(rosa, date(2025, 6, 20), person=outside.person)
    return made


def test_re_referrals_count_referrals_about_the_same_person_up_to_exactly_365_days(re_referred):
    # Referred again: exactly 365 days; declined; waiting for screening. Not: 366 days, a
    # referral before the closure, a draft, none.
    assert figures.leaving(SPRING).re_referrals() == {"closed": 7, "referred_again": 3}


def test_a_re_referral_counts_after_the_person_s_record_was_merged(cora, rosa):
    from referrals.models import Person

    case = closed(cora, date(2025, 9, 1))
    kept = Person.objects.create(family_name="Example-kept", given_names="Alex")
    case.person.merged_into = kept
    case.person.save()
    records.referral(rosa, date(2025, 10, 1), person=kept)
    assert figures.leaving(SPRING).re_referrals() == {"closed": 1, "referred_again": 1}


def test_the_page_says_how_many_came_back_and_the_rule_in_one_sentence(
    re_referred, client_for, cora, maya
):
    table = presentation.build(SPRING, exact=True, today=TODAY).table("re-referrals")
    assert table.summary == (
        "Of the 7 cases that closed between 1 June 2025 and 31 May 2026, 3 (42.9%) had a new "
        "referral about the same person submitted within 12 months of closing."
    )
    assert rows_of(table) == {
        "Referred again within 12 months of closing": ["3", "42.9%"],
        "Not referred again": ["4", "57.1%"],
        "Closed between 1 June 2025 and 31 May 2026": ["7", "100.0%"],
    }
    assert "whatever screening then decided (accepted, declined or not yet decided)" in table.note
    # A manager: the 3 and the 4 are hidden, and with them both percentages.
    hidden = presentation.build(SPRING, exact=False, today=TODAY).table("re-referrals")
    assert rows_of(hidden) == {
        "Referred again within 12 months of closing": ["fewer than 5", "not shown"],
        "Not referred again": ["fewer than 5", "not shown"],
        "Closed between 1 June 2025 and 31 May 2026": ["7", "100.0%"],
    }
    assert hidden.summary.startswith("Of the 7 cases that closed between 1 June 2025 and 31 May")
    assert "fewer than 5 (share not shown) had a new referral" in hidden.summary
    page = client_for(maya).get(URL, period_query(SPRING.start, SPRING.end)).text
    assert "fewer than 5 (share not shown) had a new referral about the same person" in page
    assert "A re-referral is any referral submitted within 365 days after the case closed" in page


def test_the_share_of_re_referrals_is_shown_when_both_counts_are_big_enough(cora, rosa):
    for n in range(10):
        case = closed(cora, date(2025, 9, 1) + timedelta(days=n))
        if n < 5:
            records.referral(rosa, date(2026, 1, 5), person=case.person)
    table = presentation.build(SPRING, exact=False, today=TODAY).table("re-referrals")
    assert rows_of(table)["Referred again within 12 months of closing"] == ["5", "50.0%"]
    assert table.footnotes == ()


def test_a_share_of_fewer_than_5_closures_is_not_shown_even_when_no_count_is_hidden(cora):
    # None referred again: 0 of 4 closures is shown as 0, and 4 is "fewer than 5".
    for n in range(4):
        closed(cora, date(2025, 9, 1) + timedelta(days=n))
    table = presentation.build(SPRING, exact=False, today=TODAY).table("re-referrals")
    assert rows_of(table)["Referred again within 12 months of closing"] == ["0", "not shown"]
    exact = presentation.build(SPRING, exact=True, today=TODAY).table("re-referrals")
    assert rows_of(exact)["Referred again within 12 months of closing"] == ["0", "0.0%"]


# --- agencies' returns -------------------------------------------------------------------------


def test_returns_asked_before_meetings_in_the_period_are_counted_by_agency(
    cora, piers, housing, police
):
    local = timezone.get_current_timezone()
    cases = [
        records.case(cora, submitted=date(2026, 2, 1), joined=date(2026, 2, 1)) for _ in range(3)
    ]
    meeting = date(2026, 4, 14)  # due on the 13th
    # Police: on time (late in the evening of the day due, local time), late (half past
    # midnight the day after: still the 13th in UTC), and missing.
    records.agency_return(
        cases[0],
        police,
        meeting_on=meeting,
        by=piers,
        submitted_at=datetime(2026, 4, 13, 23, 30, tzinfo=local),
    )
    records.agency_return(
        cases[1],
        police,
        meeting_on=meeting,
        by=piers,
        submitted_at=datetime(2026, 4, 14, 0, 30, tzinfo=local),
    )
    records.agency_return(cases[2], police, meeting_on=meeting)
    # Housing: on time, days early.
    records.agency_return(
        cases[0], housing, meeting_on=meeting, by=cora, submitted_at=at(date(2026, 4, 9))
    )
    # A meeting after the period: not counted.
    records.agency_return(cases[0], housing, meeting_on=date(2026, 6, 2))
    assert figures.returns_by_agency(SPRING) == [
        ("Bedfordshire Police", 1, 1, 1),
        ("Housing", 1, 0, 0),
    ]
    table = presentation.build(SPRING, exact=True, today=TODAY).table("returns-by-agency")
    assert table.columns == ("On time", "Late", "Missing", "Asked")
    assert rows_of(table) == {
        "Bedfordshire Police": ["1", "1", "1", "3"],
        "Housing": ["1", "0", "0", "1"],
        "Total": ["2", "1", "1", "4"],
    }
    hidden = presentation.build(SPRING, exact=False, today=TODAY).table("returns-by-agency")
    assert rows_of(hidden)["Bedfordshire Police"] == ["fewer than 5"] * 4


# --- past the review date ---------------------------------------------------------------------


def test_open_cases_past_their_review_date_and_with_none_are_counted_today(cora):
    for review in (
        TODAY - timedelta(days=30),
        TODAY - timedelta(days=1),
        TODAY,  # due today: not past it yet
        TODAY + timedelta(days=40),
        None,
    ):
        records.case(
            cora, submitted=date(2026, 1, 5), joined=date(2026, 1, 5), next_review_on=review
        )
    # Not on the caseload: a closed case and one waiting, both with a date long past.
    closed(cora, date(2026, 3, 1), next_review_on=date(2026, 1, 1))
    records.case(
        cora,
        submitted=date(2026, 5, 1),
        joined=None,
        status=CaseStatus.WAITING,
        next_review_on=date(2026, 1, 1),
    )
    assert figures.caseload(TODAY).by_review == {
        "Past their review date": 2,
        "Review date to come": 2,
        "No review date set": 1,
    }
    # The SQL and the pure rule agree.
    assert rules.review_state(TODAY - timedelta(days=1), TODAY) == "Past their review date"
    assert rules.review_state(TODAY, TODAY) == "Review date to come"
    assert rules.review_state(None, TODAY) == "No review date set"


def test_the_review_headline_hides_a_small_count_from_a_manager_only(client_for, cora, maya):
    today = timezone.localdate()
    for review in (today - timedelta(days=3), today - timedelta(days=9), None):
        records.case(
            cora,
            submitted=today - timedelta(days=60),
            joined=today - timedelta(days=60),
            next_review_on=review,
        )
    manager = client_for(maya).get(URL).text
    assert 'id="headline-review-past">fewer than 5<' in manager
    assert 'id="headline-review-not-set">fewer than 5<' in manager
    assert 'id="headline-caseload">3 of 15<' in manager  # the pathway's own figure, as it is
    coordinator = client_for(cora).get(URL).text
    assert 'id="headline-review-past">2<' in coordinator
    assert 'id="headline-review-not-set">1<' in coordinator


def test_the_review_table_is_protected_against_the_caseload_shown_in_the_headline(cora):
    # 12 on the caseload, shown as it is: 2 past their date, 10 to come. "10" beside the 12
    # would give the 2 away, so it is not shown.
    for n in range(12):
        records.case(
            cora,
            submitted=date(2026, 1, 5),
            joined=date(2026, 1, 5),
            next_review_on=TODAY - timedelta(days=5) if n < 2 else TODAY + timedelta(days=5),
        )
    board = presentation.build(SPRING, exact=False, today=TODAY)
    assert board.headline.on_caseload == 12
    assert rows_of(board.table("review-dates")) == {
        "Open cases": ["fewer than 5", "not shown", "0"]
    }
    assert board.review_past_text == "fewer than 5"


# --- escalations -------------------------------------------------------------------------------


def local(day: date, hour: int = 9) -> datetime:
    return at(day, hour)


@pytest.fixture
def escalations(cora, housing):
    case = records.case(cora, submitted=date(2026, 1, 5), joined=date(2026, 1, 5))

    def escalated(**kwargs):
        action = records.action(case, housing, cora, due=date(2026, 2, 1))
        return records.escalation(action, by=cora, **kwargs)

    # Raised in spring, to the SPoC, resolved in spring after 3 days (a late evening counts
    # by its date).
    escalated(
        level=1,
        raised=local(date(2026, 3, 2)),
        resolved=local(date(2026, 3, 5), 22),
        outcome=EscalationOutcome.RE_DATED,
    )
    # Raised in spring, reached the chair, unresolved.
    escalated(level=2, raised=local(date(2026, 4, 20)))
    # Raised before spring, resolved in it after 10 days.
    escalated(
        level=2,
        raised=local(date(2026, 2, 25)),
        resolved=local(date(2026, 3, 7)),
        outcome=EscalationOutcome.DONE,
    )
    # Raised in spring, resolved after it (by now).
    escalated(
        level=1,
        raised=local(date(2026, 5, 30)),
        resolved=local(date(2026, 6, 3)),
        outcome=EscalationOutcome.CLOSED,
    )
    # Raised and resolved before spring: not counted.
    escalated(
        level=1,
        raised=local(date(2026, 1, 10)),
        resolved=local(date(2026, 1, 20)),
        outcome=EscalationOutcome.DONE,
    )
    return case


def test_escalations_are_counted_by_level_by_outcome_and_by_the_days_they_took(escalations):
    counted = figures.escalations(SPRING)
    assert counted.raised == {1: (2, 0), 2: (0, 1)}
    assert counted.resolved == {"re_dated": 1, "done": 1}
    assert counted.days == [3, 10]
    board = presentation.build(SPRING, exact=True, today=TODAY)
    assert rows_of(board.table("escalations-raised")) == {
        "The lead agency's SPoC": ["2", "0", "2"],
        "The panel chair": ["0", "1", "1"],
        "Total": ["2", "1", "3"],
    }
    assert board.table("escalations-raised").columns == (
        "Resolved",
        "Still unresolved today",
        "Raised",
    )
    assert rows_of(board.table("escalations-resolved")) == {
        "Reassigned to another agency": ["0"],
        "Given a new due date": ["1"],
        "Closed: not done, or no longer needed": ["0"],
        "Done by its owner": ["1"],
        "Total": ["2"],
    }
    # The coordinator sees the median and the longest of two.
    assert rows_of(board.table("escalation-time")) == {"Median": ["6.5"], "Longest": ["10"]}


def test_the_median_is_hidden_from_a_manager_until_5_were_resolved(escalations, cora, housing):
    board = presentation.build(SPRING, exact=False, today=TODAY)
    time = board.table("escalation-time")
    assert rows_of(time) == {
        "Median": ["not shown: fewer than 5 resolved"],
        "Longest": ["not shown: fewer than 5 resolved"],
    }
    assert time.footnotes == (rules.FEW_RESOLVED.footnote,)
    assert rows_of(board.table("escalations-resolved"))["Done by its owner"] == ["fewer than 5"]
    # Three more resolved in spring, after 1, 2 and 20 days: five in all, the median shown.
    for days in (1, 2, 20):
        action = records.action(escalations, housing, cora, due=date(2026, 2, 1))
        records.escalation(
            action,
            level=1,
            raised=local(date(2026, 4, 1)),
            resolved=local(date(2026, 4, 1) + timedelta(days=days)),
            outcome=EscalationOutcome.REASSIGNED,
            by=cora,
        )
    time = presentation.build(SPRING, exact=False, today=TODAY).table("escalation-time")
    assert rows_of(time) == {"Median": ["3"], "Longest": ["20"]}
    assert time.footnotes == ()


def test_with_no_escalation_resolved_the_time_is_not_applicable(db):
    time = presentation.build(SPRING, exact=False, today=TODAY).table("escalation-time")
    assert rows_of(time) == {"Median": ["–"], "Longest": ["–"]}
    assert not time.has_figures


# --- on the page, in the CSV, in the Board's PDF ----------------------------------------------


def csv_rows(client, key: str, period: Period) -> list[list[str]]:
    response = client.get(
        reverse("dashboard:csv", args=[key]), period_query(period.start, period.end)
    )
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


NEW_TABLES = (
    "review-dates",
    "risk-levels",
    "desired-outcomes",
    "re-referrals",
    "returns-by-agency",
    "escalations-raised",
    "escalations-resolved",
    "escalation-time",
)


def test_each_new_table_is_on_the_page_and_downloads_as_csv_with_the_same_hiding(
    levels, escalations, client_for, maya, cora, police
):
    records.agency_return(escalations, police, meeting_on=date(2026, 4, 14))
    manager = client_for(maya)
    page = manager.get(URL, period_query(SPRING.start, SPRING.end)).text
    for key in NEW_TABLES:
        assert f'id="chart-{key}"' in page, key
        assert reverse("dashboard:csv", args=[key]) in page, key
    levels_csv = csv_rows(manager, "risk-levels", SPRING)
    assert levels_csv[0] == [
        "Level when adopted",
        "Critical at closure",
        "High at closure",
        "Medium at closure",
        "Low at closure",
        "Total",
    ]
    assert ["Critical", "0", "0", "not shown", "fewer than 5", "not shown"] in levels_csv
    assert levels_csv[-3:] == [[], [SMALL_NOTE], [PROTECTING_NOTE]]
    time_csv = csv_rows(manager, "escalation-time", SPRING)
    assert ["Median", "not shown: fewer than 5 resolved"] in time_csv
    assert time_csv[-1] == [rules.FEW_RESOLVED.footnote]
    # The coordinator's CSV has the exact figures.
    coordinator = client_for(cora)
    assert ["Critical", "0", "0", "6", "2", "8"] in csv_rows(coordinator, "risk-levels", SPRING)
    assert ["Median", "6.5"] in csv_rows(coordinator, "escalation-time", SPRING)


def test_the_board_s_pdf_carries_the_new_tables_hidden_even_for_the_coordinator(
    client_for, cora, housing, police, piers
):
    quarter = rules.recent_quarters(timezone.localdate(), 2)[-1]
    day = quarter.start + timedelta(days=10)
    for n in range(6):
        closed(cora, day + timedelta(days=n), adopted="critical", level="medium")
    two = [closed(cora, day, adopted="high", level="low") for _ in range(2)]
    records.desired_outcome(two[0], cora, Achievement.ACHIEVED)
    action = records.action(two[0], housing, cora, due=quarter.start)
    records.escalation(
        action,
        level=2,
        raised=at(day),
        resolved=at(day + timedelta(days=4)),
        outcome=EscalationOutcome.DONE,
        by=cora,
    )
    records.agency_return(two[1], police, meeting_on=day)
    slug = rules.quarter_slug(quarter)
    text = pdf_text(client_for(cora).get(reverse("dashboard:report_pdf", args=[slug])))
    for title in (
        "Open cases and their next review date",
        "Risk level when adopted and when closed",
        "The person's desired outcomes, and whether they were achieved",
        "Re-referrals within 12 months of a closure",
        "Agencies' returns before panel meetings",
        "Escalations raised in the period, by the level they reached",
        "Escalations resolved in the period, by what was done",
        "How long escalations took to resolve",
    ):
        assert title in text, title
    assert "Past their review date" in text
    assert "High 0 0 0 fewer than 5 fewer than 5" in text
    assert "Bedfordshire Police 0 0 fewer than 5 fewer than 5" in text
    assert "Median not shown: fewer than 5 resolved" in text
    assert "Achieved fewer than 5" in text
    assert rules.FEW_RESOLVED.footnote in text
    assert "Example" not in text


def test_when_the_number_of_closures_is_hidden_the_sentence_says_so(cora, rosa):
    # 4 referred again and 4 not: two "fewer than 5" that add up to 8 must both be 4, so the
    # 8 is hidden as well.
    for n in range(8):
        case = closed(cora, date(2025, 9, 1) + timedelta(days=n))
        if n % 2:
            records.referral(rosa, date(2026, 1, 5), person=case.person)
    table = presentation.build(SPRING, exact=False, today=TODAY).table("re-referrals")
    assert table.summary == (
        "Of the cases that closed between 1 June 2025 and 31 May 2026 (how many: not shown), "
        "fewer than 5 (share not shown) had a new referral about the same person submitted "
        "within 12 months of closing."
    )
    assert "8" not in " ".join(cell.text for row in table.rows for cell in row.cells)
