"""No profile body, form or query string makes the advisor fail: property-based input."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tact.advisor.profiles import ProfileError, clean_profile

KEYS = ["name", "region", "sectors", "stage", "members", "shares", "management_fte", "budget_eur",
        "objectives", "target_groups", "cross_border", "current_services", "technologies", "x"]  # fmt: skip
KNOWN = ["incubation", "smes", "food", "mature", "growth-2", "education", "AT", "AT31", -1, 0, 3,
         1e308, "3", True, None, [], {}]  # fmt: skip
scalars = st.one_of(
    st.sampled_from(KNOWN), st.text(max_size=20), st.integers(), st.floats(), st.booleans()
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(KNOWN[:8]), st.text(max_size=8)).map(str), inner, max_size=4
        ),
    ),
    max_leaves=12,
)
bodies = st.dictionaries(st.sampled_from(KEYS), json_values, max_size=8)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(body=bodies)
def test_clean_profile_accepts_or_names_the_problem(toolbox: None, body: dict[str, Any]) -> None:
    try:
        clean_profile(body)
    except ProfileError as exc:
        assert exc.problems and all(p.field and p.message for p in exc.problems)


@FUZZ
@given(body=bodies)
def test_api_bodies_never_fail(client: Any, world: Any, body: dict[str, Any]) -> None:
    response = client.post(
        "/api/advisor/profiles",
        data=json.dumps({**body, "cluster": world.cluster_a.pk}, allow_nan=True),
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.tokens['manager']}"},
    )
    assert response.status_code in (201, 400, 422), response.content[:300]


LIMITS = st.lists(
    st.tuples(
        st.sampled_from(["max_cost", "max_staff", "field", "top", "format", "x"]),
        st.one_of(
            st.sampled_from(["1", "0", "-1", "growth", "nan", "1e999", ""]), st.text(max_size=12)
        ),
    ),
    max_size=5,
)


@pytest.mark.parametrize("page", ["", "gaps/", "plan/growth-2/"])
@FUZZ
@given(query=LIMITS)
def test_pages_never_fail(client: Any, world: Any, page: str, query: list[tuple[str, str]]) -> None:
    client.force_login(world.user("manager"))
    response = client.get(f"/advisor/profiles/{world.profile.pk}/{page}?{urlencode(query)}")
    assert response.status_code in (200, 422)
