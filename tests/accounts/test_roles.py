import pytest

from accounts.roles import PERMISSIONS, ROLE_PERMISSIONS, Perm, Role, permissions_for_role

DECLARED = {f"accounts.{codename}" for codename, _ in PERMISSIONS}


def test_every_role_has_its_permissions_declared():
    assert set(ROLE_PERMISSIONS) == set(Role.values)


def test_roles_grant_only_declared_permissions():
    for role, perms in ROLE_PERMISSIONS.items():
        assert perms <= DECLARED, role


def test_every_declared_permission_is_granted_to_someone():
    granted = set().union(*ROLE_PERMISSIONS.values())
    assert granted == DECLARED


def test_managers_see_aggregates_and_nothing_about_a_person():
    assert permissions_for_role(Role.MANAGER) == {Perm.VIEW_DASHBOARD, Perm.VIEW_ACCESS_REPORT}


@pytest.mark.parametrize("role", ["", "superhero", None])
def test_an_unknown_role_may_do_nothing(role):
    assert permissions_for_role(role) == frozenset()


def test_a_users_role_answers_has_perm(cora, rosa):
    assert cora.has_perm(Perm.SCREEN_REFERRALS)
    assert not rosa.has_perm(Perm.SCREEN_REFERRALS)


def test_a_deactivated_user_loses_their_roles_permissions(cora):
    cora.is_active = False
    cora.save()
    assert not cora.has_perm(Perm.SCREEN_REFERRALS)


def test_role_permissions_exist_as_permission_rows_for_the_admin(db):
    from django.contrib.auth.models import Permission

    codenames = set(
        Permission.objects.filter(content_type__app_label="accounts").values_list(
            "codename", flat=True
        )
    )
    assert {codename for codename, _ in PERMISSIONS} <= codenames
