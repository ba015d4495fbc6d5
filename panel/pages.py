"""The pages a case's decisions are taken from, and how a decision's endpoint goes back to one.

A decision about a case (the lead agency, the review of its assessment, the agencies
involved, adoption, an action) is taken on the case page or on the meeting screen. Each
decision has one POST endpoint, which calls one service; the form says which page it came
from (`return_to`), and the endpoint sends the user back there: redirected on success, or the
same page shown again with the errors and everything they typed.
"""

from dataclasses import dataclass, field

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from audit.services import record_read
from caspa.core.endpoints import form_at_version, handle_form
from panel import assessment, permissions, returns, review_selectors, reviews
from panel.forms import (
    AgenciesForm,
    AppointLeadForm,
    AssessmentReviewForm,
    CaseVersionForm,
    MDTForm,
    MinuteForm,
    NotAdoptForm,
)
from panel.models import AgendaItem, AgendaKind, Case, PanelMeeting
from panel.selectors import derived_level_of, last_review_before


def ids_for(name: str) -> str:
    """Each form on a page gets ids of its own (`id_lead_reason`, `id_not_adopt_reason`), so
    that labels and the error summary's links reach the right box."""
    return f"id_{name}_%s"


def review_initial(case: Case, meeting: PanelMeeting | None = None) -> dict:
    """The review form as the panel starts from: the level its risks give (or the level it
    agreed, with its reason, while that still differs), and the next meeting."""
    derived = derived_level_of(case)
    keeps_override = bool(case.risk_level_reason) and case.risk_level != derived
    return {
        "version": case.version,
        "level": case.risk_level if keeps_override or derived is None else derived,
        "reason": case.risk_level_reason if keeps_override else "",
        "next_review_on": reviews.default_next_review(timezone.localdate()),
        "meeting": meeting.pk if meeting else None,
    }


def review_context(case: Case, meeting: PanelMeeting | None = None) -> dict:
    """The panel's reviews of the case: its band over time and what changed since the last
    (templates/panel/_review.html)."""
    return {
        "history": review_selectors.review_history(case),
        "since": review_selectors.changes_since_last_review(case, meeting=meeting),
        "derived_level": derived_level_of(case),
        "past_review": case.is_past_review(),
    }


def case_forms(case: Case, meeting: PanelMeeting | None = None) -> dict:
    """Blank forms for every decision about the case, at the version the page shows."""
    version = {"version": case.version}
    forms = {
        "adopt": (CaseVersionForm, {"initial": version}),
        "not_adopt": (NotAdoptForm, {"initial": version}),
        "lead": (
            AppointLeadForm,
            {
                "case": case,
                "initial": {
                    **version,
                    "agency": case.lead_agency_id,
                    "officer": case.lead_officer,
                },
            },
        ),
        "review": (AssessmentReviewForm, {"initial": review_initial(case, meeting)}),
        "agencies": (
            AgenciesForm,
            {"initial": {**version, "agencies": list(case.involved_agencies.all())}},
        ),
        "mdt": (MDTForm, {}),
    }
    return {name: form(auto_id=ids_for(name), **kwargs) for name, (form, kwargs) in forms.items()}


@dataclass
class Bound:
    """Forms the user sent, to show again in place of the blank ones."""

    forms: dict = field(default_factory=dict)
    conflict: bool = False


def render_case_page(request, case: Case, bound: Bound | None = None) -> HttpResponse:
    bound = bound or Bound()
    if request.method == "GET":
        record_read(reader=request.user, record=case)
    forms = {**case_forms(case), **bound.forms}
    return render(
        request,
        "panel/case_detail.html",
        {
            "case": case,
            "events": case.events.select_related("by"),
            "involved": case.involved_agencies.all(),
            "forms": forms,
            "bound_forms": bound.forms,
            "actions": case.actions.select_related("owner_agency"),
            "mdts": case.mdt_meetings.prefetch_related("attended"),
            "case_returns": returns.for_viewer(returns.returns_for_case(case), request.user),
            "reviewing": review_context(case),
            "can_run_panel": permissions.can_run_panel(request.user),
            "assessment": assessment.assessment_for_page(
                case, can_change=permissions.can_run_panel(request.user) and case.is_on_caseload
            ),
            "return_to": request.path if request.method == "GET" else case.get_absolute_url(),
            "conflict": bound.conflict,
        },
        status=409 if bound.conflict else 200,
    )


def render_meeting_screen(
    request, meeting: PanelMeeting, position: int, bound: Bound | None = None
) -> HttpResponse:
    bound = bound or Bound()
    items = list(meeting.items.select_related("case", "case__person", "case__lead_agency"))
    if not 0 <= position <= len(items):
        return redirect("panel:screen", meeting.pk, 0)
    item = items[position - 1] if position else None
    case = item.case if item else None
    forms = {**(case_forms(case, meeting) if case else {}), **bound.forms}
    if item and "minute" not in forms:
        forms["minute"] = MinuteForm(
            initial={"minute": item.minute, "version": item.version}, auto_id=ids_for("minute")
        )
    if case and request.method == "GET":
        record_read(reader=request.user, record=case)
    return render(
        request,
        "panel/meeting_screen.html",
        {
            "meeting": meeting,
            "item": item,
            "case": case,
            "position": position,
            "count": len(items),
            "forms": forms,
            "bound_forms": bound.forms,
            "events": case.events.select_related("by").order_by("-happened_at")[:6] if case else [],
            "involved": case.involved_agencies.all() if case else [],
            "review_since": last_review_before(case, meeting) if case else None,
            "item_returns": returns.returns_for_meeting_case(meeting, case) if case else None,
            "reviewing": review_context(case, meeting) if case else None,
            "attendance": meeting.attendance.select_related("agency") if not item else [],
            "can_run": permissions.can_run_panel(request.user),
            "is_new": bool(case and item.kind == AgendaKind.NEW and case.is_new),
            "return_to": _screen_path(meeting, position),
            "conflict": bound.conflict,
        },
        status=409 if bound.conflict else 200,
    )


def _screen_path(meeting: PanelMeeting, position: int) -> str:
    return reverse("panel:screen", args=[meeting.pk, position])


def _our_page(request, path: str | None):
    """The view `path` names on this site (its URL match), or None for anything else."""
    if not path or not url_has_allowed_host_and_scheme(path, allowed_hosts={request.get_host()}):
        return None
    try:
        return resolve(path)
    except Resolver404:
        return None


def _page_named(request) -> tuple[str, dict] | None:
    """Which of the two pages the form came from, if `return_to` names one."""
    match = _our_page(request, request.POST.get("return_to", ""))
    if match and match.view_name in ("panel:case", "panel:screen"):
        return match.view_name, match.kwargs
    return None


def screen_named(request, path: str | None) -> str | None:
    """`path`, if it is a meeting screen on this site: where a page opened from the screen
    goes back to."""
    match = _our_page(request, path)
    return path if match and match.view_name == "panel:screen" else None


def back_to(request, case: Case) -> str:
    page = _page_named(request)
    if page and page[0] == "panel:screen":
        return request.POST["return_to"]
    return case.get_absolute_url()


def show_again(request, case: Case, bound: Bound) -> HttpResponse:
    """The page the form came from, with the user's forms in place of the blank ones."""
    page = _page_named(request)
    if page and page[0] == "panel:screen":
        meeting = PanelMeeting.objects.filter(pk=page[1]["pk"]).first()
        if meeting is not None:
            return render_meeting_screen(request, meeting, page[1]["position"], bound)
    return render_case_page(request, case, bound)


def take_decision(request, case: Case, name: str, form_class, decide, /, **form_kwargs):
    """A decision about a case, from the case page or the meeting screen."""
    form_kwargs["auto_id"] = ids_for(name)

    def show(form, *, conflict):
        now = Case.objects.get(pk=case.pk) if conflict else case
        return show_again(request, now, Bound({name: form}, conflict=conflict))

    def again_at_version(record):
        if "case" in form_kwargs:
            form_kwargs["case"] = record
        return form_at_version(request, form_class, record.version, **form_kwargs)

    return handle_form(
        request,
        form_class(request.POST, **form_kwargs),
        decide,
        back=back_to(request, case),
        show_again=show,
        again_at_version=again_at_version,
    )


def take_item_decision(request, meeting, position: int, item: AgendaItem, form_class, decide):
    """A change to an agenda item (its minute) on the meeting screen."""

    def show(form, *, conflict):
        return render_meeting_screen(request, meeting, position, Bound({"minute": form}, conflict))

    def again_at_version(record):
        form = form_at_version(request, form_class, record.version, auto_id=ids_for("minute"))
        form.conflicting_minute = record.minute
        return form

    return handle_form(
        request,
        form_class(request.POST, auto_id=ids_for("minute")),
        decide,
        back=_screen_path(meeting, position),
        show_again=show,
        again_at_version=again_at_version,
    )
