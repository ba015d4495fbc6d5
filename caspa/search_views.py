"""The search page. A search is sent by POST (the header's box, or the page's own), so that
the term, often a name, a date of birth or an NHS number, is in no address, no browser
history and no access log; it is not logged here either. A search changes nothing, so its
results are shown in the POST's answer rather than after a redirect that would have to carry
the term."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from audit.models import How
from audit.services import record_reads
from caspa import search as finding
from caspa.navigation import may_search

NOT_FOR_YOUR_ROLE = "Your role cannot search: it sees no person, referral or case."


class SearchForm(forms.Form):
    term = forms.CharField(
        label="Search by name, date of birth, NHS number or reference",
        help_text="For example, Smith, 6 6 1985, 943 476 5919 or C-000057",
        required=False,
        strip=False,
        max_length=finding.LONGEST,
        error_messages={"max_length": finding.TOO_LONG},
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}
        ),
    )

    def clean_term(self):
        term = self.cleaned_data["term"]
        try:
            self.query = finding.understand(term)
        except finding.SearchProblem as problem:
            raise forms.ValidationError(str(problem)) from None
        return term


@login_required
@require_http_methods(["GET", "POST"])
def search(request):
    if not may_search(request.user):
        raise PermissionDenied(NOT_FOR_YOUR_ROLE)
    if request.method == "GET":
        return render(request, "search.html", {"form": SearchForm(auto_id="search-%s")})
    form = SearchForm(request.POST, auto_id="search-%s")
    results = None
    if form.is_valid():
        results = finding.search(request.user, form.cleaned_data["term"])
        record_reads(reader=request.user, records=results.found, how=How.SEARCH)
    context = {"form": form, "results": results, "shown": finding.SHOWN}
    return render(request, "search.html", context)
