"""Action pages (an agency's actions, the coordinator's log, one action) and one POST endpoint
for each change: agree, update, escalate, resolve an escalation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from actions import escalations, permissions, selectors, services, sweep
from actions.forms import (
    ActionLogFilterForm,
    ActionUpdateForm,
    AgreeActionForm,
    EscalateForm,
    ResolveEscalationForm,
)
from actions.models import ESCALATED_TO, Action, NoticeKind
from actions.schedule import next_reminder_sweep, sweep_runs_on_schedule
from caspa.core.endpoints import form_at_version, handle_form
from caspa.core.paging import page_of
from caspa.core.references import case_reference
from caspa.core.time_words import moment_in_words
from panel import pages


@login_required
@require_GET
def action_list(request):
    if permissions.keeps_the_log(request.user):
        return action_log(request)
    if permissions.receives_chair_escalations(request.user):
        return render(
            request,
            "actions/list.html",
            {
                "heading": "Actions escalated to the chair",
                "actions": selectors.escalated_to_chair(),
            },
        )
    permissions.require_agency_spoc(request.user)
    agency = request.user.agency
    return render(
        request,
        "actions/list.html",
        {
            "heading": f"{agency.name}'s actions",
            "actions": selectors.overdue_first(permissions.updatable_actions(request.user)),
            "escalated_to_us": selectors.escalated_to_agency(request.user),
        },
    )


def _who(told: sweep.Told) -> str:
    if told.kind == NoticeKind.ESCALATED_TO_CHAIR:
        return f"{told.recipient} (the panel chair)"
    return f"{told.recipient} ({told.agency.name}'s single point of contact)"


def _nobody(told: sweep.Told) -> str:
    if told.kind == NoticeKind.ESCALATED_TO_CHAIR:
        return "No one holds the panel chair's role, so no chair is e-mailed."
    return (
        f"{told.agency.name} has no single point of contact, so no one there is e-mailed: "
        "appoint one on the agencies page."
    )


def escalated_message(action: Action, now) -> str:
    """What escalating by hand did: who it went to, and who is e-mailed when. The e-mails are
    the reminder sweep's to write (actions/sweep.py), at its next run (actions/schedule.py);
    one already sent for the action's present due date is not sent again."""
    level = action.escalation_level
    said = [f"{action.reference} is escalated to {ESCALATED_TO[level]}."]
    told = sweep.escalation_told(action)
    to_tell = [t for t in told if t.recipient and not t.already_on]
    if to_tell:
        when = (
            moment_in_words(next_reminder_sweep(now), now.date())
            if sweep_runs_on_schedule()
            else "when it is next run by hand (no sweep runs on a schedule here)"
        )
        names = " and ".join(_who(t) for t in to_tell)
        said.append(
            f"{names} {'is' if len(to_tell) == 1 else 'are'} e-mailed at the next "
            f"reminder sweep, {when}."
        )
    for t in told:
        if t.recipient and t.already_on:
            said.append(f"{_who(t)} was e-mailed about it on {t.already_on:%-d %B %Y}.")
        elif not t.recipient:
            said.append(_nobody(t))
    return " ".join(said)


def _render_detail(
    request, action, *, form=None, escalate_form=None, resolve_form=None, conflict=False
):
    return render(
        request,
        "actions/detail.html",
        {
            "action": action,
            "updates": action.updates.select_related("written_by"),
            "escalations": action.escalations.select_related("raised_by", "resolved_by"),
            "form": form
            or ActionUpdateForm(initial={"version": action.version, "status": action.status}),
            "escalate_form": escalate_form or EscalateForm(initial={"version": action.version}),
            "resolve_form": resolve_form
            or ResolveEscalationForm(action=action, initial={"version": action.version}),
            "can_update": permissions.may_update(request.user, action),
            "can_escalate": permissions.keeps_the_log(request.user) and action.is_open,
            "can_resolve": action.is_escalated and permissions.may_resolve(request.user, action),
            "told": sweep.escalation_told(action) if action.is_escalated else [],
            "next_sweep": moment_in_words(
                next_reminder_sweep(timezone.localtime()), timezone.localdate()
            )
            if sweep_runs_on_schedule()
            else None,
            "conflict": conflict,
        },
        status=409 if conflict else 200,
    )


@login_required
@require_GET
def action_detail(request, pk):
    return _render_detail(request, permissions.action_for_viewing(request.user, pk))


def _change(request, action, form_class, decide, *, back, form_name, with_action=False):
    """`with_action`: the form's choices depend on the action (as it is now, after a conflict)."""

    def show(form, *, conflict):
        now = Action.objects.get(pk=action.pk) if conflict else action
        return _render_detail(request, now, conflict=conflict, **{form_name: form})

    def again_at_version(now):
        kwargs = {"action": now} if with_action else {}
        return form_at_version(request, form_class, now.version, **kwargs)

    return handle_form(
        request,
        form_class(request.POST, **({"action": action} if with_action else {})),
        decide,
        back=back,
        show_again=show,
        again_at_version=again_at_version,
    )


@login_required
@require_POST
def action_update(request, pk):
    action = permissions.action_for_updating(request.user, pk)

    def decide(data):
        services.action_update(action_id=action.pk, by=request.user, **data)
        return [(messages.SUCCESS, f"{action.reference} is updated.")]

    return _change(
        request, action, ActionUpdateForm, decide, back=reverse("actions:list"), form_name="form"
    )


@login_required
@require_POST
def action_escalate(request, pk):
    action = permissions.action_for_escalating(request.user, pk)

    def decide(data):
        escalated = services.action_escalate(action_id=action.pk, by=request.user, **data)
        return [(messages.SUCCESS, escalated_message(escalated, timezone.localtime()))]

    return _change(
        request,
        action,
        EscalateForm,
        decide,
        back=reverse("actions:detail", args=[action.pk]),
        form_name="escalate_form",
    )


@login_required
@require_POST
def action_resolve_escalation(request, pk):
    action = permissions.action_for_resolving(request.user, pk)

    def decide(data):
        escalations.escalation_resolve(action_id=action.pk, by=request.user, **data)
        return [(messages.SUCCESS, f"The escalation of {action.reference} is resolved.")]

    return _change(
        request,
        action,
        ResolveEscalationForm,
        decide,
        back=reverse("actions:detail", args=[action.pk]),
        form_name="resolve_form",
        with_action=True,
    )


@login_required
@require_POST
def action_agree(request, case_pk):
    """Agree an action on the case page or the meeting screen; back to the page it came from."""
    case = permissions.case_for_agreeing_actions(request.user, case_pk)
    at_meeting = bool(request.POST.get("meeting"))

    def decide(data):
        agreed = services.action_agree(case=case, by=request.user, **data)
        return [(messages.SUCCESS, f"Action {agreed.reference} agreed.")]

    return pages.take_decision(
        request, case, "action", AgreeActionForm, decide, case=case, with_mdt=not at_meeting
    )


def action_log(request):
    """The coordinator's log of every action: filter, sort, page through (25 a page). A filter
    that is wrong shows no action, with what is wrong by its box."""
    form = ActionLogFilterForm(request.GET or None)
    actions = Action.objects.none()
    if not form.is_bound:
        actions = selectors.action_log({})
    elif form.is_valid():
        actions = selectors.action_log(form.cleaned_data)
    return _show_log(request, form, actions)


@login_required
@require_POST
def action_log_filter(request):
    """The log's filters, posted so that what is typed into the case box (a name, perhaps)
    never reaches an address: good filters go to the log with only a case reference and
    choices in its address; wrong ones show the log again with what is wrong by its box, what
    was typed kept, and no action."""
    permissions.require_keeping_the_log(request.user)
    form = ActionLogFilterForm(request.POST)
    if form.is_valid():
        query = log_query(form.cleaned_data)
        return redirect(f"{reverse('actions:list')}?{query}" if query else reverse("actions:list"))
    return _show_log(request, form, Action.objects.none())


def log_query(cleaned: dict) -> str:
    """The log's address for these filters: a case by its reference, the rest as choices."""
    chosen = {
        "case": case_reference(cleaned["case"]) if cleaned.get("case") else "",
        "agency": cleaned["agency"].pk if cleaned.get("agency") else "",
        "status": cleaned.get("status") or "",
        "overdue": "on" if cleaned.get("overdue") else "",
        # Soonest due first is the log's usual order: no need to say it.
        "sort": "" if cleaned.get("sort") in ("", "due") else cleaned["sort"],
    }
    return urlencode({name: value for name, value in chosen.items() if value})


def _show_log(request, form, actions):
    return render(
        request,
        "actions/log.html",
        {
            "form": form,
            "paged": page_of(request, actions),
            "filtered": form.is_bound and any(form.data.get(name) for name in FILTERS),
        },
    )


# The log's filters (its sort is not one): a list that shows none of them is the whole log.
FILTERS = ("agency", "case", "status", "overdue")
