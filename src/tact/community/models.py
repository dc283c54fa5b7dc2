"""The community registry: who the cluster's members are, what they can do, whom they worked with.

Organisations are shared across cluster initiatives (a company can be in several clusters); a
cluster's manager sees and edits the organisations that are members of that cluster.
Competences come from a vocabulary shipped with TACT (``controlled``) that users extend with free
tags; each organisation holds a competence at a level from 1 (basic) to 5 (leading), with evidence.
"""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tact.accounts.models import ClusterInitiative
from tact.accounts.models import Organisation as MemberAccount

NUTS = RegexValidator(
    r"^[A-Z]{2}[0-9A-Z]{0,3}$", _("a NUTS code such as CH022, AT31 or ITC4 (capitals)")
)
COUNTRY = RegexValidator(r"^[A-Z]{2}$", _("a two-letter country code such as CH"))


class OrganisationType(models.TextChoices):
    SME = "sme", _("SME")
    LARGE = "large", _("large company")
    UNIVERSITY = "university", _("university")
    RESEARCH = "research", _("research institute")
    PUBLIC = "public", _("public body")
    CLUSTER = "cluster", _("cluster organisation")
    OTHER = "other", _("other")


INDUSTRY_TYPES = frozenset({OrganisationType.SME, OrganisationType.LARGE})
ACADEMIC_TYPES = frozenset({OrganisationType.UNIVERSITY, OrganisationType.RESEARCH})


class SizeClass(models.TextChoices):
    # EU definition by headcount (Recommendation 2003/361/EC).
    MICRO = "micro", _("micro (< 10 staff)")
    SMALL = "small", _("small (10–49 staff)")
    MEDIUM = "medium", _("medium (50–249 staff)")
    LARGE = "large", _("large (250+ staff)")
    UNKNOWN = "", _("unknown")


class Competence(models.Model):
    code = models.SlugField(_("code"), max_length=80, primary_key=True)
    label = models.CharField(_("label"), max_length=200)
    group = models.CharField(_("group"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Shipped with TACT (the vocabulary file) or a free tag somebody added.
    controlled = models.BooleanField(_("from the vocabulary"), default=False)

    class Meta:
        ordering = ["group", "label"]
        verbose_name = _("competence")
        verbose_name_plural = _("competences")

    def __str__(self) -> str:
        return self.label


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=OrganisationType.choices)
    region = models.CharField(_("region (NUTS)"), max_length=5, validators=[NUTS])
    country = models.CharField(_("country"), max_length=2, validators=[COUNTRY])
    size_class = models.CharField(
        _("size class"), max_length=10, choices=SizeClass.choices, blank=True, default=""
    )
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    # What the organisation typically puts into a collaborative project (EUR): the consortium
    # builder uses it for budget-share rules unless a call run gives other figures.
    typical_contribution = models.PositiveIntegerField(
        _("typical project contribution (EUR)"), null=True, blank=True
    )
    clusters = models.ManyToManyField(
        ClusterInitiative,
        verbose_name=_("cluster memberships"),
        related_name="community_organisations",
        blank=True,
    )
    competences = models.ManyToManyField(
        Competence, through="OrganisationCompetence", related_name="organisations", blank=True
    )
    # The member organisation (accounts) whose members keep this competence profile up to date.
    account = models.ForeignKey(
        MemberAccount,
        verbose_name=_("member account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="community_profiles",
    )
    synthetic = models.BooleanField(
        _("synthetic sample"),
        default=False,
        help_text=_("Generated sample data, not a real organisation."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="community_org_name_country")
        ]
        indexes = [models.Index(fields=["kind"]), models.Index(fields=["region"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_industry(self) -> bool:
        return self.kind in INDUSTRY_TYPES

    @property
    def is_academic(self) -> bool:
        return self.kind in ACADEMIC_TYPES


class OrganisationCompetence(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="competence_levels"
    )
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="holders")
    level = models.PositiveSmallIntegerField(
        _("level"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    evidence = models.CharField(_("evidence"), max_length=500, blank=True)

    class Meta:
        ordering = ["-level", "competence__label"]
        verbose_name = _("competence of an organisation")
        verbose_name_plural = _("competences of organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "competence"], name="community_one_level_per_competence"
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="community_level_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.competence} ({self.level})"


class Person(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(_("name"), max_length=200)
    function = models.CharField(_("function"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    """A joint project in the collaboration history: the trust the consortium builder counts."""

    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1950), MaxValueValidator(2100)]
    )
    description = models.TextField(_("description"), blank=True)
    partners = models.ManyToManyField(
        Organisation, verbose_name=_("partners"), related_name="projects"
    )

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("joint project")
        verbose_name_plural = _("joint projects")

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class SavedSearch(models.Model):
    """A partner search a user keeps to run again: the need as plain data."""

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="community_searches"
    )
    name = models.CharField(_("name"), max_length=200)
    need = models.JSONField(_("need"), default=dict)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("saved partner search")
        verbose_name_plural = _("saved partner searches")
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="community_search_name_per_user")
        ]

    def __str__(self) -> str:
        return self.name


class PendingImport(models.Model):
    """A file that passed its dry run, kept on the server until its owner imports it.

    The import page and the API import exactly these bytes (checked again, since the registry may
    have changed meanwhile), so nobody uploads the same file twice. Kept for an hour; only the
    person who checked it may import it; deleted once imported.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="community_pending_imports"
    )
    cluster = models.ForeignKey(
        ClusterInitiative, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind of rows"), max_length=20)
    filename = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    data = models.BinaryField(_("file content"))
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created_at = models.DateTimeField(_("checked at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("checked file waiting for import")
        verbose_name_plural = _("checked files waiting for import")

    def __str__(self) -> str:
        return f"{self.filename} ({self.rows})"
