"""Global permissions that come from a user's role, without a database query; and the password
backend, which asks the database nothing about permissions for anyone but the admin's staff."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from accounts import two_factor
from accounts.roles import permissions_for_role

UserModel = get_user_model()


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


class PasswordBackend(ModelBackend):
    """Checks passwords, as Django's ModelBackend does, and loads the signed-in user with their
    agency (every page's header names it) in the one query.

    CASPA's permissions come from the role (RoleBackend, no query) and, per case, from the
    agency's group (django-guardian). Django's own permission rows (a user's and their groups'
    global permissions) are for the admin only, whose users are `is_staff`: for everyone else
    this backend answers no permissions without asking the database, so that the navigation's
    permission questions cost nothing (docs/performance.md). For the staff, ModelBackend keeps
    the answer on the user object: asked once per request.
    """

    def get_user(self, user_id):
        # Once the second factor is proved, the device that proved it comes in the same query.
        user = two_factor.user_with_session_device(user_id)
        if user is None:
            try:
                user = UserModel._default_manager.select_related("agency").get(pk=user_id)
            except UserModel.DoesNotExist:
                return None
        return user if self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
        try:
            user = await UserModel._default_manager.select_related("agency").aget(pk=user_id)
        except UserModel.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_user_permissions(self, user_obj, obj=None):
        return super().get_user_permissions(user_obj, obj) if user_obj.is_staff else set()

    def get_group_permissions(self, user_obj, obj=None):
        return super().get_group_permissions(user_obj, obj) if user_obj.is_staff else set()

    def get_all_permissions(self, user_obj, obj=None):
        return super().get_all_permissions(user_obj, obj) if user_obj.is_staff else set()
