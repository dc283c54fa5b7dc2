"""Assessment models (from the data files), pseudonymous respondents, answers and benchmark figures.

The answers and figures hang off a ``Respondent`` known only by a random pseudonym. Which
organisation it is lives in ``RespondentLink`` alone, which only the organisation's own members
read (see selectors); cluster managers read ``Figure`` rows in aggregate, never a link.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tact.accounts.models import ClusterInitiative, Organisation

SECTORS = {
    "machinery": _("Machinery and equipment"),
    "automotive": _("Automotive and mobility"),
    "electronics": _("Electronics and mechatronics"),
    "metal": _("Metal products"),
    "plastics": _("Plastics and chemicals"),
    "food": _("Food and beverages"),
    "health": _("Health and life sciences"),
    "ict": _("ICT and software"),
    "energy": _("Energy and environment"),
    "other": _("Other"),
}
SIZE_CLASSES = {
    "micro": _("Micro (under 10 employees)"),
    "small": _("Small (10–49)"),
    "medium": _("Medium (50–249)"),
    "large": _("Large (250 and more)"),
}


class Kind(models.TextChoices):
    MATURITY = "maturity", _("maturity self-check")
    KEY_FIGURES = "key_figures", _("key figures benchmark")


class AssessmentModel(models.Model):
    """One assessment model as loaded from ``data/<id>.yaml``."""

    id = models.SlugField(_("id"), primary_key=True, max_length=50)
    version = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    definition = models.JSONField(_("definition"))
    digest = models.CharField(max_length=64, editable=False)
    loaded_at = models.DateTimeField(_("loaded"), default=timezone.now)

    class Meta:
        ordering = ["title"]
        verbose_name = _("assessment model")
        verbose_name_plural = _("assessment models")

    def __str__(self) -> str:
        return self.title


def new_pseudonym() -> str:
    return secrets.token_hex(12)


class Respondent(models.Model):
    """A company in one model's benchmark database, known by a pseudonym only."""

    pseudonym = models.CharField(max_length=32, unique=True, default=new_pseudonym, editable=False)
    model = models.ForeignKey(AssessmentModel, on_delete=models.PROTECT, related_name="+")
    sector = models.CharField(_("sector"), max_length=30, choices=list(SECTORS.items()))
    size_class = models.CharField(
        _("size class"), max_length=10, choices=list(SIZE_CLASSES.items())
    )
    region = models.CharField(_("region"), max_length=10, help_text=_("NUTS code"))
    cluster = models.ForeignKey(
        ClusterInitiative, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")

    def __str__(self) -> str:
        return self.pseudonym


class RespondentLink(models.Model):
    """Which organisation a pseudonym belongs to: read by the organisation's members only."""

    respondent = models.OneToOneField(Respondent, on_delete=models.CASCADE, related_name="link")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    model = models.ForeignKey(AssessmentModel, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "model"], name="one_respondent_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.respondent_id} -> {self.organisation_id}"


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")


class Response(models.Model):
    """The answers of one respondent in one benchmark round."""

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="responses")
    round = models.CharField(_("round"), max_length=20)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # maturity: {item: {"current": level | "n/a", "target": level | "n/a"}}; key figures: raw numbers
    answers = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-round", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["respondent", "round"], name="one_response_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.respondent} {self.round}"


class Figure(models.Model):
    """One number of one submitted response in the benchmark database, with its peer groups.

    The groups are copied here so a peer comparison is an index range scan, not a join.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="figures")
    model = models.ForeignKey(AssessmentModel, on_delete=models.CASCADE, related_name="+")
    round = models.CharField(max_length=20)
    metric = models.CharField(max_length=60)
    value = models.FloatField()
    sector = models.CharField(max_length=30)
    size_class = models.CharField(max_length=10)
    region = models.CharField(max_length=10)
    cluster_id = models.BigIntegerField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["model", "round", "metric", "value"], name="fig_all"),
            models.Index(fields=["model", "round", "metric", "sector", "value"], name="fig_sector"),
            models.Index(
                fields=["model", "round", "metric", "size_class", "value"], name="fig_size"
            ),
            models.Index(fields=["model", "round", "metric", "region", "value"], name="fig_region"),
            models.Index(
                fields=["model", "round", "metric", "cluster_id", "value"], name="fig_cluster"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric}={self.value}"


class AssessmentInvitation(models.Model):
    """A cluster invites an organisation to take an assessment in a round."""

    model = models.ForeignKey(AssessmentModel, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    round = models.CharField(max_length=20)
    invited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["model", "organisation", "round"], name="one_invitation_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.model_id} {self.round}"
