"""Consortium builder, Django side: call files, builds, checks, pages, API and command line."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tact.consortium import rules, services
from tact.consortium.models import BuildRun, Call
from tact.core.datafiles import DataError
from tact.core.models import AuditEntry, Job
from tact.core.tabular import write_rows

from .conftest import Registry

CALL_URL = "/consortium/calls/innovation-1/"


def bearer(world: Any, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[role][1]}"}


# ----------------------------------------------------------------------------- call files


def test_call_load_is_idempotent_and_audited(db: Any) -> None:
    assert services.call_load() == [("innovation-1", "created")]
    assert services.call_load() == [("innovation-1", "unchanged")]
    call = Call.objects.get(pk="innovation-1")
    assert call.rules["type_rules"][0]["min"] == 3
    assert call.rules["region_rules"][0]["prefixes"] == ["CH022"]
    assert call.rules["min_industry_budget_share"] == 0.35
    assert AuditEntry.objects.filter(action="consortium.call.created").count() == 1


def test_bad_call_file_names_every_field_and_loads_nothing(db: Any, tmp_path: Path) -> None:
    bad = {
        "id": "Bad Id",
        "version": 0,
        "title": "",
        "rules": {
            "min_partners": 5,
            "max_partners": 3,
            "type_rules": [{"label": "industrial", "types": ["sme", "robot"], "min": -1}],
            "region_rules": [{"prefixes": ["ch022"]}],
            "min_industry_budget_share": 35,
            "required_competences": [{"code": "pv", "min_level": 9}],
            "forbidden_pairs": [["only one"]],
            "colour": "blue",
        },
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    good = rules.shipped_files()[0]
    with pytest.raises(DataError) as exc:
        services.call_load(paths=[good, path])
    fields = {p.field for p in exc.value.problems}
    assert {
        "id",
        "version",
        "title",
        "rules.max_partners",
        "rules.type_rules[0].types",
        "rules.type_rules[0].min",
        "rules.region_rules[0].prefixes",
        "rules.region_rules[0]",
        "rules.min_industry_budget_share",
        "rules.required_competences[0].min_level",
        "rules.forbidden_pairs[0]",
        "rules.colour",
    } <= fields
    assert all(p.path == "bad.json" for p in exc.value.problems)
    assert not Call.objects.exists()  # the good file was not loaded either


def test_rules_in_plain_words(calls: None) -> None:
    words = rules.plain_words(Call.objects.get(pk="innovation-1").rules)
    assert "Between 4 and 12 partners." in words
    assert "At least 3 industrial partners (SME, large company)." in words
    assert "At least 50 % of the industrial partners from the canton of Fribourg (CH022)." in words
    assert any("academic" in w for w in words)
    assert any("35 %" in w for w in words)


# ----------------------------------------------------------------------------- build


def test_build_finds_an_eligible_explained_consortium(registry: Registry, world: Any) -> None:
    call = Call.objects.get(pk="innovation-1")
    run, job = services.build_start(
        actor=world.user("manager"),
        call=call,
        cluster=registry.cluster,
        applicant_id=registry.id("Sarine Solar SA"),
        competences=[
            {"code": "pv", "min_level": 4},
            {"code": "storage", "min_level": 4},
            {"code": "timber", "min_level": 3},
        ],
        top=3,
        time_limit=5,
    )
    assert job is None  # a small registry builds inline
    assert run.status == BuildRun.Status.DONE
    assert run.solver_status == "optimal"
    assert run.gap == 0.0
    best = run.alternatives[0]
    assert best["eligible"]
    names = [m["name"] for m in best["members"]]
    assert names[0] == "Sarine Solar SA"
    assert "coordinator" in [r["kind"] for r in best["members"][0]["roles"]]
    industrial = [m for m in best["members"] if m["type"] in ("sme", "large")]
    fribourg = [m for m in industrial if m["region"].startswith("CH022")]
    assert len(industrial) >= 3 and 2 * len(fribourg) >= len(industrial)
    assert any(m["type"] in ("university", "research") for m in best["members"])
    assert all(c["ok"] for c in best["checks"])
    assert len({tuple(sorted(m["id"] for m in a["members"])) for a in run.alternatives}) == len(
        run.alternatives
    )
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"consortium.build.started", "consortium.build.finished"} <= actions


def test_build_that_cannot_succeed_says_why(registry: Registry, world: Any) -> None:
    call = Call.objects.get(pk="innovation-1")
    run, _ = services.build_start(
        actor=world.user("manager"),
        call=call,
        cluster=registry.cluster,
        competences=[{"code": "policy", "min_level": 5}],
        top=1,
        time_limit=2,
    )
    assert run.status == BuildRun.Status.INFEASIBLE
    assert run.alternatives == []
    assert any("Energy policy" in b["message"] for b in run.blockers)


def test_bad_build_parameters_change_nothing(registry: Registry, world: Any) -> None:
    call = Call.objects.get(pk="innovation-1")
    with pytest.raises(services.BuildError) as exc:
        services.build_start(
            actor=world.user("manager"),
            call=call,
            cluster=registry.cluster,
            applicant_id=999_999,
            competences=[{"code": "nope", "min_level": 3}, {"code": "pv", "min_level": 7}],
            top=0,
            time_limit="fast",
        )
    fields = {f for f, _m in exc.value.problems}
    assert fields == {
        "applicant",
        "competences[0].code",
        "competences[1].min_level",
        "top",
        "time_limit",
    }
    assert not BuildRun.objects.exists()


def test_large_registry_builds_as_a_job(
    registry: Registry, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "INLINE_MAX_ORGANISATIONS", 3)
    run, job = services.build_start(
        actor=world.user("manager"),
        call=Call.objects.get(pk="innovation-1"),
        cluster=registry.cluster,
        applicant_id=registry.id("Sarine Solar SA"),
        competences=[{"code": "pv", "min_level": 3}],
        top=1,
        time_limit=2,
    )
    assert job is not None
    job.refresh_from_db()
    assert job.status == Job.Status.DONE  # tests run jobs immediately
    assert job.result_url == f"/consortium/runs/{run.pk}/"
    assert run.status == BuildRun.Status.DONE and run.job_id == job.pk


def test_registry_is_the_clusters_own(registry: Registry, world: Any) -> None:
    from tact.community.models import Organisation

    outsider = Organisation.objects.create(
        name="Other Cluster SME", kind="sme", region="CH022", country="CH"
    )
    outsider.clusters.add(world.cluster_b)
    candidates, collabs, labels = services.registry_snapshot(registry.cluster)
    assert {c.name for c in candidates} == set(registry.orgs)
    assert labels["pv"] == "Photovoltaics"
    pair = {(c.a, c.b): c.projects for c in collabs}
    a, h = str(registry.id("Sarine Solar SA")), str(registry.id("HEIA Fribourg"))
    assert pair.get((min(a, h, key=int), max(a, h, key=int))) == 2


# ----------------------------------------------------------------------------- check


def test_check_reports_rule_by_rule(registry: Registry) -> None:
    result = services.consortium_check(
        call=Call.objects.get(pk="innovation-1"),
        cluster=registry.cluster,
        organisations=["Sarine Solar SA", "bern heat ag", str(registry.id("HEIA Fribourg"))],
    )
    assert not result["eligible"]
    failing = {c["key"]: c["message"] for c in result["checks"] if not c["ok"]}
    assert failing["type:0"] == (
        "2 industrial partners (large company, SME); the call needs at least 3."
    )
    assert failing["partners"] == "3 partners; the call needs at least 4."


def test_check_unknown_names_are_named(registry: Registry) -> None:
    with pytest.raises(services.BuildError) as exc:
        services.consortium_check(
            call=Call.objects.get(pk="innovation-1"),
            cluster=registry.cluster,
            organisations=["Sarine Solar SA", "Nobody Ltd"],
        )
    assert exc.value.problems[0][0] == "organisations[1]"
    assert "Nobody Ltd" in exc.value.problems[0][1]


def test_parse_members_formats() -> None:
    csv = write_rows(["organisation"], [{"organisation": "A"}, {"organisation": "B"}], "csv")
    assert services.parse_members(csv, "team.csv") == ["A", "B"]
    xlsx = write_rows(["Name"], [{"Name": "A"}], "xlsx")
    assert services.parse_members(xlsx, "team.xlsx") == ["A"]
    assert services.parse_members(b'["A", 7]', "team.json") == ["A", "7"]
    assert services.parse_members(b'{"organisations": ["A"]}', "t.json") == ["A"]
    with pytest.raises(DataError) as exc:
        services.parse_members(b"colour\nred\n", "team.csv")
    assert exc.value.problems[0].field == "organisation"
    with pytest.raises(DataError):
        services.parse_members(b"{not json", "team.json")
    with pytest.raises(DataError):
        services.parse_members(b"x", "team.pdf")


# ----------------------------------------------------------------------------- pages


def test_pages_for_the_manager(client: Any, registry: Registry, world: Any) -> None:
    client.force_login(world.user("manager"))
    page = client.get("/consortium/").content.decode()
    assert "Collaborative R&amp;D project with regional industry" in page
    page = client.get(CALL_URL).content.decode()
    assert "At least 3 industrial partners" in page
    form = client.get(CALL_URL + "build/").content.decode()
    assert "Sarine Solar SA" in form and "Photovoltaics" in form
    response = client.post(
        CALL_URL + "build/",
        {
            "cluster": registry.cluster.pk,
            "applicant": registry.id("Sarine Solar SA"),
            "code_0": "pv",
            "level_0": "4",
            "code_1": "storage",
            "level_1": "4",
            "top": "2",
            "time_limit": "5",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Proven optimal" in page
    assert "Eligible" in page and "coordinator (the applicant)" in page
    assert "competence provider for Photovoltaics" in page
    assert "industrial partners from the canton of Fribourg (CH022)" in page


def test_build_form_errors(client: Any, registry: Registry, world: Any) -> None:
    client.force_login(world.user("manager"))
    response = client.post(
        CALL_URL + "build/",
        {"cluster": registry.cluster.pk, "code_0": "pv", "level_0": "9", "top": "x"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "must be a level from 1 to 5" in page
    assert "must be a whole number from 1 to 10" in page
    assert not BuildRun.objects.exists()


def test_members_may_read_calls_but_not_build(client: Any, registry: Registry, world: Any) -> None:
    client.force_login(world.user("member"))
    assert client.get(CALL_URL).status_code == 200
    assert client.get(CALL_URL + "build/").status_code == 403
    assert client.post(CALL_URL + "check/", {"organisations": "x"}).status_code == 403


def test_check_page_with_file(client: Any, registry: Registry, world: Any) -> None:
    client.force_login(world.user("manager"))
    names = ["Sarine Solar SA", "Morat Controls AG", "Lyon Batteries SAS", "HEIA Fribourg"]
    data = write_rows(["organisation"], [{"organisation": n} for n in names], "csv")
    upload = io.BytesIO(data)
    upload.name = "team.csv"
    response = client.post(
        CALL_URL + "check/",
        {"cluster": registry.cluster.pk, "applicant": "Sarine Solar SA", "file": upload},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Eligible" in page and "Not eligible" not in page
    response = client.post(
        CALL_URL + "check/", {"cluster": registry.cluster.pk, "organisations": "Ghost AG"}
    )
    assert response.status_code == 400
    assert "Ghost AG is not in the registry" in response.content.decode()


def test_other_manager_cannot_see_cluster_a_runs(
    client: Any, registry: Registry, world: Any
) -> None:
    run, _ = services.build_start(
        actor=world.user("manager"),
        call=Call.objects.get(pk="innovation-1"),
        cluster=registry.cluster,
        top=1,
        time_limit=2,
    )
    client.force_login(world.user("other_manager"))
    assert client.get(f"/consortium/runs/{run.pk}/").status_code == 404
    # and building for cluster A from B's form falls back to B's own registry
    form = client.get(CALL_URL + f"build/?cluster={registry.cluster.pk}").content.decode()
    assert "Sarine Solar SA" not in form


# ----------------------------------------------------------------------------- API


def test_api_build_run_and_check(client: Any, registry: Registry, world: Any) -> None:
    h = bearer(world, "manager")
    calls = client.get("/api/consortium/calls", headers=h).json()
    assert calls[0]["id"] == "innovation-1" and calls[0]["rules_in_words"]
    body = {
        "cluster": registry.cluster.pk,
        "applicant": registry.id("Sarine Solar SA"),
        "competences": [{"code": "pv", "min_level": 4}],
        "top": 2,
        "time_limit": 3,
    }
    response = client.post(
        "/api/consortium/calls/innovation-1/build",
        data=json.dumps(body),
        content_type="application/json",
        headers=h,
    )
    assert response.status_code == 200, response.content
    run = response.json()
    assert run["status"] == "done" and run["alternatives"][0]["eligible"]
    again = client.get(f"/api/consortium/runs/{run['id']}", headers=h).json()
    assert again["alternatives"] == run["alternatives"]
    response = client.post(
        "/api/consortium/calls/innovation-1/check",
        data=json.dumps({"cluster": registry.cluster.pk, "organisations": ["Sarine Solar SA"]}),
        content_type="application/json",
        headers=h,
    )
    assert response.status_code == 200
    assert response.json()["eligible"] is False


def test_api_bad_bodies_name_the_field(client: Any, registry: Registry, world: Any) -> None:
    h = bearer(world, "manager")
    response = client.post(
        "/api/consortium/calls/innovation-1/build",
        data=json.dumps({"cluster": registry.cluster.pk, "top": 99, "competences": "pv"}),
        content_type="application/json",
        headers=h,
    )
    assert response.status_code == 400
    fields = {p["field"] for p in response.json()["problems"]}
    assert fields == {"top", "competences"}
    response = client.post(
        "/api/consortium/calls/innovation-1/build",
        data=json.dumps({"cluster": world.cluster_b.pk}),
        content_type="application/json",
        headers=h,
    )
    assert response.status_code == 400 and "cluster" in response.json()["detail"]


# ----------------------------------------------------------------------------- CLI


def test_cli_load_build_and_check(registry: Registry, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("consortium", "load-calls", stdout=out)
    assert "innovation-1: unchanged" in out.getvalue()
    out = io.StringIO()
    err = io.StringIO()
    call_command(
        "consortium",
        "build",
        "innovation-1",
        "--cluster",
        registry.cluster.name,
        "--applicant",
        "Sarine Solar SA",
        "--competence",
        "pv:4",
        "--competence",
        "storage:4",
        "--top",
        "2",
        "--time-limit",
        "3",
        stdout=out,
        stderr=err,
    )
    text = out.getvalue()
    assert "Solver: proven optimal." in text
    assert "Alternative 1" in text and "coordinator (the applicant)" in text
    team = tmp_path / "team.json"
    team.write_text(
        json.dumps(["Sarine Solar SA", "Morat Controls AG", "Lyon Batteries SAS", "HEIA Fribourg"])
    )
    out = io.StringIO()
    call_command(
        "consortium", "check", "innovation-1", str(team), "--cluster", registry.cluster.name,
        stdout=out,
    )  # fmt: skip
    assert out.getvalue().startswith("Eligible.")
    with pytest.raises(CommandError, match="unknown 'nope'"):
        call_command("consortium", "build", "nope", "--cluster", registry.cluster.name)
    with pytest.raises(CommandError, match=r"competences\[0\]\.code"):
        call_command(
            "consortium", "build", "innovation-1", "--cluster", registry.cluster.name,
            "--competence", "quantum:3",
        )  # fmt: skip
    bad = tmp_path / "bad.csv"
    bad.write_text("colour\nred\n")
    with pytest.raises(CommandError, match=r"bad\.csv"):
        call_command(
            "consortium", "check", "innovation-1", str(bad), "--cluster", registry.cluster.name
        )


def test_named_partners_in_a_call_file_and_a_clash_explained(
    registry: Registry, world: Any, tmp_path: Path, client: Any
) -> None:
    data = json.loads(rules.shipped_files()[0].read_text())
    data["id"] = "fribourg-only"
    data["rules"]["region_rules"] = [
        {
            "label": "Fribourg",
            "prefixes": ["CH022"],
            "among": ["sme", "large"],
            "among_label": "industrial partners",
            "min_count": 3,
        }
    ]
    data["rules"]["forbidden_pairs"] = [["Sarine Solar SA", "Gruyère Bois Sàrl"]]
    data["rules"]["mandatory"] = ["Morat Controls AG"]
    path = tmp_path / "fribourg-only.json"
    path.write_text(json.dumps(data))
    services.call_load(paths=[path])
    run, _ = services.build_start(
        actor=world.user("manager"),
        call=Call.objects.get(pk="fribourg-only"),
        cluster=registry.cluster,
        top=1,
        time_limit=5,
    )
    assert run.status == BuildRun.Status.INFEASIBLE
    clashes = {b["key"].split(":")[0] for b in run.blockers if b["code"] == "clash"}
    assert clashes == {"region", "forbidden"}
    client.force_login(world.user("manager"))
    page = client.get(f"/consortium/runs/{run.pk}/").content.decode()
    assert "No eligible consortium" in page
    assert "Sarine Solar SA and Gruyère Bois Sàrl not together" in page
    assert "at least 3 industrial partners from Fribourg (CH022)" in page

    data["rules"]["mandatory"] = ["Nobody AG"]
    path.write_text(json.dumps(data))
    services.call_load(paths=[path])
    with pytest.raises(services.BuildError) as exc:
        services.build_start(
            actor=world.user("manager"),
            call=Call.objects.get(pk="fribourg-only"),
            cluster=registry.cluster,
        )
    assert exc.value.problems[0][0] == "rules.mandatory[0]"


def test_infeasible_page_translates_reasons(registry: Registry, world: Any, client: Any) -> None:
    run, _ = services.build_start(
        actor=world.user("manager"),
        call=Call.objects.get(pk="innovation-1"),
        cluster=registry.cluster,
        competences=[{"code": "policy", "min_level": 5}],
        top=1,
        time_limit=2,
    )
    client.force_login(world.user("manager"))
    page = client.get(f"/consortium/runs/{run.pk}/").content.decode()
    assert (
        "No organisation in the registry has Energy policy at level 5 or more "
        "(the best is level 4)." in page
    )


def test_run_page_states_the_proven_gap(registry: Registry, world: Any, client: Any) -> None:
    run, _ = services.build_start(
        actor=world.user("manager"),
        call=Call.objects.get(pk="innovation-1"),
        cluster=registry.cluster,
        top=1,
        time_limit=2,
    )
    # as a time-limited search stores it: feasible, with the bound it proved
    BuildRun.objects.filter(pk=run.pk).update(solver_status="feasible", gap=0.004, bound=502)
    client.force_login(world.user("manager"))
    page = client.get(f"/consortium/runs/{run.pk}/").content.decode()
    assert "within a proven gap of 0.40 % of the best possible (bound 502 points)" in page


def test_out_of_range_ids_are_not_found(registry: Registry, world: Any, client: Any) -> None:
    client.force_login(world.user("manager"))
    huge = "9" * 25
    assert client.get(f"/consortium/runs/{huge}/").status_code == 404
    assert client.get(
        f"/api/consortium/runs/{huge}", headers=bearer(world, "manager")
    ).status_code in (404, 422)
    response = client.post(
        CALL_URL + "build/", {"cluster": huge, "applicant": huge, "time_limit": "1"}
    )
    assert response.status_code == 400
    assert "applicant" in response.content.decode()


def test_a_build_that_crashes_is_marked_failed(
    registry: Registry, world: Any, monkeypatch: pytest.MonkeyPatch, client: Any
) -> None:
    from tact.algorithms import consortium as algo

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(algo, "build", broken)
    run, _job = services.build_start(
        actor=world.user("manager"),
        call=Call.objects.get(pk="innovation-1"),
        cluster=registry.cluster,
        top=1,
        time_limit=1,
    )
    assert run.status == BuildRun.Status.FAILED and "unexpected error" in run.error
    client.force_login(world.user("manager"))
    assert "The build failed" in client.get(f"/consortium/runs/{run.pk}/").content.decode()
    with pytest.raises(services.BuildError):
        services.build_execute(run_id=run.pk)  # a finished build does not run twice


# ----------------------------------------------------------------------------- diversity


def _partner_sets(run: BuildRun) -> list[set[int]]:
    return [{m["id"] for m in a["members"]} for a in run.alternatives]


def test_alternatives_differ_by_the_asked_number_of_partners(
    registry: Registry, world: Any
) -> None:
    call = Call.objects.get(pk="innovation-1")
    runs = {}
    for d in (1, 3):
        run, _ = services.build_start(
            actor=world.user("manager"),
            call=call,
            cluster=registry.cluster,
            applicant_id=registry.id("Sarine Solar SA"),
            competences=[{"code": "pv", "min_level": 4}],
            top=3,
            time_limit=5,
            min_difference=d,
        )
        assert run.min_difference == d and run.status == BuildRun.Status.DONE
        sets = _partner_sets(run)
        assert len(sets) >= 2
        for i, later in enumerate(sets):
            for earlier in sets[:i]:
                assert len(later & earlier) <= len(earlier) - d
        runs[d] = run
    # asking for more difference never gives a better second alternative
    assert runs[3].alternatives[1]["objective"] <= runs[1].alternatives[1]["objective"]
    entry = AuditEntry.objects.filter(action="consortium.build.started").order_by("pk").last()
    assert entry is not None and entry.changes["min_difference"] == 3


def test_min_difference_is_checked(registry: Registry, world: Any) -> None:
    call = Call.objects.get(pk="innovation-1")
    for bad in (0, -1, "two", 2.5, True, None, 10**30):
        with pytest.raises(services.BuildError) as exc:
            services.build_start(
                actor=world.user("manager"),
                call=call,
                cluster=registry.cluster,
                min_difference=bad,
            )
        assert {f for f, _m in exc.value.problems} == {"min_difference"}
    assert not BuildRun.objects.exists()


def test_min_difference_in_form_api_and_cli(client: Any, registry: Registry, world: Any) -> None:
    client.force_login(world.user("manager"))
    form = client.get(CALL_URL + "build/").content.decode()
    assert 'name="min_difference"' in form
    response = client.post(
        CALL_URL + "build/",
        {"cluster": registry.cluster.pk, "code_0": "pv", "level_0": "4", "min_difference": "0"},
    )
    assert response.status_code == 400
    assert "must be a whole number of partners from 1 to 50" in response.content.decode()
    response = client.post(
        CALL_URL + "build/",
        {
            "cluster": registry.cluster.pk,
            "applicant": registry.id("Sarine Solar SA"),
            "code_0": "pv",
            "level_0": "4",
            "top": "2",
            "min_difference": "3",
        },
    )
    assert response.status_code == 302
    assert BuildRun.objects.get().min_difference == 3
    page = client.get(response["Location"]).content.decode()
    assert "leaves out at least 3 partners of every one above it" in page

    h = bearer(world, "manager")
    response = client.post(
        "/api/consortium/calls/innovation-1/build",
        data=json.dumps({"cluster": registry.cluster.pk, "top": 2, "min_difference": 2}),
        content_type="application/json",
        headers=h,
    )
    assert response.status_code == 200, response.content
    run = response.json()
    assert run["min_difference"] == 2
    sets = [{m["id"] for m in a["members"]} for a in run["alternatives"]]
    assert len(sets) == 2 and len(sets[1] & sets[0]) <= len(sets[0]) - 2
    response = client.post(
        "/api/consortium/calls/innovation-1/build",
        data=json.dumps({"cluster": registry.cluster.pk, "min_difference": "lots"}),
        content_type="application/json",
        headers=h,
    )
    assert response.status_code == 400
    assert {p["field"] for p in response.json()["problems"]} == {"min_difference"}

    out = io.StringIO()
    call_command(
        "consortium", "build", "innovation-1", "--cluster", registry.cluster.name,
        "--top", "2", "--min-difference", "4", "--quiet", stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    assert BuildRun.objects.order_by("-pk").first().min_difference == 4  # type: ignore[union-attr]
    with pytest.raises(CommandError, match="--min-difference"):
        call_command(
            "consortium", "build", "innovation-1", "--cluster", registry.cluster.name,
            "--min-difference", "0",
        )  # fmt: skip
