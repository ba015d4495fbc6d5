"""Global permissions that come from a user's role, without a database query."""

from accounts.roles import permissions_for_role


class RoleBackend:
    """Grants each active user the permissions of their role (accounts/roles.py).

    It authenticates nobody: ModelBackend checks passwords; this only answers has_perm().
    """

    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        return None

    def get_all_permissions(self, user_obj, obj=None):
        if obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return set()
        return set(permissions_for_role(user_obj.role))

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj, obj)
