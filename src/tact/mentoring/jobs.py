"""Background job of the mentoring app: matching a large programme (see services.match_run)."""

from __future__ import annotations

from typing import Any

from tact.core.jobs import Progress, register_job

from . import services


@register_job("mentoring.match")
def match_programme(
    ctx: Progress, *, programme_id: int, method: str, keep_locked: bool, actor_id: int | None
) -> dict[str, Any]:
    return services.match_run(
        ctx, programme_id=programme_id, method=method, keep_locked=keep_locked, actor_id=actor_id
    )
