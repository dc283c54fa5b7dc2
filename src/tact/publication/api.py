"""API of the publication (mounted at /api/publication): the editions of the toolbox as PDF.

Listing and downloading are public, like the toolbox; publishing is for curators and
administrators (token or session).
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field as SchemaField
from ninja import Path, Router, Schema, Status

from tact.accounts.api import AUTH

from . import selectors, services
from .models import Edition
from .views import edition_pdf_response, site_url

router = Router(tags=["publication"], auth=AUTH)


class EditionOut(Schema):
    number: int
    date: datetime.date
    published_at: datetime.datetime
    note: str
    published_by: str
    practice_count: int
    page_count: int
    size: int
    sha256: str
    pdf_url: str


class ErrorOut(Schema):
    detail: str


class PublishIn(Schema):
    note: str = SchemaField(
        ...,
        min_length=1,
        max_length=services.MAX_NOTE_LENGTH,
        description="What is new in this edition (shown in the list and on the title page).",
    )


class EditionNumber(Schema):
    edition_number: int = SchemaField(..., ge=1, le=999_999_999, description="1, 2, 3, ...")


def _out(request: HttpRequest, edition: Edition) -> dict[str, Any]:
    return {
        "number": edition.number,
        "date": edition.date,
        "published_at": edition.published_at,
        "note": edition.note,
        "published_by": edition.published_by_label,
        "practice_count": edition.practice_count,
        "page_count": edition.page_count,
        "size": edition.size,
        "sha256": edition.sha256,
        "pdf_url": request.build_absolute_uri(
            reverse("publication:edition", args=[str(edition.number)])
        ),
    }


NO_EDITION = {"detail": "No edition of the toolbox has been published yet."}


@router.get(
    "/editions",
    response=list[EditionOut],
    auth=None,
    summary="Editions of the toolbox as PDF, newest first",
    url_name="publication_editions",
)
def list_editions(request: HttpRequest) -> list[dict[str, Any]]:
    return [_out(request, e) for e in selectors.editions()]


@router.get(
    "/editions/latest",
    response={200: EditionOut, 404: ErrorOut},
    auth=None,
    summary="The latest edition",
    url_name="publication_latest",
)
def latest_edition(request: HttpRequest) -> Any:
    edition = selectors.edition_latest()
    if edition is None:
        return Status(404, NO_EDITION)
    return _out(request, edition)


@router.get(
    "/editions/latest/pdf",
    response={200: None, 404: ErrorOut},
    auth=None,
    summary="Download the latest edition (application/pdf)",
    url_name="publication_latest_pdf",
)
def latest_pdf(request: HttpRequest) -> Any:
    edition = selectors.edition_latest()
    if edition is None:
        return Status(404, NO_EDITION)
    return edition_pdf_response(edition, immutable=False)


def _edition_or_404(number: int) -> Edition | Status:
    edition = selectors.edition_get(number)
    if edition is None:
        latest = selectors.edition_latest()
        hint = f" The latest is {latest.number}." if latest else " None is published yet."
        return Status(404, {"detail": f"There is no edition {number}.{hint}"})
    return edition


@router.get(
    "/editions/{edition_number}",
    response={200: EditionOut, 404: ErrorOut},
    auth=None,
    summary="One edition",
    url_name="publication_edition",
)
def get_edition(request: HttpRequest, path: Path[EditionNumber]) -> Any:
    found = _edition_or_404(path.edition_number)
    return found if isinstance(found, Status) else _out(request, found)


@router.get(
    "/editions/{edition_number}/pdf",
    response={200: None, 404: ErrorOut},
    auth=None,
    summary="Download one edition (application/pdf)",
    url_name="publication_edition_pdf",
)
def edition_pdf(request: HttpRequest, path: Path[EditionNumber]) -> HttpResponse | Status:
    found = _edition_or_404(path.edition_number)
    return found if isinstance(found, Status) else edition_pdf_response(found)


@router.post(
    "/publish",
    response={201: EditionOut, 403: ErrorOut, 422: ErrorOut},
    summary="Render the toolbox as it is now and publish it as the next edition (audited)",
    url_name="publication_publish",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": PublishIn.model_json_schema()}},
        }
    },
)
def publish(request: HttpRequest) -> Any:
    """Body: ``{"note": "What is new"}``. Curators and administrators only."""
    user = request.auth  # type: ignore[attr-defined]
    # The permission is checked before the body is read, so others learn nothing from it.
    if not selectors.user_may_publish(user):
        return Status(403, {"detail": "Only curators and administrators publish editions."})
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict) or "note" not in body:
        return Status(422, {"detail": 'body: send JSON like {"note": "What is new"}'})
    try:
        edition = services.edition_publish(user=user, note=body["note"], site_url=site_url(request))
    except services.NotAllowed as exc:
        return Status(403, {"detail": str(exc)})
    except services.PublicationError as exc:
        return Status(422, {"detail": str(exc)})
    return Status(201, _out(request, edition))
