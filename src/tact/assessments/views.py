"""Assessment pages: take a self-check, see the report, download or delete your data, and the
anonymous benchmark. Thin: parse, call a selector or a service, render.

Answers and reports are the organisation's own: anyone else gets 404. Every view of answers is
audited.
"""

from __future__ import annotations

import contextlib
import csv
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tact.accounts.models import Region
from tact.algorithms import assessment as algo

from . import charts, selectors, services
from .models import SECTORS, SIZE_CLASSES, AssessmentModel, Response, Status


def _model_or_404(model_id: str) -> AssessmentModel:
    model = selectors.model_get(model_id)
    if model is None:
        raise Http404(_("There is no assessment model with this id."))
    return model


def _response_or_404(request: HttpRequest, response_id: int) -> Response:
    response = selectors.response_get(request.user, response_id)
    if response is None:
        raise Http404(_("There is no response with this id that you may see."))
    return response


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    orgs = selectors.member_organisations(request.user)
    return render(
        request,
        "assessments/home.html",
        {
            "models": selectors.models(),
            "can_answer": orgs.exists(),
            "responses": selectors.responses_of(request.user).order_by("-updated_at"),
            "respondents": selectors.respondents_of(request.user).select_related("model"),
            "invitations": selectors.invitations_of(request.user),
            "clusters": selectors.managed_clusters(request.user),
            "k": selectors.threshold(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, model_id: str) -> HttpResponse:
    model = _model_or_404(model_id)
    orgs = list(selectors.member_organisations(request.user).select_related("cluster__region"))
    if not orgs:
        raise PermissionDenied(_("Only members of an organisation take its self-assessments."))
    errors: dict[str, str] = {}
    data: dict[str, Any] = {
        "organisation": str(orgs[0].pk),
        "sector": "",
        "size_class": "",
        "region": orgs[0].cluster.region.code if orgs[0].cluster.region else "",
    }
    status = 200
    if request.method == "POST":
        data = {k: request.POST.get(k, "")[:50] for k in data}
        org = next((o for o in orgs if str(o.pk) == data["organisation"]), None)
        if org is None:
            errors["organisation"] = _("Choose one of your organisations.")
        else:
            try:
                response = services.response_start(
                    actor=request.user,
                    organisation=org,
                    model=model,
                    sector=data["sector"],
                    size_class=data["size_class"],
                    region=data["region"],
                )
                return redirect("assessments:answer", response_id=response.pk)
            except services.ResponseError as exc:
                errors.update({f: str(m) for f, m in exc.problems})
        status = 422
    return render(
        request,
        "assessments/start.html",
        {
            "model": model,
            "orgs": orgs,
            "data": data,
            "errors": errors,
            "sectors": SECTORS.items(),
            "sizes": SIZE_CLASSES.items(),
            "regions": Region.objects.all(),
        },
        status=status,
    )


def _maturity_rows(model: AssessmentModel, answers: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for dim in model.definition["dimensions"]:
        for fld in dim["fields"]:
            for item in fld["items"]:
                given = answers.get(item["id"]) or {}
                rows.append(
                    {
                        "dimension": dim["name"],
                        "field": fld["name"],
                        "item": item,
                        "current": "" if given.get("current") is None else str(given["current"]),
                        "target": "" if given.get("target") is None else str(given["target"]),
                    }
                )
    return rows


def _parse_level(raw: str) -> Any:
    raw = (raw or "").strip()
    if raw == "":
        return None
    if raw == algo.NOT_RELEVANT:
        return raw
    try:
        return int(raw)
    except ValueError:
        return raw[:20]  # refused by the service with the item named


@login_required
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, response_id: int) -> HttpResponse:
    response = _response_or_404(request, response_id)
    model = response.respondent.model
    errors: list[tuple[str, str]] = []
    answers = response.answers
    status = 200
    if request.method == "POST":
        if model.kind == "maturity":
            answers = {}
            for item in (
                i for d in model.definition["dimensions"] for f in d["fields"] for i in f["items"]
            ):
                answers[item["id"]] = {
                    "current": _parse_level(request.POST.get(f"{item['id']}:current", "")),
                    "target": _parse_level(request.POST.get(f"{item['id']}:target", "")),
                }
        else:
            answers = {
                i["id"]: request.POST.get(i["id"], "").strip()[:30]
                for i in model.definition["inputs"]
            }
        submit = request.POST.get("action") == "submit"
        try:
            services.response_save(
                actor=request.user, response=response, answers=answers, submit=submit
            )
            if submit:
                return redirect("assessments:report", response_id=response.pk)
            messages.success(request, _("Your answers are saved; come back any time to go on."))
            return redirect("assessments:answer", response_id=response.pk)
        except services.ResponseError as exc:
            errors = [(f, str(m)) for f, m in exc.problems]
            if submit:
                # What was valid is kept even when the submission is refused.
                with contextlib.suppress(services.ResponseError):
                    services.response_save(actor=request.user, response=response, answers=answers)
            status = 422
    else:
        services.answers_access_record(actor=request.user, response=response, purpose="viewed")
    context: dict[str, Any] = {
        "response": response,
        "model": model,
        "errors": errors,
        "error_fields": {f for f, _m in errors},
    }
    if model.kind == "maturity":
        context["rows"] = _maturity_rows(model, answers if isinstance(answers, dict) else {})
        context["levels"] = sorted(model.definition["levels"].items(), key=lambda kv: int(kv[0]))
    else:
        context["inputs"] = [
            {**i, "value": (answers or {}).get(i["id"], "")} for i in model.definition["inputs"]
        ]
    return render(request, "assessments/answer.html", context, status=status)


def _group_labels(response: Response) -> list[tuple[str, str]]:
    r = response.respondent
    return [
        ("all", _("All respondents")),
        ("sector", _("Sector: %s") % SECTORS.get(r.sector, r.sector)),
        ("size_class", _("Size: %s") % SIZE_CLASSES.get(r.size_class, r.size_class)),
        ("region", _("Region: %s") % r.region),
    ]


@login_required
@require_GET
def report(request: HttpRequest, response_id: int) -> HttpResponse:
    response = _response_or_404(request, response_id)
    if response.status != Status.SUBMITTED:
        messages.info(request, _("Finish the questionnaire to get your report."))
        return redirect("assessments:answer", response_id=response.pk)
    services.answers_access_record(actor=request.user, response=response, purpose="reported")
    model = response.respondent.model
    result = response.result
    names = dict(selectors.metric_names(model))
    if model.kind == "maturity":
        # The overall score in every group; the dimensions in the sector group, which keeps
        # the page fast on a large benchmark database.
        peers = selectors.peer_comparison(response, metrics=["overall"])
        dims = [m for m, _ in selectors.metric_names(model) if m != "overall"]
        peers.update(
            selectors.peer_comparison(response, metrics=dims, include_all=False, groups=("sector",))
        )
    else:
        peers = selectors.peer_comparison(response)
    context: dict[str, Any] = {
        "response": response,
        "model": model,
        "result": result,
        "peers": [
            {
                "name": names.get(m, m),
                "groups": [
                    {"label": label, **row[key]}
                    for key, label in _group_labels(response)
                    if key in row
                ],
            }
            for m, row in peers.items()
        ],
        "k": selectors.threshold(),
        "group_names": {g["id"]: g for g in model.definition.get("groups", [])},
    }
    if model.kind == "maturity":
        context["radar"] = charts.report_radar(result, _("Current"), _("Target"))
        context["group"] = context["group_names"].get(result.get("group"))
    else:
        context["figures"] = [
            {**result["figures"].get(f["id"], {}), **f} for f in model.definition["figures"]
        ]
    return render(request, "assessments/report.html", context)


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    respondents = list(selectors.respondents_of(request.user).select_related("link__organisation"))
    for respondent in respondents:
        for response in respondent.responses.all():
            services.answers_access_record(
                actor=request.user, response=response, purpose="exported"
            )
    body = json.dumps(
        [selectors.respondent_export(r) for r in respondents], ensure_ascii=False, indent=2
    )
    out = HttpResponse(body, content_type="application/json; charset=utf-8")
    out["Content-Disposition"] = 'attachment; filename="my-assessments.json"'
    return out


@login_required
@require_POST
def delete(request: HttpRequest, respondent_id: int) -> HttpResponse:
    respondent = selectors.respondents_of(request.user).filter(pk=respondent_id).first()
    if respondent is None:
        raise Http404(_("There is nothing of yours with this id."))
    if request.POST.get("confirm") != "yes":
        messages.error(
            request, _("Tick the box to confirm that all your answers should be deleted.")
        )
        return redirect("assessments:home")
    services.respondent_delete(actor=request.user, respondent=respondent)
    messages.success(request, _("All your answers and figures were deleted."))
    return redirect("assessments:home")


def _benchmark_context(model: AssessmentModel, data: dict[str, Any]) -> dict[str, Any]:
    first = selectors.metric_names(model)[0][0]
    round_ = data["round"]
    return {
        "model": model,
        "data": data,
        "rounds": selectors.rounds(model),
        "sectors": SECTORS.items(),
        "sizes": SIZE_CLASSES.items(),
        "trends": selectors.trends(model, first),
        "by_region": selectors.regions(model, round_, first) if round_ else [],
        "first_metric": dict(selectors.metric_names(model))[first],
    }


@login_required
@require_GET
def benchmark(request: HttpRequest, model_id: str) -> HttpResponse:
    model = _model_or_404(model_id)
    data = selectors.benchmark(model, request.GET.dict())
    return render(request, "assessments/benchmark.html", _benchmark_context(model, data))


@login_required
@require_GET
def cluster(request: HttpRequest, cluster_id: int, model_id: str) -> HttpResponse:
    model = _model_or_404(model_id)
    data = selectors.cluster_benchmark(request.user, cluster_id, model, request.GET.dict())
    if data is None:
        raise Http404(_("There is no cluster with this id that you manage."))
    context = _benchmark_context(model, data)
    context["cluster"] = data["cluster"]
    return render(request, "assessments/benchmark.html", context)


@login_required
@require_GET
def cluster_csv(request: HttpRequest, cluster_id: int, model_id: str) -> HttpResponse:
    model = _model_or_404(model_id)
    data = selectors.cluster_benchmark(request.user, cluster_id, model, request.GET.dict())
    if data is None:
        raise Http404(_("There is no cluster with this id that you manage."))
    out = HttpResponse(content_type="text/csv; charset=utf-8")
    out["Content-Disposition"] = f'attachment; filename="{model.pk}-aggregates.csv"'
    write_csv(out, data)
    return out


def write_csv(stream: Any, data: dict[str, Any]) -> None:
    """Aggregates only: one row per metric, empty figures where the group is too small."""
    writer = csv.writer(stream)
    writer.writerow(["round", "metric", "n", *(f"p{p}" for p in algo.PERCENTILES)])
    for m in data["metrics"]:
        pct = m.get("percentiles") or {}
        writer.writerow(
            [
                data["round"],
                m["metric"],
                m["n"] if m["shown"] else "",
                *(f"{pct[p]:.2f}" if p in pct else "" for p in algo.PERCENTILES),
            ]
        )
