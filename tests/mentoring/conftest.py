"""A programme of cluster A with the shipped synthetic sample profiles imported."""

from __future__ import annotations

import datetime as dt
from importlib.resources import files
from typing import Any

import pytest

from tests.accounts.conftest import world  # noqa: F401

SAMPLE = (files("tact.mentoring") / "data" / "sample_profiles.csv").read_bytes()


@pytest.fixture
def programme(world: Any) -> Any:  # noqa: F811
    from tact.mentoring import services

    programme = services.programme_create(
        actor=world.user("manager"),
        cluster=world.cluster_a,
        data={
            "name": "Cross-Mentoring 2026",
            "start_date": dt.date(2026, 3, 2),
            "months": 9,
            "location": "Linz",
            "competitors": [["Donau Drives AG", "Steyr Precision GmbH"]],
        },
    )
    report = services.participants_import(
        actor=world.user("manager"),
        programme=programme,
        data=SAMPLE,
        filename="sample_profiles.csv",
        dry_run=False,
    )
    assert report.applied, report.problems
    return programme
