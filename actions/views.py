"""Action pages: an agency's actions, overdue first, and one action with its updates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.roles import Perm
from actions import permissions, selectors, services
from actions.forms import ActionLogFilterForm, ActionUpdateForm, EscalateForm
from actions.models import OPEN_STATUSES, Action
from caspa.core.forms import add_validation_errors

PAGE_SIZE = 25


@login_required
def action_list(request):
    if permissions.can_keep_the_log(request.user):
        return action_log(request)
    if not request.user.has_perm(Perm.UPDATE_AGENCY_ACTIONS) or not request.user.agency_id:
        raise PermissionDenied("Only agencies' single points of contact update actions.")
    actions = permissions.updatable_actions(request.user)
    today = timezone.localdate()
    open_actions = selectors.overdue_first(actions)
    return render(request, "actions/list.html", {"actions": open_actions, "today": today})


@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request, pk):
    action = permissions.action_for_updating(request.user, pk)
    form = ActionUpdateForm(initial={"version": action.version, "status": action.status})
    escalate_form = EscalateForm(initial={"version": action.version})
    conflict = False
    if request.method == "POST" and request.POST.get("action") == "escalate":
        if not permissions.can_keep_the_log(request.user):
            raise PermissionDenied("Only the coordinator escalates by hand.")
        escalate_form = EscalateForm(request.POST)
        if escalate_form.is_valid():
            try:
                services.action_escalate(
                    action_id=action.pk, by=request.user, **escalate_form.cleaned_data
                )
            except services.ActionChanged as changed:
                conflict, action = True, changed.action
            except ValidationError as error:
                add_validation_errors(escalate_form, error)
            else:
                messages.success(request, f"{action.reference} is escalated.")
                return redirect("actions:detail", action.pk)
    elif request.method == "POST":
        form = ActionUpdateForm(request.POST)
        if form.is_valid():
            try:
                services.action_update(action_id=action.pk, by=request.user, **form.cleaned_data)
            except services.ActionChanged as changed:
                conflict = True
                action = changed.action
                data = request.POST.copy()
                data["version"] = action.version
                form = ActionUpdateForm(data)
                form.is_valid()
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, f"{action.reference} is updated.")
                return redirect("actions:list")
    return render(
        request,
        "actions/detail.html",
        {
            "action": action,
            "updates": action.updates.select_related("written_by"),
            "form": form,
            "escalate_form": escalate_form,
            "can_escalate": permissions.can_keep_the_log(request.user),
            "conflict": conflict,
            "today": timezone.localdate(),
        },
        status=409 if conflict else 200,
    )


def action_log(request):
    """The coordinator's log of every action: filter, sort, page through."""
    today = timezone.localdate()
    form = ActionLogFilterForm(request.GET or None)
    actions = Action.objects.select_related("case", "owner_agency")
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if filters.get("agency"):
        actions = actions.filter(owner_agency=filters["agency"])
    if filters.get("case"):
        actions = actions.filter(case_id=filters["case"])
    status = filters.get("status", "")
    if status == "":
        actions = actions.filter(status__in=OPEN_STATUSES)
    elif status != "all":
        actions = actions.filter(status=status)
    if filters.get("overdue"):
        actions = actions.filter(status__in=OPEN_STATUSES, due_on__lt=today)
    order = ActionLogFilterForm.SORTS.get(filters.get("sort") or "due", "due_on")
    page = Paginator(actions.order_by(order, "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "actions/log.html",
        {
            "form": form,
            "page": page,
            "today": today,
            "query": query.urlencode(),
        },
    )
