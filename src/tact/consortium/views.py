"""Consortium builder pages: calls and their rules in plain words, the build form, results
with the eligibility report and partner roles, and the check of an existing consortium.

Thin: parse, call a selector or a service, render. Calls are readable by everyone signed in;
building and checking use a cluster's registry, so they are for its managers (and admins).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tact.core.datafiles import DataError

from . import rules, selectors, services, texts
from .models import BuildRun, Call

COMPETENCE_ROWS = 10
MAX_UPLOAD = 2 * 1024 * 1024


def _call_or_404(call_id: str) -> Call:
    call = selectors.call_get(call_id)
    if call is None:
        raise Http404(_("There is no call with this id."))
    return call


def _clusters_or_403(request: HttpRequest) -> list[Any]:
    clusters = list(selectors.clusters_for(request.user))
    if not clusters:
        raise PermissionDenied(_("Only cluster managers build and check consortia."))
    return clusters


def _chosen_cluster(request: HttpRequest, clusters: list[Any], raw: str) -> Any:
    return next((c for c in clusters if str(c.pk) == raw), clusters[0])


@login_required
@require_GET
def call_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "consortium/list.html",
        {
            "calls": selectors.calls(),
            "can_build": selectors.clusters_for(request.user).exists(),
            "runs": selectors.runs_for(request.user)[:20],
        },
    )


@login_required
@require_GET
def call_detail(request: HttpRequest, call_id: str) -> HttpResponse:
    call = _call_or_404(call_id)
    return render(
        request,
        "consortium/call.html",
        {
            "call": call,
            "sentences": rules.plain_words(call.rules),
            "can_build": selectors.clusters_for(request.user).exists(),
            "runs": selectors.runs_for(request.user).filter(call=call)[:20],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def build(request: HttpRequest, call_id: str) -> HttpResponse:
    call = _call_or_404(call_id)
    clusters = _clusters_or_403(request)
    source = request.POST if request.method == "POST" else request.GET
    cluster = _chosen_cluster(request, clusters, source.get("cluster", "")[:20])
    data: dict[str, Any] = {
        "applicant": source.get("applicant", "")[:20],
        "top": source.get("top", "3")[:10],
        "time_limit": source.get("time_limit", "10")[:10],
        "min_difference": source.get("min_difference", "2")[:10],
        "rows": [
            {
                "code": source.get(f"code_{i}", "")[:80],
                "level": source.get(f"level_{i}", "3")[:2],
            }
            for i in range(COMPETENCE_ROWS)
        ],
    }
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        competences = []
        for row in data["rows"]:
            if row["code"]:
                try:
                    level: Any = int(row["level"])
                except ValueError:
                    level = row["level"]
                competences.append({"code": row["code"], "min_level": level})
        try:
            run, job = services.build_start(
                actor=request.user,
                call=call,
                cluster=cluster,
                applicant_id=data["applicant"] or None,
                competences=competences,
                top=data["top"],
                time_limit=data["time_limit"],
                min_difference=data["min_difference"],
            )
        except services.BuildError as exc:
            errors = {}
            for field, message in exc.problems:
                errors.setdefault(field.split("[")[0].split(".")[0], message)
                errors.setdefault(field, message)
            errors["all"] = "; ".join(f"{f}: {m}" for f, m in exc.problems)
            status = 400
        else:
            if job is not None:
                return redirect("core:job_detail", job_id=job.pk)
            return redirect("consortium:run", run_id=run.pk)
    return render(
        request,
        "consortium/build.html",
        {
            "call": call,
            "sentences": rules.plain_words(call.rules),
            "clusters": clusters,
            "cluster": cluster,
            "registry": selectors.registry(cluster).only("pk", "name", "kind", "region"),
            "competences": selectors.competences(),
            "levels": range(1, 6),
            "data": data,
            "errors": errors,
            "max_time": services.MAX_TIME,
            "max_top": services.MAX_TOP,
            "max_difference": services.MAX_DIFFERENCE,
        },
        status=status,
    )


def _decorate(result: dict[str, Any], *, applicant: bool) -> dict[str, Any]:
    """Translated sentences next to the stored figures."""
    out = dict(result)
    out["checks"] = [{**c, "text": texts.check_text(c)} for c in result.get("checks", [])]
    out["members"] = [
        {**m, "roles": [{**r, "text": texts.role_text(r)} for r in m.get("roles", [])]}
        for m in result.get("members", [])
    ]
    out["breakdown"] = [
        {**t, "label": texts.term_name(t["name"]), "text": texts.term_text(t, applicant=applicant)}
        for t in result.get("breakdown", [])
    ]
    return out


@login_required
@require_GET
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = selectors.run_get(request.user, run_id)
    if run is None:
        raise Http404(_("There is no build with this id that you may see."))
    alternatives = [_decorate(a, applicant=bool(run.applicant_name)) for a in run.alternatives]
    return render(
        request,
        "consortium/run.html",
        {
            "run": run,
            "alternatives": alternatives,
            "blockers": [texts.blocker_text(b) for b in run.blockers],
            "sentences": rules.plain_words(run.call.rules),
            "pending": run.status == BuildRun.Status.QUEUED,
            "gap_pct": f"{run.gap * 100:.2f} %" if run.gap is not None else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, call_id: str) -> HttpResponse:
    call = _call_or_404(call_id)
    clusters = _clusters_or_403(request)
    source = request.POST if request.method == "POST" else request.GET
    cluster = _chosen_cluster(request, clusters, source.get("cluster", "")[:20])
    data = {
        "organisations": source.get("organisations", "")[:20_000],
        "applicant": source.get("applicant", "")[:200],
    }
    errors: list[str] = []
    result = None
    status = 200
    if request.method == "POST":
        names = [line.strip() for line in data["organisations"].splitlines() if line.strip()]
        upload = request.FILES.get("file")
        try:
            if upload is not None:
                if upload.size is not None and upload.size > MAX_UPLOAD:
                    raise services.BuildError([("file", _("the file is larger than 2 MB"))])
                names += services.parse_members(upload.read(), upload.name or "upload")
            result = services.consortium_check(
                call=call, cluster=cluster, organisations=names, applicant=data["applicant"]
            )
            result = _decorate(result, applicant=bool(data["applicant"]))
        except services.BuildError as exc:
            errors = [f"{f}: {m}" for f, m in exc.problems]
            status = 400
        except DataError as exc:
            errors = [str(p) for p in exc.problems]
            status = 400
    return render(
        request,
        "consortium/check.html",
        {
            "call": call,
            "clusters": clusters,
            "cluster": cluster,
            "data": data,
            "errors": errors,
            "result": result,
            "sentences": rules.plain_words(call.rules),
        },
        status=status,
    )
