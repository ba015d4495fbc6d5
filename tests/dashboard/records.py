"""Known records, dated exactly, for the dashboard's figures: written straight to the tables
(the services stamp everything with the time of the test), every one plainly fictional."""

import itertools
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from actions.models import Action, ActionStatus
from panel.models import AgendaItem, AgendaKind, Case, CaseStatus, MDTMeeting, PanelMeeting
from referrals.choices import Signpost, Status
from referrals.models import Person, Referral

_numbers = itertools.count(1)


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def referral(
    by,
    submitted: date,
    *,
    status=Status.SUBMITTED,
    agency=None,
    ethnicity="white_british",
    primary_need="self_neglect",
) -> Referral:
    n = next(_numbers)
    extra = {}
    if status == Status.DECLINED:
        extra = {"decline_reason": "Not critical", "signpost": Signpost.MASH_S42}
    if status == Status.MORE_INFORMATION:
        extra = {"more_information_question": "What has Housing tried?"}
    if status == Status.ACCEPTED:
        extra = {"person": Person.objects.create(family_name=f"Example{n}", given_names="Alex")}
    return Referral.objects.create(
        status=status,
        created_by=by,
        referring_agency=agency or by.agency,
        submitted_at=at(submitted),
        family_name=f"Example{n}",
        given_names="Alex",
        ethnicity=ethnicity,
        primary_need=primary_need,
        **extra,
    )


def case(
    by,
    *,
    submitted: date,
    joined: date | None,
    status=CaseStatus.ACTIVE,
    left: date | None = None,
    outcome="",
    step_down_agency=None,
    primary_need="self_neglect",
    **fields,
) -> Case:
    accepted = referral(by, submitted, status=Status.ACCEPTED, primary_need=primary_need)
    closed = {}
    if status == CaseStatus.CLOSED:
        closed = {
            "outcome": outcome,
            "closure_agreed_on": left,
            "step_down_agency": step_down_agency,
        }
    return Case.objects.create(
        referral=accepted,
        person=accepted.person,
        status=status,
        waiting_since=at(submitted, 15),
        joined_caseload_at=at(joined, 16) if joined else None,
        closed_at=at(left) if left else None,
        **closed,
        **fields,
    )


def first_panel(case: Case, on: date) -> AgendaItem:
    meeting, _ = PanelMeeting.objects.get_or_create(date=on)
    return AgendaItem.objects.create(
        meeting=meeting, position=meeting.items.count() + 1, kind=AgendaKind.NEW, case=case
    )


def action(case: Case, agency, by, *, due: date, status=ActionStatus.OPEN, **fields) -> Action:
    return Action.objects.create(
        case=case,
        description="Visit with the fire service",
        owner_agency=agency,
        due_on=due,
        status=status,
        created_by=by,
        **fields,
    )


def mdt(case: Case, by, on: date) -> MDTMeeting:
    return MDTMeeting.objects.create(case=case, held_on=on, called_by=by)


def period_query(start: date, end: date) -> dict:
    return {
        "start_day": start.day,
        "start_month": start.month,
        "start_year": start.year,
        "end_day": end.day,
        "end_month": end.month,
        "end_year": end.year,
    }


SMALL_NOTE = "Fewer than 5: a count from 1 to 4, hidden so that no one can be identified."
PROTECTING_NOTE = (
    "Not shown: hidden so that another hidden count cannot be worked out from the total."
)


def referrals_from_police_and_housing(cora, police, housing, start: date):
    """Police: 7 accepted and 4 declined; Housing: 6 accepted and 5 declined."""
    for agency, accepted, declined in ((police, 7, 4), (housing, 6, 5)):
        for n in range(accepted):
            referral(cora, start + timedelta(days=n), status=Status.ACCEPTED, agency=agency)
        for n in range(declined):
            referral(cora, start + timedelta(days=n), status=Status.DECLINED, agency=agency)


def a_month_ago() -> date:
    return timezone.localdate() - timedelta(days=30)
