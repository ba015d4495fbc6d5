"""Known records, dated exactly, for the dashboard's figures: written straight to the tables
(the services stamp everything with the time of the test), every one plainly fictional."""

import itertools
from datetime import date, datetime, time

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
