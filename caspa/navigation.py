"""The header's navigation: what each role is offered. Later capabilities add their items here."""

from dataclasses import dataclass

from django.urls import reverse

from accounts.roles import Perm


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permissions: tuple[str, ...] = ()  # any one of them; none: everyone signed in


NAVIGATION = (
    NavItem("Home", "home"),
    NavItem("Screening", "referrals:screening_queue", (Perm.SCREEN_REFERRALS,)),
    NavItem("Referrals", "referrals:list", (Perm.MAKE_REFERRAL,)),
    NavItem("Cases", "panel:cases", (Perm.VIEW_ALL_CASES, Perm.VIEW_AGENCY_CASES)),
    NavItem("Meetings", "panel:meetings", (Perm.VIEW_ALL_CASES,)),
    NavItem("Actions", "actions:list", (Perm.UPDATE_AGENCY_ACTIONS, Perm.KEEP_ACTION_LOG)),
    NavItem("Dashboard", "dashboard:index", (Perm.VIEW_DASHBOARD,)),
    NavItem("Agencies", "accounts:agencies"),
    NavItem("People", "accounts:people", (Perm.VIEW_PEOPLE,)),
)


def navigation_for(user, current_path: str) -> list[dict]:
    """The items this user may use; the one whose address best matches the page is active."""
    if not user.is_authenticated:
        return []
    items = [
        {"label": item.label, "url": reverse(item.url_name), "active": False}
        for item in NAVIGATION
        if not item.permissions or any(user.has_perm(perm) for perm in item.permissions)
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
