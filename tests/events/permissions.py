"""Who may open the B2B event pages and endpoints (collected by tests/accounts/test_permissions.py).

The sample event belongs to cluster A: its manager and administrators organise it. The member of
cluster A takes part (linked by e-mail) and may see the event, the marketplace, their own requests
and agenda, and answer the request sent to them. Everyone else is refused (404).
"""

from __future__ import annotations

from typing import Any

from tests.accounts.matrix import LOGGED_IN, NOBODY, Expect

OWNERS = frozenset({"manager", "admin"})
MANAGERS = frozenset({"manager", "other_manager", "admin"})
TAKING_PART = frozenset({"member", "manager", "admin"})

EXPECTED: dict[str, Expect] = {
    "events:list": Expect(LOGGED_IN, why="each sees the events they organise or take part in"),
    "events:create": Expect(MANAGERS, why="cluster managers organise events"),
    "events:detail": Expect(TAKING_PART, why="participants are redirected to their own page"),
    "events:edit": Expect(OWNERS),
    "events:session_add": Expect(OWNERS, method="post", why="an empty form is refused, not saved"),
    "events:session_delete": Expect(OWNERS, method="post"),
    "events:tables_add": Expect(OWNERS, method="post", why="an empty form is refused"),
    "events:table_edit": Expect(OWNERS, method="post", why="saves the same name again"),
    "events:participants": Expect(OWNERS),
    "events:participant_add": Expect(OWNERS),
    "events:participant_edit": Expect(TAKING_PART, why="the member edits their own profile"),
    "events:participant_delete": Expect(OWNERS, method="post", why="needs a confirmation"),
    "events:agenda": Expect(TAKING_PART, why="the member's own agenda"),
    "events:agenda_ics": Expect(TAKING_PART, why="the member's own agenda"),
    "events:import": Expect(OWNERS),
    "events:marketplace": Expect(TAKING_PART),
    "events:requests": Expect(TAKING_PART, why="participants see their own requests only"),
    "events:request_decide": Expect(
        TAKING_PART, method="post", why="the requested member, or an organiser"
    ),
    "events:schedule": Expect(OWNERS, method="post", why="starts a background job"),
    "events:publish": Expect(OWNERS, method="post"),
    "events:registration": Expect(OWNERS, method="post", why="an empty form is refused, no change"),
    "events:dashboard": Expect(OWNERS),
    "events:table_plan": Expect(OWNERS),
    "events:agendas_print": Expect(OWNERS),
    "events:schedule_export": Expect(OWNERS),
    "events:me": Expect(TAKING_PART, why="organisers who do not take part are redirected"),
    "api:events_me": Expect(frozenset({"member"}), why="only a participant has a profile"),
    "api:events_list": Expect(LOGGED_IN, why="lists only the caller's events"),
    "api:events_event": Expect(TAKING_PART),
    "api:events_participants": Expect(TAKING_PART, why="participants see the marketplace"),
    "api:events_import": Expect(OWNERS),
    "api:events_requests": Expect(TAKING_PART, why="participants see their own"),
    "api:events_request": Expect(TAKING_PART, why="a request the member is part of"),
    "api:events_schedule": Expect(OWNERS),
    "api:events_agenda": Expect(TAKING_PART, why="the member's own agenda"),
}


def samples(world: Any) -> dict[str, str]:
    import datetime as dt

    from tact.events import services

    event = services.event_create(
        actor=None,
        cluster=world.cluster_a,
        data={"title": "Matrix B2B day", "date": dt.date(2026, 5, 12).isoformat()},
    )
    session = services.session_add(
        actor=None, event=event, data={"name": "Morning", "start": "09:00", "end": "10:00"}
    )
    (table,) = services.tables_add(actor=None, event=event, count=1)
    member = services.participant_save(
        actor=None,
        event=event,
        data={"organisation": "Alpha GmbH", "person": "Member", "email": "member@example.org",
              "role": "supplier", "offers": "sensors"},
    )  # fmt: skip
    other = services.participant_save(
        actor=None,
        event=event,
        data={"organisation": "Omega AG", "person": "Olga", "email": "olga@example.org",
              "role": "oem", "seeks": "sensors"},
    )  # fmt: skip
    request = services.request_create(
        actor=None, event=event, requester=other, requested=member, priority=3
    )
    return {
        "b2b_event_id": str(event.pk),
        "b2b_session_id": str(session.pk),
        "b2b_table_id": str(table.pk),
        "b2b_participant_id": str(member.pk),
        "b2b_request_id": str(request.pk),
        "b2b_format": "xlsx",
    }


# Read-only in the admin: every write goes through the services (checked and audited).
for _model in ("event", "session", "slot", "table", "participant", "meetingrequest", "meeting",
               "publishedmeeting", "schedulerun"):  # fmt: skip
    for _view in ("add", "delete"):
        EXPECTED[f"admin:events_{_model}_{_view}"] = Expect(
            NOBODY, why="written through services only: read-only in the admin"
        )
