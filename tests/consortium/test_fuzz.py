"""No form, query string or API body makes the consortium builder fail: property-based input."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tact.consortium.rules import validate_rules

from .conftest import make_registry

KNOWN = ["pv", "storage", "nope", "", "3", "0", "-1", "1e308", "nan", "Sarine Solar SA", 3, 0,
         -5, 10**12, 10**30, "99999999999999999999999", "²", 2.5, float("nan"), True, None,
         [], {}]  # fmt: skip
scalars = st.one_of(
    st.sampled_from(KNOWN), st.text(max_size=20), st.integers(), st.floats(), st.booleans()
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["code", "min_level", "x"]), inner, max_size=3),
    ),
    max_leaves=10,
)
BUILD_KEYS = ["cluster", "applicant", "competences", "top", "time_limit", "min_difference", "x"]
CHECK_KEYS = ["cluster", "organisations", "applicant", "x"]
RULE_KEYS = ["min_partners", "max_partners", "type_rules", "region_rules", "min_academic",
             "min_industry_budget_share", "required_competences", "forbidden_pairs",
             "mandatory", "weights", "x"]  # fmt: skip
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def reg(world: Any, calls: None) -> Any:
    return make_registry(world.cluster_a)


@FUZZ
@given(rules=st.dictionaries(st.sampled_from(RULE_KEYS), json_values, max_size=8))
def test_rule_validation_names_fields(rules: dict[str, Any]) -> None:
    for p in validate_rules(rules):
        assert p.field.startswith("rules") and p.message


@FUZZ
@given(body=st.dictionaries(st.sampled_from(BUILD_KEYS), json_values, max_size=6))
def test_api_build_bodies_never_fail(client: Any, world: Any, reg: Any, body: Any) -> None:
    body = {**body, "time_limit": 0.5} if "time_limit" not in body else body
    response = client.post(
        "/api/consortium/calls/innovation-1/build",
        data=json.dumps(body, allow_nan=True),
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.tokens['manager'][1]}"},
    )
    assert response.status_code in (200, 202, 400), response.content[:300]


@FUZZ
@given(body=st.dictionaries(st.sampled_from(CHECK_KEYS), json_values, max_size=4))
def test_api_check_bodies_never_fail(client: Any, world: Any, reg: Any, body: Any) -> None:
    response = client.post(
        "/api/consortium/calls/innovation-1/check",
        data=json.dumps(body, allow_nan=True),
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.tokens['manager'][1]}"},
    )
    assert response.status_code in (200, 400), response.content[:300]


FORM_KEYS = ["cluster", "applicant", "code_0", "level_0", "code_9", "top", "time_limit", "min_difference",
             "organisations", "x"]  # fmt: skip
form_values = st.one_of(st.sampled_from([str(k) for k in KNOWN]), st.text(max_size=30))


@FUZZ
@given(
    form=st.dictionaries(
        st.sampled_from(FORM_KEYS),
        form_values,
        max_size=7,
    ),
    page=st.sampled_from(["build", "check"]),
)
def test_forms_never_fail(client: Any, world: Any, reg: Any, form: Any, page: str) -> None:
    client.force_login(world.user("manager"))
    form = {k: v.replace("\x00", "") for k, v in form.items()}
    if page == "build":
        form.setdefault("time_limit", "0.5")
    url = f"/consortium/calls/innovation-1/{page}/"
    assert client.get(url, form).status_code == 200
    response = client.post(url, form)
    assert response.status_code in (200, 302, 400), response.content[:300]
