"""The mentoring API: programmes, profiles, import, matching, pairs, exports; scoped by role."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tact.core.tabular import read_rows
from tact.mentoring.models import Programme

from .conftest import SAMPLE

pytestmark = pytest.mark.django_db


def call(
    client: Any, world: Any, role: str, method: str, url: str, body: Any = None, **kw: Any
) -> Any:
    headers = {"Authorization": f"Bearer {world.tokens[role][1]}"}
    if body is not None:
        kw.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(url, headers=headers, **kw)


def test_full_cycle_through_the_api(client: Any, world: Any) -> None:
    created = call(client, world, "manager", "post", "/api/mentoring/programmes", {
        "name": "API programme", "start_date": "2026-09-01", "months": 9,
        "weights": {"topics": 4, "location": 0}, "require_common_language": True,
        "competitors": [["Donau Drives AG", "Steyr Precision GmbH"]],
    })  # fmt: skip
    assert created.status_code == 201, created.content
    programme = created.json()
    assert programme["weights"]["topics"] == 4 and programme["weights"]["location"] == 0
    assert programme["cluster_id"] == world.cluster_a.pk
    base = f"/api/mentoring/programmes/{programme['id']}"

    dry = call(client, world, "manager", "post", base + "/import?dry_run=true",
               data={"file": _upload()})  # fmt: skip
    assert dry.status_code == 200 and dry.json()["created"] == 22 and not dry.json()["applied"]
    real = call(client, world, "manager", "post", base + "/import", data={"file": _upload()})
    assert real.json()["applied"] is True

    dates = call(client, world, "manager", "post", base + "/events/template")
    assert dates.status_code == 201 and len(dates.json()) == 11

    result = call(client, world, "manager", "post", base + "/match?method=optimal")
    assert result.status_code == 200 and result.json()["pairs"] > 0
    listing = call(client, world, "manager", "get", base + "/pairs").json()
    first = listing["pairs"][0]
    assert first["percent"] > 0 and first["reasons"]
    for pair in listing["pairs"]:
        assert pair["mentor"]["organisation"] != pair["mentee"]["organisation"]
    for person in listing["unmatched"]:
        assert person["reason"]

    locked = call(
        client, world, "manager", "patch", f"{base}/pairs/{first['id']}", {"locked": True}
    )
    assert locked.json()["locked"] is True
    call(client, world, "manager", "post", base + "/match?keep_locked=true")
    again = call(client, world, "manager", "get", f"{base}/pairs/{first['id']}").json()
    assert again["mentor"] == first["mentor"] and again["mentee"] == first["mentee"]

    export = call(client, world, "manager", "get", base + "/export?format=xlsx")
    assert len(read_rows(export.content, "pairs.xlsx")) == len(listing["pairs"])
    bad = call(client, world, "manager", "get", base + "/export?format=pdf")
    assert bad.status_code == 422
    ics = call(client, world, "manager", "get", base + "/calendar")
    assert b"BEGIN:VCALENDAR" in ics.content


def _upload() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("sample.csv", SAMPLE, content_type="text/csv")


def test_manual_pair_conflict_then_confirm(client: Any, world: Any, programme: Any) -> None:
    base = f"/api/mentoring/programmes/{programme.pk}"
    anna = programme.participants.get(email="anna.berger@example.org")
    stefan = programme.participants.get(email="stefan.eder@example.org")
    body = {"mentor": anna.pk, "mentee": stefan.pk}
    conflict = call(client, world, "manager", "post", base + "/pairs", body)
    assert conflict.status_code == 409
    assert "same organisation" in conflict.json()["breaks"][0]
    saved = call(client, world, "manager", "post", base + "/pairs", {**body, "confirm": True})
    assert saved.status_code == 201 and saved.json()["rule_warnings"]
    swapped = call(
        client, world, "manager", "post", base + "/pairs", {"mentor": stefan.pk, "mentee": anna.pk}
    )
    assert swapped.status_code == 422


def test_profiles_crud_and_bad_bodies(client: Any, world: Any, programme: Any) -> None:
    base = f"/api/mentoring/programmes/{programme.pk}/participants"
    bad = call(
        client, world, "manager", "post", base, {"side": "boss", "email": "x", "capacity": [1]}
    )
    assert bad.status_code == 422
    fields = {d["loc"][-1] for d in bad.json()["detail"]}
    assert {"side", "email", "name", "organisation"} <= fields
    ok = call(client, world, "manager", "post", base, {
        "side": "mentor", "name": "New Mentor", "email": "new@example.org",
        "organisation": "Gamma KG", "topics": ["export", "finance"], "capacity": 2,
    })  # fmt: skip
    assert ok.status_code == 201 and ok.json()["topics"] == "export; finance"
    pid = ok.json()["id"]
    dup = call(client, world, "manager", "post", base, {**ok.json(), "id": None})
    assert dup.status_code == 422
    changed = call(client, world, "manager", "put", f"{base}/{pid}", {**ok.json(), "capacity": 3})
    assert changed.json()["capacity"] == "3"
    assert call(client, world, "manager", "delete", f"{base}/{pid}").status_code == 204


def test_other_clusters_get_404_and_lists_are_scoped(
    client: Any, world: Any, programme: Any
) -> None:
    base = f"/api/mentoring/programmes/{programme.pk}"
    assert call(client, world, "other_manager", "get", base).status_code == 404
    assert call(client, world, "other_manager", "post", base + "/match").status_code == 404
    assert call(client, world, "other_manager", "get", "/api/mentoring/programmes").json() == []
    assert len(call(client, world, "admin", "get", "/api/mentoring/programmes").json()) == 1
    forbidden = call(client, world, "member", "post", "/api/mentoring/programmes", {"name": "x"})
    assert forbidden.status_code == 403
    assert not Programme.objects.filter(name="x").exists()


def test_large_match_answers_202_with_the_job(
    client: Any, world: Any, programme: Any, settings: Any
) -> None:
    settings.TACT_MENTORING_INLINE_MAX = 10
    settings.TACT_JOBS_MODE = "worker"
    response = call(
        client, world, "manager", "post", f"/api/mentoring/programmes/{programme.pk}/match"
    )
    assert response.status_code == 202
    status_url = response.json()["status_url"]
    from tact.core.jobs import run_job

    assert run_job(response.json()["job"])  # what the worker does with a queued job
    client.force_login(world.user("manager"))
    status = client.get(status_url).json()
    assert status["status"] == "done" and status["result_url"].endswith("/pairs/")
