"""Cross-mentoring programmes: the cycle, the people, the rules and weights, and the pairs.

A programme belongs to a cluster initiative (the tenant); its managers and administrators run
it. Participants are profiles, not accounts: a logged-in member whose e-mail address matches a
profile sees their own pair and the programme's dates once the organiser publishes the pairs.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tact.accounts.models import ClusterInitiative

SENIORITY_LEVELS = {
    1: _("junior"),
    2: _("professional"),
    3: _("senior"),
    4: _("lead or manager"),
    5: _("executive"),
}
GENDERS = {"f": _("female"), "m": _("male"), "d": _("diverse")}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
SLOTS = tuple(f"{d}-{h}" for d in WEEKDAYS for h in ("am", "pm"))
WEIGHT_NAMES = ("topics", "seniority", "language", "gender", "location", "availability")
WEIGHT_LABELS = {
    "topics": _("Topics offered and wanted"),
    "seniority": _("Seniority gap"),
    "language": _("Common language"),
    "gender": _("Gender preferences"),
    "location": _("Same location"),
    "availability": _("Common availability"),
}


class Side(models.TextChoices):
    MENTOR = "mentor", _("mentor")
    MENTEE = "mentee", _("mentee")


class Method(models.TextChoices):
    OPTIMAL = "optimal", _("optimal assignment (highest total compatibility)")
    STABLE = "stable", _("stable matching (both sides rank each other)")


class Programme(models.Model):
    cluster = models.ForeignKey(
        ClusterInitiative,
        verbose_name=_("cluster initiative"),
        on_delete=models.CASCADE,
        related_name="mentoring_programmes",
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"))
    months = models.PositiveSmallIntegerField(_("duration (months)"), default=9)
    location = models.CharField(_("usual venue"), max_length=200, blank=True)
    # Hard rules (never the same organisation is not a setting: it always applies)
    require_common_language = models.BooleanField(_("require a common language"), default=False)
    # [["Org A", "Org B"], ...]: never pair people of these organisations
    competitors = models.JSONField(_("competitors"), default=list, blank=True)
    # [["mentor e-mail", "mentee e-mail"], ...]
    excluded_pairs = models.JSONField(_("excluded pairs"), default=list, blank=True)
    # Soft criteria: non-negative weights; only their ratios matter
    weight_topics = models.FloatField(_("weight: topics"), default=3.0)
    weight_seniority = models.FloatField(_("weight: seniority"), default=1.0)
    weight_language = models.FloatField(_("weight: language"), default=1.0)
    weight_gender = models.FloatField(_("weight: gender preferences"), default=1.0)
    weight_location = models.FloatField(_("weight: location"), default=0.5)
    weight_availability = models.FloatField(_("weight: availability"), default=1.0)
    pairs_published = models.BooleanField(_("pairs shown to participants"), default=False)
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
        ordering = ["-start_date", "name", "id"]
        verbose_name = _("mentoring programme")
        verbose_name_plural = _("mentoring programmes")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "name"], name="mentoring_programme_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("mentoring:programme", args=[self.pk])

    def weights(self) -> dict[str, float]:
        return {name: getattr(self, f"weight_{name}") for name in WEIGHT_NAMES}


class EventKind(models.TextChoices):
    KICKOFF = "kickoff", _("kick-off")
    MEETING = "meeting", _("mentor–mentee meeting")
    WORKSHOP = "workshop", _("workshop")
    CLOSING = "closing", _("closing event")
    OTHER = "other", _("other")


class ProgrammeEvent(models.Model):
    """A date of the cycle. Without times it is an all-day date (e.g. a month's meetings)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts"), null=True, blank=True)
    end_time = models.TimeField(_("ends"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["date", "start_time", "id"]
        verbose_name = _("programme date")
        verbose_name_plural = _("programme dates")

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class Participant(models.Model):
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    organisation = models.CharField(_("organisation"), max_length=200)
    function = models.CharField(_("function"), max_length=200, blank=True)
    seniority = models.PositiveSmallIntegerField(_("seniority"), default=0)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    gender = models.CharField(_("gender"), max_length=1, blank=True)
    preferred_gender = models.CharField(
        _("preferred gender of the partner"), max_length=1, blank=True
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    availability = models.JSONField(_("availability"), default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity (mentees)"), default=1)
    # E-mail addresses of the other side, best first (for stable matching)
    ranking = models.JSONField(_("ranking"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Why the last matching (or a manual edit) left this person without a partner
    unmatched_reason = models.CharField(_("why unmatched"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["side", "name", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "email"], name="mentoring_participant_email"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    @property
    def seniority_label(self) -> str:
        return str(SENIORITY_LEVELS.get(self.seniority, "")) if self.seniority else ""

    @property
    def gender_label(self) -> str:
        return str(GENDERS.get(self.gender, ""))

    @property
    def preferred_gender_label(self) -> str:
        return str(GENDERS.get(self.preferred_gender, ""))


class Pair(models.Model):
    class Source(models.TextChoices):
        OPTIMAL = "optimal", _("optimal assignment")
        STABLE = "stable", _("stable matching")
        MANUAL = "manual", _("set by hand")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="pairs"
    )
    mentor = models.ForeignKey(
        Participant, verbose_name=_("mentor"), on_delete=models.CASCADE, related_name="as_mentor"
    )
    mentee = models.OneToOneField(
        Participant, verbose_name=_("mentee"), on_delete=models.CASCADE, related_name="as_mentee"
    )
    percent = models.FloatField(_("match (%)"))
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    concerns = models.JSONField(_("concerns"), default=list, blank=True)
    # Hard rules this pair breaks (manual pairs only; the organiser confirmed them)
    warnings = models.JSONField(_("rule warnings"), default=list, blank=True)
    locked = models.BooleanField(_("locked"), default=False)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["mentor__name", "mentee__name", "id"]
        verbose_name = _("pair")
        verbose_name_plural = _("pairs")

    def __str__(self) -> str:
        return f"{self.mentor.name} → {self.mentee.name}"


class MatchRun(models.Model):
    """One run of the matching: what was asked and what came out (shown on the pairs page)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="runs"
    )
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    keep_locked = models.BooleanField(_("locked pairs kept"), default=True)
    pairs = models.PositiveIntegerField(_("pairs"), default=0)
    locked = models.PositiveIntegerField(_("locked pairs"), default=0)
    unmatched = models.PositiveIntegerField(_("unmatched"), default=0)
    total = models.FloatField(_("total compatibility"), default=0)
    mean_percent = models.FloatField(_("mean match (%)"), default=0)
    seconds = models.FloatField(_("seconds"), default=0)
    settings_used = models.JSONField(_("settings"), default=dict, blank=True)
    created_at = models.DateTimeField(_("run at"), auto_now_add=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")

    def __str__(self) -> str:
        return f"{self.programme} · {self.method} · {self.created_at:%Y-%m-%d %H:%M}"

    def summary(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "keep_locked": self.keep_locked,
            "pairs": self.pairs,
            "locked": self.locked,
            "unmatched": self.unmatched,
            "total": round(self.total, 2),
            "mean_percent": round(self.mean_percent, 1),
            "seconds": round(self.seconds, 3),
        }
