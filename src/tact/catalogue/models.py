"""The toolbox: fields, Target Board objectives and best practices with their structured facts."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Field(models.Model):
    """One of the five fields of cluster services (Education, Innovation, ...)."""

    id = models.SlugField(_("id"), primary_key=True, max_length=40)
    name = models.CharField(_("name"), max_length=100)
    definition = models.TextField(_("definition"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    colour = models.CharField(_("colour"), max_length=7, default="#555555")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("field")
        verbose_name_plural = _("fields")

    def __str__(self) -> str:
        return self.name


class Objective(models.Model):
    """A Cluster Initiative Target Board objective, grouped under the field that covers it."""

    id = models.SlugField(_("id"), primary_key=True, max_length=60)
    field = models.ForeignKey(Field, on_delete=models.CASCADE, related_name="objectives")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["field__order", "order", "id"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        return self.name


ORIGINS = [("data-file", _("data file")), ("curation", _("curation"))]


class Practice(models.Model):
    """A cluster service described as a best practice, with its facts and contacts."""

    id = models.SlugField(_("id"), primary_key=True, max_length=64)
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="practices")
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"))
    description = models.TextField(_("description"))
    country = models.CharField(_("country"), max_length=2, blank=True, db_index=True)
    nuts = models.CharField(_("NUTS region"), max_length=10, blank=True)
    region_name = models.CharField(_("region"), max_length=200, blank=True)
    formats = models.JSONField(_("formats"), default=list, blank=True)
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    beneficiaries = models.JSONField(_("beneficiaries"), default=list, blank=True)
    activities = models.JSONField(_("activities"), default=list, blank=True)
    funding_sources = models.JSONField(_("funding sources"), default=list, blank=True)
    success_factors = models.JSONField(_("key success factors"), default=list, blank=True)
    challenges = models.JSONField(_("challenges"), default=list, blank=True)
    scope = models.JSONField(_("scope"), default=dict, blank=True)
    objectives = models.ManyToManyField(Objective, related_name="practices", blank=True)

    # Derived from the facts at every save, so lists can filter and sort without parsing facts.
    duration_months = models.FloatField(_("duration in months"), null=True, blank=True)
    fee_eur = models.FloatField(_("lowest fee in EUR"), null=True, blank=True)
    staff_persons = models.FloatField(_("staff (persons)"), null=True, blank=True)
    participants_max = models.FloatField(_("participants (largest figure)"), null=True, blank=True)

    published = models.BooleanField(_("published"), default=True, db_index=True)
    # Where the practice came from: the versioned data files, or a one-pager published through
    # curation. Withdrawing a practice sets published to False and keeps the row.
    origin = models.CharField(
        _("origin"), max_length=20, choices=ORIGINS, default="data-file", db_index=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Generated for benchmarks, not a real practice.")
    )
    # The record as last loaded from the data files. Compared key by key with the current content
    # to tell an edit made in the app (which the loader keeps) from a new version of the file; a
    # key added to the format later is not mistaken for an edit.
    loaded_record = models.JSONField(default=dict, blank=True, editable=False)
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["field__order", "number", "id"]
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        constraints = [
            models.UniqueConstraint(
                fields=["field", "number"], name="practice_field_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.id}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("catalogue:practice", args=[self.id])

    def to_record(self) -> dict[str, Any]:
        """The practice in the shape of its data file (see docs/data-format.md)."""
        return {
            "id": self.id,
            "field": self.field_id,
            "number": self.number,
            "title": self.title,
            "clusters": [c.to_record() for c in self.clusters.all()],
            "region": {"country": self.country, "nuts": self.nuts, "name": self.region_name},
            "contacts": [c.to_record() for c in self.contacts.all()],
            "summary": self.summary,
            "description": self.description,
            "formats": list(self.formats),
            "target_groups": list(self.target_groups),
            "sectors": list(self.sectors),
            "objectives": sorted(o.id for o in self.objectives.all()),
            "keywords": list(self.keywords),
            "beneficiaries": list(self.beneficiaries),
            "activities": list(self.activities),
            "facts": [f.to_record() for f in self.facts.all()],
            "funding_sources": list(self.funding_sources),
            "success_factors": list(self.success_factors),
            "challenges": list(self.challenges),
            "scope": dict(self.scope),
        }

    def edited_keys(self, current: dict[str, Any] | None = None) -> list[str]:
        """Keys of the record changed in the app since the last load."""
        current = current if current is not None else self.to_record()
        return [k for k, v in self.loaded_record.items() if k in current and current[k] != v]

    @property
    def edited_since_load(self) -> bool:
        return bool(self.edited_keys())


class PracticeCluster(models.Model):
    """A cluster initiative that runs the practice, with its website as the source gives it."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="clusters")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=300)
    website = models.CharField(_("website"), max_length=300, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("cluster initiative")
        verbose_name_plural = _("cluster initiatives")

    def __str__(self) -> str:
        return self.name

    @property
    def url(self) -> str:
        site = self.website.strip()
        if not site or "://" in site:
            return site
        return f"https://{site}"

    def to_record(self) -> dict[str, Any]:
        return {"name": self.name, "website": self.website}


class PracticeContact(models.Model):
    """Whom to ask about the practice. E-mails are kept as the source gives them."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="contacts")
    order = models.PositiveSmallIntegerField(default=0)
    person = models.CharField(_("person"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    email = models.CharField(_("e-mail"), max_length=254, blank=True)
    email_valid = models.BooleanField(_("e-mail is well-formed"), default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.person

    def to_record(self) -> dict[str, Any]:
        return {"person": self.person, "organisation": self.organisation, "email": self.email}


class PracticeFact(models.Model):
    """A number from the practice with its unit: a fee, a duration, a participant range..."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="facts")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    label = models.CharField(_("label"), max_length=300)
    minimum = models.FloatField(_("minimum"), null=True, blank=True)
    maximum = models.FloatField(_("maximum"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=40)
    per = models.CharField(_("per"), max_length=40, blank=True)
    approx = models.BooleanField(_("approximate"), default=False)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("fact")
        verbose_name_plural = _("facts")

    def __str__(self) -> str:
        return self.label

    def to_record(self) -> dict[str, Any]:
        record: dict[str, Any] = {"kind": self.kind, "label": self.label}
        if self.minimum is not None and self.minimum == self.maximum:
            record["value"] = as_number(self.minimum)
        else:
            if self.minimum is not None:
                record["min"] = as_number(self.minimum)
            if self.maximum is not None:
                record["max"] = as_number(self.maximum)
        record["unit"] = self.unit
        if self.per:
            record["per"] = self.per
        if self.approx:
            record["approx"] = True
        return record


def as_number(value: float) -> int | float:
    """580.0 -> 580, so exported JSON shows the numbers as the source does."""
    return int(value) if float(value).is_integer() else value
