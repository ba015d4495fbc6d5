"""The pages a case's decisions are taken from, and how a decision's endpoint goes back to one.

A decision about a case (the lead agency, the review of its assessment, the agencies
involved, adoption, an action) is taken on the case page or on the meeting's control view.
Each decision has one POST endpoint, which calls one service; the form says which page it came
from (`return_to`), and the endpoint sends the user back there: redirected on success (on the
control view, to the decision's own section, `#decision-lead`, with the drafts of its boxes
cleared), or the same page shown again with the errors and everything they typed
(docs/meeting-room.md, "The control view").
"""

from dataclasses import dataclass, field

from django import forms as django_forms
from django.db.models import DateField, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from audit.models import How
from audit.services import record_reads
from caspa.core.endpoints import form_at_version, handle_form
from panel import case_pages, meetings, permissions, returns, review_selectors, reviews
from panel.forms import (
    AgenciesForm,
    AppointLeadForm,
    AssessmentReviewForm,
    CaseVersionForm,
    MDTForm,
    MinuteForm,
    NotAdoptForm,
)
from panel.models import AgendaItem, AgendaKind, Case, ItemDraft, PanelMeeting
from panel.selectors import (
    agenda_with_last_reviews,
    current_risks,
    derived_level_of,
    last_review_before,
)


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
        "next_review_on": reviews.default_next_review(
            timezone.localdate(),
            next_meeting_on=getattr(meeting, "next_meeting_on", ...),
        ),
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


# The control view's decisions, each in a section of its own (`#decision-lead`): the form's
# name on the page gives its section, its boxes' ids (`ids_for`) and its drafts' names.
SECTIONS = {
    "adopt": "adopt",
    "not_adopt": "adopt",
    "lead": "lead",
    "review": "review",
    "agencies": "agencies",
    "action": "action",
    "minute": "minute",
}


SECTION_LABELS = {
    "adopt": "Adoption",
    "lead": "Lead agency",
    "review": "Risk review",
    "agencies": "Agencies involved",
    "action": "New action",
    "minute": "Minute",
}


def section_anchor(name: str) -> str:
    return f"#decision-{SECTIONS.get(name, name)}"


def draft_name(form_name: str, field_name: str) -> str:
    """A box's name on the control view, as its draft is kept (`lead-reason`)."""
    return f"{form_name}-{field_name}"


def drafts_for(item: AgendaItem, user) -> dict[str, dict[str, ItemDraft]]:
    """The user's drafts for the item, by form and box: {"lead": {"reason": draft}}."""
    kept: dict[str, dict[str, ItemDraft]] = {}
    for draft in ItemDraft.objects.filter(item=item, user=user):
        form_name, _, field_name = draft.field.partition("-")
        kept.setdefault(form_name, {})[field_name] = draft
    return kept


def apply_drafts(form, drafts: dict[str, ItemDraft]) -> None:
    """Each empty text box of a blank form shows the user's draft for it, and its hint says
    that the text is a draft. A box that shows a saved value keeps it."""
    if form.is_bound:
        return
    for name, draft in drafts.items():
        box = form.fields.get(name)
        if not isinstance(box, django_forms.CharField) or isinstance(
            box.widget, django_forms.HiddenInput
        ):
            continue
        if form.get_initial_for_field(box, name):
            continue
        form.initial[name] = draft.text
        kept = f"Draft kept from {timezone.localtime(draft.saved_at):%H:%M}, not yet saved."
        box.help_text = f"{box.help_text} {kept}" if box.help_text else kept
        box.widget.attrs["data-unsaved"] = ""


def mark_unsaved(form) -> None:
    """A form shown again (refused, or met someone else's change): its text is not saved, and
    the control view's script must know it (it warns before moving on)."""
    for name, box in form.fields.items():
        if isinstance(box, django_forms.CharField) and form.data.get(name, "").strip():
            box.widget.attrs["data-unsaved"] = ""


def _shown(bound_field) -> str:
    """A form's value as the user reads it: the label of a choice, not its key."""
    value = bound_field.value()
    box = bound_field.field
    if isinstance(box, django_forms.MultiValueField):  # a date typed as day, month, year
        if hasattr(value, "strftime"):
            return f"{value:%-d %B %Y}"
        return " ".join(str(part) for part in value or [] if part not in (None, ""))
    values = value if isinstance(value, list | tuple) else [value]
    values = [v for v in values if v not in (None, "")]
    if getattr(box, "choices", None) is not None:
        labels = {str(key): label for key, label in box.choices}
        return ", ".join(str(labels.get(str(v), v)) for v in values)
    return ", ".join(str(v) for v in values)


def conflict_rows(saved_form, typed_form) -> list[dict]:
    """What the other person saved beside what this user typed, box by box: the form as it
    is now (blank, at the new version) against the form the user sent."""
    rows = []
    for name, box in typed_form.fields.items():
        if isinstance(box.widget, django_forms.HiddenInput):
            continue
        saved, typed = _shown(saved_form[name]), _shown(typed_form[name])
        if saved or typed:
            rows.append({"label": box.label, "saved": saved, "typed": typed})
    return rows


@dataclass
class Bound:
    """Forms the user sent, to show again in place of the blank ones."""

    forms: dict = field(default_factory=dict)
    conflict: bool = False

    @property
    def conflicting(self) -> str | None:
        """The name of the form that met someone else's change."""
        return next(iter(self.forms), None) if self.conflict else None


def _conflict_context(bound: Bound, fresh: dict) -> dict:
    name = bound.conflicting
    rows = conflict_rows(fresh[name], bound.forms[name]) if name in fresh else []
    section = SECTIONS.get(name or "", name)
    return {
        "conflict": bound.conflict,
        "conflict_name": name,
        "conflict_section": section,
        "conflict_label": SECTION_LABELS.get(section or "", ""),
        "conflict_rows": rows,
    }


def render_case_page(
    request, case: Case, bound: Bound | None = None, *, page: str = "plan"
) -> HttpResponse:
    """One of the case's sub-pages (panel/case_pages.py): the summary, the sub-navigation and
    the page's own part, with its forms (the ones the user sent, shown again, in place of
    blank ones)."""
    bound = bound or Bound()
    sub_page = case_pages.BY_KEY[page]
    can_run = permissions.can_run_panel(request.user)
    # The part first: what it reads of the case (its risks) the forms then read again free.
    shown = case_pages.part(sub_page.key, request, case, can_run=can_run)
    fresh = case_forms(case)
    forms = {**fresh, **bound.forms}
    if request.method == "GET":
        # The case, and the actions its Actions part shows (free text about the person).
        record_reads(reader=request.user, records=[case, *shown.get("actions_read", [])])
    return render(
        request,
        f"panel/case_{sub_page.key}.html",
        {
            "case": case,
            "sub_page": sub_page,
            "sub_pages": case_pages.SUB_PAGES,
            "summary": case_pages.summary(case),
            **shown,
            "forms": forms,
            "bound_forms": bound.forms,
            "reviewing": review_context(case) if sub_page.key == "plan" else None,
            "can_run_panel": can_run,
            "return_to": request.path
            if request.method == "GET"
            else reverse(sub_page.url_name, args=[case.pk]),
            **_conflict_context(bound, fresh),
        },
        status=409 if bound.conflict else 200,
    )


def _minute_form(item: AgendaItem) -> MinuteForm:
    return MinuteForm(
        initial={"minute": item.minute, "version": item.version}, auto_id=ids_for("minute")
    )


def _select_oob(shown: list[str]) -> dict[str, str]:
    """For each section, what else a save there brings from the page it gets back: the item's
    summary, the messages, and the version the other forms now stand at, so that their next
    save is not taken for someone else's change."""
    return {
        section: ",".join(
            [
                "#control-summary",
                "#control-messages",
                *(f"#id_{name}_version" for name in shown if SECTIONS[name] != section),
            ]
        )
        for section in set(SECTIONS.values())
    }


def _screen_items():
    return (
        AgendaItem.objects.select_related(
            "case", "case__person", "case__lead_agency", "case__referral"
        )
        .prefetch_related("case__involved_agencies")
        .order_by("position", "pk")
    )


def screen_agenda(pk: int) -> tuple[PanelMeeting, list[AgendaItem]]:
    """The meeting (404 if there is none) and its agenda as the control view shows them, in
    one query (two while it has no agenda), with the next meeting's date (the review form's
    default next review: `reviews.default_next_review`)."""
    next_on = Subquery(
        reviews.next_meeting_date_after(timezone.localdate()), output_field=DateField()
    )
    items = agenda_with_last_reviews(
        _screen_items()
        .select_related("meeting")
        .filter(meeting_id=pk)
        .annotate(_next_meeting_on=next_on)
    )
    if not items:
        return get_object_or_404(PanelMeeting.objects.annotate(next_meeting_on=next_on), pk=pk), []
    meeting = items[0].meeting
    meeting.next_meeting_on = items[0]._next_meeting_on
    for item in items:
        item.meeting = meeting
    return meeting, items


def render_meeting_screen(
    request,
    meeting: PanelMeeting,
    position: int,
    bound: Bound | None = None,
    items: list[AgendaItem] | None = None,
) -> HttpResponse:
    """The coordinator's control view of the meeting: the opening (position 0) or one item,
    its summary beside its decisions, each decision a small form of its own. `items`: its
    agenda, if read with it (`screen_agenda`)."""
    bound = bound or Bound()
    if items is None:
        items = agenda_with_last_reviews(_screen_items().filter(meeting=meeting))
    if not 0 <= position <= len(items):
        return redirect("panel:screen", meeting.pk, 0)
    item = items[position - 1] if position else None
    case = item.case if item else None
    can_run = permissions.can_run_panel(request.user)
    fresh = case_forms(case, meeting) if case else {}
    if item:
        fresh["minute"] = _minute_form(item)
    drafts = drafts_for(item, request.user) if item and can_run else {}
    for name, form in fresh.items():
        apply_drafts(form, drafts.get(name, {}))
    for form in bound.forms.values():
        mark_unsaved(form)
    forms = {**fresh, **bound.forms}
    is_new = bool(case and item.kind == AgendaKind.NEW and case.is_new)
    deciding = bool(case and can_run and case.is_on_caseload)
    shown = [
        *(["adopt", "not_adopt"] if is_new and deciding else []),
        *(["lead", "review", "agencies"] if deciding else []),
        *(["minute"] if item and can_run else []),
    ]
    if request.method == "GET":
        # An item's case; at the opening, the agenda's cases, which it names.
        read = [case] if case else [i.case for i in items if i.case]
        record_reads(reader=request.user, records=read, how=How.PAGE if case else How.LIST)
    return render(
        request,
        "panel/meeting_screen.html",
        {
            "meeting": meeting,
            "item": item,
            "case": case,
            "position": position,
            "count": len(items),
            "previous_item": items[position - 2] if position > 1 else None,
            "next_item": items[position] if position < len(items) else None,
            "forms": forms,
            "bound_forms": bound.forms,
            "action_drafts": drafts.get("action", {}),
            "events": case.events.select_related("by").order_by("-happened_at")[:6] if case else [],
            "involved": case.involved_agencies.all() if case else [],
            "current_risks": current_risks(case) if case else [],
            "review_since": last_review_before(case, meeting) if case else None,
            "item_returns": returns.returns_for_meeting_case(meeting, case) if case else None,
            "reviewing": review_context(case, meeting) if case else None,
            "attendance": (meeting.attendance.select_related("agency", "user") if not item else []),
            "agenda": items if not item else [],
            "can_run": can_run,
            "is_new": is_new,
            "deciding": deciding,
            "select_oob": _select_oob(shown),
            "return_to": _screen_path(meeting, position),
            **_conflict_context(bound, fresh),
        },
        status=409 if bound.conflict else 200,
    )


def _screen_path(meeting: PanelMeeting, position: int) -> str:
    return reverse("panel:screen", args=[meeting.pk, position])


def item_at(meeting: PanelMeeting, position: int) -> AgendaItem | None:
    """The agenda item at a position of the control view (1…), or None."""
    items = list(meeting.items.all())
    return items[position - 1] if 1 <= position <= len(items) else None


def _our_page(request, path: str | None):
    """The view `path` names on this site (its URL match), or None for anything else."""
    if not path or not url_has_allowed_host_and_scheme(path, allowed_hosts={request.get_host()}):
        return None
    try:
        return resolve(path)
    except Resolver404:
        return None


def _page_named(request) -> tuple[str, dict] | None:
    """Which page the form came from, if `return_to` names one: the control view, or one of
    a case's sub-pages (panel/case_pages.py)."""
    match = _our_page(request, request.POST.get("return_to", ""))
    if match and (match.view_name == "panel:screen" or match.view_name in case_pages.BY_URL_NAME):
        return match.view_name, match.kwargs
    return None


def _case_page_named(request, case: Case) -> case_pages.SubPage | None:
    """The sub-page of this case the form came from, if it did (another case's is not)."""
    page = _page_named(request)
    if page and page[0] in case_pages.BY_URL_NAME and page[1].get("pk") == case.pk:
        return case_pages.BY_URL_NAME[page[0]]
    return None


def screen_named(request, path: str | None) -> str | None:
    """`path`, if it is a meeting screen on this site: where a page opened from the screen
    goes back to."""
    match = _our_page(request, path)
    return path if match and match.view_name == "panel:screen" else None


def back_to(request, case: Case, name: str | None = None) -> str:
    """Where a decision's endpoint goes on success: the control view it came from, at the
    decision's own section (`name`: the form's name on the page), or the case page."""
    page = _page_named(request)
    if page and page[0] == "panel:screen":
        return request.POST["return_to"] + (section_anchor(name) if name else "")
    sub_page = _case_page_named(request, case)
    return reverse(sub_page.url_name, args=[case.pk]) if sub_page else case.get_absolute_url()


def _screen_item(request, case: Case) -> AgendaItem | None:
    """The agenda item about `case` on the control view the form came from, if it did."""
    page = _page_named(request)
    if not page or page[0] != "panel:screen":
        return None
    meeting = PanelMeeting.objects.filter(pk=page[1]["pk"]).first()
    item = item_at(meeting, page[1]["position"]) if meeting else None
    return item if item and item.case_id == case.pk else None


def _clearing_drafts(decide, request, item: AgendaItem | None, name: str, form_class):
    """`decide`, and then, once the decision is saved, its boxes' drafts are done with."""
    if item is None:
        return decide

    def decide_and_clear(data):
        said = decide(data)
        meetings.item_drafts_clear(
            item_id=item.pk,
            by=request.user,
            fields=[draft_name(name, field_name) for field_name in form_class.base_fields],
        )
        return said

    return decide_and_clear


def show_again(request, case: Case, bound: Bound) -> HttpResponse:
    """The page the form came from, with the user's forms in place of the blank ones."""
    page = _page_named(request)
    if page and page[0] == "panel:screen":
        meeting = PanelMeeting.objects.filter(pk=page[1]["pk"]).first()
        if meeting is not None:
            return render_meeting_screen(request, meeting, page[1]["position"], bound)
    # The sub-page that holds the form, so that its errors show beside its boxes; else the
    # page it came from.
    name = next(iter(bound.forms), "")
    sub_page = case_pages.page_holding(name) or _case_page_named(request, case)
    return render_case_page(request, case, bound, page=sub_page.key if sub_page else "plan")


def take_decision(request, case: Case, name: str, form_class, decide, /, **form_kwargs):
    """A decision about a case, from the case page or the control view."""
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
        _clearing_drafts(decide, request, _screen_item(request, case), name, form_class),
        back=back_to(request, case, name),
        show_again=show,
        again_at_version=again_at_version,
    )


def take_item_decision(request, meeting, position: int, item: AgendaItem, form_class, decide):
    """A change to an agenda item (its minute) on the control view."""

    def show(form, *, conflict):
        return render_meeting_screen(request, meeting, position, Bound({"minute": form}, conflict))

    def again_at_version(record):
        return form_at_version(request, form_class, record.version, auto_id=ids_for("minute"))

    return handle_form(
        request,
        form_class(request.POST, auto_id=ids_for("minute")),
        _clearing_drafts(decide, request, item, "minute", form_class),
        back=_screen_path(meeting, position) + section_anchor("minute"),
        show_again=show,
        again_at_version=again_at_version,
    )
