"""No form, body, file or query string makes curation fail: property-based input."""

from __future__ import annotations

import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tact.curation import content, exchange, services

from .conftest import sample

KEYS = [*content.empty().keys(), "x", "id"]
KNOWN = ["education", "growth", "AT", "AT31", "smes", "fee", "EUR", "person", -1, 0, 3, 1e308,
         "3", "about 40", True, None, [], {}, "\x00"]  # fmt: skip
scalars = st.one_of(
    st.sampled_from(KNOWN), st.text(max_size=20), st.integers(), st.floats(), st.booleans()
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(
                st.sampled_from(["kind", "value", "min", "unit", "name", "email", "country"]),
                st.text(max_size=8),
            ),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=12,
)
bodies = st.dictionaries(st.sampled_from(KEYS), json_values, max_size=8)
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(body=bodies)
def test_checks_accept_or_name_the_problem(toolbox: None, body: dict[str, Any]) -> None:
    found = content.problems(body, require_field=True)
    assert all(key and messages for key, messages in found.items())
    content.as_lines(body)
    content.form_values(content.normalise(body))


@FUZZ
@given(body=bodies, version=st.one_of(st.integers(), st.text(max_size=5), st.none()))
def test_api_saves_never_fail(
    one_pager: Any, world: Any, body: dict[str, Any], version: Any
) -> None:
    from tests.curation.conftest import submit

    if one_pager.state == "draft":
        submit(one_pager, world)
        services.reviewers_assign(
            actor=None, one_pager=one_pager, reviewers=[world.user("curator")]
        )
    one_pager.refresh_from_db()
    response = Client().put(
        f"/api/curation/one-pagers/{one_pager.pk}",
        data=json.dumps({"version": version, "one_pager": body}, allow_nan=True),
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.tokens['curator'][1]}"},
    )
    assert response.status_code in (200, 409, 422), response.content[:300]


@FUZZ
@given(
    fields=st.dictionaries(
        st.sampled_from(["title", "summary", "field", "contacts", "clusters", "region_country",
                         "fact-0-value", "fact-0-unit", "fact-0-kind", "fact-39-min", "formats",
                         "objectives", "version", "action", "keywords", "funding_sources"]),
        st.text(max_size=30),
        max_size=10,
    )
)  # fmt: skip
def test_the_form_never_fails(campaign: Any, fields: dict[str, str]) -> None:
    from django.core import mail

    body = next(m.body for m in mail.outbox if "/curation/form/" in m.body)
    link = body[body.index("/curation/form/") :].split()[0]
    response = Client().post(link, {k: v.replace("\x00", "") for k, v in fields.items()})
    assert response.status_code in (200, 302, 403, 409, 422), response.status_code


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(lambda t: t.encode("utf-8")),
        bodies.map(
            lambda b: json.dumps([b, {"cluster": "Mechatronics Cluster", "one_pager": b}]).encode()
        ),
    ),
    name=st.sampled_from(["a.csv", "a.xlsx", "a.json", "a.txt", "a.pdf"]),
)
def test_imports_never_fail(campaign: Any, world: Any, data: bytes, name: str) -> None:
    report = exchange.import_one_pagers(
        actor=None, campaign=campaign, data=data, filename=name, dry_run=True
    )
    assert report.ok or all(p.message for p in report.problems)
    client = Client()
    client.force_login(world.user("curator"))
    response = client.post(
        f"/curation/campaigns/{campaign.pk}/import/",
        {"file": SimpleUploadedFile(name, data), "dry_run": "yes"},
    )
    assert response.status_code in (200, 422)


@FUZZ
@given(
    to=st.one_of(
        st.sampled_from(["submitted", "published", "in_review", "x", ""]), st.text(max_size=10)
    ),
    ratings=st.dictionaries(
        st.sampled_from(["relevance", "clarity", "y"]), json_values, max_size=3
    ),
)
def test_transitions_and_reviews_never_fail(
    one_pager: Any, world: Any, to: str, ratings: Any
) -> None:
    headers = {"Authorization": f"Bearer {world.tokens['curator'][1]}"}
    client = Client()
    response = client.post(
        f"/api/curation/one-pagers/{one_pager.pk}/transitions",
        data=json.dumps({"to": to}),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code in (200, 403, 422)
    response = client.post(
        f"/api/curation/one-pagers/{one_pager.pk}/reviews",
        data=json.dumps({"ratings": ratings}, allow_nan=True),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code in (200, 403, 422)


def test_sample_one_pagers_are_what_the_tests_say(toolbox: None) -> None:
    assert content.problems(sample("energy-audits")) == {}
    assert list(content.problems(sample("hr-benchmark-copy"))) == ["facts[2].value"]


deadlines = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["", "2027-02-30", "9999-12-31", "0001-01-01", "today", "\x00", "2027-1-1"]),
    st.text(max_size=25),
)


@FUZZ
@given(deadline=st.one_of(deadlines, json_values))
def test_reopening_never_fails(campaign: Any, world: Any, deadline: Any) -> None:
    from tact.curation.models import Campaign

    if campaign.is_open or Campaign.objects.get(pk=campaign.pk).is_open:
        Campaign.objects.filter(pk=campaign.pk).update(closed_at="2026-01-01T00:00:00Z")
    campaign.refresh_from_db()
    headers = {"Authorization": f"Bearer {world.tokens['curator'][1]}"}
    response = Client().post(
        f"/api/curation/campaigns/{campaign.pk}/reopen",
        data=json.dumps({"deadline": deadline}, allow_nan=True),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code in (200, 422), response.content[:300]
    client = Client()
    client.force_login(world.user("curator"))
    text = deadline if isinstance(deadline, str) else json.dumps(deadline, allow_nan=True)
    response = client.post(
        f"/curation/campaigns/{campaign.pk}/reopen/", {"deadline": text.replace("\x00", "")}
    )
    assert response.status_code in (302, 422), response.status_code
    assert client.post(f"/curation/campaigns/{campaign.pk}/close/").status_code == 302


@FUZZ
@given(job=st.one_of(st.uuids().map(str), st.text(min_size=1, max_size=60)))
def test_job_status_never_fails(world: Any, job: str) -> None:
    from urllib.parse import quote

    response = Client().get(
        f"/api/curation/jobs/{quote(job, safe='')}",
        headers={"Authorization": f"Bearer {world.tokens['curator'][1]}"},
    )
    assert response.status_code == 404, response.status_code
