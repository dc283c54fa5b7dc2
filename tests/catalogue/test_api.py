"""The HTTP API: list, search, filter, detail, fields, objectives, export, OpenAPI, errors."""

from __future__ import annotations

import csv
import io

import pytest


@pytest.fixture
def api(client, toolbox):
    def get(path: str, **params):
        return client.get(f"/api{path}", params)

    return get


def test_list_paginates_all_practices(api):
    body = api("/practices", page_size=10).json()
    assert body["count"] == 23 and body["pages"] == 3 and len(body["items"]) == 10
    assert body["items"][0]["id"] == "education-1"
    last = api("/practices", page_size=10, page=3).json()
    assert [i["id"] for i in last["items"]][-1] == "growth-4"


def test_search_by_meaning(api):
    body = api("/practices", q="staff turnover").json()
    assert body["items"][0]["id"] == "growth-2"
    assert body["items"][0]["score"] > 0


def test_filters_combine_and_facets_count(api):
    body = api("/practices", field="growth", country="AT").json()
    assert {i["id"] for i in body["items"]} == {"growth-1", "growth-2"}
    facets = {f["name"]: f for f in body["facets"]}
    fields = {o["value"]: o["count"] for o in facets["field"]["options"]}
    # The field facet counts as if no field were chosen: all Austrian practices per field.
    assert fields["growth"] == 2 and fields["education"] == 1
    assert all(o["selected"] == (o["value"] == "growth") for o in facets["field"]["options"])


def test_repeated_and_comma_separated_values(client, toolbox):
    a = client.get("/api/practices?field=growth&field=education").json()
    b = client.get("/api/practices?field=growth,education").json()
    assert a["count"] == b["count"] == 9


def test_range_facets(api):
    cheap = api("/practices", cost="under-1000").json()
    assert "growth-2" in {i["id"] for i in cheap["items"]}
    long = {i["id"] for i in api("/practices", duration="long", page_size=100).json()["items"]}
    assert "innovation-1" in long


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"field": "sports"}, "field"),
        ({"cost": "cheap"}, "cost"),
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
        ({"page_size": "1000"}, "page_size"),
        ({"sort": "random"}, "sort"),
        ({"q": "x" * 501}, "q"),
    ],
)
def test_invalid_parameters_give_422_naming_the_parameter(api, params, param):
    response = api("/practices", **params)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert any(param in error["loc"] for error in detail), detail


def test_detail_has_all_facts_as_numbers(api):
    body = api("/practices/growth-2").json()
    assert body["title"] == "HR Benchmark"
    fee = next(f for f in body["facts"] if f["kind"] == "fee")
    assert fee["value"] == 580 and fee["unit"] == "EUR"
    assert body["contacts"][0]["email"] == "iris.reingruber@biz-up.at"
    assert body["links"] == ["https://www.netzwerk-hr.at"]


def test_unknown_id_is_a_json_404(api):
    response = api("/practices/does-not-exist")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "does-not-exist" in response.json()["detail"]


def test_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.json()


def test_fields_and_objectives(api):
    fields = api("/fields").json()
    assert [f["id"] for f in fields] == [
        "education",
        "innovation",
        "collaboration",
        "networking",
        "growth",
    ]
    assert [f["practice_count"] for f in fields] == [5, 4, 4, 6, 4]
    objectives = api("/objectives").json()
    assert {"workforce-training", "export-promotion", "incubation"} <= {o["id"] for o in objectives}


def test_export_json_and_csv(api):
    rows = api("/export", field="education").json()
    assert [r["id"] for r in rows] == [f"education-{n}" for n in range(1, 6)]
    response = api("/export", output="csv", country="AT")
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["id"] for r in table} == {"education-1", "collaboration-1", "growth-1", "growth-2"}
    assert next(r for r in table if r["id"] == "growth-2")["fee_eur"] == "580"


def test_openapi_and_docs(client):
    spec = client.get("/api/openapi.json").json()
    assert "/api/practices" in spec["paths"]
    params = {p["name"] for p in spec["paths"]["/api/practices"]["get"]["parameters"]}
    assert {"q", "field", "country", "cost", "page", "page_size"} <= params
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert b"cdn." not in docs.content  # nothing is fetched from the internet at run time
