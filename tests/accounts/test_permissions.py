"""The permission matrix: every URL pattern and API endpoint, visited as every kind of person.

The routes are read from Django's URL resolver (the ninja API included), not listed by hand,
so an endpoint added later without an entry in EXPECTED fails ``test_every_route_has_an_expectation``
and its own matrix test. Each entry says who is allowed; everyone else must be refused (a
redirect to a login page, 401, 403 or 404). A 5xx fails for everybody.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from .matrix import EVERYONE, LOGGED_IN, NOBODY, ROLES, STAFF, Expect, Route

# Pages and endpoints with their own rule. Public toolbox: everyone. Account pages: logged in.
# Scoped pages use the world of tests/accounts/conftest.py: cluster A (member, manager),
# cluster B (other_manager), the member's token.
EXPECTED: dict[str, Expect] = {
    # The public toolbox
    "catalogue:home": Expect(EVERYONE),
    "catalogue:list": Expect(EVERYONE),
    "catalogue:compare": Expect(EVERYONE),
    "catalogue:print": Expect(EVERYONE),
    "catalogue:export": Expect(EVERYONE),
    "catalogue:practice": Expect(EVERYONE),
    "api:list_practices": Expect(EVERYONE),
    "api:get_practice": Expect(EVERYONE),
    "api:list_fields": Expect(EVERYONE),
    "api:list_objectives": Expect(EVERYONE),
    "api:export": Expect(EVERYONE),
    "api:openapi-json": Expect(EVERYONE),
    "api:openapi-view": Expect(EVERYONE),
    "api:api-root": Expect(
        NOBODY, why="ninja registers the prefix for reverse(); it serves nothing"
    ),
    # Accounts
    "api:me": Expect(LOGGED_IN),
    "accounts:login": Expect(EVERYONE),
    "accounts:logout": Expect(EVERYONE, method="post"),
    "accounts:password_reset": Expect(EVERYONE),
    "accounts:password_reset_done": Expect(EVERYONE),
    "accounts:password_reset_confirm": Expect(
        EVERYONE, why="an invalid link shows its own message"
    ),
    "accounts:password_reset_complete": Expect(EVERYONE),
    "accounts:invitation": Expect(EVERYONE, why="the link itself is the credential"),
    "accounts:account": Expect(LOGGED_IN),
    "accounts:password_change": Expect(LOGGED_IN),
    "accounts:tokens": Expect(LOGGED_IN),
    "accounts:audit": Expect(LOGGED_IN, why="each sees the entries about their own objects"),
    "accounts:token_revoke": Expect(
        frozenset({"member"}), method="post", why="the member's own token"
    ),
    "accounts:invite": Expect(frozenset({"manager", "other_manager", "admin"})),
    "accounts:cluster": Expect(frozenset({"manager", "admin"}), why="cluster A: its manager only"),
    "accounts:cluster_role_revoke": Expect(
        frozenset({"manager", "admin"}), method="post", why="the member's role in cluster A"
    ),
    # Django admin, with exceptions to the staff-only rule below
    "admin:login": Expect(EVERYONE),
    "admin:logout": Expect(EVERYONE, method="post", why="logging out exposes nothing"),
    "admin:autocomplete": Expect(
        NOBODY, why="no admin declares autocomplete fields: 403 for staff too"
    ),
    "admin:<(?P<url>.*)$>": Expect(NOBODY, why="unknown admin addresses: login, or 404 for staff"),
}


# Written only through services (so every write is audited): the admin shows them, nothing more.
READ_ONLY_IN_ADMIN = (
    "accounts_roleassignment",
    "accounts_invitation",
    "accounts_apitoken",
    "core_auditentry",
)
for _model in READ_ONLY_IN_ADMIN:
    for _view in ("add", "delete"):
        EXPECTED[f"admin:{_model}_{_view}"] = Expect(
            NOBODY, why="read-only in the admin: 403 for staff"
        )


def _app_modules() -> list[Any]:
    """tests/<app>/permissions.py of every app, imported."""
    tests_dir = Path(__file__).resolve().parent.parent
    modules = []
    for info in pkgutil.iter_modules([str(tests_dir)]):
        if info.ispkg and (tests_dir / info.name / "permissions.py").exists():
            modules.append(importlib.import_module(f"tests.{info.name}.permissions"))
    return modules


APP_MODULES = _app_modules()
SAMPLE_HOOKS: list[Callable[[Any], dict[str, str]]] = []
for _module in APP_MODULES:
    for _key, _expect in _module.EXPECTED.items():
        assert _key not in EXPECTED, f"{_key} has two expectations ({_module.__name__})"
        EXPECTED[_key] = _expect
    if hasattr(_module, "samples"):
        SAMPLE_HOOKS.append(_module.samples)


def expectation(route: Route) -> Expect | None:
    if route.key in EXPECTED:
        return EXPECTED[route.key]
    # Every page of Django's admin, including those of models registered later, is staff only.
    if route.key.startswith("admin:"):
        return Expect(STAFF)
    return None


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[Route]:
    routes = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            routes += _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            full = prefix + str(pattern.pattern)
            name = pattern.name or f"<{str(pattern.pattern).lstrip('^')}>"
            routes.append(Route(key=f"{namespace}:{name}" if namespace else name, route=full))
    return routes


def all_routes() -> list[Route]:
    return _walk(get_resolver().url_patterns)


ROUTES = all_routes()


def test_every_route_has_an_expectation():
    missing = [r.key for r in ROUTES if expectation(r) is None]
    assert not missing, (
        f"say who may open these routes, in EXPECTED of tests/<app>/permissions.py "
        f"(see tests/accounts/matrix.py): {missing}"
    )
    known = {r.key for r in ROUTES}
    stale = [key for key in EXPECTED if key not in known]
    assert not stale, f"EXPECTED names routes that no longer exist: {stale}"


def test_walk_finds_pages_api_and_admin():
    keys = {r.key for r in ROUTES}
    assert {
        "catalogue:home",
        "api:me",
        "api:list_practices",
        "accounts:tokens",
        "admin:index",
    } <= keys


def _sample_values(route: Route, world: Any) -> dict[str, str]:
    values = {
        "practice_id": "growth-2",
        "fmt": "json",
        "app_label": "accounts",
        "uidb64": "MQ",
        "token": world.invitation_token
        if route.route.startswith("accounts/invitation/")
        else "bad-token",
        "token_id": str(world.tokens["member"][0].pk),
        "role_id": str(world.user("member").roles.get().pk),
        "cluster_id": str(world.cluster_a.pk),
        "id": str(world.user("member").pk),
        "url": "no-such-page/",
        "object_id": "1",
    }
    match = re.match(r"admin/(\w+)/(\w+)/", route.route)
    if match and "<path:object_id>" in route.route:
        try:
            model = apps.get_model(match.group(1), match.group(2))
        except LookupError:
            model = None
        if model is not None:
            first = model._default_manager.order_by("pk").first()
            values["object_id"] = str(first.pk) if first else "1"
    if route.key == "admin:view_on_site":
        values["content_type_id"] = str(
            ContentType.objects.get(app_label="catalogue", model="practice").pk
        )
        values["object_id"] = "growth-2"
    return values


def _samples(route: Route, world: Any) -> dict[str, str]:
    values = _sample_values(route, world)
    if not hasattr(world, "app_samples"):
        # Each app's objects are made once per world, not once per visit.
        world.app_samples = {}
        for hook in SAMPLE_HOOKS:
            world.app_samples.update(hook(world))
    return {**values, **world.app_samples}


def build_url(route: Route, world: Any) -> str:
    values = _samples(route, world)

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in values, (
            f"{route.key}: add a sample value for <{name}> (samples() in tests/<app>/permissions.py)"
        )
        return values[name]

    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", value, route.route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", value, path)
    path = path.replace("^", "").replace("$", "").replace("\\", "")
    return "/" + path


def outcome(response: Any) -> str:
    status = response.status_code
    assert status < 500, f"server error {status}"
    if status in (401, 403, 404):
        return "deny"
    if status in (301, 302, 303, 307, 308) and "/login/" in response["Location"]:
        return "deny"
    return "allow"


@pytest.fixture
def visit(client, world):
    from django.test import Client

    def _visit(role: str, route: Route, expect: Expect, via_token: bool = False) -> str:
        browser = Client()
        headers = {}
        if role != "visitor":
            if via_token:
                headers["Authorization"] = f"Bearer {world.tokens[role][1]}"
            else:
                browser.force_login(world.user(role))
        url = build_url(route, world)
        # Each visit is rolled back, so a write allowed to one role (a revocation, a deletion)
        # does not change what the next role finds.
        with transaction.atomic():
            if expect.method in ("put", "patch", "delete"):
                # An empty JSON body: refused callers must be refused before it is even read.
                response = getattr(browser, expect.method)(
                    url, data="{}", content_type="application/json", headers=headers
                )
            else:
                response = getattr(browser, expect.method)(url, headers=headers)
            transaction.set_rollback(True)
        return outcome(response)

    return _visit


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_permission_matrix(route, visit, world, toolbox):
    expect = expectation(route)
    assert expect is not None, (
        f"no expectation for {route.key}: add it to EXPECTED in tests/<app>/permissions.py"
    )
    wrong = []
    for role in ROLES:
        got = visit(role, route, expect)
        want = "allow" if role in expect.allowed else "deny"
        if got != want:
            wrong.append(f"{role}: expected {want}, got {got}")
        if route.key.startswith("api:") and role != "visitor":
            got = visit(role, route, expect, via_token=True)
            if got != want:
                wrong.append(f"{role} with an API token: expected {want}, got {got}")
    assert not wrong, (
        f"{route.key} ({expect.method.upper()} {build_url(route, world)}): " + "; ".join(wrong)
    )
