"""Editions of the toolbox as a PDF document.

Each edition keeps its PDF in the database, next to the row that describes it: publishing is one
transaction, so there is never a row without its file or a file without its row, the editions
travel with every database backup, and nothing needs a writable media directory. An edition of
the 23 practices is some 100 KB; even a hundred editions stay small for SQLite or PostgreSQL.
Lists never load the bytes (``.defer("pdf")``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Edition(models.Model):
    number = models.PositiveIntegerField(_("number"), unique=True)
    date = models.DateField(_("edition date"))
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    note = models.TextField(_("note"), help_text=_("What is new in this edition."))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    # Kept when the account is deleted later, so the edition still says who published it.
    published_by_label = models.CharField(_("published by (as shown)"), max_length=254)
    practice_count = models.PositiveIntegerField(_("practices"))
    page_count = models.PositiveIntegerField(_("pages"))
    practice_ids = models.JSONField(_("practices included"), default=list)
    pdf = models.BinaryField(_("PDF document"))
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    render_seconds = models.FloatField(_("rendering time in seconds"), default=0)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")

    def __str__(self) -> str:
        return str(_("Edition %(number)d of %(date)s") % {"number": self.number, "date": self.date})

    @property
    def filename(self) -> str:
        return edition_filename(self.number, self.date)


def edition_filename(number: int | None, date: datetime.date) -> str:
    kind = f"edition-{number}" if number is not None else "preview"
    return f"tact-toolbox-{kind}-{date.isoformat()}.pdf"
