"""The curation models in Django's admin, read-only: every write goes through the services, which
check who may make it and record it in the audit trail. The invitation's secret is never shown
(with the site's key it would be the manager's personal link)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import Campaign, Comment, Invitation, OnePager, Review, Version


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class InvitationInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Invitation
    fields = ("cluster", "email", "sent_at", "opened_at", "reminders", "last_reminded_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Campaign)
class CampaignAdmin(ReadOnly):
    list_display = ("name", "deadline", "created_at", "closed_at", "created_by")
    list_filter = ("regions", "closed_at")
    search_fields = ("name",)
    inlines = [InvitationInline]


@admin.register(Invitation)
class InvitationAdmin(ReadOnly):
    list_display = ("cluster", "email", "campaign", "sent_at", "opened_at", "reminders")
    list_filter = ("campaign",)
    search_fields = ("email", "cluster__name")
    exclude = ("secret",)


@admin.register(OnePager)
class OnePagerAdmin(ReadOnly):
    list_display = ("reference", "title", "cluster", "campaign", "state", "score", "practice_id")
    list_filter = ("campaign", "state", "selected")
    search_fields = ("reference", "cluster__name", "practice_id")

    @admin.display(description=_("title"))
    def title(self, obj: OnePager) -> str:
        return obj.title


@admin.register(Version)
class VersionAdmin(ReadOnly):
    list_display = ("one_pager", "number", "state", "author_label", "conflict", "created_at")
    list_filter = ("conflict", "state")
    search_fields = ("one_pager__reference", "author_label")


@admin.register(Review)
class ReviewAdmin(ReadOnly):
    list_display = ("one_pager", "reviewer", "updated_at")
    search_fields = ("one_pager__reference", "reviewer__email")


@admin.register(Comment)
class CommentAdmin(ReadOnly):
    list_display = ("one_pager", "author_label", "created_at", "text")
    search_fields = ("one_pager__reference", "text")
