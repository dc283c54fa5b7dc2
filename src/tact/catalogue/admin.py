"""Editing the toolbox behind login. Saving recomputes derived figures and writes an audit entry."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from . import services
from .models import Field, Objective, Practice, PracticeCluster, PracticeContact, PracticeFact


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["name", "id", "order"]
    inlines = [ObjectiveInline]


class ClusterInline(admin.TabularInline):
    model = PracticeCluster
    extra = 0


class ContactInline(admin.TabularInline):
    model = PracticeContact
    extra = 0
    readonly_fields = ["email_valid"]


class FactInline(admin.TabularInline):
    model = PracticeFact
    extra = 0


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "field", "country", "published", "synthetic", "updated_at"]
    list_filter = ["field", "country", "published", "synthetic"]
    search_fields = ["id", "title", "summary"]
    filter_horizontal = ["objectives"]
    readonly_fields = ["duration_months", "fee_eur", "staff_persons", "participants_max"]
    inlines = [ClusterInline, ContactInline, FactInline]

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            # Kept to record the change in the audit trail after the inlines are saved.
            obj._before = obj.to_record()
        return obj

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.practice_refresh(
            practice=form.instance,
            actor=request.user,
            before=getattr(form.instance, "_before", None),
        )
