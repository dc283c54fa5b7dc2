"""Background jobs of the community registry: large imports and the synthetic sample."""

from __future__ import annotations

from typing import Any

from tact.core.jobs import Progress, register_job

from . import pending


@register_job("community.import")
def import_checked_file(ctx: Progress, *, pending_id: str, actor_id: int) -> dict[str, Any]:
    return pending.import_job(ctx, pending_id=pending_id, actor_id=actor_id)


@register_job("community.sample")
def synthetic_sample(
    ctx: Progress, *, cluster_id: int, organisations: int, seed: int, actor_id: int | None
) -> dict[str, Any]:
    return pending.sample_job(
        ctx, cluster_id=cluster_id, organisations=organisations, seed=seed, actor_id=actor_id
    )
