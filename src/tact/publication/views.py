"""Pages of the publication: the editions (public), their PDFs, the preview and the publish
form (curators and administrators). Thin: parse, call a selector or a service, respond."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import selectors, services
from .models import Edition, edition_filename

MAX_NUMBER_LENGTH = 9


def pdf_response(data: bytes, filename: str, *, immutable: bool) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    # A stored edition never changes; the latest and the preview do.
    response["Cache-Control"] = "public, max-age=86400" if immutable else "no-cache"
    return response


def edition_pdf_response(edition: Edition, *, immutable: bool = True) -> HttpResponse:
    response = pdf_response(bytes(edition.pdf), edition.filename, immutable=immutable)
    response["ETag"] = f'"{edition.sha256}"'
    return response


def site_url(request: HttpRequest) -> str:
    """The public address printed in the PDF's links (TACT_BASE_URL, else this request's)."""
    return settings.TACT_BASE_URL or request.build_absolute_uri("/")


def _missing(request: HttpRequest, message: str) -> HttpResponse:
    return render(
        request,
        "publication/missing.html",
        {"message": message, "latest": selectors.edition_latest()},
        status=404,
    )


def parse_edition_number(raw: str) -> tuple[int | None, str]:
    """The edition number in a URL, or None and a message saying what is wrong with it."""
    text = (raw or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > MAX_NUMBER_LENGTH:
        shown = text if len(text) <= 20 else text[:20] + "…"
        return None, _(
            "“%(value)s” is not an edition number: editions are numbered 1, 2, 3 and so on."
        ) % {"value": shown}
    number = int(text)
    if number < 1:
        return None, _("Edition numbers start at 1.")
    return number, ""


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    editions = list(selectors.editions())
    return render(
        request,
        "publication/index.html",
        {
            "editions": editions,
            "latest": editions[0] if editions else None,
            "may_publish": selectors.user_may_publish(request.user),
        },
    )


@require_GET
def latest_pdf(request: HttpRequest) -> HttpResponse:
    edition = selectors.edition_latest()
    if edition is None:
        return _missing(request, _("No edition of the toolbox has been published yet."))
    return edition_pdf_response(edition, immutable=False)


@require_GET
def edition_pdf(request: HttpRequest, edition_number: str) -> HttpResponse:
    number, problem = parse_edition_number(edition_number)
    if number is None:
        return _missing(request, problem)
    edition = selectors.edition_get(number)
    if edition is None:
        return _missing(request, _("There is no edition %(number)d.") % {"number": number})
    return edition_pdf_response(edition)


def _require_publisher(request: HttpRequest) -> None:
    if not selectors.user_may_publish(request.user):
        raise PermissionDenied(_("Only curators and administrators publish editions."))


@login_required
@require_GET
def preview_pdf(request: HttpRequest) -> HttpResponse:
    _require_publisher(request)
    rendered = services.edition_render(number=None, site_url=site_url(request))
    return pdf_response(rendered.pdf, edition_filename(None, timezone.localdate()), immutable=False)


@login_required
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest) -> HttpResponse:
    _require_publisher(request)
    note = ""
    error = ""
    status = 200
    if request.method == "POST":
        note = request.POST.get("note", "")[: services.MAX_NOTE_LENGTH + 1000]
        try:
            edition = services.edition_publish(
                user=request.user, note=note, site_url=site_url(request)
            )
        except services.PublicationError as exc:
            error = exc.message
            status = 422
        else:
            messages.success(
                request,
                _("Edition %(number)d is published: %(practices)d practices on %(pages)d pages.")
                % {
                    "number": edition.number,
                    "practices": edition.practice_count,
                    "pages": edition.page_count,
                },
            )
            return redirect("publication:index")
    return render(
        request,
        "publication/publish.html",
        {
            "note": note,
            "error": error,
            "next_number": selectors.edition_next_number(),
            "practice_count": selectors.practices_for_edition().count(),
            "latest": selectors.edition_latest(),
            "max_note": services.MAX_NOTE_LENGTH,
        },
        status=status,
    )
