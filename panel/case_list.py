"""The list of cases: its filters and its order.

By default it shows the cases the pathway holds now (open: awaiting their first panel, or
adopted), so that years of closed cases never make it longer. Every filter is a GET parameter,
so that a filtered list can be bookmarked; none carries a person's details (no name, date of
birth or NHS number: those are found through the header's search, which posts them).
"""

from django import forms
from django.db.models import F, QuerySet
from django.utils import timezone

from accounts.models import Agency
from caspa.core.forms import BoundedModelChoiceField
from panel.models import ON_CASELOAD, Case, CaseStatus

OPEN = "open"
LEFT = "left"  # closed or not adopted: no longer on the pathway
ANY = "all"

STATUSES = {
    OPEN: ("Open", {"status__in": ON_CASELOAD}),
    CaseStatus.WAITING.value: ("Waiting for a place", {"status": CaseStatus.WAITING}),
    CaseStatus.CLOSED.value: ("Closed", {"status": CaseStatus.CLOSED}),
    CaseStatus.NOT_ADOPTED.value: ("Not adopted", {"status": CaseStatus.NOT_ADOPTED}),
    LEFT: (
        "Closed or not adopted",
        {"status__in": (CaseStatus.CLOSED, CaseStatus.NOT_ADOPTED)},
    ),
    ANY: ("Any status", {}),
}

SORTS = {
    "review": (
        "Next review, soonest",
        (F("next_review_on").asc(nulls_last=True), "pk"),
    ),
    "joined": (
        "Longest on the caseload",
        (F("joined_caseload_at").asc(nulls_last=True), "waiting_since", "pk"),
    ),
    "left": ("Most recently left", (F("closed_at").desc(nulls_last=True), "-pk")),
    "newest": ("Newest first", ("-waiting_since", "-pk")),
}

# The order a status is read in, unless another is asked for.
USUAL_SORT = {
    OPEN: "review",
    CaseStatus.WAITING.value: "joined",
    CaseStatus.CLOSED.value: "left",
    CaseStatus.NOT_ADOPTED.value: "left",
    LEFT: "left",
    ANY: "newest",
}


class CaseListFilterForm(forms.Form):
    """The case list's filters. A value that is not one of the choices (only a hand-edited
    address can send one) is said by its box, and the list shows nothing until it is put
    right."""

    status = forms.ChoiceField(
        label="Status", choices=[(key, label) for key, (label, _) in STATUSES.items()]
    )
    lead_agency = BoundedModelChoiceField(
        label="Lead agency",
        queryset=Agency.objects.order_by("name"),
        required=False,
        empty_label="Any lead agency",
    )
    closed_year = forms.TypedChoiceField(
        label="Left the pathway in", coerce=int, required=False, empty_value=None
    )
    sort = forms.ChoiceField(
        label="Sort by", choices=[(key, label) for key, (label, _) in SORTS.items()]
    )
    review_overdue = forms.BooleanField(label="Past their review date only", required=False)

    def __init__(self, query):
        """`query`: the request's GET. What was not given takes its usual value: open cases,
        in their status's usual order; a closing year with no status asks for the cases that
        left the pathway that year."""
        data = query.copy()
        if data.get("closed_year") and data.get("status", OPEN) in ("", OPEN, "waiting"):
            data["status"] = LEFT
        if not data.get("status"):
            data["status"] = OPEN
        if not data.get("sort"):
            data["sort"] = USUAL_SORT.get(data["status"], "newest")
        super().__init__(data)
        years = Case.objects.filter(closed_at__isnull=False).datetimes(
            "closed_at", "year", order="DESC"
        )
        self.fields["closed_year"].choices = [
            ("", "Any year"),
            *((year.year, str(year.year)) for year in years),
        ]

    @property
    def is_usual(self) -> bool:
        """Showing the open cases in their usual order, unfiltered."""
        data = self.cleaned_data if self.is_valid() else {}
        return (
            data.get("status") == OPEN
            and not data.get("lead_agency")
            and not data.get("closed_year")
            and not data.get("review_overdue")
        )


def filtered(cases: QuerySet[Case], form: CaseListFilterForm) -> QuerySet[Case]:
    """The cases (those the user may see) the filters ask for, in the order asked for; none
    while a filter is wrong, so that a wrong filter never shows a list it did not ask for."""
    if not form.is_valid():
        return cases.none()
    data = form.cleaned_data
    cases = cases.filter(**STATUSES[data["status"]][1])
    if data["lead_agency"]:
        cases = cases.filter(lead_agency=data["lead_agency"])
    if data["closed_year"]:
        cases = cases.filter(closed_at__year=data["closed_year"])
    if data["review_overdue"]:
        cases = cases.past_review(timezone.localdate())
    return cases.select_related("person", "lead_agency").order_by(*SORTS[data["sort"]][1])
