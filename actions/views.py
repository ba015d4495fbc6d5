"""Action pages: an agency's actions, overdue first, and one action with its updates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case as SqlCase
from django.db.models import IntegerField, Value, When
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from actions import permissions, services
from actions.forms import ActionUpdateForm
from actions.models import OPEN_STATUSES
from caspa.forms import add_validation_errors


@login_required
def action_list(request):
    actions = permissions.updatable_actions(request.user)
    if not permissions.can_keep_the_log(request.user) and not request.user.agency_id:
        raise PermissionDenied("Only agencies' single points of contact update actions.")
    today = timezone.localdate()
    open_actions = (
        actions.filter(status__in=OPEN_STATUSES)
        .annotate(
            overdue=SqlCase(
                When(due_on__lt=today, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .select_related("case", "case__person", "owner_agency")
        .order_by("overdue", "due_on", "pk")
    )
    return render(request, "actions/list.html", {"actions": open_actions, "today": today})


@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request, pk):
    action = permissions.action_for_updating(request.user, pk)
    form = ActionUpdateForm(initial={"version": action.version, "status": action.status})
    conflict = False
    if request.method == "POST":
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
            "conflict": conflict,
            "today": timezone.localdate(),
        },
        status=409 if conflict else 200,
    )
