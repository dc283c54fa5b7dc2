"""Who may watch background jobs: the person who started one, and administrators."""

from __future__ import annotations

from typing import Any

from tests.accounts.matrix import LOGGED_IN, Expect

STARTER = frozenset({"manager", "admin"})

EXPECTED: dict[str, Expect] = {
    "core:job_list": Expect(LOGGED_IN, why="each sees the jobs they started"),
    "core:job_detail": Expect(STARTER, why="the sample job was started by cluster A's manager"),
    "core:job_status": Expect(STARTER),
}


def samples(world: Any) -> dict[str, str]:
    from tact.core.models import Job

    job = Job.objects.create(kind="tests.sample", label="Sample", owner=world.user("manager"))
    return {"job_id": str(job.pk)}
