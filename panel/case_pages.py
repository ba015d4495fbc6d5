"""The case page's sub-pages: a summary at the top of each, then one part of the case.

The case is read in parts, each a page of its own (so that each works without JavaScript and
has an address to link to): the plan (its risk assessment, reviews and outcome), its actions,
the meetings that heard it, its chronology and the people involved. Each page holds the
forms of the changes that belong to it; every form still posts to its change's one endpoint,
which goes back to the page it came from (panel/pages.py). Every sub-page is behind the same
door, `panel.permissions.case_for_viewing`, and each GET is a read of the case
(docs/case-page.md).

This module does not import panel/pages.py: pages.py composes these parts with the forms.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from audit.selectors import reads_of_records
from caspa.core.paging import page_of
from panel import assessment, permissions, returns
from panel.forms import ChronologyFilterForm
from panel.models import AgendaItem, Case, PanelMeeting
from referrals import permissions as referral_permissions


@dataclass(frozen=True)
class SubPage:
    key: str
    label: str
    url_name: str
    # The forms on the page (their names in pages.case_forms), so that a form sent back with
    # its errors is shown again on the page that holds it.
    forms: tuple[str, ...] = ()


SUB_PAGES = (
    SubPage("plan", "Plan", "panel:case", ("review",)),
    SubPage("actions", "Actions", "panel:case_actions", ("action",)),
    SubPage("meetings", "Meetings", "panel:case_meetings", ("mdt",)),
    SubPage("chronology", "Chronology", "panel:case_chronology"),
    SubPage("people", "People involved", "panel:case_people", ("lead", "agencies")),
)
BY_KEY = {page.key: page for page in SUB_PAGES}
BY_URL_NAME = {page.url_name: page for page in SUB_PAGES}


def page_holding(form_name: str) -> SubPage | None:
    """The sub-page that holds the form, if one does."""
    return next((page for page in SUB_PAGES if form_name in page.forms), None)


def next_meeting_item(case: Case, today=None) -> AgendaItem | None:
    """The next panel meeting with the case on its agenda: today's (unless it has ended) or a
    later one."""
    today = today or timezone.localdate()
    return (
        case.agenda_items.filter(meeting__date__gte=today, meeting__ended_at__isnull=True)
        .select_related("meeting")
        .order_by("meeting__date")
        .first()
    )


def summary(case: Case) -> dict:
    """What every sub-page shows at its top: who, where the case stands, who leads, when it is
    next reviewed and heard."""
    return {
        "next_item": next_meeting_item(case),
        "past_review": case.is_past_review(),
    }


# --- each sub-page's own part ---------------------------------------------------------------


def plan_part(request, case: Case, *, can_run: bool) -> dict:
    return {
        "assessment": assessment.assessment_for_page(
            case, can_change=can_run and case.is_on_caseload
        ),
    }


def actions_part(request, case: Case, *, can_run: bool) -> dict:
    rows = list(case.actions.select_related("owner_agency"))
    return {
        "open_actions": [action for action in rows if action.is_open],
        "finished_actions": [action for action in rows if not action.is_open],
        "actions_read": rows,
    }


def may_read_minutes(user, meeting: PanelMeeting) -> bool:
    """Whether the minutes' own door lets the user read the meeting's minutes (whole, or their
    agency's cut), so that the page never offers a link that refuses."""
    try:
        permissions.minutes_for_reading(user, meeting.pk)
    except (PermissionDenied, Http404):
        return False
    return True


def meetings_part(request, case: Case, *, can_run: bool) -> dict:
    items = case.agenda_items.select_related("meeting").order_by("-meeting__date")
    today = timezone.localdate()
    heard = [
        {
            "item": item,
            "meeting": item.meeting,
            "to_come": item.meeting.date > today
            or (item.meeting.date == today and item.meeting.ended_at is None),
            "minutes_readable": may_read_minutes(request.user, item.meeting),
        }
        for item in items
    ]
    return {
        "panel_meetings": heard,
        "mdts": case.mdt_meetings.prefetch_related("attended"),
        "case_returns": returns.for_viewer(returns.returns_for_case(case), request.user),
    }


def chronology_part(request, case: Case, *, can_run: bool) -> dict:
    """The chronology, newest first, filtered by kind (`?kind=actions`), 25 a page."""
    form = ChronologyFilterForm(request.GET or None)
    kind = form.cleaned_data["kind"] if form.is_bound and form.is_valid() else ""
    events = case.events.select_related("by").order_by("-happened_at", "-pk")
    if kind:
        events = events.filter(kind=kind)
    return {
        "filter_form": form,
        "kind": kind,
        "kind_label": dict(form.fields["kind"].choices).get(kind, ""),
        "events": page_of(request, events),
        # The case's own actions: their references in the chronology link to their pages.
        "action_ids": set(case.actions.values_list("pk", flat=True)),
    }


def who_read(case: Case) -> list[dict]:
    """Who has looked at the case, its referral, its person's record and its actions: newest
    first, each read with what it was of, by reference."""
    referral, person, action_model = case.referral, case.person, case.actions.model
    action_type = action_model._meta.label_lower
    what_of = {
        (Case._meta.label_lower, case.pk): ("the case", case.reference),
        (referral._meta.label_lower, referral.pk): ("the referral", referral.reference),
        (person._meta.label_lower, person.pk): ("the person's record", person.reference),
    }
    records = {record_type: [pk] for record_type, pk in what_of}
    records[action_type] = case.actions.values("pk")
    rows = []
    for read in reads_of_records(records):
        what = what_of.get((read.record_type, read.record_id))
        if what is None:  # one of the case's actions
            what = ("an action", action_model(pk=read.record_id).reference)
        rows.append({"read": read, "what": what[0], "reference": what[1]})
    return rows


def people_part(request, case: Case, *, can_run: bool) -> dict:
    referral = case.referral
    return {
        "who_read": who_read(case) if permissions.sees_who_read_cases(request.user) else None,
        "involved": case.involved_agencies.select_related("spoc").order_by("name"),
        "referral": referral,
        "referrer_agency": referral.referrer_agency or referral.referring_agency,
        # Linked only for those the referral's own door lets in.
        "referral_readable": referral_permissions.visible_referrals(request.user)
        .filter(pk=referral.pk)
        .exists(),
    }


PARTS = {
    "plan": plan_part,
    "actions": actions_part,
    "meetings": meetings_part,
    "chronology": chronology_part,
    "people": people_part,
}


def part(key: str, request, case: Case, *, can_run: bool) -> dict:
    return PARTS[key](request, case, can_run=can_run)
