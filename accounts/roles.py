"""The roles of the people who use CASPA and what each may do: the one place they are declared.

A user has exactly one role and belongs to one agency. The role grants global permissions
(what kinds of page a person may use); which cases they see is decided per case in each
app's permissions.py, from the agencies involved in it.
"""

from django.db import models


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Panel coordinator"
    ADMIN_STAFF = "admin_staff", "Panel admin staff"
    SPOC = "spoc", "Agency single point of contact (SPoC)"
    REFERRER = "referrer", "Referrer"
    CHAIR = "chair", "Panel chair"
    PANEL_MEMBER = "panel_member", "Panel member"
    MANAGER = "manager", "Manager (Safeguarding Adults Board)"


class Perm:
    """Permission codenames, as `user.has_perm()` takes them ("app_label.codename")."""

    MAKE_REFERRAL = "accounts.make_referral"
    SCREEN_REFERRALS = "accounts.screen_referrals"
    RUN_PANEL = "accounts.run_panel"
    CHAIR_PANEL = "accounts.chair_panel"
    VIEW_ALL_CASES = "accounts.view_all_cases"
    VIEW_AGENCY_CASES = "accounts.view_agency_cases"
    UPDATE_AGENCY_ACTIONS = "accounts.update_agency_actions"
    KEEP_ACTION_LOG = "accounts.keep_action_log"
    VIEW_DASHBOARD = "accounts.view_dashboard"
    VIEW_PEOPLE = "accounts.view_people"
    FOLLOW_PANEL_MEETING = "accounts.follow_panel_meeting"
    ANSWER_PERSONS_RIGHTS = "accounts.answer_persons_rights"


# (codename, description) for the auth Permission rows; read by the User model's Meta.
PERMISSIONS = [
    ("make_referral", "Can refer an adult to the panel"),
    ("screen_referrals", "Can screen referrals and decide on them"),
    ("run_panel", "Can build agendas and record panel decisions"),
    ("chair_panel", "Can approve the minutes of a panel meeting"),
    ("view_all_cases", "Can see every case on the pathway"),
    ("view_agency_cases", "Can see the cases their agency is involved in"),
    ("update_agency_actions", "Can update the actions owned by their agency"),
    ("keep_action_log", "Can keep the action log and escalate actions"),
    ("view_dashboard", "Can see the aggregate dashboard"),
    ("view_people", "Can see who uses CASPA, by agency and role"),
    (
        "follow_panel_meeting",
        "Can follow a running panel meeting on the room display, when marked present",
    ),
    (
        "answer_persons_rights",
        "Can export everything held on a person and anonymise records past retention",
    ),
]

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.COORDINATOR: frozenset(
        {
            Perm.MAKE_REFERRAL,
            Perm.SCREEN_REFERRALS,
            Perm.RUN_PANEL,
            Perm.VIEW_ALL_CASES,
            Perm.KEEP_ACTION_LOG,
            Perm.VIEW_DASHBOARD,
            Perm.VIEW_PEOPLE,
            # The person's rights under UK GDPR (docs/subject-access-and-retention.md): the
            # coordinator answers them, as the panel's data controller's officer; not admin staff.
            Perm.ANSWER_PERSONS_RIGHTS,
        }
    ),
    Role.ADMIN_STAFF: frozenset(
        {
            Perm.SCREEN_REFERRALS,
            Perm.RUN_PANEL,
            Perm.VIEW_ALL_CASES,
            Perm.KEEP_ACTION_LOG,
            Perm.VIEW_PEOPLE,
        }
    ),
    Role.SPOC: frozenset(
        {
            Perm.MAKE_REFERRAL,
            Perm.UPDATE_AGENCY_ACTIONS,
            Perm.VIEW_AGENCY_CASES,
            Perm.FOLLOW_PANEL_MEETING,
        }
    ),
    Role.REFERRER: frozenset({Perm.MAKE_REFERRAL}),
    Role.CHAIR: frozenset(
        {
            Perm.CHAIR_PANEL,
            Perm.VIEW_ALL_CASES,
            Perm.VIEW_DASHBOARD,
        }
    ),
    # A panel member sees the cases their agency is involved in, like its SPoC; both follow a
    # running meeting on the room display while marked present (panel.permissions).
    Role.PANEL_MEMBER: frozenset({Perm.VIEW_AGENCY_CASES, Perm.FOLLOW_PANEL_MEETING}),
    # Managers see aggregates only: no case, no referral, no person.
    Role.MANAGER: frozenset({Perm.VIEW_DASHBOARD}),
}


def permissions_for_role(role: str) -> frozenset[str]:
    """What a role may do; an unknown or empty role may do nothing."""
    return ROLE_PERMISSIONS.get(role, frozenset())
