"""Referral pages, and the changes made from them.

A GET view renders a page. Each change has its own POST-only endpoint: it parses its form,
calls one service, and redirects; or it shows the page the form came from again, with what
went wrong next to the field and everything the user typed. Each view's first call is its
one door, or one guard (referrals.permissions).

Accepting a referral opens a case, so its endpoint is the pathway's (panel.referral_views);
the screening page's accept form posts there.
"""

from functools import partial, wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from audit.models import How
from audit.selectors import reads_of
from audit.services import record_read, record_reads
from caspa.core.endpoints import data_at_version, form_at_version, handle_form
from caspa.core.forms import add_validation_errors
from caspa.core.locking import ChangedMeanwhile
from caspa.core.paging import page_of
from caspa.templatetags.govuk import error_anchor
from referrals import permissions, selectors, services
from referrals.choices import Status
from referrals.forms import (
    SECTION_FORMS,
    AcceptForm,
    AnswerQuestionForm,
    AskForInformationForm,
    DeclineForm,
    LinkPersonForm,
    MergePeopleForm,
    ScreeningQueueFilterForm,
    VersionForm,
)
from referrals.models import Referral
from referrals.rules import completeness, sections
from referrals.summary import referral_summary

SAVED_AS_DRAFT = "Your answers are saved as a draft. Come back to them at any time."
LINKED = "The referral is linked to the person's record."
MERGED = "The two records are now one. Both histories are kept."
CHANGED_BEFORE_DELETING = (
    "The draft was changed after you opened this page. Check it is still the one to delete."
)


def _answers_closed_show_the_referral(view=None, *, saying=permissions.ANSWERS_CLOSED):
    """A referral sent for screening can be seen by its maker but no longer changed: a page
    or change of its answers says so (`saying`), on the referral's page."""
    if view is None:
        return partial(_answers_closed_show_the_referral, saying=saying)

    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        try:
            return view(request, pk, *args, **kwargs)
        except permissions.AnswersClosed as closed:
            messages.info(request, saying)
            return redirect("referrals:detail", closed.referral.pk)

    return wrapper


# --- the referrer's side -------------------------------------------------------------------


@login_required
@require_safe
def referral_list(request):
    listing = permissions.referrals_for_listing(request.user)
    stands = request.GET.get("stands", "")
    chosen = selectors.STANDING_FILTERS_BY_SLUG.get(stands)
    counts = selectors.standing_counts(listing.referrals)
    paged = page_of(request, selectors.referrals_standing(listing.referrals, stands))
    record_reads(reader=request.user, records=paged.rows, how=How.LIST)
    context = {
        "listing": listing,
        "paged": paged,
        "filters": [(f, counts[f.slug]) for f in selectors.STANDING_FILTERS],
        "chosen": chosen,
    }
    return render(request, "referrals/list.html", context)


@login_required
@require_safe
def referral_start(request):
    permissions.require_making_referrals(request.user)
    return render(request, "referrals/start.html")


@login_required
@require_POST
def referral_create_draft(request):
    permissions.require_making_referrals(request.user)
    referral = services.referral_start(by=request.user)
    return redirect("referrals:detail", referral.pk)


def _with_agencies_involved(referral: Referral) -> Referral:
    """The referral with the agencies it says are involved read once, for a page that shows its
    answers (its summary and the completeness rule both read them)."""
    prefetch_related_objects([referral], "agencies_involved")
    return referral


def _detail_page(request, referral, *, answer_form=None, missing=None, conflict=None, status=200):
    summary = referral_summary(_with_agencies_involved(referral))
    editable = permissions.may_change_answers(request.user, referral)
    questions = selectors.questions_and_answers(referral)
    question = selectors.open_question(referral, questions)
    if answer_form is None and editable and question:
        answer_form = AnswerQuestionForm(initial={"version": referral.version})
    context = {
        "referral": referral,
        "summary": summary,
        "editable": editable,
        "open_question": question,
        # The question open now is asked at the top; those answered are listed together.
        "answered_questions": [q for q in questions if not q.is_open],
        "answer_form": answer_form,
        "missing": missing_with_links(referral, missing) if missing else [],
        "conflict": conflict,
        "history": selectors.referral_history(referral, request.user, questions),
        "sections_completed": sum(s.state == completeness.SectionState.COMPLETED for s in summary),
    }
    return render(request, "referrals/detail.html", context, status=status)


@login_required
@require_safe
def referral_detail(request, pk):
    referral = permissions.referral_for_viewing(request.user, pk)
    record_read(reader=request.user, record=referral)
    return _detail_page(request, referral)


@login_required
@require_POST
@_answers_closed_show_the_referral
def referral_answer_question(request, pk):
    """The referrer's answer to the coordinator's question: it sends the referral back."""
    referral = permissions.referral_for_editing(request.user, pk)
    form = AnswerQuestionForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, referral, answer_form=form)
    try:
        services.referral_answer_question(
            referral_id=referral.pk,
            by=request.user,
            version=form.cleaned_data["version"],
            answer=form.cleaned_data["answer"],
        )
    except services.IncompleteReferral as incomplete:
        return _detail_page(request, referral, answer_form=form, missing=incomplete.missing)
    except ChangedMeanwhile as changed:
        now = changed.record
        return _detail_page(
            request,
            now,
            answer_form=form_at_version(request, AnswerQuestionForm, now.version),
            conflict=selectors.changes_since(now, changed.seen_version, request.user),
            status=409,
        )
    except ValidationError as refusal:
        if not hasattr(refusal, "error_dict"):
            # Not about the answer: there is no question to answer (a draft). Its page says so.
            messages.info(request, " ".join(refusal.messages))
            return redirect("referrals:detail", referral.pk)
        add_validation_errors(form, refusal)
        return _detail_page(request, referral, answer_form=form)
    return redirect("referrals:sent", referral.pk)


def _draft_or_back_to_it(request, referral):
    """A delete page or change for a referral that is no longer a draft: its page, saying so."""
    if referral.status == Status.DRAFT:
        return None
    messages.info(request, services.ONLY_DRAFTS_DELETED)
    return redirect("referrals:detail", referral.pk)


@login_required
@require_safe
@_answers_closed_show_the_referral(saying=services.ONLY_DRAFTS_DELETED)
def referral_delete(request, pk):
    """Are you sure? The page before a draft is deleted."""
    referral = permissions.referral_for_editing(request.user, pk)
    back = _draft_or_back_to_it(request, referral)
    if back:
        return back
    record_read(reader=request.user, record=referral)
    return render(request, "referrals/delete.html", {"referral": referral})


@login_required
@require_POST
@_answers_closed_show_the_referral(saying=services.ONLY_DRAFTS_DELETED)
def referral_delete_draft(request, pk):
    referral = permissions.referral_for_editing(request.user, pk)
    not_a_draft = _draft_or_back_to_it(request, referral)
    if not_a_draft:
        return not_a_draft
    form = VersionForm(request.POST)
    ask_again = redirect("referrals:delete", referral.pk)
    if not form.is_valid():
        messages.info(request, CHANGED_BEFORE_DELETING)
        return ask_again
    try:
        reference = services.referral_delete_draft(
            referral_id=referral.pk, by=request.user, version=form.cleaned_data["version"]
        )
    except ChangedMeanwhile:
        # Saved in another tab meanwhile: ask again, about the draft as it is now.
        messages.info(request, CHANGED_BEFORE_DELETING)
        return ask_again
    except ValidationError as refusal:
        messages.info(request, " ".join(refusal.messages))
        return redirect("referrals:detail", referral.pk)
    messages.success(request, f"Draft referral {reference} is deleted.")
    return redirect("referrals:list")


def _section_form_class(section: str):
    try:
        return SECTION_FORMS[section]
    except KeyError:
        raise Http404("No such section") from None


def _section_page(request, referral, section, form, *, conflict=None, saved=False, status=200):
    if request.method == "GET":
        record_read(reader=request.user, record=referral)
    context = {
        "referral": referral,
        "section": sections.SECTIONS_BY_SLUG[section],
        "form": form,
        "conflict": conflict,
        "saved": saved,
    }
    return render(request, "referrals/section.html", context, status=status)


@login_required
@require_safe
@_answers_closed_show_the_referral
def referral_section(request, pk, section):
    referral = permissions.referral_for_editing(request.user, pk)
    form = _section_form_class(section)(referral=referral)
    if request.GET.get("check"):
        # Opened from the check page's "still missing" links: say what is missing, here.
        form.add_missing(completeness.missing_answers(referral.answers()))
    return _section_page(request, referral, section, form)


@login_required
@require_POST
@_answers_closed_show_the_referral
def referral_save_section(request, pk, section):
    referral = permissions.referral_for_editing(request.user, pk)
    form_class = _section_form_class(section)
    form = form_class(request.POST, referral=referral)
    if not form.is_valid():
        return _section_page(request, referral, section, form)
    try:
        referral = services.referral_save_answers(
            referral_id=referral.pk,
            by=request.user,
            version=form.cleaned_data["version"],
            answers=form.answers(),
        )
    except ChangedMeanwhile as changed:
        now = changed.record
        form = form_class(data_at_version(request.POST, now.version), referral=now)
        form.is_valid()
        conflict = selectors.changes_since(now, changed.seen_version, request.user)
        return _section_page(request, now, section, form, conflict=conflict, status=409)
    except ValidationError as refusal:
        add_validation_errors(form, refusal)
        return _section_page(request, referral, section, form)

    if request.POST.get("then") == "later":
        messages.success(request, SAVED_AS_DRAFT)
        return redirect("referrals:detail", referral.pk)

    still_missing = [
        m for m in completeness.missing_answers(referral.answers()) if m.section == section
    ]
    if still_missing:
        # Saved, but not complete: the same page, as typed, saying what the section still needs.
        form = form_class(data_at_version(request.POST, referral.version), referral=referral)
        form.is_valid()
        form.add_missing(still_missing)
        return _section_page(request, referral, section, form, saved=True)

    following = sections.section_after(section)
    if following:
        return redirect("referrals:section", referral.pk, following)
    return redirect("referrals:check", referral.pk)


def missing_with_links(referral, missing: list[completeness.Missing]) -> list[tuple]:
    """Each missing answer with the address of its question: its section, at its first input,
    with the section's missing answers shown next to their fields."""
    forms = {}
    links = []
    for item in missing:
        if item.section not in forms:
            forms[item.section] = SECTION_FORMS[item.section](referral=referral)
        url = reverse("referrals:section", args=[referral.pk, item.section])
        links.append((item, f"{url}?check=1#{error_anchor(forms[item.section][item.field])}"))
    return links


def _check_page(request, referral, *, missing=None, tried=False, stale=False, conflict=None):
    if request.method == "GET":
        record_read(reader=request.user, record=referral)
    _with_agencies_involved(referral)
    if missing is None:
        missing = completeness.missing_answers(referral.answers())
    context = {
        "referral": referral,
        "summary": referral_summary(referral),
        "missing": missing_with_links(referral, missing),
        "tried": tried,
        "stale": stale,
        "conflict": conflict,
    }
    return render(request, "referrals/check.html", context, status=409 if conflict else 200)


@login_required
@require_safe
@_answers_closed_show_the_referral
def referral_check(request, pk):
    referral = permissions.referral_for_editing(request.user, pk)
    return _check_page(request, referral)


@login_required
@require_POST
@_answers_closed_show_the_referral
def referral_submit(request, pk):
    referral = permissions.referral_for_editing(request.user, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _check_page(request, referral, stale=True)
    try:
        referral = services.referral_submit(
            referral_id=referral.pk, by=request.user, version=form.cleaned_data["version"]
        )
    except services.IncompleteReferral as incomplete:
        return _check_page(request, referral, missing=incomplete.missing, tried=True)
    except ChangedMeanwhile as changed:
        conflict = selectors.changes_since(changed.record, changed.seen_version, request.user)
        return _check_page(request, changed.record, conflict=conflict)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect("referrals:detail", referral.pk)
    return redirect("referrals:sent", referral.pk)


@login_required
@require_safe
def referral_sent(request, pk):
    referral = permissions.referral_for_viewing(request.user, pk)
    if not referral.is_waiting_for_screening:
        return redirect("referrals:detail", referral.pk)
    record_read(reader=request.user, record=referral)
    return render(request, "referrals/submitted.html", {"referral": referral})


# --- screening -----------------------------------------------------------------------------


@login_required
@require_safe
def screening_queue(request):
    """The referrals waiting for a decision, oldest first, 25 a page. A filter that is wrong
    shows none, with what is wrong by its box."""
    permissions.require_screening(request.user)
    form = ScreeningQueueFilterForm(request.GET or None)
    queue = Referral.objects.none()
    if not form.is_bound:
        queue = selectors.screening_queue({})
    elif form.is_valid():
        queue = selectors.screening_queue(form.cleaned_data)
    paged = page_of(request, queue)
    record_reads(reader=request.user, records=paged.rows, how=How.LIST)
    context = {
        "form": form,
        "paged": paged,
        "queue": selectors.with_days_waiting(paged.rows, timezone.now()),
        "filtered": form.is_bound and any(form.data.get(name) for name in ("agency", "show")),
        "waiting": selectors.waiting_counts(),
    }
    return render(request, "referrals/screening_queue.html", context)


def _screening_page(request, referral, *, search="", sent=None, conflict=None, status=200):
    """The screening page: each decision's form as new, but those in `sent` ({name: form}),
    which are as the user sent them, with what was wrong."""
    choices = selectors.person_choices(referral, search)
    questions = selectors.questions_and_answers(referral)
    _with_agencies_involved(referral)
    initial = {"initial": {"version": referral.version}}
    forms = {
        "link": LinkPersonForm(**initial, candidates=choices.candidates),
        "accept": AcceptForm(**initial),
        "ask": AskForInformationForm(**initial),
        "decline": DeclineForm(**initial),
        **(sent or {}),
    }
    context = {
        "referral": referral,
        "summary": referral_summary(referral),
        "forms": forms,
        "candidates": choices.candidates,
        "found": choices.found,
        "search": search,
        "earlier": selectors.earlier_referrals(referral.person, before=referral)
        if referral.person
        else [],
        "questions": questions,
        "history": selectors.referral_history(referral, request.user, questions),
        "conflict": conflict,
        "reads": reads_of(referral),
    }
    return render(request, "referrals/screening_detail.html", context, status=status)


@login_required
@require_safe
def screening_detail(request, pk):
    referral = permissions.referral_for_screening(request.user, pk)
    record_read(reader=request.user, record=referral)
    return _screening_page(request, referral)


@login_required
@require_POST
def screening_find_person(request, pk):
    """The screening page with the people held that the coordinator's search finds. It changes
    nothing, but posts: the name or NHS number searched for stays out of the address (and so
    out of browsers' histories and the servers' access logs). Each record found is a read."""
    referral = permissions.referral_for_screening(request.user, pk)
    record_read(reader=request.user, record=referral)
    search = request.POST.get("search", "")
    record_reads(reader=request.user, records=selectors.search_people(search), how=How.SEARCH)
    return _screening_page(request, referral, search=search)


def _screening_change(request, referral, name, form_class, decide, *, back, search="", **kwargs):
    """One screening decision: parse, call the service, go back; or the screening page again
    with the errors, or (someone decided first) as it is now, with what changed and this form
    as the user sent it."""

    def form_for(now, data):
        if form_class is LinkPersonForm:
            kwargs["candidates"] = selectors.person_choices(now, search).candidates
        return form_class(data, **kwargs)

    def show(form, *, conflict):
        if not conflict:
            return _screening_page(request, referral, search=search, sent={name: form})
        now = Referral.objects.get(pk=referral.pk)
        seen = int(request.POST["version"])  # the form was valid, so its version is a number
        return _screening_page(
            request,
            now,
            search=search,
            sent={name: form},
            conflict=selectors.changes_since(now, seen, request.user),
            status=409,
        )

    def again_at_version(now):
        form = form_for(now, data_at_version(request.POST, now.version))
        form.is_valid()
        return form

    return handle_form(
        request,
        form_for(referral, request.POST),
        decide,
        back=back,
        show_again=show,
        again_at_version=again_at_version,
    )


@login_required
@require_POST
def screening_link_person(request, pk):
    referral = permissions.referral_for_screening(request.user, pk)

    def decide(data):
        services.referral_link_person(
            referral_id=referral.pk,
            by=request.user,
            version=data["version"],
            person_id=data["person_id"],
        )
        return [(messages.SUCCESS, LINKED)]

    return _screening_change(
        request,
        referral,
        "link",
        LinkPersonForm,
        decide,
        back=reverse("referrals:screening_detail", args=[referral.pk]),
        search=request.POST.get("search", ""),
    )


@login_required
@require_POST
def screening_ask_for_information(request, pk):
    referral = permissions.referral_for_screening(request.user, pk)

    def decide(data):
        services.referral_ask_for_information(referral_id=referral.pk, by=request.user, **data)
        return [
            (
                messages.SUCCESS,
                f"{referral.reference} is back with the referrer, "
                "who has been e-mailed a link to your question.",
            )
        ]

    return _screening_change(
        request,
        referral,
        "ask",
        AskForInformationForm,
        decide,
        back=reverse("referrals:screening_queue"),
    )


@login_required
@require_POST
def screening_decline(request, pk):
    referral = permissions.referral_for_screening(request.user, pk)

    def decide(data):
        services.referral_decline(referral_id=referral.pk, by=request.user, **data)
        return [(messages.SUCCESS, f"{referral.reference} is declined and the referrer told.")]

    return _screening_change(
        request, referral, "decline", DeclineForm, decide, back=reverse("referrals:screening_queue")
    )


# --- person records ------------------------------------------------------------------------


def _person_page(request, person, form):
    context = {
        "person": person,
        "referrals": selectors.earlier_referrals(person),
        "history": selectors.person_history(person, request.user),
        "form": form,
    }
    return render(request, "referrals/person.html", context)


@login_required
@require_safe
def person_detail(request, pk):
    person = permissions.person_for_viewing(request.user, pk)
    record_read(reader=request.user, record=person)
    return _person_page(request, person, MergePeopleForm())


@login_required
@require_POST
def person_merge_duplicate(request, pk):
    person = permissions.person_for_merging(request.user, pk)
    form = MergePeopleForm(request.POST)
    if form.is_valid():
        try:
            services.person_merge(
                keep_id=person.pk, duplicate_id=form.cleaned_data["duplicate"], by=request.user
            )
        except ValidationError as refusal:
            add_validation_errors(form, refusal)
        else:
            messages.success(request, MERGED)
            return redirect("referrals:person", person.pk)
    return _person_page(request, person, form)
