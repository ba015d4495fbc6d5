"""What the panel's pages cost in queries, at two sizes of what they show: at most 15, and the
same number for 3 agenda items as for many, for a case with one action as with many, for a
caseload with no closed cases as with years of them (docs/performance.md; tests/queries.py).

The data is small and made by the services (tests/factories.py), so that each kind of thing a
page shows is there: grow() adds more of each kind, and a page that asks once per thing costs
more after it."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.services import action_agree, action_update
from panel import meetings
from panel.models import (
    Achievement,
    AgendaItem,
    AgendaKind,
    Case,
    CaseStatus,
    DesiredOutcome,
    PanelMeeting,
    Risk,
    RiskReview,
)
from panel.reviews import assessment_snapshot
from tests.factories import accept, make_referral, years_of_closed_cases
from tests.queries import assert_flat_and_within_budget


def give_actions(case, *, by, agency, count):
    for n in range(count):
        action = action_agree(
            case=case,
            by=by,
            owner_agency=agency,
            description=f"Repair the heating, step {n + 1}",
            due_on=timezone.localdate() + timedelta(days=7 + n),
        )
        action_update(
            action_id=action.pk, by=by, version=action.version, status="in_progress", note="Booked"
        )


def give_risks(case, *, by, agency, count):
    for n in range(count):
        Risk.objects.create(
            case=case,
            description=f"Fictional risk {n + 1}",
            likelihood=3,
            severity=3,
            source_agency=agency,
            monitored_by=agency,
            raised_on=timezone.localdate(),
            raised_by=by,
        )


class Pathway:
    """Cases accepted onto the pathway, each with an action, a risk and a review at an earlier
    meeting, on today's meeting's agenda."""

    def __init__(self, rosa, cora, housing):
        self.rosa, self.cora, self.housing = rosa, cora, housing
        today = timezone.localdate()
        self.earlier = PanelMeeting.objects.create(date=today - timedelta(days=28))
        self.meeting = PanelMeeting.objects.create(date=today)
        self.count = 0

    def add(self, count):
        for _ in range(count):
            self.count += 1
            referral = make_referral(
                self.rosa,
                submit=True,
                nhs_number="",
                family_name=f"Sample{self.count}",
                date_of_birth=date(1940 + self.count, 1, 1),
            )
            referral, _ = accept(referral, self.cora)
            case = referral.case
            if case.status != CaseStatus.WAITING:
                give_actions(case, by=self.cora, agency=self.housing, count=1)
                give_risks(case, by=self.cora, agency=self.housing, count=1)
                self.reviewed_earlier(case)
        meetings.agenda_build(meeting_id=self.meeting.pk, by=self.cora)
        return self

    def reviewed_earlier(self, case):
        AgendaItem.objects.create(
            meeting=self.earlier, position=self.count, kind=AgendaKind.NEW, case=case
        )
        RiskReview.objects.create(
            case=case,
            meeting=self.earlier,
            reviewed_on=self.earlier.date,
            level="medium",
            derived_level="medium",
            by=self.cora,
            snapshot=assessment_snapshot(case),
        )


@pytest.fixture
def pathway(rosa, cora, housing):
    return Pathway(rosa, cora, housing).add(3)


@pytest.mark.parametrize(
    "name",
    ["pack", "meeting", "minutes"],
)
def test_the_meeting_pages_cost_the_same_for_3_items_as_for_many(client_for, cora, pathway, name):
    url = reverse(f"panel:{name}", args=[pathway.meeting.pk])
    assert_flat_and_within_budget(client_for(cora), url, lambda: pathway.add(9))


def nine_more_and_a_busy_first_item(pathway, *, by):
    """Nine more items on the agenda, and five actions and five risks on the first one's case."""
    first = pathway.meeting.items.get(position=1).case
    pathway.add(9)
    give_actions(first, by=by, agency=pathway.housing, count=5)
    give_risks(first, by=by, agency=pathway.housing, count=5)


def test_the_meeting_screen_costs_the_same_for_3_items_as_for_many(client_for, cora, pathway):
    meetings.meeting_start(meeting_id=pathway.meeting.pk, by=cora)
    url = reverse("panel:screen", args=[pathway.meeting.pk, 1])
    assert_flat_and_within_budget(
        client_for(cora), url, lambda: nine_more_and_a_busy_first_item(pathway, by=cora)
    )


@pytest.mark.parametrize("name", ["room", "room_item"])
def test_the_meeting_display_costs_the_same_for_3_items_as_for_many(
    client_for, cora, pathway, name
):
    meetings.meeting_start(meeting_id=pathway.meeting.pk, by=cora)
    meetings.meeting_show_item(meeting_id=pathway.meeting.pk, by=cora, position=1)
    args = [pathway.meeting.pk] + ([1] if name == "room_item" else [])
    url = reverse(f"panel:{name}", args=args)
    assert_flat_and_within_budget(
        client_for(cora), url, lambda: nine_more_and_a_busy_first_item(pathway, by=cora)
    )


CASE_PAGES = ["case", "case_actions", "case_meetings", "case_chronology", "case_people"]


@pytest.mark.parametrize("name", CASE_PAGES)
def test_the_case_pages_cost_the_same_with_one_action_as_with_many(
    client_for, cora, harriet, housing, pathway, name
):
    case = pathway.meeting.items.get(position=1).case
    url = reverse(f"panel:{name}", args=[case.pk])

    def grow():
        give_actions(case, by=cora, agency=housing, count=6)
        give_risks(case, by=cora, agency=housing, count=6)

    for user in (cora, harriet):
        assert_flat_and_within_budget(client_for(user), url, grow)


def test_a_closed_cases_plan_costs_the_same_whatever_its_outcome_names(
    client_for, cora, housing, asc, pathway
):
    """A closed case's plan shows its outcome: the agency that took it on, the case it reopened
    and its desired outcomes as marked, each read with what the page reads already."""
    earlier, closed = years_of_closed_cases(2, by=cora, agencies=[housing, asc])
    Case.objects.filter(pk__in=[earlier.pk, closed.pk]).update(lead_agency=None)
    url = reverse("panel:case", args=[closed.pk])

    def grow():
        Case.objects.filter(pk=closed.pk).update(
            lead_agency=housing, step_down_agency=asc, previous_case=earlier
        )
        for n in range(3):
            DesiredOutcome.objects.create(
                case=closed,
                outcome=f"To stay at home {n}",
                achievement=Achievement.ACHIEVED,
                added_on=date.today(),
                added_by=cora,
            )

    assert_flat_and_within_budget(client_for(cora), url, grow)
    page = client_for(cora).get(url).text
    assert f"taken on by {asc.name}" in page
    assert "To stay at home 2" in page
    assert earlier.reference in page


@pytest.mark.parametrize("status", ["", "closed", "all"])
def test_the_case_list_costs_the_same_with_years_of_closed_cases(
    client_for, cora, harriet, housing, asc, pathway, status
):
    url = reverse("panel:cases") + (f"?status={status}" if status else "")
    years_of_closed_cases(3, by=cora, agencies=[housing, asc], actions_each=2)

    def grow():
        years_of_closed_cases(60, by=cora, agencies=[housing, asc], actions_each=2)

    for user in (cora, harriet):
        assert_flat_and_within_budget(client_for(user), url, grow)


def test_the_home_pages_cost_the_same_for_a_small_and_a_large_caseload(
    client_for, cora, harriet, pathway
):
    url = reverse("home")
    for user in (cora, harriet):
        assert_flat_and_within_budget(client_for(user), url, lambda: pathway.add(4))


def test_the_case_plan_costs_the_same_with_one_action_as_with_many(
    client_for, cora, housing, pathway
):
    case = pathway.meeting.items.get(position=1).case
    url = reverse("panel:case_plan_pdf", args=[case.pk])

    def grow():
        give_actions(case, by=cora, agency=housing, count=6)
        give_risks(case, by=cora, agency=housing, count=6)

    assert_flat_and_within_budget(client_for(cora), url, grow)
