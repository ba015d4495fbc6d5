"""The header's navigation: what each role is offered. Each item asks the same access door
that guards its page, so the menu cannot offer a page that refuses, or hide one that opens."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from accounts import permissions as account_permissions
from actions import permissions as action_permissions
from dashboard import permissions as dashboard_permissions
from panel import permissions as panel_permissions
from referrals import permissions as referral_permissions


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    allowed: Callable[[object], bool] = lambda user: True


NAVIGATION = (
    NavItem("Home", "home"),
    NavItem("Screening", "referrals:screening_queue", referral_permissions.can_screen),
    NavItem("Referrals", "referrals:list", referral_permissions.can_make_referrals),
    NavItem("Cases", "panel:cases", panel_permissions.can_see_cases),
    NavItem("Meetings", "panel:meetings", panel_permissions.can_list_meetings),
    NavItem(
        "Actions",
        "actions:list",
        action_permissions.has_an_actions_page,
    ),
    NavItem("Dashboard", "dashboard:index", dashboard_permissions.can_view_dashboard),
    NavItem("Agencies", "accounts:agencies"),
    NavItem("People", "accounts:people", account_permissions.can_view_people),
)


def navigation_for(user, current_path: str) -> list[dict]:
    """The items this user may use; the one whose address best matches the page is active."""
    if not user.is_authenticated:
        return []
    items = [
        {"label": item.label, "url": reverse(item.url_name), "active": False}
        for item in NAVIGATION
        if item.allowed(user)
    ]
    matching = [
        item
        for item in items
        if current_path == item["url"]
        or (item["url"] != "/" and current_path.startswith(item["url"]))
    ]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    return items
