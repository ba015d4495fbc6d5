"""Every permission a role grants is checked somewhere: a permission that nothing checks
promises a user something the service does not do (a panel member was granted "follow a panel
meeting on the meeting screen" and got 403 on the meeting screen)."""

import re
from pathlib import Path

from django.urls import reverse

from accounts.roles import Perm

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "referrals", "panel", "actions", "dashboard", "caspa")


def code_outside_roles() -> str:
    return "\n".join(
        path.read_text()
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if path.name != "roles.py" and "migrations" not in path.parts
    )


def test_every_declared_permission_is_checked_by_the_code():
    code = code_outside_roles()
    names = {name for name in vars(Perm) if name.isupper()}
    unchecked = sorted(name for name in names if not re.search(rf"\bPerm\.{name}\b", code))
    assert unchecked == []


def test_a_panel_member_sees_their_agencys_cases_and_is_told_the_meetings_are_not_theirs(
    client_for, milo
):
    from datetime import date

    from panel.models import PanelMeeting

    meeting = PanelMeeting.objects.create(date=date(2026, 12, 8))
    member = client_for(milo)
    assert member.get(reverse("panel:cases")).status_code == 200
    # The list of meetings, dates only, for their agency's approved minutes; not the meeting.
    assert member.get(reverse("panel:meetings")).status_code == 200
    assert member.get(meeting.get_absolute_url()).status_code == 403
