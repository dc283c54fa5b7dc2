"""Pages of the public toolbox. Thin: parse, call a selector, render."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tact.core.regions import country_name
from tact.core.svg import polar, ring_sector, wedge_angles
from tact.core.tools import tools_for_practice

from . import selectors
from .exports import export_csv, export_json, fact_text
from .records import methodology, vocabulary

MAX_COMPARE = 4


def _labels() -> dict[str, dict[str, str]]:
    vocab = vocabulary()
    return {
        "formats": {k: str(v) for k, v in vocab["formats"].items()},
        "target_groups": {k: str(v) for k, v in vocab["target_groups"].items()},
    }


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    fields = selectors.fields_with_counts()
    about = methodology()
    return render(
        request,
        "catalogue/home.html",
        {
            "fields": fields,
            "board": target_board(fields),
            "survey": about["survey"],
            "publication": about["publication"],
            "partners": about["partners"],
            "total": sum(f.practice_count for f in fields),
        },
    )


def target_board(fields: list) -> list[dict]:
    """Wedges of the target-board picture: one per field, sized equally, labelled with counts."""
    cx = cy = 200
    outer, inner = 180, 60
    label_r = (outer + inner) / 2 + 8
    wedges = []
    for i, field in enumerate(fields):
        start, end = wedge_angles(i, len(fields))
        x, y = polar(cx, cy, label_r, (start + end) / 2)
        wedges.append(
            {
                "field": field,
                "path": ring_sector(cx, cy, inner, outer, start, end),
                "x": f"{x:.1f}",
                "y": f"{y:.1f}",
            }
        )
    return wedges


@require_GET
def practice_list(request: HttpRequest) -> HttpResponse:
    try:
        query = selectors.parse_query(request.GET)
    except selectors.QueryError as exc:
        query = selectors.PracticeQuery()
        result = selectors.practice_search(query)
        context = {"result": result, "error": exc, "labels": _labels()}
        return render(request, "catalogue/practice_list.html", context, status=422)
    result = selectors.practice_search(query)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "catalogue/practice_list.html",
        {
            "result": result,
            "labels": _labels(),
            "querystring": params.urlencode(),
            "page_range": _page_range(result.page, result.pages),
        },
    )


def _page_range(page: int, pages: int) -> list[int | None]:
    """1 … 4 5 6 … 20: the pages worth a link, None for a gap."""
    shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    out: list[int | None] = []
    for number in shown:
        if out and out[-1] is not None and number - out[-1] > 1:
            out.append(None)
        out.append(number)
    return out


@require_GET
def practice_detail(request: HttpRequest, practice_id: str) -> HttpResponse:
    practice = selectors.practice_get(practice_id)
    if practice is None:
        raise Http404(_("There is no practice with this id."))
    record = practice.to_record()
    return render(
        request,
        "catalogue/practice_detail.html",
        {
            "practice": practice,
            "facts": [(f, fact_text(f)) for f in record["facts"]],
            "country": country_name(practice.country),
            "related": selectors.related_practices(practice),
            "labels": _labels(),
            "tools": tools_for_practice(practice.id),
        },
    )


@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    ids = [i for raw in request.GET.getlist("ids") for i in raw.split(",") if i.strip()]
    ids = list(dict.fromkeys(i.strip() for i in ids))
    practices = selectors.practices_by_ids(ids)
    missing = [i for i in ids if i not in {p.id for p in practices}]
    error = ""
    status = 200
    if missing:
        error = _("Unknown practice id: %(ids)s.") % {"ids": ", ".join(missing)}
        status = 422
    elif not 2 <= len(practices) <= MAX_COMPARE:
        error = _("Choose between 2 and %(n)d practices to compare.") % {"n": MAX_COMPARE}
        status = 422 if ids else 200
    rows = selectors.practice_comparison(practices) if not error else []
    return render(
        request,
        "catalogue/compare.html",
        {"practices": practices if not error else [], "rows": rows, "error": error},
        status=status,
    )


@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        query = selectors.parse_query(request.GET)
    except selectors.QueryError as exc:
        return HttpResponse(
            f"{exc.param}: {exc.message}\n", status=422, content_type="text/plain; charset=utf-8"
        )
    result = selectors.practice_search(query, all_results=True)
    if fmt == "json":
        response = HttpResponse(
            export_json(result.practices), content_type="application/json; charset=utf-8"
        )
    else:
        response = HttpResponse(
            export_csv(result.practices), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="tact-practices.{fmt}"'
    return response


@require_GET
def printable(request: HttpRequest) -> HttpResponse:
    try:
        query = selectors.parse_query(request.GET)
    except selectors.QueryError:
        query = selectors.PracticeQuery()
    result = selectors.practice_search(query, all_results=True)
    practices = [(p, [(f, fact_text(f)) for f in p.to_record()["facts"]]) for p in result.practices]
    about = methodology()
    return render(
        request,
        "catalogue/print.html",
        {
            "practices": practices,
            "labels": _labels(),
            "survey": about["survey"],
            "publication": about["publication"],
        },
    )
