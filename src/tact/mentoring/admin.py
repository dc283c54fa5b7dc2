"""Read-only views in the admin: programmes change only through the app's services (audited)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import MatchRun, Pair, Participant, Programme, ProgrammeEvent


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Programme)
class ProgrammeAdmin(ReadOnly):
    list_display = ("name", "cluster", "start_date", "months", "pairs_published")
    list_filter = ("cluster",)
    search_fields = ("name",)


@admin.register(Participant)
class ParticipantAdmin(ReadOnly):
    list_display = ("name", "side", "organisation", "email", "programme")
    list_filter = ("side", "programme")
    search_fields = ("name", "email", "organisation")


@admin.register(Pair)
class PairAdmin(ReadOnly):
    list_display = ("mentor", "mentee", "percent", "locked", "source", "programme")
    list_filter = ("programme", "locked", "source")


@admin.register(ProgrammeEvent)
class ProgrammeEventAdmin(ReadOnly):
    list_display = ("date", "title", "kind", "programme")
    list_filter = ("programme", "kind")


@admin.register(MatchRun)
class MatchRunAdmin(ReadOnly):
    list_display = ("programme", "method", "pairs", "unmatched", "mean_percent", "created_at")
