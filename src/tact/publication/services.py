"""Writes of the publication: rendering and storing a new edition (audited)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tact.core.services import audit_record

from . import selectors
from .document import Rendered, render_toolbox
from .models import Edition

MAX_NOTE_LENGTH = 2000


class PublicationError(ValueError):
    """Bad input to a publication service; ``field`` names the parameter."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class NotAllowed(PermissionError):
    pass


def note_clean(note: Any) -> str:
    if not isinstance(note, str):
        raise PublicationError("note", _("must be a text"))
    if not note.strip():
        raise PublicationError(
            "note", _("say in a few words what is new in this edition (it cannot be empty)")
        )
    note = note.strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise PublicationError(
            "note",
            _("is %(length)d characters long; at most %(max)d are allowed")
            % {"length": len(note), "max": MAX_NOTE_LENGTH},
        )
    if any(ord(c) < 32 and c not in "\n\r\t" for c in note):
        raise PublicationError("note", _("contains control characters"))
    return note


def edition_render(*, number: int | None, site_url: str = "", note: str = "") -> Rendered:
    """The PDF of the current toolbox, not stored (the preview and ``tact publication build``)."""
    return render_toolbox(
        selectors.edition_content(site_url=site_url),
        edition=number,
        date=timezone.localdate(),
        note=note,
    )


def edition_publish(*, user: Any, note: str, site_url: str = "") -> Edition:
    """Render the toolbox as it is now and store it as the next edition.

    ``user`` None is the command line, which is trusted. The PDF is rendered before the
    transaction (it takes a moment); the number is taken inside it, and two curators publishing
    at the same moment get consecutive numbers, each PDF carrying its own.
    """
    if user is not None and not selectors.user_may_publish(user):
        raise NotAllowed(_("Only curators and administrators publish editions."))
    note = note_clean(note)
    for _attempt in range(3):
        number = selectors.edition_next_number()
        rendered = edition_render(number=number, site_url=site_url, note=note)
        if rendered.practice_count == 0:
            raise PublicationError(
                "practices", _("no practice is published: an edition would be empty")
            )
        try:
            with transaction.atomic():
                edition = Edition.objects.create(
                    number=number,
                    date=timezone.localdate(),
                    note=note,
                    published_by=user,
                    published_by_label=str(user) if user is not None else _("command line"),
                    practice_count=rendered.practice_count,
                    page_count=rendered.pages,
                    practice_ids=rendered.practice_ids,
                    pdf=rendered.pdf,
                    size=len(rendered.pdf),
                    sha256=hashlib.sha256(rendered.pdf).hexdigest(),
                    render_seconds=round(rendered.seconds, 3),
                )
                audit_record(
                    actor=user,
                    actor_label="" if user is not None else "command line",
                    action="publication.edition_publish",
                    object_type="publication.edition",
                    object_id=str(edition.number),
                    changes={
                        "note": note,
                        "practices": rendered.practice_count,
                        "pages": rendered.pages,
                        "size": len(rendered.pdf),
                        "sha256": edition.sha256,
                    },
                )
        except IntegrityError:
            continue  # someone else took this number meanwhile: render again with the next one
        return edition
    raise PublicationError("number", _("another edition was being published; try again"))
