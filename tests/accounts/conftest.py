"""People and tenants for the account tests: one account per access case.

Cluster A has a member (of organisation "Alpha GmbH") and a manager; cluster B has its own
manager; a curator looks after region AT31; the administrator may do everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tact.accounts import services
from tact.accounts.models import (
    ApiToken,
    ClusterInitiative,
    Invitation,
    Organisation,
    Region,
    Role,
    RoleAssignment,
    User,
)

PASSWORD = "Mountain-Cluster-2026"


@dataclass
class World:
    region: Region
    cluster_a: ClusterInitiative
    cluster_b: ClusterInitiative
    organisation: Organisation
    users: dict[str, User]
    tokens: dict[str, tuple[ApiToken, str]]
    invitation: Invitation
    invitation_token: str

    def user(self, role: str) -> User:
        return self.users[role]


def make_user(email: str, *, password: str | None = None, **extra: Any) -> User:
    return User.objects.create_user(
        email=email, password=password, name=email.split("@")[0].title(), **extra
    )


def grant(user: User, role: str, **scope: Any) -> RoleAssignment:
    return RoleAssignment.objects.create(user=user, role=role, **scope)


@pytest.fixture
def world(db: Any) -> World:
    region = Region.objects.create(code="AT31", country="AT", name="Oberösterreich")
    other_region = Region.objects.create(code="ITC4", country="IT", name="Lombardia")
    cluster_a = ClusterInitiative.objects.create(
        name="Mechatronics Cluster",
        region=region,
        sector="mechatronics",
        managing_organisation="Business Upper Austria",
        website="https://example.org/mc",
    )
    cluster_b = ClusterInitiative.objects.create(name="Lombardy Plastics", region=other_region)
    organisation = Organisation.objects.create(cluster=cluster_a, name="Alpha GmbH")
    users = {
        "member": make_user("member@example.org"),
        "manager": make_user("manager@example.org"),
        "other_manager": make_user("other.manager@example.org"),
        "curator": make_user("curator@example.org"),
        "admin": make_user("admin@example.org", is_staff=True, is_superuser=True),
    }
    grant(users["member"], Role.MEMBER, cluster=cluster_a, organisation=organisation)
    grant(users["manager"], Role.MANAGER, cluster=cluster_a)
    grant(users["other_manager"], Role.MANAGER, cluster=cluster_b)
    grant(users["curator"], Role.CURATOR, region=region)
    grant(users["admin"], Role.ADMIN)
    tokens = {
        role: services.token_create(actor=user, user=user, name=f"{role} script")
        for role, user in users.items()
    }
    invitation, link = services.invitation_create(
        actor=users["manager"],
        email="newcomer@example.org",
        role=Role.MEMBER,
        cluster=cluster_a,
        organisation_name="Beta AG",
        base_url="http://testserver",
    )
    token = link.rstrip("/").rsplit("/", 1)[1]
    return World(region, cluster_a, cluster_b, organisation, users, tokens, invitation, token)
