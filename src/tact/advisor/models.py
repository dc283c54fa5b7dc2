"""A cluster's profile: what the advisor needs to rank, compare and plan services for it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tact.accounts.models import ClusterInitiative


class Stage(models.TextChoices):
    EMERGING = "emerging", _("emerging")
    GROWING = "growing", _("growing")
    MATURE = "mature", _("mature")


class ClusterProfile(models.Model):
    """Owned by a cluster initiative; visible to its managers and to administrators."""

    cluster = models.ForeignKey(
        ClusterInitiative,
        verbose_name=_("cluster initiative"),
        on_delete=models.CASCADE,
        related_name="advisor_profiles",
    )
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, blank=True)
    nuts = models.CharField(_("NUTS region"), max_length=10, blank=True)
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    technologies = models.JSONField(_("technology fields"), default=list, blank=True)
    stage = models.CharField(
        _("life-cycle stage"), max_length=20, choices=Stage.choices, default=Stage.GROWING
    )
    members = models.PositiveIntegerField(_("members"), default=0)
    share_smes = models.FloatField(_("share of SMEs"), default=0)
    share_large = models.FloatField(_("share of large companies"), default=0)
    share_research = models.FloatField(_("share of research and education"), default=0)
    share_public = models.FloatField(_("share of public bodies"), default=0)
    management_fte = models.FloatField(_("management staff (FTE)"), default=0)
    budget_eur = models.FloatField(_("yearly budget for new services (EUR)"), default=0)
    # {objective id: priority 0..3}
    objectives = models.JSONField(_("objective priorities"), default=dict, blank=True)
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    cross_border = models.BooleanField(_("cross-border ambition"), default=False)
    # [{"name", "field", "objectives": [...], "practice": id or ""}]
    current_services = models.JSONField(_("current services"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["cluster__name", "name", "id"]
        verbose_name = _("cluster profile")
        verbose_name_plural = _("cluster profiles")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "name"], name="advisor_profile_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.cluster} · {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("advisor:profile", args=[self.pk])

    def to_record(self) -> dict[str, Any]:
        """The profile in the shape of an import file (docs/advisor.md)."""
        return {
            "name": self.name,
            "cluster": self.cluster.name,
            "region": {"country": self.country, "nuts": self.nuts},
            "sectors": list(self.sectors),
            "technologies": list(self.technologies),
            "stage": self.stage,
            "members": self.members,
            "shares": {
                "smes": self.share_smes,
                "large": self.share_large,
                "research": self.share_research,
                "public": self.share_public,
            },
            "management_fte": self.management_fte,
            "budget_eur": self.budget_eur,
            "objectives": dict(self.objectives),
            "target_groups": list(self.target_groups),
            "cross_border": self.cross_border,
            "current_services": [dict(s) for s in self.current_services],
        }
