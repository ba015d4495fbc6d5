"""The header's navigation: what each role is offered. Later capabilities add their items here."""

from dataclasses import dataclass

from django.urls import reverse

from accounts.roles import Perm


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None = None  # None: everyone signed in


NAVIGATION = (
    NavItem("Home", "home"),
    NavItem("Screening", "referrals:screening_queue", Perm.SCREEN_REFERRALS),
    NavItem("Referrals", "referrals:list", Perm.MAKE_REFERRAL),
    NavItem("Agencies", "accounts:agencies"),
    NavItem("People", "accounts:people", Perm.VIEW_PEOPLE),
)


def navigation_for(user, current_path: str) -> list[dict]:
    """The items this user may use; the one whose address best matches the page is active."""
    if not user.is_authenticated:
        return []
    items = [
        {"label": item.label, "url": reverse(item.url_name), "active": False}
        for item in NAVIGATION
        if item.permission is None or user.has_perm(item.permission)
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
