"""A small registry on top of the accounts world: cluster A's members with competences."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tact.community import services
from tact.community.models import Organisation, Project
from tests.accounts.conftest import World, world  # noqa: F401


@dataclass
class Registry:
    world: World
    alpha: Organisation  # cluster A, linked to the member's account
    beta: Organisation  # cluster A
    gamma: Organisation  # cluster B only


def make_org(name: str, cluster: Any, levels: dict[str, int], **extra: Any) -> Organisation:
    values = {"kind": "sme", "region": "AT31", "country": "AT", **extra}
    org = Organisation.objects.create(name=name, **values)
    org.clusters.add(cluster)
    from tact.community.models import Competence

    for code, level in levels.items():
        services.competence_level_set(
            actor=None, organisation=org, competence=Competence.objects.get(pk=code), level=level
        )
    return org


@pytest.fixture
def registry(world: World) -> Registry:  # noqa: F811
    services.vocabulary_load(actor=None)
    alpha = make_org(
        "Alpha GmbH", world.cluster_a, {"cnc-machining": 4, "robotics": 2},
        account=world.organisation,
    )  # fmt: skip
    beta = make_org(
        "Beta Research", world.cluster_a, {"cnc-machining": 5, "additive-manufacturing": 3},
        kind="research", region="CH022", country="CH",
    )  # fmt: skip
    gamma = make_org("Gamma Plast S.r.l.", world.cluster_b, {"cnc-machining": 5},
                     region="ITC4", country="IT")  # fmt: skip
    project = Project.objects.create(title="Gripper", year=2023)
    project.partners.add(alpha, beta)
    return Registry(world, alpha, beta, gamma)
