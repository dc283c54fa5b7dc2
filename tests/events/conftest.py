"""A realistic sample event: the shipped CSV files of an innovation day in cluster A."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tact.events import services
from tact.events.models import Event
from tests.accounts.conftest import world  # noqa: F401  (the accounts world)

DATA = Path(services.__file__).resolve().parent / "data"


def sample_event(cluster: Any, *, tables: int = 6, remote_rooms: int = 2) -> Event:
    event = services.event_create(
        actor=None,
        cluster=cluster,
        data={
            "title": "Mechatronics Innovation Day",
            "date": "2026-05-12",
            "venue": "Tabakfabrik Linz",
            "meeting_minutes": 20,
            "break_minutes": 5,
        },
    )
    services.session_add(
        actor=None, event=event, data={"name": "Morning", "start": "09:00", "end": "12:00"}
    )
    services.session_add(
        actor=None, event=event, data={"name": "Afternoon", "start": "13:30", "end": "16:00"}
    )
    services.tables_add(actor=None, event=event, count=tables)
    if remote_rooms:
        services.tables_add(
            actor=None,
            event=event,
            count=remote_rooms,
            remote=True,
            link="https://meet.example/b2b",
        )
    return event


def load_sample(event: Event) -> None:
    for kind, fn in (
        ("participants", services.participants_import),
        ("requests", services.requests_import),
    ):
        path = DATA / f"sample-{kind}.csv"
        report = fn(actor=None, event=event, data=path.read_bytes(), filename=path.name)
        assert report.ok, report.problems


@pytest.fixture
def event(world: Any) -> Event:  # noqa: F811
    e = sample_event(world.cluster_a)
    load_sample(e)
    return e
