"""People, clusters and a profile for the advisor tests: one account per access case."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tact.accounts import services as account_services
from tact.accounts.models import ClusterInitiative, Organisation, Region, Role, RoleAssignment, User
from tact.advisor import services
from tact.advisor.models import ClusterProfile

SAMPLE = {
    "name": "Digital SMEs",
    "region": {"country": "AT", "nuts": "AT31"},
    "sectors": ["mechatronics"],
    "stage": "growing",
    "members": 80,
    "shares": {"smes": 0.7, "large": 0.2, "research": 0.05, "public": 0.05},
    "management_fte": 2.5,
    "budget_eur": 50000,
    "objectives": {"production-processes": 3, "technology-diffusion": 2},
    "target_groups": ["smes", "executives"],
    "cross_border": False,
    "current_services": [
        {"practice": "networking-4"},
        {"name": "Newsletter", "field": "networking", "objectives": ["information-gathering"]},
    ],
}


@dataclass
class World:
    cluster_a: ClusterInitiative
    cluster_b: ClusterInitiative
    users: dict[str, User]
    tokens: dict[str, str]
    profile: ClusterProfile

    def user(self, role: str) -> User:
        return self.users[role]


@pytest.fixture
def world(toolbox: None) -> World:
    region = Region.objects.create(code="AT31", country="AT", name="Oberösterreich")
    cluster_a = ClusterInitiative.objects.create(name="Mechatronics Cluster", region=region)
    cluster_b = ClusterInitiative.objects.create(name="Lombardy Plastics")
    org = Organisation.objects.create(cluster=cluster_a, name="Alpha GmbH")
    users = {
        role: User.objects.create_user(email=f"{role}@example.org")
        for role in ("member", "manager", "other_manager", "curator")
    }
    users["admin"] = User.objects.create_user(
        email="admin@example.org", is_staff=True, is_superuser=True
    )
    RoleAssignment.objects.create(user=users["member"], role=Role.MEMBER, cluster=cluster_a,
                                  organisation=org)  # fmt: skip
    RoleAssignment.objects.create(user=users["manager"], role=Role.MANAGER, cluster=cluster_a)
    RoleAssignment.objects.create(user=users["other_manager"], role=Role.MANAGER, cluster=cluster_b)
    RoleAssignment.objects.create(user=users["curator"], role=Role.CURATOR, region=region)
    tokens = {
        role: account_services.token_create(actor=user, user=user, name="script")[1]
        for role, user in users.items()
    }
    profile = services.profile_create(actor=users["manager"], cluster=cluster_a, data=dict(SAMPLE))
    return World(cluster_a, cluster_b, users, tokens, profile)


@pytest.fixture
def as_role(client: Any, world: World) -> Any:
    def login(role: str) -> Any:
        client.force_login(world.user(role))
        return client

    return login
