"""Each figure on the dashboard, worked out from records whose answer is known."""

from datetime import date

import pytest

from actions.models import ActionStatus
from dashboard import figures
from dashboard.rules import Period
from panel.models import CaseStatus, Outcome
from referrals.choices import Status
from tests.dashboard import records

TODAY = date(2026, 6, 15)
SPRING = Period(date(2026, 3, 1), date(2026, 5, 31))


@pytest.fixture
def caseload(cora, housing, police, asc):
    """Five on the caseload (ages 1, 4, 7, 8 and 13 months), one waiting, two closed."""
    made = {}
    for months, joined in ((1, date(2026, 5, 10)), (4, date(2026, 2, 1))):
        made[months] = records.case(cora, submitted=joined, joined=joined)
    for months, joined in ((7, date(2025, 11, 2)), (8, date(2025, 10, 1)), (13, date(2025, 5, 1))):
        made[months] = records.case(
            cora, submitted=joined, joined=joined, status=CaseStatus.AWAITING_PANEL
        )
    made["waiting"] = records.case(
        cora, submitted=date(2026, 6, 1), joined=None, status=CaseStatus.WAITING
    )
    made["closed"] = records.case(
        cora,
        submitted=date(2025, 12, 1),
        joined=date(2025, 12, 1),
        status=CaseStatus.CLOSED,
        left=date(2026, 3, 20),
        outcome=Outcome.STEPPED_DOWN,
        step_down_agency=housing,
    )
    made["moved"] = records.case(
        cora,
        submitted=date(2026, 1, 5),
        joined=date(2026, 1, 5),
        status=CaseStatus.CLOSED,
        left=date(2026, 4, 2),
        outcome=Outcome.MOVED_AWAY,
    )
    return made


def test_open_cases_are_counted_against_the_cap_with_the_waiting_list_and_their_ages(caseload):
    load = figures.caseload(TODAY)
    assert (load.cap, load.on_caseload, load.waiting) == (15, 5, 1)
    assert load.by_age == {"Under 3 months": 1, "3 to 6 months": 1, "Over 6 months": 3}


def test_a_case_joined_exactly_six_months_ago_counts_as_six_months_old(cora):
    records.case(cora, submitted=date(2025, 12, 15), joined=date(2025, 12, 15))
    records.case(cora, submitted=date(2025, 12, 16), joined=date(2025, 12, 16))
    assert figures.caseload(TODAY).by_age == {
        "Under 3 months": 0,
        "3 to 6 months": 1,
        "Over 6 months": 1,
    }


def test_long_running_cases_are_checked_for_plan_risk_assessment_lead_and_recent_mdt(
    caseload, cora, housing, police
):
    seven, eight, thirteen = caseload[7], caseload[8], caseload[13]
    # Seven months: everything in place.
    records.action(seven, housing, cora, due=date(2026, 7, 1))
    seven.involved_agencies.set([housing, police])
    seven.risk_assessed_on = date(2026, 5, 12)
    seven.lead_agency, seven.lead_officer = housing, "Harriet Lomax"
    seven.save()
    records.mdt(seven, cora, date(2026, 5, 1))
    # Eight months: a plan done with, a risk assessment by one agency, a lead with no officer,
    # an MDT nine weeks ago.
    records.action(eight, housing, cora, due=date(2026, 5, 1), status=ActionStatus.DONE)
    eight.involved_agencies.set([housing])
    eight.risk_assessed_on = date(2026, 5, 12)
    eight.lead_agency = housing
    eight.save()
    records.mdt(eight, cora, date(2026, 4, 13))
    # Thirteen months: an overdue action is still a plan; a risk assessment over 6 months old.
    records.action(thirteen, police, cora, due=date(2026, 1, 1), status=ActionStatus.IN_PROGRESS)
    thirteen.involved_agencies.set([housing, police])
    thirteen.risk_assessed_on = date(2025, 12, 1)
    thirteen.save()

    assert figures.long_running_counts(TODAY) == {
        "total": 3,
        "active_plan": 2,
        "risk_assessment": 1,
        "lead_named": 1,
        "recent_mdt": 1,
    }
    listed = {row["pk"]: row for row in figures.long_running_cases(TODAY)}
    assert set(listed) == {seven.pk, eight.pk, thirteen.pk}
    assert listed[seven.pk]["recent_mdt"]
    assert not listed[eight.pk]["recent_mdt"]


def test_overdue_and_escalated_actions_are_counted_by_owning_agency(
    caseload, cora, housing, police
):
    one = caseload[1]
    records.action(one, housing, cora, due=date(2026, 6, 14))  # overdue
    records.action(one, housing, cora, due=date(2026, 6, 15))  # due today: not overdue
    records.action(one, housing, cora, due=date(2026, 5, 1), escalation_level=1)
    records.action(one, housing, cora, due=date(2026, 5, 1), status=ActionStatus.DONE)
    # Escalated by hand to the chair: escalation_level is always at least the manual level
    # (the services keep it so; these records are written straight to the table).
    records.action(
        one, police, cora, due=date(2026, 8, 1), manual_escalation_level=2, escalation_level=2
    )
    # Escalated once, then done: no longer counted.
    records.action(
        one, police, cora, due=date(2026, 5, 1), escalation_level=1, status=ActionStatus.DONE
    )
    assert figures.actions_by_agency(TODAY) == [
        ("Housing", 3, 2, 1),
        ("Bedfordshire Police", 1, 0, 1),
    ]


def test_cases_managed_each_month_count_every_case_held_at_some_point_in_the_month(caseload):
    managed = dict(figures.cases_managed_by_month(Period(date(2026, 1, 1), date(2026, 6, 15))))
    # Jan: 7, 8, 13 months, closed (Dec-Mar), moved (Jan-Apr) = 5; Feb adds the 4-month case;
    # April loses the one closed in March; May adds the 1-month case; June loses moved.
    assert managed == {
        date(2026, 1, 1): 5,
        date(2026, 2, 1): 6,
        date(2026, 3, 1): 6,
        date(2026, 4, 1): 5,
        date(2026, 5, 1): 5,
        date(2026, 6, 1): 5,
    }


def test_referrals_are_counted_by_month_submitted_and_screening_decision(rosa, piers, asc):
    for day, status in [
        (date(2026, 3, 1), Status.ACCEPTED),
        (date(2026, 3, 31), Status.DECLINED),
        (date(2026, 4, 10), Status.MORE_INFORMATION),
        (date(2026, 4, 11), Status.SUBMITTED),
        (date(2026, 4, 12), Status.ACCEPTED),
        (date(2026, 6, 1), Status.ACCEPTED),  # after the period
        (date(2026, 2, 28), Status.ACCEPTED),  # before it
    ]:
        records.referral(rosa, day, status=status)
    records.referral(piers, date(2026, 5, 5), status=Status.DECLINED)

    by_month = figures.referrals_by_month(SPRING)
    assert by_month == {
        date(2026, 3, 1): {"accepted": 1, "declined": 1, "more_information": 0, "submitted": 0},
        date(2026, 4, 1): {"accepted": 1, "declined": 0, "more_information": 1, "submitted": 1},
        date(2026, 5, 1): {"accepted": 0, "declined": 1, "more_information": 0, "submitted": 0},
    }
    by_agency = dict(figures.referrals_by_agency(SPRING))
    assert by_agency["Housing"] == {
        "accepted": 2,
        "declined": 1,
        "more_information": 1,
        "submitted": 1,
    }
    assert by_agency["Bedfordshire Police"]["declined"] == 1
    assert sum(by_agency["Adult Social Care"].values()) == 0


def test_drafts_are_not_referrals_yet(rosa):
    from referrals.models import Referral

    Referral.objects.create(status=Status.DRAFT, created_by=rosa, referring_agency=rosa.agency)
    assert sum(sum(m.values()) for m in figures.referrals_by_month(SPRING).values()) == 0


def test_time_to_first_panel_is_counted_for_cases_first_heard_in_the_period(cora):
    heard = [
        (date(2026, 3, 1), date(2026, 3, 10)),  # 9 days
        (date(2026, 3, 20), date(2026, 4, 14)),  # 25 days
        (date(2026, 2, 1), date(2026, 3, 10)),  # 37 days
    ]
    for submitted, panel in heard:
        case = records.case(cora, submitted=submitted, joined=submitted)
        records.first_panel(case, panel)
        # A later review does not change when it was first heard.
        records.first_panel(case, date(2026, 5, 12))
    earlier = records.case(cora, submitted=date(2026, 1, 2), joined=date(2026, 1, 2))
    records.first_panel(earlier, date(2026, 2, 10))
    records.first_panel(earlier, date(2026, 3, 10))
    assert sorted(figures.days_to_first_panel(SPRING)) == [9, 25, 37]


def test_outcomes_count_cases_that_left_in_the_period(caseload, cora):
    not_adopted = records.case(
        cora,
        submitted=date(2026, 4, 1),
        joined=date(2026, 4, 1),
        status=CaseStatus.NOT_ADOPTED,
        left=date(2026, 4, 14),
        not_adopted_reason="Single agency can manage",
    )
    assert not_adopted.closed_at is not None
    assert figures.outcomes(SPRING) == {Outcome.STEPPED_DOWN: 1, Outcome.MOVED_AWAY: 1}
    assert figures.outcomes(Period(date(2026, 4, 1), date(2026, 5, 31))) == {Outcome.MOVED_AWAY: 1}
    assert figures.not_adopted(SPRING) == 1


def test_cases_accepted_in_the_period_are_counted_by_primary_need(cora):
    for need, day in [
        ("self_neglect", date(2026, 3, 3)),
        ("self_neglect", date(2026, 4, 3)),
        ("housing", date(2026, 5, 3)),
        ("housing", date(2026, 6, 3)),  # after the period
    ]:
        records.case(cora, submitted=day, joined=day, primary_need=need)
    assert figures.primary_needs(SPRING) == {"self_neglect": 2, "housing": 1}


def test_ethnicity_is_counted_from_referrals_in_the_period(rosa):
    for ethnicity, day in [
        ("asian_pakistani", date(2026, 3, 3)),
        ("asian_bangladeshi", date(2026, 3, 4)),
        ("white_british", date(2026, 3, 5)),
        ("not_known", date(2026, 3, 6)),
        ("", date(2026, 3, 7)),
        ("white_british", date(2026, 1, 7)),  # before the period
    ]:
        records.referral(rosa, day, ethnicity=ethnicity)
    assert figures.ethnicities(SPRING) == {
        "asian_pakistani": 1,
        "asian_bangladeshi": 1,
        "white_british": 1,
        "not_known": 1,
        "": 1,
    }
