"""Lists that page: 25 rows a page, the filters kept in every page's link.

Every list (cases, referrals, the screening queue, the action log) pages through
`page_of`, and shows its pages with `templates/govuk/_pagination.html` (the GOV.UK
pagination component). A page number that is not a number, or past the end, shows the
nearest page rather than an error.
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator

PAGE_SIZE = 25


@dataclass(frozen=True)
class Paged:
    page: Page
    # The list's filters as a query string without the page number, for the pages' links.
    query: str

    @property
    def rows(self):
        return self.page.object_list

    @property
    def total(self) -> int:
        return self.page.paginator.count


def page_of(request, rows, *, per_page: int = PAGE_SIZE) -> Paged:
    """The page of `rows` (an ordered queryset or a list) the request asks for."""
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return Paged(page=page, query=query.urlencode())
