"""What a page costs in queries, counted the way a reader of the page would meet it: signed in,
after a first visit (so that what Django caches once per process, such as content types, is not
counted against the page).

docs/performance.md gives the budget: at most PAGE_QUERY_LIMIT queries on any page, and the
same number whatever the size of the record behind it (ten years of closed cases, 3 agenda
items or 35).
"""

from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

PAGE_QUERY_LIMIT = 15


def page_queries(client: Client, url: str) -> list[str]:
    """The SQL of each query one GET of `url` runs (after a warm-up GET), which must answer 200."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return [query["sql"] for query in captured.captured_queries]


def assert_flat_and_within_budget(client: Client, url: str, grow: Callable[[], None]) -> int:
    """The page costs the same number of queries before and after `grow()` adds to what it
    shows, and no more than the budget. Returns that number."""
    before = page_queries(client, url)
    grow()
    after = page_queries(client, url)
    listing = "\n".join(after)
    assert len(after) == len(before), (
        f"{url}: {len(before)} queries, then {len(after)} with more data:\n{listing}"
    )
    assert len(after) <= PAGE_QUERY_LIMIT, f"{url}: {len(after)} queries:\n{listing}"
    return len(after)
