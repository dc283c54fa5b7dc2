"""Who may open the mentoring pages and endpoints (collected by tests/accounts/test_permissions.py).

The sample programme belongs to cluster A: its manager and administrators run it; everyone else
gets 404 (its existence is not revealed). Cluster A's member has a mentee profile in it (same
e-mail address) and the pairs are published, so the member sees the programme's calendar and
their own pair on the home page and at /api/mentoring/me — nothing else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.accounts.matrix import LOGGED_IN, NOBODY, Expect

OWNERS = frozenset({"manager", "admin"})
MANAGERS = frozenset({"manager", "other_manager", "admin"})
PARTICIPANT = OWNERS | {"member"}

EXPECTED: dict[str, Expect] = {
    "mentoring:home": Expect(LOGGED_IN, why="programmes one runs, and one's own participations"),
    "mentoring:create": Expect(MANAGERS, why="any cluster manager may start a programme"),
    "mentoring:programme": Expect(OWNERS),
    "mentoring:edit": Expect(OWNERS),
    "mentoring:delete": Expect(OWNERS, method="post", why="without confirmation it redirects"),
    "mentoring:publish": Expect(OWNERS, method="post"),
    "mentoring:events": Expect(OWNERS),
    "mentoring:events_template": Expect(OWNERS, method="post"),
    "mentoring:event_edit": Expect(OWNERS),
    "mentoring:event_delete": Expect(OWNERS, method="post"),
    "mentoring:ics": Expect(PARTICIPANT, why="the member takes part and the pairs are published"),
    "mentoring:participants": Expect(OWNERS),
    "mentoring:participant_create": Expect(OWNERS),
    "mentoring:participant_edit": Expect(OWNERS),
    "mentoring:participant_delete": Expect(OWNERS, method="post"),
    "mentoring:import": Expect(OWNERS),
    "mentoring:sample_file": Expect(OWNERS),
    "mentoring:match": Expect(OWNERS, method="post"),
    "mentoring:pairs": Expect(OWNERS),
    "mentoring:pair_create": Expect(OWNERS),
    "mentoring:pair_lock": Expect(OWNERS, method="post"),
    "mentoring:pair_delete": Expect(OWNERS, method="post"),
    "mentoring:export": Expect(OWNERS),
    "mentoring:letters": Expect(OWNERS),
    "api:mentoring_programmes": Expect(LOGGED_IN, why="lists only the programmes one runs"),
    "api:mentoring_programme": Expect(OWNERS),
    "api:mentoring_publish": Expect(OWNERS, method="post"),
    "api:mentoring_events": Expect(OWNERS),
    "api:mentoring_events_template": Expect(OWNERS, method="post"),
    "api:mentoring_event": Expect(OWNERS, method="delete"),
    "api:mentoring_calendar": Expect(PARTICIPANT),
    "api:mentoring_participants": Expect(OWNERS),
    "api:mentoring_participant": Expect(OWNERS),
    "api:mentoring_import": Expect(OWNERS, method="post", why="without a file: 422 for owners"),
    "api:mentoring_match": Expect(OWNERS, method="post"),
    "api:mentoring_pairs": Expect(OWNERS),
    "api:mentoring_pair": Expect(OWNERS),
    "api:mentoring_export": Expect(OWNERS),
    "api:mentoring_mine": Expect(LOGGED_IN, why="each sees only their own participations"),
}
for _model in ("programme", "participant", "pair", "matchrun", "programmeevent"):
    for _view in ("add", "delete"):
        EXPECTED[f"admin:mentoring_{_model}_{_view}"] = Expect(
            NOBODY, why="written through services only: read-only in the admin"
        )


def samples(world: Any) -> dict[str, str]:
    from tact.mentoring import services

    programme = services.programme_create(
        actor=None,
        cluster=world.cluster_a,
        data={"name": "Matrix programme", "start_date": dt.date(2026, 1, 15), "months": 9},
    )
    mentor = services.participant_create(
        actor=None,
        programme=programme,
        data={"side": "mentor", "name": "Mia Mentor", "email": "mia@example.org",
              "organisation": "Beta AG", "topics": "lean"},
    )  # fmt: skip
    mentee = services.participant_create(
        actor=None,
        programme=programme,
        data={"side": "mentee", "name": "Member", "email": "member@example.org",
              "organisation": "Alpha GmbH", "topics": "lean"},
    )  # fmt: skip
    pair = services.pair_create(actor=None, programme=programme, mentor=mentor, mentee=mentee)
    events = services.events_from_template(actor=None, programme=programme)
    services.programme_publish(actor=None, programme=programme, published=True)
    return {
        "programme_id": str(programme.pk),
        "participant_id": str(mentor.pk),
        "pair_id": str(pair.pk),
        "event_id": str(events[-1].pk),
    }
