"""The accounts world plus a small Fribourg registry for cluster A and the shipped calls."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tact.accounts.models import ClusterInitiative
from tact.community.models import Competence, Organisation, OrganisationCompetence, Project
from tact.consortium import services
from tests.accounts.conftest import world  # noqa: F401  (a fixture)

# name, type, region, contribution, {competence: level}
ORGS: list[tuple[str, str, str, int, dict[str, int]]] = [
    ("Sarine Solar SA", "sme", "CH022", 180_000, {"pv": 4, "storage": 2}),
    ("Gruyère Bois Sàrl", "sme", "CH022", 90_000, {"timber": 5}),
    ("Morat Controls AG", "sme", "CH022", 120_000, {"controls": 4, "pv": 2}),
    ("Bern Heat AG", "sme", "CH021", 150_000, {"heatpump": 5, "controls": 2}),
    ("Alpine Steel Group", "large", "CH040", 600_000, {"storage": 4, "timber": 1}),
    ("Lyon Batteries SAS", "large", "FRK26", 400_000, {"storage": 5}),
    ("HEIA Fribourg", "university", "CH022", 250_000, {"pv": 5, "controls": 5}),
    ("Energy Research Institute", "research", "CH040", 300_000, {"heatpump": 4, "storage": 3}),
    ("Canton Energy Office", "public", "CH022", 20_000, {"policy": 4}),
    ("Building Cluster Association", "cluster", "CH022", 10_000, {"policy": 2}),
]
COMPETENCES = {
    "pv": "Photovoltaics",
    "storage": "Energy storage",
    "timber": "Timber construction",
    "controls": "Building controls",
    "heatpump": "Heat pumps",
    "policy": "Energy policy",
}
PROJECTS = [
    ("Solar facades", 2022, ["Sarine Solar SA", "HEIA Fribourg", "Morat Controls AG"]),
    ("Smart heating", 2023, ["Sarine Solar SA", "Bern Heat AG"]),
    ("Wood and sun", 2021, ["Sarine Solar SA", "HEIA Fribourg", "Gruyère Bois Sàrl"]),
    ("Grid batteries", 2020, ["Alpine Steel Group", "Lyon Batteries SAS"]),
]


@dataclass
class Registry:
    cluster: ClusterInitiative
    orgs: dict[str, Organisation]

    def id(self, name: str) -> int:
        return self.orgs[name].pk


def make_registry(cluster: ClusterInitiative) -> Registry:
    for code, label in COMPETENCES.items():
        Competence.objects.get_or_create(
            code=code, defaults={"label": label, "group": "energy", "controlled": True}
        )
    orgs = {}
    for name, kind, region, budget, comps in ORGS:
        org = Organisation.objects.create(
            name=name,
            kind=kind,
            region=region,
            country=region[:2],
            typical_contribution=budget,
            synthetic=True,
        )
        org.clusters.add(cluster)
        for code, level in comps.items():
            OrganisationCompetence.objects.create(organisation=org, competence_id=code, level=level)
        orgs[name] = org
    for title, year, partners in PROJECTS:
        project = Project.objects.create(title=title, year=year)
        project.partners.set([orgs[p] for p in partners])
    return Registry(cluster, orgs)


@pytest.fixture
def calls(db: Any) -> None:
    services.call_load()


@pytest.fixture
def registry(world: Any, calls: None) -> Registry:  # noqa: F811
    return make_registry(world.cluster_a)
