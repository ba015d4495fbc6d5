from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Agency, User
from accounts.services import user_join_agency_group


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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user_join_agency_group(user=form.instance)
