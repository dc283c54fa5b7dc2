"""Who may open the advisor's pages and endpoints (collected by tests/accounts/test_permissions.py).

The sample profile belongs to cluster A of the accounts world: its manager and administrators
see it; everyone else is refused (404, so its existence is not revealed).
"""

from __future__ import annotations

from typing import Any

from tests.accounts.matrix import LOGGED_IN, NOBODY, Expect

OWNERS = frozenset({"manager", "admin"})
MANAGERS = frozenset({"manager", "other_manager", "admin"})

EXPECTED: dict[str, Expect] = {
    "advisor:list": Expect(LOGGED_IN, why="each sees the profiles of the clusters they manage"),
    "advisor:create": Expect(MANAGERS, why="only cluster managers own profiles"),
    "advisor:profile": Expect(OWNERS),
    "advisor:edit": Expect(OWNERS),
    "advisor:delete": Expect(OWNERS, method="post", why="without confirmation it only redirects"),
    "advisor:gaps": Expect(OWNERS),
    "advisor:plan": Expect(OWNERS),
    "api:advisor_profiles": Expect(LOGGED_IN, why="lists only the caller's clusters' profiles"),
    "api:advisor_profile": Expect(OWNERS),
    "api:advisor_recommendations": Expect(OWNERS),
    "api:advisor_gaps": Expect(OWNERS),
    "api:advisor_plan": Expect(OWNERS),
    "admin:advisor_clusterprofile_add": Expect(NOBODY, why="written through services only"),
    "admin:advisor_clusterprofile_delete": Expect(NOBODY, why="written through services only"),
}


def samples(world: Any) -> dict[str, str]:
    from tact.advisor.services import profile_create

    profile = profile_create(
        actor=None,
        cluster=world.cluster_a,
        data={"name": "Matrix sample", "objectives": {"rd-support": 3}, "stage": "growing"},
    )
    return {"profile_id": str(profile.pk)}
