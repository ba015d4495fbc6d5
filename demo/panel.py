"""The demo's panel: a full pathway of 15 with a short waiting list, past meetings with
minutes, and a few closed cases. Every person is invented (see demo/referrals.py)."""

from datetime import date, timedelta

from django.utils import timezone

from actions.services import action_agree
from demo.referrals import BASE
from panel import meetings, services
from panel.models import CaseStatus, Outcome, PanelMeeting
from referrals import rules
from referrals import services as referral_services

# Plainly invented family names for the rest of the caseload.
FAMILY_NAMES = [
    "Imaginary",
    "Pretend",
    "Invented",
    "Dummy",
    "Mockup",
    "Testcase",
    "Storybook",
    "Makebelieve",
    "Fauxname",
    "Nonesuch",
    "Hypothetical",
    "Figment",
    "Pseudonym",
    "Fable",
    "Fiction",
    "Whimsy",
    "Daydream",
    "Notional",
]
GIVEN_NAMES = [
    "Ash",
    "Bo",
    "Cam",
    "Dee",
    "Eli",
    "Fin",
    "Gale",
    "Hal",
    "Ira",
    "Jay",
    "Kai",
    "Lou",
    "Max",
    "Noa",
    "Oli",
    "Pip",
    "Quin",
    "Ren",
]
REFERRERS = ["referrer.housing", "referrer.ambulance", "spoc.police", "spoc.elft", "spoc.cgl"]


def test_range_nhs_numbers():
    """NHS numbers in the 999 range the NHS keeps for testing, with valid check digits."""
    stem = 999100000
    while True:
        for digit in "0123456789":
            if rules.nhs_number_is_valid(f"{stem}{digit}"):
                yield f"{stem}{digit}"
                break
        stem += 13


def _accept_new_referrals(users, coordinator):
    numbers = test_range_nhs_numbers()
    for n, (family, given) in enumerate(zip(FAMILY_NAMES, GIVEN_NAMES, strict=True)):
        referrer = users[REFERRERS[n % len(REFERRERS)]]
        referral = referral_services.referral_start(by=referrer)
        answers = {
            **BASE,
            "given_names": given,
            "family_name": family,
            "date_of_birth": date(1960 + n, 1 + n % 12, 1 + n),
            "nhs_number": next(numbers),
            "agencies_involved": [referrer.agency_id, coordinator.agency_id],
        }
        referral = referral_services.referral_save_answers(
            referral_id=referral.pk, by=referrer, version=referral.version, answers=answers
        )
        referral = referral_services.referral_submit(
            referral_id=referral.pk, by=referrer, version=referral.version
        )
        referral = referral_services.referral_link_person(
            referral_id=referral.pk, by=coordinator, version=referral.version, person_id=None
        )
        referral_services.referral_accept(
            referral_id=referral.pk, by=coordinator, version=referral.version
        )


def _hold_meeting(meeting, users, coordinator, chair, *, not_adopt=(), approve=True):
    meetings.attendance_record(
        meeting_id=meeting.pk,
        by=coordinator,
        agency=coordinator.agency,
        attendee=f"{coordinator}, coordinator",
        agreed_to_confidentiality=True,
    )
    for username in ("spoc.housing", "spoc.police", "spoc.elft"):
        user = users[username]
        meetings.attendance_record(
            meeting_id=meeting.pk,
            by=coordinator,
            agency=user.agency,
            attendee=f"{user}, SPoC",
            agreed_to_confidentiality=True,
        )
    meetings.agenda_build(meeting_id=meeting.pk, by=coordinator)
    for item in meeting.items.select_related("case", "case__referral__referring_agency"):
        case = item.case
        case.refresh_from_db()
        if case.status == CaseStatus.AWAITING_PANEL and case.pk in not_adopt:
            services.case_not_adopt(
                case_id=case.pk,
                by=coordinator,
                version=case.version,
                meeting=meeting,
                reason="Single-agency MDT is enough.",
                signpost="single_agency_mdt",
            )
            minute = "Not adopted: Housing's single-agency MDT will manage the risk."
        else:
            if case.status == CaseStatus.AWAITING_PANEL:
                case = services.case_adopt(
                    case_id=case.pk, by=coordinator, version=case.version, meeting=meeting
                )
            lead = case.referral.referring_agency
            if case.lead_agency_id != lead.pk:
                case = services.case_appoint_lead(
                    case_id=case.pk,
                    by=coordinator,
                    version=case.version,
                    agency=lead,
                    officer="Named officer (demo)",
                    reason="Knows the person best.",
                )
            action_agree(
                case=case,
                by=coordinator,
                meeting=meeting,
                owner_agency=lead,
                description="Joint home visit with the lead officer",
                due_on=timezone.localdate() + timedelta(days=14),
            )
            minute = f"Reviewed. {lead.name} leads; joint visit agreed."
        meetings.agenda_item_record(
            item_id=item.pk, by=coordinator, version=item.version, minute=minute
        )
    if approve:
        meetings.minutes_approve(meeting_id=meeting.pk, by=chair)


def seed_panel(users: dict, coordinator, chair) -> None:
    if PanelMeeting.objects.exists():
        return
    today = timezone.localdate()
    # Last year too, so that there are past meetings whatever the month.
    for year in (today.year - 1, today.year, today.year + 1):
        meetings.meetings_schedule_year(year=year, weekday=1, nth=2, by=coordinator)
    past = list(PanelMeeting.objects.filter(date__lt=today).order_by("-date")[:2])
    _accept_new_referrals(users, coordinator)
    if len(past) < 2:
        return
    latest, earlier = past
    first_new = services.Case.objects.filter(status=CaseStatus.AWAITING_PANEL).last()
    _hold_meeting(earlier, users, coordinator, chair, not_adopt={first_new.pk})
    active = list(services.Case.objects.filter(status=CaseStatus.ACTIVE).order_by("pk")[:3])
    outcomes = [
        {"outcome": Outcome.STEPPED_DOWN, "step_down_agency": active[0].lead_agency},
        {"outcome": Outcome.MOVED_AWAY, "outcome_detail": "Moved to a fictional town."},
        {
            "outcome": Outcome.DECLINED_WITH_CAPACITY,
            "outcome_detail": "Declined all support with capacity; risk accepted by the panel.",
        },
    ]
    for case, outcome in zip(active, outcomes, strict=True):
        services.case_close(
            case_id=case.pk, by=coordinator, version=case.version, agreed_on=earlier.date, **outcome
        )
    _hold_meeting(latest, users, coordinator, chair, approve=False)
    _make_some_actions_overdue()


def _make_some_actions_overdue():
    """Actions agreed at the October panel that their owners have let slip, so the action log,
    the SPoCs' lists and the escalations have something to show. Dates are moved back with a
    plain UPDATE: this is the demo's back-story, not a change anyone made."""
    from actions.models import Action
    from actions.sweep import record_due_notices

    slipped = Action.objects.filter(agreed_at_meeting__date__lt=timezone.localdate()).order_by("pk")
    for days, action in zip((2, 9, 25), slipped[:3], strict=False):
        Action.objects.filter(pk=action.pk).update(
            due_on=timezone.localdate() - timedelta(days=days)
        )
    record_due_notices(today=timezone.localdate())
