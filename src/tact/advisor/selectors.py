"""Reads for the advisor, always scoped: a profile is visible to its cluster's managers and to
administrators only. The toolbox is read once into the algorithm's arrays and reused until a
practice changes."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Prefetch, QuerySet

from tact.accounts.selectors import clusters_managed_by
from tact.algorithms import advisor as algo
from tact.catalogue.models import Field, Objective, Practice, PracticeFact
from tact.catalogue.records import vocabulary

from .models import ClusterProfile


def profiles_visible_to(user: Any) -> QuerySet[ClusterProfile]:
    return ClusterProfile.objects.filter(cluster__in=clusters_managed_by(user)).select_related(
        "cluster"
    )


def profile_get(user: Any, profile_id: Any) -> ClusterProfile | None:
    """The profile if the caller may see it; None otherwise (also for ids that are not numbers)."""
    try:
        pk = int(profile_id)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**63:
        return None
    return profiles_visible_to(user).filter(pk=pk).first()


def profile_find(reference: str) -> ClusterProfile | None:
    """For the trusted command line: a profile by id, by name, or by 'cluster/name'."""
    qs = ClusterProfile.objects.select_related("cluster")
    if reference.isdigit():
        return qs.filter(pk=int(reference)).first()
    if "/" in reference:
        cluster, _sep, name = reference.partition("/")
        found = qs.filter(cluster__name=cluster, name=name).first()
        if found:
            return found
    matches = list(qs.filter(name=reference)[:2])
    return matches[0] if len(matches) == 1 else None


def to_algorithm(profile: ClusterProfile) -> algo.Profile:
    return algo.Profile(
        name=profile.name,
        country=profile.country,
        nuts=profile.nuts,
        sectors=tuple(profile.sectors),
        stage=profile.stage,
        members=profile.members,
        share_smes=profile.share_smes,
        share_large=profile.share_large,
        share_research=profile.share_research,
        share_public=profile.share_public,
        management_fte=profile.management_fte,
        budget_eur=profile.budget_eur,
        objectives={str(k): int(v) for k, v in profile.objectives.items()},
        target_groups=tuple(profile.target_groups),
        cross_border=profile.cross_border,
        current_services=tuple(
            algo.CurrentService(
                name=s.get("name", ""),
                field=s.get("field", ""),
                objectives=tuple(s.get("objectives", ())),
                practice_id=s.get("practice") or None,
            )
            for s in profile.current_services
        ),
    )


@dataclass
class Toolbox:
    """The published practices as the algorithm reads them, compiled once."""

    key: tuple[Any, ...]
    texts: list[algo.PracticeText]
    facts: dict[str, list[algo.Fact]]
    records: dict[str, dict[str, Any]]
    matrix: algo.PracticeMatrix
    labels: algo.Labels
    objectives: list[algo.Objective]
    field_names: dict[str, str]


_lock = threading.Lock()
_cached: Toolbox | None = None


def _toolbox_key() -> tuple[Any, ...]:
    agg = Practice.objects.filter(published=True).aggregate(n=Count("id"), last=Max("updated_at"))
    return (agg["n"], agg["last"], Objective.objects.count())


def toolbox() -> Toolbox:
    global _cached
    key = _toolbox_key()
    with _lock:
        if _cached is not None and _cached.key == key:
            return _cached
    units = vocabulary()["units"]
    practices = (
        Practice.objects.filter(published=True)
        .select_related("field")
        .prefetch_related(
            "clusters",
            "contacts",
            Prefetch("facts", queryset=PracticeFact.objects.order_by("order", "id")),
            "objectives",
        )
        .order_by("id")
    )
    records = {p.id: p.to_record() for p in practices}
    texts = [algo.practice_text_from_record(r, units) for r in records.values()]
    facts = {pid: algo.facts_from_record(r["facts"], units) for pid, r in records.items()}
    vocab = vocabulary()
    objectives = list(Objective.objects.select_related("field"))
    labels = algo.Labels(
        objectives={o.id: o.name for o in objectives},
        target_groups={k: str(v) for k, v in vocab["target_groups"].items()},
        sectors={k: str(v) for k, v in vocab["sectors"].items()},
    )
    built = Toolbox(
        key=key,
        texts=texts,
        facts=facts,
        records=records,
        matrix=algo.PracticeMatrix([t.features for t in texts]),
        labels=labels,
        objectives=[algo.Objective(o.id, o.field_id, o.name) for o in objectives],
        field_names={f.id: f.name for f in Field.objects.all()},
    )
    with _lock:
        _cached = built
    return built


def recommendations(
    profile: ClusterProfile, limits: algo.Limits, *, top: int | None = None
) -> algo.Ranking:
    box = toolbox()
    return algo.rank(to_algorithm(profile), box.matrix, limits, top=top, labels=box.labels)


def gap_analysis(profile: ClusterProfile) -> algo.GapAnalysis:
    box = toolbox()
    return algo.gaps(to_algorithm(profile), box.objectives, [t.features for t in box.texts])


def service_plan(profile: ClusterProfile, practice_id: str) -> algo.ServicePlan | None:
    box = toolbox()
    text = next((t for t in box.texts if t.features.id == practice_id), None)
    if text is None:
        return None
    return algo.plan(to_algorithm(profile), text, box.facts[practice_id], toolbox=box.texts)


def fields_with_objectives() -> list[Field]:
    return list(Field.objects.prefetch_related("objectives").order_by("order", "id"))


def practice_titles() -> dict[str, str]:
    return {t.features.id: t.features.title for t in toolbox().texts}
