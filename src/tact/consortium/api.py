"""API of the consortium builder (mounted at /api/consortium by tact.api.api).

Calls are readable by anyone signed in; builds and checks use a cluster's registry and are for
its managers (and admins). Bodies are read only after the caller is known to be allowed, and
bad bodies get 400 with the field named.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from tact.accounts.api import AUTH

from . import rules, selectors, services, texts
from .models import BuildRun

router = Router(tags=["consortium"], auth=AUTH)


class ErrorOut(Schema):
    detail: str
    problems: list[dict[str, str]] = []


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _call_out(c: Any) -> dict[str, Any]:
    return {
        "id": c.pk,
        "version": c.version,
        "title": c.title,
        "description": c.description,
        "practice": c.practice,
        "rules": c.rules,
        "rules_in_words": rules.plain_words(c.rules),
    }


def _run_out(run: BuildRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "call": run.call_id,
        "cluster": run.cluster_id,
        "applicant": run.applicant_id,
        "applicant_name": run.applicant_name,
        "competences": run.competences,
        "top": run.top,
        "time_limit": run.time_limit,
        "min_difference": run.min_difference,
        "status": run.status,
        "solver_status": run.solver_status,
        "objective": run.objective,
        "bound": run.bound,
        "gap": run.gap,
        "alternatives": [_texts(a, applicant=bool(run.applicant_id)) for a in run.alternatives],
        "blockers": [{**b, "message": texts.blocker_text(b)} for b in run.blockers],
        "error": run.error,
        "job": str(run.job_id) if run.job_id else None,
        "created_at": run.created_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
    }


def _texts(result: dict[str, Any], *, applicant: bool) -> dict[str, Any]:
    out = dict(result)
    out["checks"] = [{**c, "message": texts.check_text(c)} for c in result.get("checks", [])]
    out["members"] = [
        {**m, "roles": [{**r, "message": texts.role_text(r)} for r in m.get("roles", [])]}
        for m in result.get("members", [])
    ]
    out["breakdown"] = [
        {**t, "explanation": texts.term_text(t, applicant=applicant)}
        for t in result.get("breakdown", [])
    ]
    return out


def _body(request: HttpRequest) -> dict[str, Any] | None:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _bad(problems: list[tuple[str, str]]) -> Any:
    return Status(
        400,
        {
            "detail": "; ".join(f"{f}: {m}" for f, m in problems),
            "problems": [{"field": f, "message": m} for f, m in problems],
        },
    )


@router.get("/calls", response=list[dict[str, Any]], summary="Calls", url_name="consortium_calls")
def list_calls(request: HttpRequest) -> list[dict[str, Any]]:
    return [_call_out(c) for c in selectors.calls()]


@router.get(
    "/calls/{call_id}",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="One call with its rules (as data and in words)",
    url_name="consortium_call",
)
def get_call(request: HttpRequest, call_id: str) -> Any:
    call = selectors.call_get(call_id)
    if call is None:
        return Status(404, {"detail": _("No such call.")})
    return _call_out(call)


def _cluster_from(request: HttpRequest, data: dict[str, Any]) -> Any:
    clusters = list(selectors.clusters_for(_user(request)))
    if "cluster" in data:
        return selectors.cluster_for(_user(request), data.get("cluster"))
    return clusters[0] if len(clusters) == 1 else None


@router.post(
    "/calls/{call_id}/build",
    response={
        200: dict[str, Any],
        202: dict[str, Any],
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
    },
    summary="Build consortia from a cluster's registry",
    description=(
        "Body: {cluster: id (optional if you manage one cluster), applicant: organisation id, "
        "competences: [{code, min_level}], top: 1-10, time_limit: seconds, min_difference: partners (default 2): each "
        "alternative leaves out at least this many partners of every earlier one}. "
        "Small registries answer with the result (200); large ones start a job (202)."
    ),
    url_name="consortium_build",
)
def build(request: HttpRequest, call_id: str) -> Any:
    user = _user(request)
    if not selectors.clusters_for(user).exists():
        return Status(403, {"detail": _("Only cluster managers build consortia.")})
    call = selectors.call_get(call_id)
    if call is None:
        return Status(404, {"detail": _("No such call.")})
    data = _body(request)
    if data is None:
        return _bad([("body", _("must be a JSON object"))])
    cluster = _cluster_from(request, data)
    if cluster is None:
        return _bad([("cluster", _("give the id of a cluster you manage"))])
    try:
        run, job = services.build_start(
            actor=user,
            call=call,
            cluster=cluster,
            applicant_id=data.get("applicant"),
            competences=data.get("competences", []),
            top=data.get("top", 3),
            time_limit=data.get("time_limit", 10),
            min_difference=data.get("min_difference", 2),
        )
    except services.BuildError as exc:
        return _bad(exc.problems)
    if job is not None:
        return Status(202, {"run": run.pk, "job": str(job.pk), "status": run.status})
    return Status(200, _run_out(run))


@router.get(
    "/runs",
    response=list[dict[str, Any]],
    summary="Builds of the clusters you manage",
    url_name="consortium_runs",
)
def list_runs(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": r.pk,
            "call": r.call_id,
            "cluster": r.cluster_id,
            "status": r.status,
            "objective": r.objective,
            "created_at": r.created_at.isoformat(),
        }
        for r in selectors.runs_for(_user(request))[:200]
    ]


@router.get(
    "/runs/{run_id}",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="A build with its alternatives, reports and roles",
    url_name="consortium_run",
)
def get_run(request: HttpRequest, run_id: int) -> Any:
    run = selectors.run_get(_user(request), run_id)
    if run is None:
        return Status(404, {"detail": _("No such build.")})
    return _run_out(run)


@router.post(
    "/calls/{call_id}/check",
    response={200: dict[str, Any], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Check a consortium rule by rule",
    description="Body: {cluster: id, organisations: [names or ids], applicant: name or id}.",
    url_name="consortium_check",
)
def check(request: HttpRequest, call_id: str) -> Any:
    user = _user(request)
    if not selectors.clusters_for(user).exists():
        return Status(403, {"detail": _("Only cluster managers check consortia.")})
    call = selectors.call_get(call_id)
    if call is None:
        return Status(404, {"detail": _("No such call.")})
    data = _body(request)
    if data is None:
        return _bad([("body", _("must be a JSON object"))])
    cluster = _cluster_from(request, data)
    if cluster is None:
        return _bad([("cluster", _("give the id of a cluster you manage"))])
    orgs = data.get("organisations")
    if not isinstance(orgs, list) or not all(
        isinstance(o, str | int) and not isinstance(o, bool) for o in orgs
    ):
        return _bad([("organisations", _("give a list of organisation names or ids"))])
    applicant = data.get("applicant", "")
    if not isinstance(applicant, str | int) or isinstance(applicant, bool):
        return _bad([("applicant", _("give a name or an id"))])
    try:
        result = services.consortium_check(
            call=call,
            cluster=cluster,
            organisations=[str(o) for o in orgs],
            applicant=str(applicant),
        )
    except services.BuildError as exc:
        return _bad(exc.problems)
    return Status(200, _texts(result, applicant=bool(applicant)))
