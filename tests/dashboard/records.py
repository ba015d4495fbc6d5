"""Known records, dated exactly, for the dashboard's figures: written straight to the tables
(the services stamp everything with the time of the test), every one plainly fictional."""

import itertools
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from actions.models import Action, ActionStatus, Escalation
from panel.models import (
    AgencyReturn,
    AgendaItem,
    AgendaKind,
    Case,
    CaseStatus,
    DesiredOutcome,
    MDTMeeting,
    PanelMeeting,
)
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
    person: Person | None = None,
    submitted_at: datetime | None = None,
) -> Referral:
    """A referral submitted on a day (at 10:00), or at `submitted_at` exactly; about `person`
    when given (screening has linked it), else about a new person once accepted."""
    n = next(_numbers)
    extra = {}
    if status == Status.DECLINED:
        extra = {"decline_reason": "Not critical", "signpost": Signpost.MASH_S42}
    if status == Status.MORE_INFORMATION:
        extra = {"more_information_question": "What has Housing tried?"}
    if status == Status.ACCEPTED:
        extra["person"] = Person.objects.create(family_name=f"Example{n}", given_names="Alex")
    if person is not None:
        extra["person"] = person
    return Referral.objects.create(
        status=status,
        created_by=by,
        referring_agency=agency or by.agency,
        submitted_at=submitted_at or at(submitted),
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


def desired_outcome(case: Case, by, achievement: str = "") -> DesiredOutcome:
    return DesiredOutcome.objects.create(
        case=case,
        outcome="To stay in my flat",
        achievement=achievement,
        added_on=case.waiting_since.date(),
        added_by=by,
    )


def agency_return(
    case: Case, agency, *, meeting_on: date, submitted_at: datetime | None = None, by=None
) -> AgencyReturn:
    """A return asked of `agency` on `case` for the meeting on `meeting_on`, due the day
    before it; submitted at `submitted_at` (by `by`), or missing."""
    meeting, _ = PanelMeeting.objects.get_or_create(date=meeting_on)
    return AgencyReturn.objects.create(
        meeting=meeting,
        case=case,
        agency=agency,
        requested_on=meeting_on - timedelta(days=7),
        due_on=meeting_on - timedelta(days=1),
        submitted_at=submitted_at,
        submitted_by=by if submitted_at else None,
        progress="Visited twice" if submitted_at else "",
    )


def escalation(
    action: Action,
    *,
    level: int,
    raised: datetime,
    resolved: datetime | None = None,
    outcome: str = "",
    by=None,
) -> Escalation:
    """An escalation of `action` that reached `level`, raised by the sweep; resolved (by
    `by`, with a response and `outcome`) when `resolved` is given."""
    return Escalation.objects.create(
        action=action,
        level=level,
        raised_at=raised,
        resolved_at=resolved,
        resolved_by=by if resolved else None,
        response="Given a new date at the panel" if resolved else "",
        outcome=outcome if resolved else "",
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
