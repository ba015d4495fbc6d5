"""Referral pages: views parse, call one service, and redirect (or show what went wrong)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit.services import reads_of, record_read
from caspa.core.forms import add_validation_errors
from caspa.templatetags.govuk import error_anchor
from panel import rules as panel_rules
from panel import services as panel_services
from referrals import permissions, selectors, services
from referrals.choices import Status
from referrals.forms import (
    SECTION_FORMS,
    AcceptForm,
    AskForInformationForm,
    DeclineForm,
    LinkPersonForm,
    MergePeopleForm,
    VersionForm,
)
from referrals.models import Person, Referral
from referrals.rules import completeness, sections
from referrals.summary import referral_summary


def _with_version(form_class, data, version, **kwargs):
    """The same form, as the user typed it, now stating the version they have just seen."""
    data = data.copy()
    data["version"] = version
    form = form_class(data, **kwargs)
    form.is_valid()
    return form


# --- the referrer's side -------------------------------------------------------------------


@login_required
def referral_list(request):
    referrals = (
        permissions.visible_referrals(request.user)
        .select_related("referring_agency", "created_by")
        .order_by("-created_at")
    )
    if permissions.can_screen(request.user):
        referrals = referrals.filter(created_by=request.user)
    return render(
        request,
        "referrals/list.html",
        {
            "referrals": referrals,
            "can_make_referrals": permissions.can_make_referrals(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_start(request):
    permissions.require_making_referrals(request.user)
    if request.method == "POST":
        referral = services.referral_start(by=request.user)
        return redirect("referrals:detail", referral.pk)
    return render(request, "referrals/start.html")


@login_required
def referral_detail(request, pk):
    referral = permissions.referral_for_viewing(request.user, pk)
    record_read(reader=request.user, record=referral)
    editable = referral.is_editable_by_referrer and referral.created_by_id == request.user.pk
    summary = referral_summary(referral)
    context = {
        "referral": referral,
        "summary": summary,
        "editable": editable,
        "history": selectors.history_entries(referral.history.select_related("history_user")),
        "sections_completed": sum(s.state == completeness.SectionState.COMPLETED for s in summary),
    }
    return render(request, "referrals/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def referral_section(request, pk, section):
    if section not in SECTION_FORMS:
        raise Http404("No such section")
    referral = permissions.referral_for_editing(request.user, pk)
    if not referral.is_editable_by_referrer:
        return redirect("referrals:detail", referral.pk)
    form_class = SECTION_FORMS[section]
    context = {"referral": referral, "section": sections.SECTIONS_BY_SLUG[section]}

    if request.method == "GET":
        form = form_class(referral=referral)
        if request.GET.get("check"):
            form.add_missing(completeness.missing_answers(referral.answers()))
        return render(request, "referrals/section.html", {**context, "form": form})

    form = form_class(request.POST, referral=referral)
    if not form.is_valid():
        return render(request, "referrals/section.html", {**context, "form": form})
    try:
        referral = services.referral_save_answers(
            referral_id=referral.pk,
            by=request.user,
            version=form.cleaned_data["version"],
            answers=form.answers(),
        )
    except services.ConcurrentEdit as conflict:
        form = _with_version(
            form_class, request.POST, conflict.referral.version, referral=conflict.referral
        )
        return render(
            request,
            "referrals/section.html",
            {**context, "form": form, "conflict": conflict.changes},
            status=409,
        )

    if request.POST.get("action") == "draft":
        messages.success(
            request, "Your answers are saved as a draft. Come back to them at any time."
        )
        return redirect("referrals:detail", referral.pk)

    still_missing = [
        m for m in completeness.missing_answers(referral.answers()) if m.section == section
    ]
    if still_missing:
        form = _with_version(form_class, request.POST, referral.version, referral=referral)
        form.add_missing(still_missing)
        return render(request, "referrals/section.html", {**context, "form": form, "saved": True})

    following = sections.section_after(section)
    if following:
        return redirect("referrals:section", referral.pk, following)
    return redirect("referrals:check", referral.pk)


def missing_with_links(
    referral, missing: list[completeness.Missing]
) -> list[tuple[completeness.Missing, str]]:
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


@login_required
@require_http_methods(["GET", "POST"])
def referral_check(request, pk):
    referral = permissions.referral_for_editing(request.user, pk)
    if not referral.is_editable_by_referrer:
        return redirect("referrals:detail", referral.pk)
    missing = completeness.missing_answers(referral.answers())
    context = {
        "referral": referral,
        "summary": referral_summary(referral),
        "missing": missing_with_links(referral, missing),
    }
    if request.method == "GET":
        return render(request, "referrals/check.html", context)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return render(request, "referrals/check.html", {**context, "stale": True})
    try:
        referral = services.referral_submit(
            referral_id=referral.pk, by=request.user, version=form.cleaned_data["version"]
        )
    except services.IncompleteReferral as incomplete:
        return render(
            request,
            "referrals/check.html",
            {**context, "missing": missing_with_links(referral, incomplete.missing), "tried": True},
        )
    except services.ConcurrentEdit as conflict:
        referral = conflict.referral
        return render(
            request,
            "referrals/check.html",
            {
                **context,
                "referral": referral,
                "summary": referral_summary(referral),
                "missing": missing_with_links(
                    referral, completeness.missing_answers(referral.answers())
                ),
                "conflict": conflict.changes,
            },
            status=409,
        )
    except ValidationError:
        return redirect("referrals:detail", referral.pk)
    return render(request, "referrals/submitted.html", {"referral": referral})


# --- screening -----------------------------------------------------------------------------


@login_required
def screening_queue(request):
    permissions.require_screening(request.user)
    queue = Referral.objects.screening_queue().select_related("referring_agency")
    now = timezone.now()
    return render(
        request,
        "referrals/screening_queue.html",
        {
            "queue": [(referral, (now - referral.submitted_at).days) for referral in queue],
            "waiting_for_referrer": Referral.objects.filter(status=Status.MORE_INFORMATION).count(),
            "caseload": panel_services.caseload_count(),
            "cap": panel_rules.CAP,
        },
    )


SCREENING_FORMS = {
    "link": LinkPersonForm,
    "accept": AcceptForm,
    "ask": AskForInformationForm,
    "decline": DeclineForm,
}


@login_required
@require_http_methods(["GET", "POST"])
def screening_detail(request, pk):
    permissions.require_screening(request.user)
    referral = permissions.referral_for_viewing(request.user, pk)
    if request.method == "GET":
        record_read(reader=request.user, record=referral)
    search = (request.POST if request.method == "POST" else request.GET).get("search", "")
    candidates = selectors.possible_matches(referral.identity())
    found = [p for p in selectors.search_people(search) if p not in candidates]
    candidates += found
    if referral.person and referral.person not in candidates:
        candidates.insert(0, referral.person)
    forms = {
        name: (
            form_class(initial={"version": referral.version}, candidates=candidates)
            if name == "link"
            else form_class(initial={"version": referral.version})
        )
        for name, form_class in SCREENING_FORMS.items()
    }
    conflict = None
    problem = None
    action = request.POST.get("action") if request.method == "POST" else None
    if action in SCREENING_FORMS:
        extra = {"candidates": candidates} if action == "link" else {}
        form = SCREENING_FORMS[action](request.POST, **extra)
        forms[action] = form
        if form.is_valid():
            try:
                return _screen(request, referral, action, form)
            except services.ConcurrentEdit as edit:
                conflict = edit.changes
                forms[action] = _with_version(
                    SCREENING_FORMS[action], request.POST, edit.referral.version, **extra
                )
                referral = edit.referral
            except ValidationError as error:
                if hasattr(error, "message_dict"):
                    add_validation_errors(form, error)
                else:
                    problem = error.messages
    context = {
        "referral": referral,
        "summary": referral_summary(referral),
        "forms": forms,
        "candidates": candidates,
        "earlier": selectors.earlier_referrals(referral.person, before=referral)
        if referral.person
        else [],
        "history": selectors.history_entries(referral.history.select_related("history_user")),
        "conflict": conflict,
        "problem": problem,
        "search": search,
        "found": found,
        "reads": reads_of(referral),
        "caseload": panel_services.caseload_count(),
        "cap": panel_rules.CAP,
    }
    status = 409 if conflict else 200
    return render(request, "referrals/screening_detail.html", context, status=status)


def _screen(request, referral, action, form):
    version = form.cleaned_data["version"]
    common = {"referral_id": referral.pk, "by": request.user, "version": version}
    if action == "link":
        services.referral_link_person(**common, person_id=form.person_id())
        messages.success(request, "The referral is linked to the person's record.")
        return redirect("referrals:screening_detail", referral.pk)
    if action == "accept":
        _, placement = services.referral_accept(**common)
        if placement.waiting_position is None:
            messages.success(
                request,
                f"{referral.reference} is accepted for the next panel meeting. "
                f"The pathway now holds {placement.caseload} of {panel_rules.CAP} cases.",
            )
        else:
            messages.warning(
                request,
                f"{referral.reference} is accepted. "
                + panel_rules.PATHWAY_FULL.format(
                    caseload=placement.caseload,
                    cap=panel_rules.CAP,
                    position=placement.waiting_position,
                ),
            )
    elif action == "ask":
        services.referral_ask_for_information(**common, question=form.cleaned_data["question"])
        messages.success(
            request,
            f"{referral.reference} is back with the referrer, "
            "who has been e-mailed a link to your question.",
        )
    else:
        services.referral_decline(
            **common,
            reason=form.cleaned_data["reason"],
            signpost=form.cleaned_data["signpost"],
            signpost_detail=form.cleaned_data["signpost_detail"],
        )
        messages.success(request, f"{referral.reference} is declined and the referrer told.")
    return redirect("referrals:screening_queue")


@login_required
@require_http_methods(["GET", "POST"])
def person_detail(request, pk):
    person = permissions.person_for_viewing(request.user, pk)
    if request.method == "GET":
        record_read(reader=request.user, record=person)
    form = MergePeopleForm()
    if request.method == "POST":
        form = MergePeopleForm(request.POST)
        if form.is_valid():
            try:
                services.person_merge(
                    keep_id=person.pk, duplicate_id=form.cleaned_data["duplicate"], by=request.user
                )
            except ValidationError as error:
                form.add_error("duplicate", error.messages[0])
            except Person.DoesNotExist:
                form.add_error("duplicate", "There is no record with that number")
            else:
                messages.success(request, "The two records are now one. Both histories are kept.")
                return redirect("referrals:person", person.pk)
    # Each record's own history, the merged records' included, told as one.
    history = sorted(
        (
            entry
            for record in [person, *person.merged_records.all()]
            for entry in selectors.history_entries(record.history.select_related("history_user"))
        ),
        key=lambda entry: entry.when,
        reverse=True,
    )
    return render(
        request,
        "referrals/person.html",
        {
            "person": person,
            "referrals": selectors.earlier_referrals(person),
            "history": history,
            "form": form,
        },
    )
