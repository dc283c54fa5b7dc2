"""Calls for R&D projects (rules as data) and the consortium builds run against them.

A call is loaded from a versioned file in ``data/calls/`` and never edited in the database. A
build run keeps a snapshot of what it found (the alternatives with their eligibility reports,
roles and objective breakdown), so a result stays readable when the registry changes later.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tact.accounts.models import ClusterInitiative
from tact.community.models import Organisation


class Call(models.Model):
    id = models.SlugField(_("id"), max_length=80, primary_key=True)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    practice = models.CharField(_("toolbox practice"), max_length=40, blank=True)
    rules = models.JSONField(_("rules"))
    digest = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(_("loaded"))

    class Meta:
        ordering = ["title"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")

    def __str__(self) -> str:
        return self.title


class BuildRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        DONE = "done", _("done")
        INFEASIBLE = "infeasible", _("no eligible consortium")
        FAILED = "failed", _("failed")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="runs")
    cluster = models.ForeignKey(
        ClusterInitiative, on_delete=models.CASCADE, related_name="consortium_runs"
    )
    applicant = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    applicant_name = models.CharField(_("applicant"), max_length=200, blank=True)
    competences = models.JSONField(_("required competences"), default=list, blank=True)
    top = models.PositiveSmallIntegerField(_("alternatives"), default=3)
    time_limit = models.FloatField(_("time limit (s)"), default=10.0)
    min_difference = models.PositiveSmallIntegerField(
        _("alternatives differ by at least (partners)"), default=2
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    solver_status = models.CharField(_("solver status"), max_length=20, blank=True)
    objective = models.IntegerField(_("objective"), null=True, blank=True)
    bound = models.IntegerField(_("proven bound"), null=True, blank=True)
    gap = models.FloatField(_("gap"), null=True, blank=True)
    alternatives = models.JSONField(_("alternatives"), default=list, blank=True)
    blockers = models.JSONField(_("why nothing was found"), default=list, blank=True)
    stats = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    job_id = models.UUIDField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("consortium build")
        verbose_name_plural = _("consortium builds")

    def __str__(self) -> str:
        return f"{self.call_id} / {self.cluster} / {self.created_at:%Y-%m-%d %H:%M}"
