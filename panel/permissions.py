"""Who sees and who runs which case: the panel's one access door, and the only module of the
panel app that talks to django-guardian.

The rule: an agency sees a case while it is involved in it, and for a handover period after
it closes (panel/rules/access_after_closure.py). The coordinator, admin staff and
the chair see every case (their role's view_all_cases permission); managers see none (they
have the dashboard's aggregates). Guardian's rows are derived from the rule by one function,
`sync_case_access`, which every change of involvement calls, so the rows cannot drift from
it (docs/engineering-notes.md, "Object permissions (django-guardian)").

The doors answer 404 for a case the user may not know exists, and 403 for a case they may
see but not change.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user, get_perms_for_model

from accounts.models import Agency
from accounts.roles import Perm, Role
from caspa.core.refusals import RefusedWithReason
from caspa.core.time_words import date_in_words
from panel.models import (
    AgencyReturn,
    Attendance,
    Case,
    CaseGroupObjectPermission,
    MinutesStatus,
    PanelMeeting,
)
from panel.rules import access_after_closure, meeting_room

VIEW_CASE = "panel.view_case"

RUN_PANEL_ONLY = "Only the panel coordinator and admin staff change cases and meetings."
FOLLOW_PANEL_ONLY = "Only the panel coordinator, admin staff and chair see the panel's meetings."
CHAIR_ONLY = "Only the chair approves the minutes."
RETURN_SPOC_ONLY = "Only {agency}'s single point of contact sends its return."


def agencies_with_access(case: Case) -> set[int]:
    """The rule, as the ids of the agencies whose people see the case: those involved in it."""
    return set(case.involved_agencies.values_list("pk", flat=True))


def sync_case_access(case: Case) -> None:
    """Make guardian's rows for the case say what `agencies_with_access` says.

    Every service that changes who is involved in a case calls this, inside its transaction.
    """
    view = get_perms_for_model(Case).get(codename="view_case")
    wanted = set(
        Agency.objects.filter(pk__in=agencies_with_access(case)).values_list("group_id", flat=True)
    )
    rows = CaseGroupObjectPermission.objects.filter(content_object=case, permission=view)
    held = set(rows.values_list("group_id", flat=True))
    rows.exclude(group_id__in=wanted).delete()
    CaseGroupObjectPermission.objects.bulk_create(
        CaseGroupObjectPermission(content_object=case, permission=view, group_id=group_id)
        for group_id in wanted - held
    )


def sees_every_case(user) -> bool:
    return user.has_perm(Perm.VIEW_ALL_CASES)


def can_see_cases(user) -> bool:
    return sees_every_case(user) or user.has_perm(Perm.VIEW_AGENCY_CASES)


def can_run_panel(user) -> bool:
    return user.has_perm(Perm.RUN_PANEL)


def sees_who_read_cases(user) -> bool:
    """Who has looked at a case (the read audit, docs/read-audit.md) is for the coordinator
    and the panel's admin staff: those who run the panel."""
    return can_run_panel(user)


def can_chair(user) -> bool:
    return user.has_perm(Perm.CHAIR_PANEL)


def cases_involving_agency(user) -> QuerySet[Case]:
    """The cases the user's agency is involved in, open or closed (guardian's rows)."""
    return get_objects_for_user(user, VIEW_CASE, klass=Case, accept_global_perms=False)


def visible_cases(user) -> QuerySet[Case]:
    """Every case for the coordinator's staff. For the chair, every case but those closed
    past the handover period (panel/rules/access_after_closure.py), unless their agency took
    it on; for an agency's people, the cases their agency is involved in, likewise."""
    if can_run_panel(user):
        return Case.objects.all()
    if sees_every_case(user):
        cases = Case.objects.all()
    elif user.has_perm(Perm.VIEW_AGENCY_CASES):
        cases = cases_involving_agency(user)
    else:
        return Case.objects.none()  # managers: aggregates only, on the dashboard
    return cases.seen_after_closure_by(user.agency_id, now=timezone.now())


def case_for_viewing(user, pk: int) -> Case:
    """The case, if the user may see it; 404 otherwise, or 403 saying why for an agency
    whose handover period after closure has ended."""
    # Every page of the case shows its person, its lead agency and its referral (and its People
    # page who made it, from which agency); a closed case's plan the agency that took it on,
    # a reopened case's the case it reopens: read with it.
    case = (
        visible_cases(user)
        .filter(pk=pk)
        .select_related(
            "person",
            "lead_agency",
            "step_down_agency",
            "previous_case",
            "referral__referrer_agency",
            "referral__referring_agency",
            "referral__created_by",
        )
        .first()
    )
    if case is not None:
        return case
    if can_see_cases(user):
        ended = (
            Case.objects.filter(pk=pk, closed_at__isnull=False)
            if sees_every_case(user)
            else cases_involving_agency(user).filter(pk=pk, closed_at__isnull=False)
        ).first()
        if ended is not None:
            raise RefusedWithReason(
                access_after_closure.HANDOVER_ENDED.format(
                    closed=date_in_words(timezone.localdate(ended.closed_at)),
                    months=settings.CASE_ACCESS_AFTER_CLOSURE_MONTHS,
                )
            )
    raise Http404("No such case")


def case_for_running(user, pk: int) -> Case:
    """The case, if the user runs the panel: 404 if they may not see it, 403 if they may see
    it but not change it."""
    case = case_for_viewing(user, pk)
    require_running_the_panel(user)
    return case


def require_running_the_panel(user) -> None:
    """For the panel's pages that are about no one case (the waiting list, meetings)."""
    if not can_run_panel(user):
        raise PermissionDenied(RUN_PANEL_ONLY)


def meeting_for_running(user, pk: int) -> PanelMeeting:
    """The meeting, if the user runs the panel: 403 if they do not, 404 if there is none."""
    require_running_the_panel(user)
    meeting = PanelMeeting.objects.filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


def can_follow_the_panel(user) -> bool:
    """The panel's meetings, their agendas, packs and minutes name every case on them."""
    return sees_every_case(user)


def require_following_the_panel(user) -> None:
    if not can_follow_the_panel(user):
        raise PermissionDenied(FOLLOW_PANEL_ONLY)


def following(user, meeting: PanelMeeting) -> meeting_room.Following:
    """Whether the user may follow the meeting on the room display, and why not
    (panel.rules.meeting_room.may_follow): always for those who see every case; for a panel
    member or SPoC only while it runs, marked present and agreed to confidentiality."""
    if sees_every_case(user):
        return meeting_room.Following(True)
    attendance = (
        Attendance.objects.filter(meeting=meeting, user=user, apologies=False)
        .order_by("-agreed_to_confidentiality")
        .first()
        if user.is_authenticated
        else None
    )
    return meeting_room.may_follow(
        sees_every_case=False,
        follows_meetings=user.has_perm(Perm.FOLLOW_PANEL_MEETING),
        running=meeting.is_running,
        present=attendance is not None,
        agreed=bool(attendance and attendance.agreed_to_confidentiality),
    )


# --- the minutes: the whole minutes, or an agency's cut of them (docs/minutes.md) ---------

AGENCY_MINUTES_ONLY = "You receive the minutes about your own agency's cases only."
DRAFT_MINUTES_STAY = (
    "These minutes are still a draft: the agencies receive them once the chair approves them."
)


def receives_agency_minutes(user) -> bool:
    """A panel member or SPoC receives each meeting's approved minutes, cut to the items about
    the cases their agency is involved in (the information sharing protocol)."""
    return (
        not sees_every_case(user)
        and user.has_perm(Perm.FOLLOW_PANEL_MEETING)
        and user.agency_id is not None
    )


def can_list_meetings(user) -> bool:
    """The list of meetings: in full for those who follow the panel; the dates and their
    agency's approved minutes for panel members and SPoCs."""
    return can_follow_the_panel(user) or receives_agency_minutes(user)


def agency_receiving_minutes(user) -> Agency:
    """The agency whose cut of the minutes a panel member or SPoC receives: their own. 403 for
    anyone else who does not follow the panel."""
    if not receives_agency_minutes(user):
        raise PermissionDenied(FOLLOW_PANEL_ONLY)
    return user.agency


def minutes_for_reading(user, pk: int, *, agency_pk: int | None = None):
    """The meeting and whose cut of its minutes the user reads: (meeting, None) for the whole
    minutes, (meeting, agency) for an agency's. The coordinator, admin staff and the chair
    read the whole minutes, draft or approved, and any agency's cut; a panel member or SPoC
    only their own agency's cut of approved minutes. 404 for no such meeting or agency, 403
    otherwise."""
    meeting = PanelMeeting.objects.filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting")
    if can_follow_the_panel(user):
        if agency_pk is None:
            return meeting, None
        agency = Agency.objects.filter(pk=agency_pk).first()
        if agency is None:
            raise Http404("No such agency")
        return meeting, agency
    agency = agency_receiving_minutes(user)
    if agency_pk is not None and agency_pk != agency.pk:
        raise PermissionDenied(AGENCY_MINUTES_ONLY)
    if meeting.minutes_status != MinutesStatus.APPROVED:
        raise PermissionDenied(DRAFT_MINUTES_STAY)
    return meeting, agency


def require_chairing(user) -> None:
    if not can_chair(user):
        raise PermissionDenied(CHAIR_ONLY)


def submits_returns(user) -> bool:
    """An agency's single point of contact sends its returns before each panel meeting."""
    return user.role == Role.SPOC and user.agency_id is not None


def may_submit_return(user, agency_return: AgencyReturn) -> bool:
    """The rule for sending a return the user can see: their own agency's."""
    return submits_returns(user) and user.agency_id == agency_return.agency_id


def return_for_submitting(user, pk: int) -> AgencyReturn:
    """The return, if its case is one the user sees (404 otherwise: an agency that left the
    case no longer sees its returns) and the user is the SPoC of the agency it is asked of
    (403 otherwise)."""
    agency_return = (
        AgencyReturn.objects.filter(pk=pk, case__in=visible_cases(user))
        .select_related("meeting", "case", "case__person", "agency")
        .first()
    )
    if agency_return is None:
        raise Http404("No such return")
    if not may_submit_return(user, agency_return):
        raise PermissionDenied(RETURN_SPOC_ONLY.format(agency=agency_return.agency.name))
    return agency_return


def case_record_for_running(user, model, pk: int):
    """A record that belongs to one case (a risk, a desired outcome, an intervention), if the
    user runs the panel: the case's door decides, so 404 if they may not see the case, 403 if
    they may see it but not change it."""
    record = model.objects.select_related("case").filter(pk=pk).first()
    if record is None:
        raise Http404("No such record")
    case_for_running(user, record.case_id)
    return record
