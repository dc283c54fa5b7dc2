from django.contrib import admin

from .models import ClusterProfile


@admin.register(ClusterProfile)
class ClusterProfileAdmin(admin.ModelAdmin):
    list_display = ("name", "cluster", "stage", "members", "updated_at")
    list_filter = ("stage",)
    search_fields = ("name", "cluster__name")
    readonly_fields = ("created_at", "updated_at", "created_by")

    # Writes go through the services (validated and audited): the admin only shows profiles.
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
