"""No query string makes a list or API endpoint fail: property-based requests."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PARAMS = ["q", "field", "objective", "country", "target_group", "format", "cost", "duration",
          "staff", "sort", "page", "page_size", "ids", "output", "format", "x"]  # fmt: skip
KNOWN = ["education", "growth", "AT", "IT", "smes", "programme", "free", "long", "one", "relevance",
         "cost", "1", "2", "0", "-1", "99999999999999999999", "", ",", "education-1,growth-2", "csv"]  # fmt: skip
ENDPOINTS = ["/practices/", "/practices/export.csv", "/practices/export.json", "/practices/compare/",
             "/practices/print/", "/api/practices", "/api/export", "/api/fields"]  # fmt: skip

values = st.one_of(st.sampled_from(KNOWN), st.text(max_size=40))
queries = st.lists(st.tuples(st.sampled_from(PARAMS), values), max_size=6)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=queries)
def test_no_query_string_gives_a_server_error(client, toolbox, endpoint, query):
    response = client.get(f"{endpoint}?{urlencode(query)}")
    assert response.status_code in {200, 422}, (endpoint, query, response.content[:300])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.text(max_size=60))
def test_raw_query_strings_and_odd_ids(client, toolbox, raw):
    for path in (f"/practices/?{raw}", f"/api/practices?{raw}"):
        assert client.get(path).status_code in {200, 422}
    detail = client.get("/api/practices/" + raw.replace("/", "").replace("?", "").replace("#", ""))
    assert detail.status_code in {200, 404, 422}
