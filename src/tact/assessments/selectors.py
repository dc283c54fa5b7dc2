"""Reads, scoped to the caller. Answers: the organisation's own members only. Everyone else
(cluster managers included) reads figures in aggregate, and never of a group below the
anonymity threshold."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet

from tact.accounts.models import ClusterInitiative, Organisation, Role
from tact.accounts.selectors import clusters_managed_by
from tact.algorithms import assessment as algo

from .models import AssessmentInvitation, AssessmentModel, Figure, Respondent, Response

GROUPS = ("sector", "size_class", "region")
FILTERS = ("round", "sector", "size_class", "region", "cluster_id")


def threshold() -> int:
    """The anonymity threshold k (TACT_BENCHMARK_MIN_GROUP, default 5, never below 3)."""
    return max(algo.MIN_K, int(getattr(settings, "TACT_BENCHMARK_MIN_GROUP", algo.DEFAULT_K)))


def models() -> QuerySet[AssessmentModel]:
    return AssessmentModel.objects.all()


def model_get(model_id: str) -> AssessmentModel | None:
    if not isinstance(model_id, str) or len(model_id) > 50:
        return None
    return AssessmentModel.objects.filter(pk=model_id).first()


def member_organisations(user: Any) -> QuerySet[Organisation]:
    """Organisations the caller answers for: those they are a member of (not those they manage)."""
    if not user or not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(roles__user=user, roles__role=Role.MEMBER).distinct()


def respondents_of(user: Any) -> QuerySet[Respondent]:
    return Respondent.objects.filter(link__organisation__in=member_organisations(user))


def invitations_of(user: Any) -> QuerySet[AssessmentInvitation]:
    """Invitations addressed to the organisations the caller is a member of."""
    return AssessmentInvitation.objects.filter(
        organisation__in=member_organisations(user)
    ).select_related("model", "organisation")


def responses_of(user: Any) -> QuerySet[Response]:
    return Response.objects.filter(respondent__in=respondents_of(user)).select_related(
        "respondent", "respondent__model"
    )


def response_get(user: Any, response_id: Any) -> Response | None:
    try:
        pk = int(response_id)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**63:
        return None
    return responses_of(user).filter(pk=pk).first()


def respondent_export(respondent: Respondent) -> dict[str, Any]:
    """Everything stored about a respondent, for its own download."""
    return {
        "pseudonym": respondent.pseudonym,
        "model": respondent.model_id,
        "organisation": respondent.link.organisation.name,
        "sector": respondent.sector,
        "size_class": respondent.size_class,
        "region": respondent.region,
        "created_at": respondent.created_at.isoformat(),
        "responses": [
            {
                "round": r.round,
                "status": r.status,
                "answers": r.answers,
                "result": r.result,
                "started_at": r.started_at.isoformat(),
                "updated_at": r.updated_at.isoformat(),
                "submitted_at": r.submitted_at.isoformat() if r.submitted_at else None,
                "figures": {f.metric: f.value for f in r.figures.all()},
            }
            for r in respondent.responses.order_by("round")
        ],
    }


# --------------------------------------------------------------------------- peer statistics


def distribution(qs: QuerySet[Figure]) -> list[tuple[float, int]]:
    """(value, number of companies) sorted by value: one grouped scan of the group's index."""
    return list(
        qs.values("value").annotate(c=Count("*")).order_by("value").values_list("value", "c")
    )


def _stats(
    qs: QuerySet[Figure],
    *,
    k: int,
    parents: list[int],
    own: float | None = None,
    edges: list[float] | None = None,
) -> dict[str, Any]:
    stats = algo.group_stats_from_counts(
        distribution(qs), k=k, parents=parents, own=own, edges=edges or ()
    )
    if not stats.shown:
        return {"shown": False, "n": None}
    out: dict[str, Any] = {"shown": True, "n": stats.n, "percentiles": stats.percentiles}
    if own is not None:
        out["rank"] = stats.rank
    if edges:
        out["histogram"] = [{"label": lab, "count": c} for lab, c in stats.histogram.items()]
    return out


def _base(model: AssessmentModel, round_: str, metric: str) -> QuerySet[Figure]:
    return Figure.objects.filter(model=model, round=round_, metric=metric)


def peer_comparison(
    response: Response,
    *,
    metrics: list[str] | None = None,
    k: int | None = None,
    include_all: bool = True,
    groups: tuple[str, ...] = GROUPS,
) -> dict[str, dict[str, Any]]:
    """The company's position in its sector, size class and region groups (and among all).

    Each group is narrowed by one filter from "all", so it is shown only when it and its
    difference from "all" both hold at least k respondents.
    """
    k = algo.check_k(k or threshold())
    respondent = response.respondent
    figures = {f.metric: f.value for f in response.figures.all()}
    out: dict[str, dict[str, Any]] = {}
    for metric in metrics or sorted(figures):
        if metric not in figures:
            continue
        own = figures[metric]
        base = _base(respondent.model, response.round, metric)
        row: dict[str, Any] = {}
        if include_all:
            row["all"] = _stats(base, k=k, parents=[], own=own)
            n_all = row["all"]["n"] or base.count()
        else:
            n_all = base.count()
        for group in groups:
            row[group] = _stats(
                base.filter(**{group: getattr(respondent, group)}), k=k, parents=[n_all], own=own
            )
        out[metric] = row
    return out


def peer_comparison_naive(response: Response, metric: str, k: int) -> dict[str, Any]:
    """Baseline for the benchmark: load every figure of the round and compute in Python."""
    respondent = response.respondent
    rows = list(
        _base(respondent.model, response.round, metric).values_list(
            "value", "sector", "size_class", "region"
        )
    )
    own = next(f.value for f in response.figures.all() if f.metric == metric)
    out = {}
    for i, group in enumerate(GROUPS, start=1):
        key = getattr(respondent, group)
        out[group] = algo.group_stats(
            [r[0] for r in rows if r[i] == key], k=k, parents=[len(rows)], own=own
        )
    return out


def clean_filters(raw: dict[str, Any]) -> dict[str, Any]:
    """Only known filters, as short strings; anything else is ignored."""
    out: dict[str, Any] = {}
    for name in FILTERS:
        value = raw.get(name)
        if value in (None, ""):
            continue
        value = str(value)[:30]
        if "\x00" in value:  # PostgreSQL refuses NUL in text; no real filter holds one
            continue
        if name == "cluster_id":
            if not value.isdigit() or len(value) > 18:
                continue
            out[name] = int(value)
        else:
            out[name] = value
    return out


def rounds(model: AssessmentModel) -> list[str]:
    return sorted(
        Figure.objects.filter(model=model).values_list("round", flat=True).distinct(), reverse=True
    )


def metric_names(model: AssessmentModel) -> list[tuple[str, str]]:
    d = model.definition
    if model.kind == "maturity":
        return [("overall", "Overall score")] + [
            (f"dim:{x['id']}", x["name"]) for x in d["dimensions"]
        ]
    return [(f["id"], f["name"]) for f in d["figures"]]


def _edges(model: AssessmentModel, metric: str) -> list[float]:
    if model.kind == "maturity":
        return [0, 1, 2, 3, 4, 5]
    for f in model.definition["figures"]:
        if f["id"] == metric:
            return [float(x) for x in f.get("edges", [])]
    return []


def benchmark(
    model: AssessmentModel, filters: dict[str, Any], *, k: int | None = None
) -> dict[str, Any]:
    """Aggregates for any combination of filters: each figure shown only when its group and
    every difference to a group with one filter fewer hold at least k respondents."""
    k = algo.check_k(k or threshold())
    filters = clean_filters(filters)
    round_ = filters.pop("round", None) or (rounds(model) or [""])[0]
    out: dict[str, Any] = {"round": round_, "filters": filters, "k": k, "metrics": []}
    for metric, name in metric_names(model):
        base = _base(model, round_, metric)
        parents = [
            base.filter(**{f: v for f, v in filters.items() if f != drop}).count()
            for drop in filters
        ]
        stats = _stats(base.filter(**filters), k=k, parents=parents, edges=_edges(model, metric))
        out["metrics"].append({"metric": metric, "name": name, **stats})
    return out


def trends(model: AssessmentModel, metric: str, *, k: int | None = None) -> list[dict[str, Any]]:
    """The median of a metric round by round (rounds below the threshold show nothing)."""
    k = algo.check_k(k or threshold())
    return [
        {"round": r, **_stats(_base(model, r, metric), k=k, parents=[])}
        for r in sorted(rounds(model))
    ]


def regions(
    model: AssessmentModel, round_: str, metric: str, *, k: int | None = None
) -> list[dict[str, Any]]:
    """Regional comparison: one row per region large enough (and leaving enough outside it)."""
    k = algo.check_k(k or threshold())
    base = _base(model, round_, metric)
    n_all = base.count()
    out = []
    for code in base.values_list("region", flat=True).distinct().order_by("region"):
        stats = _stats(base.filter(region=code), k=k, parents=[n_all])
        if stats["shown"]:
            out.append({"region": code, **stats})
    return out


def cluster_benchmark(
    user: Any, cluster_id: Any, model: AssessmentModel, filters: dict[str, Any]
) -> dict[str, Any] | None:
    """A cluster's aggregate picture for its managers (None for anyone else)."""
    try:
        pk = int(cluster_id)
    except (TypeError, ValueError):
        return None
    cluster = clusters_managed_by(user).filter(pk=pk).first() if 0 < pk < 2**63 else None
    if cluster is None:
        return None
    result = benchmark(model, {**filters, "cluster_id": cluster.pk})
    result["cluster"] = cluster
    return result


def managed_clusters(user: Any) -> QuerySet[ClusterInitiative]:
    return clusters_managed_by(user)
