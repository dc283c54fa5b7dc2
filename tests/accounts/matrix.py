"""Shared by the permission matrix (tests/accounts/test_permissions.py) and by the apps.

Every app whose pages or endpoints are not covered by tests/accounts/test_permissions.py adds a
module ``tests/<app>/permissions.py`` with

- ``EXPECTED: dict[str, Expect]``: route key ("namespace:name") -> who is allowed, and
- optionally ``samples(world) -> dict[str, str]``: values for the route's URL parameters
  (e.g. ``{"profile_id": ...}`` for an object of cluster A, made for the world of
  tests/accounts/conftest.py).

The matrix collects them all; a route with no expectation fails the suite.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("visitor", "member", "manager", "other_manager", "curator", "admin")
EVERYONE = frozenset(ROLES)
LOGGED_IN = EVERYONE - {"visitor"}
STAFF = frozenset({"admin"})
NOBODY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name", or "namespace:<route>" for unnamed patterns
    route: str  # the full pattern, e.g. "accounts/tokens/<int:token_id>/revoke/"

    def __str__(self) -> str:
        return self.key


@dataclass(frozen=True)
class Expect:
    allowed: frozenset[str]
    method: str = "get"  # get, post (empty form), put, patch or delete (empty JSON body)
    why: str = ""
