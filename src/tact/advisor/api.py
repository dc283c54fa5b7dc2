"""API of the advisor: profiles (CRUD), recommendations, gaps and plans.

Every endpoint needs a token or a session. A profile the caller may not see answers 404 (its
existence is not revealed); creating or changing one for a cluster the caller does not manage
answers 403. Bad input answers 422 naming the field.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import Field as SchemaField
from ninja import Query, Router, Schema, Status

from tact.accounts.api import AUTH
from tact.accounts.models import ClusterInitiative
from tact.accounts.selectors import clusters_managed_by
from tact.algorithms import advisor as algo
from tact.catalogue.selectors import is_practice_id

from . import selectors, services
from .profiles import ProfileError

router = Router(tags=["advisor"], auth=AUTH)


class ErrorOut(Schema):
    detail: Any


class ProfileIn(Schema):
    cluster: int | None = SchemaField(None, description="Id of the cluster initiative (on create).")
    name: Any = None
    region: Any = None
    sectors: Any = None
    technologies: Any = None
    stage: Any = None
    members: Any = None
    shares: Any = None
    management_fte: Any = None
    budget_eur: Any = None
    objectives: Any = SchemaField(None, description="Objective id -> priority 0..3.")
    target_groups: Any = None
    cross_border: Any = None
    current_services: Any = SchemaField(
        None, description="List of {practice} or {name, field, objectives}."
    )


class ProfileOut(Schema):
    id: int
    cluster_id: int
    url: str
    record: dict[str, Any]


class LimitsIn(Schema):
    max_cost: float | None = SchemaField(None, ge=0, le=1e10, description="EUR a year.")
    max_staff: float | None = SchemaField(None, ge=0, le=1000, description="Persons.")
    field: list[str] = SchemaField([], description="Field ids, e.g. education.")
    top: int = SchemaField(10, ge=1, le=1000)


def _out(profile: Any) -> dict[str, Any]:
    return {
        "id": profile.pk,
        "cluster_id": profile.cluster_id,
        "url": profile.get_absolute_url(),
        "record": profile.to_record(),
    }


def _problems(exc: ProfileError) -> Status:
    return Status(
        422,
        {
            "detail": [
                {"loc": ["body", *p.field.split(".")], "msg": p.message, "type": "value_error"}
                for p in exc.problems
            ]
        },
    )


def _not_found(profile_id: int) -> Status:
    return Status(404, {"detail": f"No profile with id {profile_id} that you may see."})


def _body(payload: ProfileIn) -> dict[str, Any]:
    data = payload.dict(exclude_none=True)
    data.pop("cluster", None)
    return data


@router.get(
    "/profiles",
    response=list[ProfileOut],
    summary="Profiles of the clusters you manage",
    url_name="advisor_profiles",
)
def list_profiles(request: HttpRequest) -> list[dict[str, Any]]:
    return [_out(p) for p in selectors.profiles_visible_to(request.auth)]  # type: ignore[attr-defined]


@router.post(
    "/profiles",
    response={201: ProfileOut, 403: ErrorOut, 422: ErrorOut},
    summary="Create a profile",
    url_name="advisor_profiles",
)
def create_profile(request: HttpRequest, payload: ProfileIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    cluster = None
    if payload.cluster is not None and 0 < payload.cluster < 2**63:
        cluster = ClusterInitiative.objects.filter(pk=payload.cluster).first()
    if cluster is None:
        managed = list(clusters_managed_by(user)[:2])
        if payload.cluster is None and len(managed) == 1:
            cluster = managed[0]
        elif payload.cluster is None:
            return Status(
                422,
                {
                    "detail": [
                        {
                            "loc": ["body", "cluster"],
                            "msg": "give the cluster id",
                            "type": "value_error",
                        }
                    ]
                },
            )
        else:
            return Status(
                422,
                {
                    "detail": [
                        {
                            "loc": ["body", "cluster"],
                            "msg": "unknown cluster",
                            "type": "value_error",
                        }
                    ]
                },
            )
    try:
        profile = services.profile_create(actor=user, cluster=cluster, data=_body(payload))
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc)})
    except ProfileError as exc:
        return _problems(exc)
    return Status(201, _out(profile))


@router.get(
    "/profiles/{profile_id}",
    response={200: ProfileOut, 404: ErrorOut},
    summary="One profile",
    url_name="advisor_profile",
)
def get_profile(request: HttpRequest, profile_id: int) -> Any:
    profile = selectors.profile_get(request.auth, profile_id)  # type: ignore[attr-defined]
    return _out(profile) if profile else _not_found(profile_id)


@router.put(
    "/profiles/{profile_id}",
    response={200: ProfileOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Replace a profile",
    url_name="advisor_profile",
)
def update_profile(request: HttpRequest, profile_id: int, payload: ProfileIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    profile = selectors.profile_get(user, profile_id)
    if profile is None:
        return _not_found(profile_id)
    try:
        profile = services.profile_update(actor=user, profile=profile, data=_body(payload))
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc)})
    except ProfileError as exc:
        return _problems(exc)
    return _out(profile)


@router.delete(
    "/profiles/{profile_id}",
    response={204: None, 403: ErrorOut, 404: ErrorOut},
    summary="Delete a profile",
    url_name="advisor_profile",
)
def delete_profile(request: HttpRequest, profile_id: int) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    profile = selectors.profile_get(user, profile_id)
    if profile is None:
        return _not_found(profile_id)
    try:
        services.profile_delete(actor=user, profile=profile)
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc)})
    return Status(204, None)


def _factor(f: algo.Factor) -> dict[str, Any]:
    return {
        "name": f.name,
        "value": round(f.value, 4),
        "weight": f.weight,
        "contribution": round(f.contribution, 4),
        "why": f.why,
        "hints": list(f.hints),
    }


@router.get(
    "/profiles/{profile_id}/recommendations",
    response={200: dict[str, Any], 404: ErrorOut, 422: ErrorOut},
    summary="Practices ranked for the profile, factor by factor",
    url_name="advisor_recommendations",
)
def recommendations(request: HttpRequest, profile_id: int, limits: Query[LimitsIn]) -> Any:
    profile = selectors.profile_get(request.auth, profile_id)  # type: ignore[attr-defined]
    if profile is None:
        return _not_found(profile_id)
    known = selectors.toolbox().field_names
    unknown = [f for f in limits.field if f not in known]
    if unknown:
        return Status(
            422,
            {
                "detail": [
                    {
                        "loc": ["query", "field"],
                        "msg": f"unknown field {', '.join(map(repr, unknown))}; known: {', '.join(known)}",
                        "type": "value_error",
                    }
                ]
            },
        )
    ranking = selectors.recommendations(
        profile,
        algo.Limits(
            max_cost_eur=limits.max_cost, max_staff=limits.max_staff, fields=tuple(limits.field)
        ),
        top=limits.top,
    )
    return {
        "profile": profile.pk,
        "weights": algo.WEIGHTS,
        "count": ranking.total,
        "items": [
            {
                "rank": r.rank,
                "practice": r.practice_id,
                "title": r.title,
                "field": r.field,
                "score": round(r.score, 4),
                "factors": [_factor(f) for f in r.factors],
                "hints": r.hints,
                "estimate": {
                    "fte": round(r.estimate.fte, 3),
                    "persons": r.estimate.persons,
                    "cost_per_year_eur": round(r.estimate.cost_per_year_eur),
                    "months": round(r.estimate.months, 2),
                    "basis": list(r.estimate.notes),
                },
            }
            for r in ranking.recommendations
        ],
        "excluded": [asdict(e) for e in ranking.excluded],
        "no_fit": None
        if ranking.no_fit is None
        else {
            "message": ranking.no_fit.message,
            "limits": [asdict(b) for b in ranking.no_fit.reasons],
        },
    }


@router.get(
    "/profiles/{profile_id}/gaps",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="Coverage of the Target Board by the current services",
    url_name="advisor_gaps",
)
def gaps(request: HttpRequest, profile_id: int) -> Any:
    profile = selectors.profile_get(request.auth, profile_id)  # type: ignore[attr-defined]
    if profile is None:
        return _not_found(profile_id)
    analysis = selectors.gap_analysis(profile)
    return {
        "profile": profile.pk,
        "coverage": analysis.coverage,
        "fields": [asdict(f) for f in analysis.fields],
        "objectives": [
            {
                "objective": o.objective.id,
                "field": o.objective.field,
                "name": o.objective.name,
                "priority": o.priority,
                "covered": o.covered,
                "services": list(o.services),
                "candidates": list(o.candidates),
            }
            for o in analysis.objectives
        ],
    }


@router.get(
    "/profiles/{profile_id}/plan/{practice_id}",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="A service plan for one practice (JSON or Markdown)",
    openapi_extra={"responses": {200: {"content": {"application/json": {}, "text/markdown": {}}}}},
    url_name="advisor_plan",
)
def plan(
    request: HttpRequest,
    profile_id: int,
    practice_id: str,
    output: Literal["json", "markdown"] = "json",
) -> Any:
    profile = selectors.profile_get(request.auth, profile_id)  # type: ignore[attr-defined]
    if profile is None:
        return _not_found(profile_id)
    found = selectors.service_plan(profile, practice_id) if is_practice_id(practice_id) else None
    if found is None:
        return Status(404, {"detail": f"No practice with id {practice_id!r}."})
    if output == "markdown":
        response = HttpResponse(
            algo.plan_markdown(found), content_type="text/markdown; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="plan-{practice_id}.md"'
        return response
    return asdict(found)
