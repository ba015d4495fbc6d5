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
    NavItem("Agencies", "accounts:agencies"),
    NavItem("People", "accounts:people", Perm.VIEW_PEOPLE),
)


def navigation_for(user, current_path: str) -> list[dict]:
    """The items this user may use, the one for the current page marked active."""
    if not user.is_authenticated:
        return []
    items = []
    for item in NAVIGATION:
        if item.permission and not user.has_perm(item.permission):
            continue
        url = reverse(item.url_name)
        active = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"label": item.label, "url": url, "active": active})
    return items
