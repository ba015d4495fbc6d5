"""The header's navigation: what each role is offered. Each item asks the same access door
that guards its page, so the menu cannot offer a page that refuses, or hide one that opens.

An item may group more than one page (the partner agencies and the people who use CASPA are
one item, "Agencies"): the item is current on any of its pages, and those pages show links to
each other (`templates/_section_links.html`). Grouping keeps the coordinator's navigation, the
longest, on one line at 1280 pixels with the search box above it (docs/search.md).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from accounts import permissions as account_permissions
from actions import permissions as action_permissions
from dashboard import permissions as dashboard_permissions
from panel import permissions as panel_permissions
from referrals import permissions as referral_permissions


def anyone(user) -> bool:
    return True


@dataclass(frozen=True)
class Page:
    label: str
    url_name: str
    allowed: Callable[[object], bool] = anyone


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    allowed: Callable[[object], bool] = anyone
    # Further pages the item stands for, each with its own door, and what its own page is
    # called among them.
    also: tuple[Page, ...] = ()
    page_label: str = ""


NAVIGATION = (
    NavItem("Home", "home"),
    NavItem("Screening", "referrals:screening_queue", referral_permissions.can_screen),
    NavItem("Referrals", "referrals:list", referral_permissions.can_make_referrals),
    NavItem("Cases", "panel:cases", panel_permissions.can_see_cases),
    NavItem("Meetings", "panel:meetings", panel_permissions.can_list_meetings),
    NavItem("Actions", "actions:list", action_permissions.has_an_actions_page),
    NavItem("Dashboard", "dashboard:index", dashboard_permissions.can_view_dashboard),
    NavItem(
        "Agencies",
        "accounts:agencies",
        page_label="Partner agencies",
        also=(
            Page("People who use CASPA", "accounts:people", account_permissions.can_view_people),
        ),
    ),
)


def may_search(user) -> bool:
    """The header's search box: for whoever may open something it finds (a person record, a
    referral, a case). Managers see aggregates only, so they are not offered it."""
    return user.is_authenticated and (
        referral_permissions.can_screen(user)
        or panel_permissions.can_see_cases(user)
        or referral_permissions.can_make_referrals(user)
    )


def _is_at(current_path: str, url: str) -> bool:
    return current_path == url or (url != "/" and current_path.startswith(url))


def navigation_for(user, current_path: str) -> list[dict]:
    """The items this user may use; the one whose address best matches the page is active.

    Each item carries `pages`: the pages it stands for that this user may open (its own first),
    so that a grouped item's pages can link to one another."""
    if not user.is_authenticated:
        return []
    items = []
    for item in NAVIGATION:
        if not item.allowed(user):
            continue
        url = reverse(item.url_name)
        pages = [{"label": item.page_label or item.label, "url": url}]
        pages += [
            {"label": page.label, "url": reverse(page.url_name)}
            for page in item.also
            if page.allowed(user)
        ]
        items.append({"label": item.label, "url": url, "pages": pages, "active": False})
    matching = [
        (len(page["url"]), item)
        for item in items
        for page in item["pages"]
        if _is_at(current_path, page["url"])
    ]
    if matching:
        active = max(matching, key=lambda found: found[0])[1]
        active["active"] = True
        active["current"] = current_path == active["url"]
        for page in active["pages"]:
            page["current"] = _is_at(current_path, page["url"])
    return items
