from django.contrib import admin

from audit.models import RecordRead


@admin.register(RecordRead)
class RecordReadAdmin(admin.ModelAdmin):
    list_display = ["read_at", "reader", "record_type", "record_id", "how", "address"]
    list_filter = ["record_type", "how"]
    list_select_related = ["reader"]

    # The log of reads is evidence: nobody edits or deletes it, the admin included.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
