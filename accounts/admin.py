from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Agency, User
from accounts.services import two_factor_reset, user_join_agency_group

# A device deleted here would leave no record: resets go through the service, below and on the
# people page (docs/two-factor.md).
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "spoc", "is_host", "is_active"]
    list_select_related = ["spoc"]
    search_fields = ["name", "short_name"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "first_name", "last_name", "role", "agency", "is_active"]
    list_filter = ["role", "agency", "is_active"]
    list_select_related = ["agency"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        ("CASPA", {"fields": ("role", "agency", "job_title", "phone")}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        ("CASPA", {"fields": ("first_name", "last_name", "email", "role", "agency")}),
    )

    actions = ["reset_two_factor"]

    @admin.action(description="Reset two-factor sign-in (they set it up again)")
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            try:
                two_factor_reset(by=request.user, user=user)
            except PermissionDenied as refused:
                self.message_user(request, str(refused), messages.ERROR)
                return
            except ValidationError as refused:
                self.message_user(request, " ".join(refused.messages), messages.WARNING)
            else:
                self.message_user(request, f"Two-factor sign-in reset for {user.username}.")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user_join_agency_group(user=form.instance)
