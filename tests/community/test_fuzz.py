"""No query string, form, upload or API body makes the community pages fail."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tact.community import needs, transfer

KNOWN = ["cnc-machining", "robotics:3", "cnc-machining:9", "AT31", "CH022", "ch", "sme", "research",
         "projects", "1", "0", "-1", "99999999999", "on", "", "x" * 300, "\x00", "a\x00b", "é", "%", ";", ":"]  # fmt: skip
text = st.one_of(st.sampled_from(KNOWN), st.text(max_size=30))
json_values = st.recursive(
    st.one_of(text, st.integers(), st.floats(), st.booleans(), st.none()),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(text, inner, max_size=4)),
    max_leaves=10,
)
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PARAMS = ["q", "competence", "min_level", "kind", "region", "cluster", "page", "mode",
          "competences", "regions", "kinds", "regions_only", "format"]  # fmt: skip
queries = st.dictionaries(st.sampled_from(PARAMS), text, max_size=6)


@FUZZ
@given(query=queries)
def test_pages_never_fail(registry: Any, query: dict[str, str]) -> None:
    client = Client()
    client.force_login(registry.world.user("manager"))
    for url in ("/community/", "/community/network.json", "/community/partners/",
                "/community/regions/", "/community/export/", "/community/network/",
                "/community/people/"):  # fmt: skip
        assert client.get(url, query).status_code in (200, 400, 404, 422), url


@FUZZ
@given(body=st.dictionaries(st.sampled_from(["competences", "regions", "kinds", "regions_only",
                                             "name"]), json_values, max_size=5))  # fmt: skip
def test_api_bodies_never_fail(registry: Any, body: dict[str, Any]) -> None:
    client = Client()
    headers = {"Authorization": f"Bearer {registry.world.tokens['manager'][1]}"}
    for url, ok in (("/api/community/partners", (200, 422)),
                    ("/api/community/searches", (201, 422))):  # fmt: skip
        r = client.post(url, json.dumps(body, allow_nan=True), content_type="application/json",
                        headers=headers)  # fmt: skip
        assert r.status_code in ok, (url, r.content[:300])


@FUZZ
@given(body=json_values)
def test_clean_need_accepts_or_names_the_problem(registry: Any, body: Any) -> None:
    try:
        needs.clean_need(body)
    except needs.NeedError as exc:
        assert exc.problems and all(f and m for f, m in exc.problems)


@FUZZ
@given(data=st.binary(max_size=400), name=st.sampled_from(["a.csv", "a.xlsx", "a.txt", "a"]))
def test_any_upload_is_reported_not_raised(registry: Any, data: bytes, name: str) -> None:
    report = transfer.registry_import(actor=registry.world.user("manager"), data=data,
                                      filename=name, cluster=registry.world.cluster_a,
                                      dry_run=True)  # fmt: skip
    assert report.problems or report.rows >= 0


@FUZZ
@given(cells=st.lists(st.fixed_dictionaries({k: text for k in transfer.COLUMNS["organisations"]}),
                      min_size=1, max_size=3))  # fmt: skip
def test_any_organisation_rows_import_or_name_the_row(
    registry: Any, cells: list[dict[str, str]]
) -> None:
    data = transfer.write_rows(transfer.COLUMNS["organisations"], cells, "csv")
    report = transfer.registry_import(actor=registry.world.user("manager"), data=data,
                                      filename="f.csv", cluster=registry.world.cluster_a)  # fmt: skip
    assert report.applied != bool(report.problems)
    if report.applied:  # whatever was imported exports again, in both formats
        for fmt in ("csv", "xlsx"):
            assert transfer.registry_export(actor=None, kind="organisations", fmt=fmt)


FORM_KEYS = ["name", "kind", "region", "country", "size_class", "sectors", "website",
             "typical_contribution", "clusters", "account", "competence", "level", "evidence",
             "function", "email", "languages", "title", "year", "partners", "label", "group",
             "competences", "regions", "kinds", "confirm", "sample-cluster",
             "sample-organisations", "sample-seed"]  # fmt: skip


@FUZZ
@given(form=st.dictionaries(st.sampled_from(FORM_KEYS), text, max_size=10))
def test_forms_never_fail(registry: Any, form: dict[str, str]) -> None:
    client = Client()
    client.force_login(registry.world.user("manager"))
    org = registry.alpha.pk
    data = {k: v.replace("\x00", "") for k, v in form.items()}
    for url in ("/community/organisations/new/", f"/community/organisations/{org}/edit/",
                f"/community/organisations/{org}/competences/",
                f"/community/organisations/{org}/people/new/", "/community/projects/new/",
                "/community/competences/", "/community/searches/save/", "/community/sample/"):  # fmt: skip
        r = client.post(url, data)
        assert r.status_code in (200, 302, 403, 404, 422), (url, r.status_code)


@FUZZ
@given(ref=st.one_of(st.uuids().map(str), text), dry_run=st.booleans())
def test_checked_file_references_never_fail(registry: Any, ref: str, dry_run: bool) -> None:
    """Unknown, malformed or foreign ids of a checked file: refused with 404, never a 500."""
    from urllib.parse import quote

    client = Client()
    client.force_login(registry.world.user("manager"))
    headers = {"Authorization": f"Bearer {registry.world.tokens['manager'][1]}"}
    path = quote(ref, safe="")
    for url, kwargs in ((f"/community/import/{path}/", {}),
                        (f"/api/community/import/{path}", {"headers": headers})):  # fmt: skip
        r = client.post(url, **kwargs)
        assert r.status_code in (404, 405), (url, r.status_code)
