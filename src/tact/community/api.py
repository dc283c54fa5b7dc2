"""API of the community registry (mounted at /api/community): search the registry, the network
and region data, partner search and saved searches, import and export.

Scoped like the pages (tact.community.selectors): an organisation the caller may not see answers
404; writes are for the managers of the organisations' clusters.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field as SchemaField
from ninja import Router, Schema, Status

from tact.accounts.api import AUTH
from tact.algorithms import partners as algo
from tact.core.tabular import CONTENT_TYPES

from . import needs, selectors, services, transfer
from . import pending as pending_imports
from .models import Competence, Organisation, PendingImport

router = Router(tags=["community"], auth=AUTH)
MAX_IMPORT = 10 * 1024 * 1024


class ErrorOut(Schema):
    detail: str
    problems: list[dict[str, str]] = []


class NeedIn(Schema):
    competences: Any = SchemaField(
        None, description="'cnc-machining:3; robotics' or [{code, min_level}]"
    )
    regions: Any = SchemaField(None, description="NUTS codes, e.g. ['AT3', 'CH022']")
    kinds: Any = SchemaField(None, description="organisation types, e.g. ['sme', 'research']")
    regions_only: Any = False


class SavedIn(NeedIn):
    name: str = ""


class ImportIn(Schema):
    filename: str = SchemaField(..., description="ends in .csv or .xlsx")
    content_base64: str
    cluster: int | None = None
    kind: str = "auto"
    dry_run: bool = True


def _body(request: HttpRequest, schema: type[Schema]) -> tuple[dict[str, Any] | None, Any]:
    """The JSON body checked against ``schema``, read only after the caller's rights are checked
    (so a refused caller learns nothing from validation messages)."""
    try:
        raw = json.loads(request.body or b"{}")
        if not isinstance(raw, dict):
            raise ValueError("expected a JSON object")
        return schema.model_validate(raw).model_dump(), None
    except (ValueError, UnicodeDecodeError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else "invalid JSON"
        return None, Status(422, {"detail": f"The body is not usable: {message}"[:500]})


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _denied() -> Any:
    return Status(
        403,
        {"detail": "The registry is for the members and managers of a cluster initiative."},
    )


def _org_out(o: Organisation, full: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": o.pk,
        "name": o.name,
        "type": o.kind,
        "region": o.region,
        "country": o.country,
        "size_class": o.size_class,
        "synthetic": o.synthetic,
        "competences": [
            {"code": lv.competence_id, "level": lv.level, "evidence": lv.evidence}
            for lv in o.competence_levels.all()
        ],
    }
    if full:
        out.update(
            sectors=o.sectors,
            website=o.website,
            description=o.description,
            typical_contribution=o.typical_contribution,
            people=[
                {"name": p.name, "function": p.function, "email": p.email, "languages": p.languages}
                for p in o.people.all()
            ],
            projects=[{"id": p.pk, "title": p.title, "year": p.year} for p in o.projects.all()],
        )
    return out


@router.get(
    "/organisations",
    response={200: dict[str, Any], 403: ErrorOut},
    summary="Search the registry by text, competence and minimum level, type, region, cluster",
    url_name="community_organisations",
)
def list_organisations(
    request: HttpRequest,
    q: str = "",
    competence: str = "",
    min_level: str = "1",
    kind: str = "",
    region: str = "",
    cluster: str = "",
    page: str = "1",
) -> Any:
    from .views import search_params

    user = _user(request)
    if not selectors.can_read(user):
        return _denied()
    params = search_params(
        {
            "q": q,
            "competence": competence,
            "min_level": min_level,
            "kind": kind,
            "region": region,
            "cluster": cluster,
        }
    )
    qs = selectors.organisation_search(user, **params)
    number = int(page) if page.isdigit() and 0 < len(page) < 6 and int(page) > 0 else 1
    size = 100
    items = qs.prefetch_related("competence_levels")[(number - 1) * size : number * size]
    return {
        "count": qs.count(),
        "page": number,
        "page_size": size,
        "filters": params,
        "results": [_org_out(o) for o in items],
    }


@router.get(
    "/organisations/{org_id}",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="One organisation with competences, people and joint projects",
    url_name="community_organisation",
)
def get_organisation(request: HttpRequest, org_id: int) -> Any:
    org = selectors.organisation_get(_user(request), org_id)
    if org is None:
        return Status(404, {"detail": f"No organisation {org_id} in the registry you see."})
    return _org_out(org, full=True)


@router.get(
    "/competences",
    response=list[dict[str, Any]],
    summary="The competence vocabulary and free tags",
    url_name="community_competences",
)
def list_competences(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"code": c.code, "label": c.label, "group": c.group, "controlled": c.controlled}
        for c in selectors.competences()
    ]


@router.get(
    "/network",
    response={200: dict[str, Any], 403: ErrorOut},
    summary="Nodes and edges of the competence or joint-project network",
    url_name="community_network",
)
def get_network(
    request: HttpRequest,
    mode: str = "competences",
    competence: str = "",
    min_level: str = "1",
    kind: str = "",
    region: str = "",
    cluster: str = "",
) -> Any:
    from .views import search_params

    user = _user(request)
    if not selectors.can_read(user):
        return _denied()
    params = search_params(
        {"competence": competence, "min_level": min_level, "kind": kind, "region": region,
         "cluster": cluster}
    )  # fmt: skip
    params.pop("q")
    return selectors.network(
        user, mode="projects" if mode == "projects" else "competences", **params
    )


@router.get(
    "/regions",
    response={200: dict[str, Any], 403: ErrorOut},
    summary="Members per Alpine NUTS region",
    url_name="community_regions",
)
def get_regions(request: HttpRequest) -> Any:
    user = _user(request)
    if not selectors.can_read(user):
        return _denied()
    data = selectors.region_counts(user)
    return {
        "regions": [
            {"code": t["tile"].code, "name": t["tile"].name, "country": t["tile"].country,
             "members": t["count"]}
            for t in data["tiles"]
        ],
        "outside": [{"code": c, "members": n} for c, n in data["outside"]],
        "total": data["total"],
    }  # fmt: skip


def _ranked(user: Any, need: dict[str, Any]) -> list[dict[str, Any]]:
    known = frozenset(selectors.own_organisations(user).values_list("pk", flat=True))
    ranked = algo.rank(needs.to_algo(need, known), selectors.candidates(user), limit=50)
    regions = dict(
        Organisation.objects.filter(pk__in=[r.id for r in ranked]).values_list("pk", "region")
    )
    labels = dict(Competence.objects.values_list("code", "label"))
    return [
        {
            "id": r.id,
            "name": r.name,
            "score": r.score,
            "parts": {
                "competences": r.competence_score,
                "region": r.region_score,
                "history": r.history_score,
            },
            "competences": [
                {"code": m.code, "min_level": m.min_level, "level": m.level, "met": m.met}
                for m in r.matches
            ],
            "region_match": r.region_match,
            "joint_projects": r.joint_projects,
            "reasons": needs.reasons(r, labels, regions.get(r.id, "")),
        }
        for r in ranked
    ]


def _problems(exc: Any) -> list[dict[str, str]]:
    return [{"field": f, "message": str(m)} for f, m in exc.problems]


@router.post(
    "/partners",
    response={200: dict[str, Any], 403: ErrorOut, 422: ErrorOut},
    summary="Rank the registry's organisations for a need, with the reasons",
    url_name="community_partners",
)
def partner_search(request: HttpRequest) -> Any:
    user = _user(request)
    if not selectors.can_read(user):
        return _denied()
    body, error = _body(request, NeedIn)
    if body is None:
        return error
    try:
        need = needs.clean_need(body)
    except needs.NeedError as exc:
        return Status(422, {"detail": "The need is not usable.", "problems": _problems(exc)})
    return {"need": need, "results": _ranked(user, need)}


@router.get(
    "/searches",
    response=list[dict[str, Any]],
    summary="Your saved partner searches",
    url_name="community_searches",
)
def list_searches(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"id": s.pk, "name": s.name, "need": s.need, "updated_at": s.updated_at.isoformat()}
        for s in selectors.saved_searches(_user(request))
    ]


@router.post(
    "/searches",
    response={201: dict[str, Any], 403: ErrorOut, 422: ErrorOut},
    summary="Save a partner search (same name: replaced)",
    url_name="community_search_create",
)
def create_search(request: HttpRequest) -> Any:
    user = _user(request)
    if not selectors.can_read(user):
        return _denied()
    data, error = _body(request, SavedIn)
    if data is None:
        return error
    try:
        need = needs.clean_need({k: v for k, v in data.items() if k != "name"})
        search = services.saved_search_save(actor=user, name=str(data["name"]), need=need)
    except (needs.NeedError, services.RegistryError) as exc:
        return Status(422, {"detail": "Not saved.", "problems": _problems(exc)})
    return Status(201, {"id": search.pk, "name": search.name, "need": search.need})


@router.get(
    "/searches/{search_id}/results",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="Run a saved search again",
    url_name="community_search_run",
)
def run_search(request: HttpRequest, search_id: int) -> Any:
    user = _user(request)
    search = selectors.saved_search_get(user, search_id)
    if search is None:
        return Status(404, {"detail": f"No saved search {search_id} of yours."})
    try:
        need = needs.clean_need(search.need)
    except needs.NeedError:
        # A competence of the saved need was removed since: run what is left.
        need = search.need
    return {"id": search.pk, "name": search.name, "need": need, "results": _ranked(user, need)}


@router.delete(
    "/searches/{search_id}",
    response={204: None, 404: ErrorOut},
    summary="Delete a saved search",
    url_name="community_search_delete",
)
def delete_search(request: HttpRequest, search_id: int) -> Any:
    user = _user(request)
    search = selectors.saved_search_get(user, search_id)
    if search is None:
        return Status(404, {"detail": f"No saved search {search_id} of yours."})
    services.saved_search_delete(actor=user, search=search)
    return Status(204, None)


@router.post(
    "/import",
    response={200: dict[str, Any], 202: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 422: Any},
    summary="Import a CSV or XLSX file (base64); dry_run (the default) checks and writes "
    "nothing and keeps the checked file for POST /import/{pending_import.id}",
    url_name="community_import",
)
def import_file(request: HttpRequest) -> Any:
    user = _user(request)
    managed = selectors.clusters_editable_by(user)
    if not managed.exists():
        return Status(403, {"detail": "Only cluster managers import into the registry."})
    parsed, error = _body(request, ImportIn)
    if parsed is None:
        return error
    body = ImportIn(**parsed)
    cluster = managed.filter(pk=body.cluster).first() if body.cluster is not None else None
    if body.cluster is not None and cluster is None:
        return Status(404, {"detail": f"No cluster {body.cluster} that you manage."})
    if body.kind not in ("auto", *transfer.KINDS):
        return Status(422, {"detail": "kind: auto, organisations, people or projects"})
    try:
        data = base64.b64decode(body.content_base64, validate=True)
    except (binascii.Error, ValueError):
        return Status(422, {"detail": "content_base64 is not valid base64"})
    if len(data) > MAX_IMPORT:
        return Status(422, {"detail": "the file is larger than 10 MB"})
    filename = "".join(ch for ch in body.filename if ord(ch) >= 32)[:200] or "upload"
    report, pending = pending_imports.import_check(
        actor=user, data=data, filename=filename, cluster=cluster, kind=body.kind
    )
    if pending is None:
        return Status(422, report.as_dict())
    if body.dry_run:
        return {**report.as_dict(), "pending_import": _pending_out(pending)}
    return _started(pending_imports.import_confirm(actor=user, pending=pending))


def _pending_out(pending: PendingImport) -> dict[str, Any]:
    return {
        "id": str(pending.pk),
        "file": pending.filename,
        "sha256": pending.sha256,
        "rows": pending.rows,
        "kind": pending.kind,
        "expires_at": (pending.created_at + pending_imports.EXPIRES).isoformat(),
        "import": f"POST /api/community/import/{pending.pk}",
        "background": pending.rows > pending_imports.BACKGROUND_ROWS,
    }


def _started(started: pending_imports.Started) -> Any:
    if started.job is not None:
        return Status(
            202,
            {
                "job": str(started.job.pk),
                "status": started.job.status,
                "url": reverse("core:job_detail", args=[started.job.pk]),
                "status_url": reverse("core:job_status", args=[started.job.pk]) + "?format=json",
                "detail": "The import runs in the background; follow it at status_url.",
            },
        )
    report = started.report
    assert report is not None
    return Status(200 if report.applied else 422, report.as_dict())


@router.post(
    "/import/{uuid:pending_id}",
    response={200: dict[str, Any], 202: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 422: Any},
    summary="Import the file a dry run checked (its pending_import id); no second upload",
    url_name="community_import_confirm",
)
def import_checked(request: HttpRequest, pending_id: uuid.UUID) -> Any:
    user = _user(request)
    if not selectors.clusters_editable_by(user).exists():
        return Status(403, {"detail": "Only cluster managers import into the registry."})
    pending = selectors.pending_import_get(user, pending_id)
    if pending is None:
        return Status(
            404,
            {
                "detail": f"No checked file {pending_id} of yours is kept: it was imported "
                "already, expired an hour after its dry run, or is somebody else's. "
                "Send the file again."
            },
        )
    return _started(pending_imports.import_confirm(actor=user, pending=pending))


@router.get(
    "/export",
    response={200: None, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="The registry you see as CSV or XLSX (kind: organisations, people, projects)",
    url_name="community_export",
)
def export_file(
    request: HttpRequest,
    kind: str = "organisations",
    format: str = "csv",
    cluster: str = "",
    q: str = "",
) -> Any:
    user = _user(request)
    if not selectors.can_read(user):
        return _denied()
    if kind not in transfer.KINDS or format not in CONTENT_TYPES:
        return Status(
            400, {"detail": "kind: organisations, people or projects; format: csv or xlsx"}
        )
    chosen = None
    if cluster:
        chosen = (
            selectors.clusters_visible_to(user)
            .filter(pk=int(cluster) if cluster.isdigit() and len(cluster) < 10 else -1)
            .first()
        )
        if chosen is None:
            return Status(404, {"detail": f"No cluster {cluster!r} whose registry you see."})
    # q narrows people as the people page does (name, function, organisation, language).
    words = "".join(ch for ch in q if ord(ch) >= 32)[:100].strip() if kind == "people" else ""
    body = transfer.registry_export(actor=user, kind=kind, fmt=format, cluster=chosen, q=words)
    out = HttpResponse(body, content_type=CONTENT_TYPES[format])
    out["Content-Disposition"] = f'attachment; filename="community-{kind}.{format}"'
    return out
