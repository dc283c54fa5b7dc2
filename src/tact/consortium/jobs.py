"""Background job of the consortium builder (see tact.core.jobs)."""

from __future__ import annotations

from typing import Any

from tact.core.jobs import register_job

from . import services


@register_job(services.JOB_KIND)
def build_job(ctx: Any, *, run_id: int) -> dict[str, Any]:
    return services.build_execute(run_id=run_id, progress=ctx.progress)
