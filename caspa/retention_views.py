"""The retention review: the people past the retention period, what anonymising one would
change, and the one POST that anonymises. The coordinator's pages alone."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from caspa import retention
from caspa.core.forms import add_validation_errors
from caspa.core.paging import page_of
from referrals.permissions import person_for_rights, require_answering_persons_rights

ANONYMISED = "{ref} has been anonymised. Its figures stay on the dashboard."


class AnonymiseForm(forms.Form):
    """No answers: the button is the decision; a refusal shows as the form's error."""


@login_required
@require_safe
def retention_review(request):
    require_answering_persons_rights(request.user)
    people = retention.people_past_retention()
    return render(
        request,
        "caspa/retention_review.html",
        {"paged": page_of(request, people), "years": retention.retention_years()},
    )


def _person_page(request, person, form, *, status=200):
    preview = retention.retention_preview(by=request.user, person=person)
    return render(
        request,
        "caspa/retention_person.html",
        {"person": person, "preview": preview, "form": form, "years": retention.retention_years()},
        status=status,
    )


@login_required
@require_safe
def retention_person(request, pk):
    person = person_for_rights(request.user, pk)
    return _person_page(request, person, AnonymiseForm())


@login_required
@require_POST
def retention_anonymise(request, pk):
    person = person_for_rights(request.user, pk)
    form = AnonymiseForm(request.POST)
    form.is_valid()
    try:
        retention.retention_anonymise(by=request.user, person_id=person.pk)
    except ValidationError as refusal:
        add_validation_errors(form, refusal)
        return _person_page(request, person, form, status=400)
    messages.success(request, ANONYMISED.format(ref=person.reference))
    return redirect("retention_review")
