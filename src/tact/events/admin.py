"""B2B events in the Django admin, read-only: every write goes through the app's services, which
check who may act and leave an audit entry. Use the event pages, the API or ``tact events``."""

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from .models import (
    Event,
    Meeting,
    MeetingRequest,
    Participant,
    PublishedMeeting,
    ScheduleRun,
    Session,
    Slot,
    Table,
)


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SessionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Session
    extra = 0
    fields = ("name", "start", "end")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(ReadOnly):
    list_display = ("title", "date", "cluster", "status", "registration_open", "published_at")
    list_filter = ("status", "registration_open", "cluster")
    search_fields = ("title", "venue")
    date_hierarchy = "date"
    inlines = [SessionInline]


@admin.register(Session)
class SessionAdmin(ReadOnly):
    list_display = ("name", "start", "end", "event")
    list_filter = ("event",)


@admin.register(Slot)
class SlotAdmin(ReadOnly):
    list_display = ("__str__", "start", "end", "session")
    list_filter = ("session__event",)


@admin.register(Table)
class TableAdmin(ReadOnly):
    list_display = ("name", "remote", "link", "event")
    list_filter = ("remote", "event")
    search_fields = ("name",)


@admin.register(Participant)
class ParticipantAdmin(ReadOnly):
    list_display = ("person", "organisation_name", "email", "role", "attendance",
                    "max_meetings", "user", "event")  # fmt: skip
    list_filter = ("role", "attendance", "event")
    search_fields = ("person", "organisation_name", "email", "offers", "seeks")


@admin.register(MeetingRequest)
class MeetingRequestAdmin(ReadOnly):
    list_display = ("requester", "requested", "priority", "status", "created_at", "event")
    list_filter = ("status", "priority", "event")
    search_fields = ("requester__organisation_name", "requested__organisation_name", "message")


@admin.register(Meeting)
class MeetingAdmin(ReadOnly):
    list_display = ("request", "slot", "table", "published", "event")
    list_filter = ("published", "event")


@admin.register(PublishedMeeting)
class PublishedMeetingAdmin(ReadOnly):
    list_display = ("request", "start", "table_name", "remote", "published_at", "event")
    list_filter = ("event",)


@admin.register(ScheduleRun)
class ScheduleRunAdmin(ReadOnly):
    list_display = ("event", "created_at", "created_by", "keep_published")
    list_filter = ("event",)
