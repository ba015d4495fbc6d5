"""Who may see and change referrals and person records: the one home of these rules.

- A referrer sees the referrals they made.
- An agency's SPoC also sees every submitted referral their agency made.
- The coordinator and admin staff (who screen) see every submitted referral and the
  person records behind them, and decide on referrals.
- Nobody else sees a referral: not another agency, not managers.
Only the person who made a referral changes its answers, and only while it is a draft or
back with them for more information.

Views reach a referral or a person through one door each, by what they are about to do
(`referral_for_viewing`, `referral_for_editing`, `referral_for_screening`,
`person_for_viewing`, `person_for_merging`), or call one guard first (`require_*`). A door
answers 404 for what the user may not know exists (missing and forbidden alike, so that a
referral's existence is not given away) and 403 (PermissionDenied) for what they may see but
not do. Services call the same guards, so the rules hold whoever calls them.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Agency
from accounts.roles import Perm, Role
from referrals.choices import Status
from referrals.models import Person, Referral

CANNOT_MAKE_REFERRALS = "Your role cannot make referrals."
ONLY_SCREENERS = "Only the panel coordinator and admin staff screen referrals."
ONLY_THE_REFERRER = "Only the person who made a referral can change its answers."
ONLY_THE_COORDINATOR_ANSWERS_RIGHTS = (
    "Only the panel coordinator can export a person's records or anonymise them."
)
ANSWERS_CLOSED = "This referral has been sent for screening, so its answers can no longer change."


class AnswersClosed(PermissionDenied):
    """The referral's maker may see it, but its answers no longer change: it has been sent."""

    def __init__(self, referral: Referral):
        super().__init__(ANSWERS_CLOSED)
        self.referral = referral


# --- what a user may do ---------------------------------------------------------------------


def can_make_referrals(user) -> bool:
    return user.has_perm(Perm.MAKE_REFERRAL) and user.agency_id is not None


def can_screen(user) -> bool:
    return user.has_perm(Perm.SCREEN_REFERRALS)


def can_answer_persons_rights(user) -> bool:
    """The person's rights under UK GDPR: a subject access export, the retention review and
    anonymising (docs/subject-access-and-retention.md). The coordinator's alone."""
    return user.has_perm(Perm.ANSWER_PERSONS_RIGHTS)


def made_by(user, referral: Referral) -> bool:
    return referral.created_by_id == user.pk


def may_change_answers(user, referral: Referral) -> bool:
    """Whether this user may change this referral's answers now."""
    return made_by(user, referral) and referral.is_editable_by_referrer


def visible_referrals(user) -> QuerySet[Referral]:
    mine = Q(created_by=user)
    if can_screen(user):
        return Referral.objects.filter(mine | ~Q(status=Status.DRAFT))
    if user.role == Role.SPOC and user.agency_id:
        return Referral.objects.filter(
            mine | (Q(referring_agency=user.agency_id) & ~Q(status=Status.DRAFT))
        )
    return Referral.objects.filter(mine)


# --- guards: one call at the top of a view or a service ------------------------------------


def require_making_referrals(user) -> None:
    if not can_make_referrals(user):
        raise PermissionDenied(CANNOT_MAKE_REFERRALS)


def require_screening(user) -> None:
    if not can_screen(user):
        raise PermissionDenied(ONLY_SCREENERS)


def require_answering_persons_rights(user) -> None:
    if not can_answer_persons_rights(user):
        raise PermissionDenied(ONLY_THE_COORDINATOR_ANSWERS_RIGHTS)


def require_maker(user, referral: Referral) -> None:
    if not made_by(user, referral):
        raise PermissionDenied(ONLY_THE_REFERRER)


# --- doors: the object, if the user may do this with it --------------------------------------


@dataclass(frozen=True)
class Listing:
    """The referrals a user's list shows, and whose they are."""

    referrals: QuerySet[Referral]
    agency: Agency | None  # the agency whose referrals these are (a SPoC's); None: the user's own
    can_start: bool


def referrals_for_listing(user) -> Listing:
    """The referrals list: a SPoC's agency's referrals; for everyone else, their own.

    Screeners see everyone's submitted referrals in the screening queue, not here.
    """
    can_start = can_make_referrals(user)
    if can_screen(user):
        return Listing(Referral.objects.filter(created_by=user), None, can_start)
    agency = user.agency if user.role == Role.SPOC and user.agency_id else None
    return Listing(visible_referrals(user), agency, can_start)


# What a referral's own pages show of its links, read with it: the agencies, the person
# record and its case (where it stands).
REFERRAL_PAGE_LINKS = ("referring_agency", "referrer_agency", "person", "case")


def referral_for_viewing(user, pk: int) -> Referral:
    referral = visible_referrals(user).select_related(*REFERRAL_PAGE_LINKS).filter(pk=pk).first()
    if referral is None:
        raise Http404("No such referral")
    return referral


def referral_for_editing(user, pk: int) -> Referral:
    """A referral whose answers this user may change now: theirs, and not yet sent (or back
    with them). Raises AnswersClosed (a PermissionDenied) once it has been sent."""
    referral = referral_for_viewing(user, pk)
    require_maker(user, referral)
    if not referral.is_editable_by_referrer:
        raise AnswersClosed(referral)
    return referral


def referral_for_screening(user, pk: int) -> Referral:
    """A referral for the coordinator's screening page and the decisions made from it."""
    require_screening(user)
    return referral_for_viewing(user, pk)


def visible_people(user) -> QuerySet[Person]:
    """The person records a user may open: every one for those who screen, none for others."""
    if not can_screen(user):
        return Person.objects.none()
    return Person.objects.all()


def person_for_viewing(user, pk: int) -> Person:
    require_screening(user)
    person = visible_people(user).filter(pk=pk).first()
    if person is None:
        raise Http404("No such person")
    return person


def person_for_rights(user, pk: int) -> Person:
    """A person record whose rights this user answers: its subject access export, its
    retention review and its anonymising. 403 for anyone but the coordinator, then 404."""
    require_answering_persons_rights(user)
    person = Person.objects.filter(pk=pk).first()
    if person is None:
        raise Http404("No such person")
    return person


def person_for_merging(user, pk: int) -> Person:
    """A person record another can be merged into: the screeners' to do, as to see."""
    return person_for_viewing(user, pk)
