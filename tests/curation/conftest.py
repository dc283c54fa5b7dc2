"""A curation world on top of the accounts world: a campaign for region AT31 with cluster A
invited, a second curator of AT31 (so a one-pager can have two reviewers) and sample one-pagers."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tact.accounts.models import Role
from tests.accounts.conftest import grant, make_user, world  # noqa: F401

SAMPLES = Path(__file__).resolve().parent / "samples"


def sample(name: str) -> dict[str, Any]:
    return json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture
def second_curator(world: Any) -> Any:  # noqa: F811
    user = make_user("curator2@example.org")
    grant(user, Role.CURATOR, region=world.region)
    return user


@pytest.fixture
def campaign(world: Any, toolbox: Any) -> Any:  # noqa: F811
    from tact.curation import services

    return services.campaign_create(
        actor=world.user("curator"),
        name="Survey 2027",
        regions=[world.region],
        deadline=timezone.localdate() + dt.timedelta(days=30),
        invitations=[(world.cluster_a, "manager@example.org")],
        base_url="http://testserver",
    )


@pytest.fixture
def one_pager(campaign: Any) -> Any:
    return campaign.one_pagers.get()


def submit(one_pager: Any, world: Any, data: dict[str, Any] | None = None) -> Any:  # noqa: F811
    from tact.curation import services

    one_pager = services.one_pager_save(
        actor=world.user("manager"),
        one_pager=one_pager,
        data=data or sample("energy-audits"),
        expected_version=one_pager.version,
    )
    return services.one_pager_transition(
        actor=world.user("manager"), one_pager=one_pager, to="submitted"
    )
