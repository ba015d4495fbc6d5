"""The world the access table is checked in: the demo's data, one open case in it, and the
eleven people the table is about.

The case is chosen by what it is, not by its number (the demo's story moves with the
calendar): an active case led by Housing, with Police involved and ELFT not, referred by
the ASC referrer. Every URL name's arguments point at that case or at something of its
(its referral, person, risks, actions, returns, the meeting it is on today), so each
persona's outcome says what they may do with *that* case.

Who may see which person is derived here from the data (who made the referral, which
agencies are involved), not from the code's doors, so that the names-in-body check tests
the doors instead of repeating them.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from actions.models import Action
from actions.services import action_agree
from panel.models import AgencyReturn, Case, CaseStatus, MinutesStatus, PanelMeeting
from referrals.choices import Status as ReferralStatus
from referrals.models import Person, Referral
from referrals.services import referral_start

PERSONAS = (
    "coordinator",
    "admin",
    "chair",
    "panel_member",
    "spoc_involved",
    "spoc_uninvolved",
    "spoc_lead",
    "referrer",
    "referrer_other",
    "manager",
    "anonymous",
)

USERNAMES = {
    "coordinator": "coordinator",
    "admin": "admin",
    "chair": "chair",
    "panel_member": "member.housing",
    "spoc_involved": "spoc.police",
    "spoc_uninvolved": "spoc.elft",
    "spoc_lead": "spoc.housing",
    "referrer": "referrer.asc",
    "referrer_other": "referrer.ambulance",
    "manager": "manager",
}


@dataclass
class World:
    case: Case
    meeting: PanelMeeting  # today's meeting, with the case on its agenda
    minuted: PanelMeeting  # the last meeting with the case on it whose minutes are approved
    position: int  # the case's place on that agenda
    item_pk: int
    action: Action  # an open action of the case, owned by the involved agency (Police)
    agency_return: AgencyReturn  # the involved agency's return for today's meeting
    draft: Referral  # the referrer's draft, made for the table
    asked: Referral  # a referral of the referrer's the coordinator asked about
    waiting: Referral  # a referral sent for screening, not yet screened
    users: dict[str, User] = field(default_factory=dict)

    @property
    def person(self) -> Person:
        return self.case.person

    def kwargs(self, name: str) -> dict:
        """The arguments of the URL called `name`, pointing into the world."""
        case, meeting = self.case, self.meeting
        by_case = {"pk": case.pk}
        on_meeting = {"pk": meeting.pk}
        at_item = {"pk": meeting.pk, "position": self.position}
        risk = case.risks.order_by("pk").first()
        outcome = case.desired_outcomes.order_by("pk").first()
        intervention = case.interventions.order_by("pk").first()
        review = case.reviews.order_by("pk").first()
        table = {
            "referrals:detail": {"pk": case.referral_id},
            "referrals:sent": {"pk": case.referral_id},
            "referrals:answer_question": {"pk": self.asked.pk},
            "referrals:section": {"pk": self.draft.pk, "section": "person"},
            "referrals:save_section": {"pk": self.draft.pk, "section": "person"},
            "referrals:person": {"pk": case.person_id},
            "subject_access_export": {"pk": case.person_id},
            "retention_person": {"pk": case.person_id},
            "retention_anonymise": {"pk": case.person_id},
            "referrals:merge_duplicate": {"pk": case.person_id},
            "panel:case_review": {"case_pk": case.pk, "pk": review.pk},
            "panel:desired_outcome_mark": {"pk": case.pk, "outcome_pk": outcome.pk},
            "panel:referral_accept": {"pk": self.waiting.pk},
            "panel:risk_change": {"pk": risk.pk},
            "panel:risk_retire": {"pk": risk.pk},
            "panel:desired_outcome_change": {"pk": outcome.pk},
            "panel:intervention_change": {"pk": intervention.pk},
            "panel:agenda_move": {"pk": meeting.pk, "item_pk": self.item_pk, "direction": "up"},
            "panel:agenda_item_notes": {"pk": meeting.pk, "item_pk": self.item_pk},
            "panel:case_adopt": {"meeting_pk": meeting.pk, "pk": case.pk},
            "panel:case_not_adopt": {"meeting_pk": meeting.pk, "pk": case.pk},
            "panel:agency_minutes_pdf": {
                "pk": meeting.pk,
                "agency_pk": self.action.owner_agency_id,
            },
            "panel:return": {"pk": self.agency_return.pk},
            "actions:agree": {"case_pk": case.pk},
            "accounts:two_factor_reset": {"pk": self.users["spoc_lead"].pk},
            "dashboard:csv": {"key": "referrals-by-month"},
            "dashboard:report_pdf": {"slug": "2026-q3"},
            "dashboard:commentary": {"slug": "2026-q3"},
        }
        if name in table:
            return table[name]
        app, _, view = name.partition(":")
        if app == "referrals" and view in {"check", "submit", "delete", "delete_draft"}:
            return {"pk": self.draft.pk}
        if app == "referrals" and view in {
            "screening_detail",
            "find_person",
            "link_person",
            "ask_for_information",
            "decline",
        }:
            return {"pk": self.waiting.pk}
        if view in {"room_item", "screen", "agenda_item_minute", "item_draft", "meeting_show_item"}:
            return at_item
        if app == "panel" and (view.startswith(("meeting", "agenda", "minutes", "room", "pack"))):
            return {} if view in {"meetings", "meetings_schedule_year"} else on_meeting
        if view == "attendance_record":
            return on_meeting
        if app == "panel" and view not in {"cases", "waiting_list"}:
            return by_case
        if app == "actions" and view not in {"list", "log_filter"}:
            return {"pk": self.action.pk}
        return {}


def build_world() -> World:
    """The world, from the demo's data (committed by the `demo` fixture), with the two
    referrals the demo does not happen to have made inside the test's transaction."""
    users = {p: User.objects.get(username=u) for p, u in USERNAMES.items()}
    case = (
        Case.objects.filter(
            status=CaseStatus.ACTIVE,
            lead_agency=users["spoc_lead"].agency,
            involved_agencies=users["spoc_involved"].agency,
            referral__created_by=users["referrer"],
        )
        .exclude(involved_agencies=users["spoc_uninvolved"].agency)
        .order_by("pk")
        .first()
    )
    assert case is not None, "the demo no longer has a case like the one the table is about"
    meeting = PanelMeeting.objects.filter(items__case=case).order_by("-date").first()
    item = meeting.items.get(case=case)
    minuted = (
        PanelMeeting.objects.filter(items__case=case, minutes_status=MinutesStatus.APPROVED)
        .order_by("-date")
        .first()
    )
    police = users["spoc_involved"].agency
    action = Action.objects.open().filter(case=case, owner_agency=police).order_by("pk").first()
    if action is None:  # the story has Police's actions done by today: agree one, as the panel
        action = action_agree(
            case=case,
            by=users["coordinator"],
            description="Police to visit with the housing officer and check the door locks.",
            owner_agency=police,
            due_on=timezone.localdate() + timedelta(days=14),
        )
    agency_return = AgencyReturn.objects.filter(case=case, agency=police).order_by("-pk").first()
    asked = Referral.objects.filter(
        created_by=users["referrer"], status=ReferralStatus.MORE_INFORMATION
    ).first()
    waiting = Referral.objects.filter(status=ReferralStatus.SUBMITTED).order_by("pk").first()
    for found, what in [
        (minuted, "approved minutes of a meeting the case was on"),
        (action, "an open action owned by Police"),
        (agency_return, "a return from Police"),
        (asked, "a referral of the ASC referrer's awaiting their answer"),
        (waiting, "a referral waiting to be screened"),
    ]:
        assert found is not None, f"the demo no longer has {what}"
    draft = referral_start(by=users["referrer"])
    return World(
        case=case,
        meeting=meeting,
        minuted=minuted,
        position=item.position,
        item_pk=item.pk,
        action=action,
        agency_return=agency_return,
        draft=draft,
        asked=asked,
        waiting=waiting,
        users=users,
    )


def url_names(*, include_admin: bool = False) -> list[str]:
    """Every named URL in the URL conf, as `namespace:name` (the Django admin's apart)."""
    names: list[str] = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                if inner == "admin" and not include_admin:
                    continue
                joined = ":".join(n for n in (namespace, inner) if n) or None
                walk(pattern.url_patterns, joined)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    return names


# --- whose details each persona may see, from the data --------------------------------------


def referrals_seen_by(user: User):
    """The referrals whose details the user may read, by what the data says: those they made,
    and for a SPoC (their agency's single point of contact) every one their agency made."""
    made = Referral.objects.filter(created_by=user)
    if user.role == Role.SPOC:
        made = made | Referral.objects.filter(referring_agency=user.agency_id)
    return made


def people_seen_by(user: User | None) -> set[int] | None:
    """The persons whose details the user may see, by what the data says: None for everyone
    (the coordinator's staff and the chair, who see every case); for an agency's people, the
    persons of the cases their agency is or was involved in and of the referrals they may
    read; for a referrer, their own referrals' persons; for a manager or no one, nobody."""
    if user is None:
        return set()
    if user.role in {Role.COORDINATOR, Role.ADMIN_STAFF, Role.CHAIR}:
        return None
    seen = set(
        referrals_seen_by(user).filter(person__isnull=False).values_list("person_id", flat=True)
    )
    if user.role in {Role.SPOC, Role.PANEL_MEMBER}:
        seen |= set(
            Case.objects.filter(involved_agencies=user.agency_id).values_list(
                "person_id", flat=True
            )
        )
    return seen


def words_of(person: Person) -> list[str]:
    """What would identify the person on a page: their name both ways round, and their NHS
    number as typed and as shown in threes."""
    words = [
        f"{person.given_names} {person.family_name}",
        f"{person.family_name}, {person.given_names}",
    ]
    if person.nhs_number:
        digits = person.nhs_number
        words += [digits, f"{digits[:3]} {digits[3:6]} {digits[6:]}"]
    return words
