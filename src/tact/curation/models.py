"""Survey campaigns, one-pagers with their versions, reviews and comments.

A one-pager holds what a cluster manager wrote as plain data (``data``, the shape of a practice
file without id and number). Every save bumps ``version``; a save that names an older version is
refused as a conflict (see services.one_pager_save), so two editors never overwrite each other.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tact.accounts.models import ClusterInitiative, Region


class State(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    IN_REVIEW = "in_review", _("in review")
    REVISION_REQUESTED = "revision_requested", _("revision requested")
    VALIDATED = "validated", _("validated by the cluster manager")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Campaign(models.Model):
    """One survey round run by a regional contact for the cluster initiatives of some regions."""

    name = models.CharField(_("name"), max_length=200)
    regions = models.ManyToManyField(Region, verbose_name=_("regions"), related_name="campaigns")
    deadline = models.DateField(_("deadline"))
    introduction = models.TextField(_("introduction for the cluster managers"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Invitation(models.Model):
    """A cluster initiative asked for a one-pager, with the manager's personal link."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    cluster = models.ForeignKey(
        ClusterInitiative, verbose_name=_("cluster initiative"), on_delete=models.PROTECT
    )
    email = models.EmailField(_("manager's e-mail"))
    # The link is this secret signed with the site's secret key (see services.invitation_link):
    # reminders can repeat the link, and a database dump alone gives no working link away.
    secret = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    opened_at = models.DateTimeField(_("first opened"), null=True, blank=True)

    class Meta:
        ordering = ["cluster__name", "id"]
        verbose_name = _("invitation to the survey")
        verbose_name_plural = _("invitations to the survey")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "cluster", "email"], name="curation_invitation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cluster} <{self.email}>"


class OnePager(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="one_pagers")
    cluster = models.ForeignKey(
        ClusterInitiative,
        verbose_name=_("cluster initiative"),
        on_delete=models.PROTECT,
        related_name="one_pagers",
    )
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="one_pagers"
    )
    # A stable key for imports and exports ("2027-AT31-003"); unique within the campaign.
    reference = models.CharField(_("reference"), max_length=64)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    data = models.JSONField(_("content"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    selected = models.BooleanField(_("selected for publication"), default=False)
    # The last scoring run (see services.campaign_score); the ranked table reads these.
    scores = models.JSONField(default=dict, blank=True, editable=False)
    score = models.FloatField(_("overall score"), null=True, blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)
    practice_id = models.CharField(_("published as"), max_length=64, blank=True)
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewers"),
        blank=True,
        related_name="one_pagers_to_review",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["campaign", "reference"]
        verbose_name = _("one-pager")
        verbose_name_plural = _("one-pagers")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "reference"], name="curation_onepager_reference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def title(self) -> str:
        value = self.data.get("title") if isinstance(self.data, dict) else None
        return str(value or "") or str(_("(untitled)"))


class Version(models.Model):
    """The content of a one-pager after one save (or a save refused as a conflict)."""

    one_pager = models.ForeignKey(OnePager, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField(default=dict)
    state = models.CharField(max_length=20, choices=State.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_label = models.CharField(max_length=254, blank=True)
    note = models.CharField(max_length=300, blank=True)
    # A save refused because someone saved first: kept so nothing typed is lost.
    conflict = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["one_pager", "-created_at", "-id"]
        verbose_name = _("version")
        verbose_name_plural = _("versions")

    def __str__(self) -> str:
        return f"{self.one_pager.reference} v{self.number}"


class Review(models.Model):
    """One reviewer's rubric ratings of a one-pager."""

    one_pager = models.ForeignKey(OnePager, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="curation_reviews"
    )
    ratings = models.JSONField(default=dict)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["one_pager", "reviewer__email"]
        constraints = [
            models.UniqueConstraint(fields=["one_pager", "reviewer"], name="curation_review_unique")
        ]

    def __str__(self) -> str:
        return f"{self.one_pager.reference} · {self.reviewer}"


class Comment(models.Model):
    one_pager = models.ForeignKey(OnePager, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_label = models.CharField(max_length=254, blank=True)
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["one_pager", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]
