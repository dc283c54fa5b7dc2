from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from tact.core.services import audit_record

from .models import (
    ApiToken,
    ClusterInitiative,
    Invitation,
    Organisation,
    Region,
    RoleAssignment,
    User,
)


def _plain(obj: Any, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    data = model_to_dict(obj, exclude=["password", *exclude])
    return {
        k: (v if isinstance(v, (str, int, float, bool, type(None))) else str(v))
        for k, v in data.items()
    }


class AuditedAdmin(admin.ModelAdmin):
    """Edits in the admin are writes too: each one is recorded in the audit trail."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        before = _plain(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=f"{obj._meta.model_name}.{'changed' if change else 'created'}.admin",
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            changes={"before": before, "after": _plain(obj)},
        )

    def delete_model(self, request: Any, obj: Any) -> None:
        before = _plain(obj)
        pk = obj.pk
        super().delete_model(request, obj)
        audit_record(
            actor=request.user,
            action=f"{obj._meta.model_name}.deleted.admin",
            object_type=obj._meta.label_lower,
            object_id=str(pk),
            changes={"before": before, "after": None},
        )

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written only through services (invitations, roles, tokens): the admin shows them."""

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("name",)}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ["code", "name", "country"]
    search_fields = ["code", "name"]


@admin.register(ClusterInitiative)
class ClusterInitiativeAdmin(AuditedAdmin):
    list_display = ["name", "region", "sector", "managing_organisation"]
    search_fields = ["name", "sector"]
    list_filter = ["region"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "cluster"]
    search_fields = ["name"]
    list_filter = ["cluster"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "cluster", "region", "organisation", "granted_at"]
    list_filter = ["role"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "role", "cluster", "region", "created_at", "expires_at", "used_at"]
    exclude = ["token_hash"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]
