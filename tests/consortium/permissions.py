"""Who may open the consortium builder's pages and endpoints (collected by
tests/accounts/test_permissions.py).

Calls are readable by everyone signed in. Building and checking read a cluster's registry: the
managers of some cluster (each for their own) and admins. A build of cluster A: its manager
and the admin only.
"""

from __future__ import annotations

from typing import Any

from tests.accounts.matrix import LOGGED_IN, Expect

MANAGERS = frozenset({"manager", "other_manager", "admin"})
OWNERS = frozenset({"manager", "admin"})

EXPECTED: dict[str, Expect] = {
    "consortium:home": Expect(LOGGED_IN),
    "consortium:call": Expect(LOGGED_IN, why="a call's rules are public to members"),
    "consortium:build": Expect(MANAGERS, why="each manager builds from their own registry"),
    "consortium:check": Expect(MANAGERS, why="each manager checks against their own registry"),
    "consortium:run": Expect(OWNERS, why="a build of cluster A: its manager"),
    "api:consortium_calls": Expect(LOGGED_IN),
    "api:consortium_call": Expect(LOGGED_IN),
    "api:consortium_build": Expect(
        MANAGERS, method="post", why="an empty body is refused with 400 after the role check"
    ),
    "api:consortium_check": Expect(MANAGERS, method="post"),
    "api:consortium_runs": Expect(LOGGED_IN, why="lists only the caller's clusters' builds"),
    "api:consortium_run": Expect(OWNERS),
}


def samples(world: Any) -> dict[str, str]:
    from tact.consortium import services
    from tact.consortium.models import Call

    from .conftest import make_registry

    services.call_load()
    reg = make_registry(world.cluster_a)
    run, _job = services.build_start(
        actor=world.user("manager"),
        call=Call.objects.get(pk="innovation-1"),
        cluster=world.cluster_a,
        applicant_id=reg.id("Sarine Solar SA"),
        competences=[{"code": "pv", "min_level": 3}],
        top=1,
        time_limit=2,
    )
    return {"call_id": "innovation-1", "run_id": str(run.pk)}
