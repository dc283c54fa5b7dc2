"""Profiles through services, selectors, web pages, the API and the command line."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from tact.advisor import selectors, services
from tact.advisor.models import ClusterProfile
from tact.advisor.profiles import ProfileError, clean_profile
from tact.core.models import AuditEntry

from .conftest import SAMPLE, World


def api(client: Any, world: World, role: str, method: str, url: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {world.tokens[role]}"}
    if body is None:
        return getattr(client, method)(url, headers=headers)
    return getattr(client, method)(
        url, data=json.dumps(body), content_type="application/json", headers=headers
    )


# --- services and selectors -----------------------------------------------------------------


def test_create_is_audited_and_normalised(world: World) -> None:
    p = world.profile
    assert p.share_smes == 0.7 and p.objectives == {
        "production-processes": 3,
        "technology-diffusion": 2,
    }
    assert p.current_services[0]["field"] == "networking"  # taken from the practice
    assert "technology-diffusion" in p.current_services[0]["objectives"]
    entry = AuditEntry.objects.get(object_type="advisor.clusterprofile", object_id=str(p.pk))
    assert entry.action == "advisor.profile.created" and entry.actor == world.user("manager")


def test_update_audits_the_changed_fields_only(world: World) -> None:
    data = {**SAMPLE, "members": 90}
    services.profile_update(actor=world.user("manager"), profile=world.profile, data=data)
    entry = AuditEntry.objects.filter(action="advisor.profile.updated").get()
    assert entry.changes == {"members": {"before": 80, "after": 90}}
    services.profile_update(actor=world.user("manager"), profile=world.profile, data=data)
    assert AuditEntry.objects.filter(action="advisor.profile.updated").count() == 1


def test_validation_names_every_field(toolbox: None) -> None:
    bad = {
        "name": "",
        "region": {"country": "Austria", "nuts": "XX!"},
        "sectors": ["space"],
        "stage": "old",
        "members": -3,
        "shares": {"smes": "many", "other": 1},
        "management_fte": "a lot",
        "objectives": {"world-peace": 3, "incubation": 7},
        "target_groups": ["aliens"],
        "cross_border": "maybe",
        "current_services": [{"practice": "growth-99"}, {"name": "X", "field": "sports"}, 3],
        "colour": "blue",
    }
    with pytest.raises(ProfileError) as info:
        clean_profile(bad)
    fields = {p.field for p in info.value.problems}
    assert {
        "name", "region.country", "region.nuts", "sectors", "stage", "members", "shares.smes",
        "shares.other", "management_fte", "objectives.world-peace", "objectives.incubation",
        "target_groups", "cross_border", "current_services[1].practice",
        "current_services[2].field", "current_services[3]", "colour",
    } <= fields  # fmt: skip


def test_only_managers_of_the_cluster_write(world: World) -> None:
    for role in ("member", "other_manager", "curator"):
        with pytest.raises(PermissionDenied):
            services.profile_create(
                actor=world.user(role), cluster=world.cluster_a, data=dict(SAMPLE, name="x")
            )
        with pytest.raises(PermissionDenied):
            services.profile_update(
                actor=world.user(role), profile=world.profile, data=dict(SAMPLE)
            )
    services.profile_create(
        actor=world.user("admin"), cluster=world.cluster_a, data=dict(SAMPLE, name="y")
    )


def test_duplicate_name_is_a_field_error(world: World) -> None:
    with pytest.raises(ProfileError) as info:
        services.profile_create(
            actor=world.user("manager"), cluster=world.cluster_a, data=dict(SAMPLE)
        )
    assert info.value.problems[0].field == "name"


def test_selectors_scope_profiles_to_managers(world: World) -> None:
    pk = world.profile.pk
    assert selectors.profile_get(world.user("manager"), pk) == world.profile
    assert selectors.profile_get(world.user("admin"), pk) == world.profile
    for role in ("member", "other_manager", "curator"):
        assert selectors.profile_get(world.user(role), pk) is None
        assert not selectors.profiles_visible_to(world.user(role)).exists()
    assert selectors.profile_get(world.user("manager"), "abc") is None
    assert selectors.profile_get(world.user("manager"), 10**30) is None


def test_recommendations_skip_the_service_already_run(world: World) -> None:
    ranking = selectors.recommendations(world.profile, selectors.algo.Limits(), top=5)
    ids = [r.practice_id for r in ranking.recommendations]
    assert ids[0] == "growth-1"  # Industrie 4.0 self-assessment for production processes
    assert "networking-4" not in ids


def test_import_creates_then_updates_in_one_transaction(world: World, tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump({"profiles": [dict(SAMPLE, name="A"), dict(SAMPLE, name="B")]}))
    results = services.profile_import(actor=None, path=path, cluster_name="Lombardy Plastics")
    assert [a for _p, a in results] == ["created", "created"]
    again = services.profile_import(actor=None, path=path, cluster_name="Lombardy Plastics")
    assert [a for _p, a in again] == ["unchanged", "unchanged"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([dict(SAMPLE, name="C"), dict(SAMPLE, name="D", stage="old")]))
    with pytest.raises(ProfileError) as info:
        services.profile_import(actor=None, path=bad, cluster_name="Lombardy Plastics")
    assert info.value.problems[0].field == "profiles[2].stage"
    assert not ClusterProfile.objects.filter(name="C").exists()


# --- web pages ----------------------------------------------------------------------------------


def test_manager_fills_in_a_profile_and_sees_everything(world: World, as_role: Any) -> None:
    client = as_role("manager")
    form = {
        "cluster": world.cluster_a.pk, "name": "Start-ups", "stage": "emerging", "members": 30,
        "share_smes": 70, "share_large": 10, "share_research": 10, "share_public": 10,
        "management_fte": 1, "budget_eur": 20000, "target_groups": ["start-ups"],
        "prio_incubation": 3, "prio_management-education": 2, "current_practices": ["networking-1"],
        "other_services": "Newsletter | networking | information-gathering",
    }  # fmt: skip
    response = client.post("/advisor/profiles/new/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = ClusterProfile.objects.get(name="Start-ups")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "Boosting entrepreneur culture" in html
    assert "Why, factor by factor" in html and "What would make it fit better" in html
    gaps = client.get(f"/advisor/profiles/{profile.pk}/gaps/").content.decode()
    assert "<svg" in gaps and "Incubation and start-ups" in gaps
    plan = client.get(f"/advisor/profiles/{profile.pk}/plan/education-3/")
    assert plan.status_code == 200 and b"Checklist of success factors" in plan.content
    md = client.get(f"/advisor/profiles/{profile.pk}/plan/education-3/?format=markdown")
    assert md["Content-Type"].startswith("text/markdown") and b"# Service plan" in md.content


def test_form_errors_are_shown_next_to_the_field(world: World, as_role: Any) -> None:
    client = as_role("manager")
    response = client.post(
        "/advisor/profiles/new/",
        {"cluster": world.cluster_a.pk, "name": "X", "stage": "growing", "members": 1,
         "share_smes": 90, "share_large": 90, "share_research": 0, "share_public": 0,
         "management_fte": 1, "budget_eur": 0, "nuts": "DE11", "country": "AT"},
    )  # fmt: skip
    assert response.status_code == 422
    html = response.content.decode()
    assert "does not lie in AT" in html and "more than 100%" in html


def test_limits_and_no_fit_on_the_page(world: World, as_role: Any) -> None:
    client = as_role("manager")
    url = f"/advisor/profiles/{world.profile.pk}/"
    html = client.get(url, {"max_cost": 1, "field": "growth"}).content.decode()
    assert "No practice fits your limits" in html and "cheapest" in html
    assert client.get(url, {"max_cost": "lots"}).status_code == 422
    assert client.get(url, {"field": "sports"}).status_code == 422


def test_delete_needs_confirmation(world: World, as_role: Any) -> None:
    client = as_role("manager")
    url = f"/advisor/profiles/{world.profile.pk}/delete/"
    client.post(url)
    assert ClusterProfile.objects.filter(pk=world.profile.pk).exists()
    client.post(url, {"confirm": "yes"})
    assert not ClusterProfile.objects.filter(pk=world.profile.pk).exists()
    assert AuditEntry.objects.filter(action="advisor.profile.deleted").exists()


@pytest.mark.parametrize("role", ["member", "other_manager", "curator"])
def test_pages_are_404_for_others(world: World, as_role: Any, role: str) -> None:
    client = as_role(role)
    pk = world.profile.pk
    for url in (f"/advisor/profiles/{pk}/", f"/advisor/profiles/{pk}/gaps/",
                f"/advisor/profiles/{pk}/edit/", f"/advisor/profiles/{pk}/plan/growth-1/"):  # fmt: skip
        assert client.get(url).status_code == 404, url


def test_visitors_are_sent_to_login(client: Any, world: World) -> None:
    response = client.get(f"/advisor/profiles/{world.profile.pk}/")
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- API --------------------------------------------------------------------------------------


def test_api_crud_and_permissions(client: Any, world: World) -> None:
    body = dict(SAMPLE, name="API profile", cluster=world.cluster_a.pk)
    created = api(client, world, "manager", "post", "/api/advisor/profiles", body)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert (
        api(client, world, "other_manager", "post", "/api/advisor/profiles", body).status_code
        == 403
    )
    assert api(client, world, "member", "get", f"/api/advisor/profiles/{pk}").status_code == 404
    assert api(client, world, "admin", "get", f"/api/advisor/profiles/{pk}").status_code == 200
    listed = api(client, world, "manager", "get", "/api/advisor/profiles").json()
    assert {p["record"]["name"] for p in listed} == {"Digital SMEs", "API profile"}
    assert api(client, world, "other_manager", "get", "/api/advisor/profiles").json() == []
    updated = api(
        client, world, "manager", "put", f"/api/advisor/profiles/{pk}", dict(body, members=5)
    )
    assert updated.status_code == 200 and updated.json()["record"]["members"] == 5
    bad = api(
        client, world, "manager", "put", f"/api/advisor/profiles/{pk}", dict(body, stage="old")
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "stage"]
    assert api(client, world, "member", "delete", f"/api/advisor/profiles/{pk}").status_code == 404
    assert api(client, world, "manager", "delete", f"/api/advisor/profiles/{pk}").status_code == 204
    assert client.get("/api/advisor/profiles").status_code == 401


def test_api_recommendations_gaps_and_plan(client: Any, world: World) -> None:
    pk = world.profile.pk
    rec = api(client, world, "manager", "get", f"/api/advisor/profiles/{pk}/recommendations?top=3")
    data = rec.json()
    assert rec.status_code == 200 and len(data["items"]) == 3
    first = data["items"][0]
    assert [f["name"] for f in first["factors"]] == list(data["weights"])
    assert all(f["why"] for f in first["factors"])
    none = api(
        client, world, "manager", "get", f"/api/advisor/profiles/{pk}/recommendations?max_staff=0"
    )
    assert none.json()["items"] == [] and none.json()["no_fit"]["limits"][0]["limit"] == "max_staff"
    bad = api(
        client, world, "manager", "get", f"/api/advisor/profiles/{pk}/recommendations?field=x"
    )
    assert bad.status_code == 422
    assert (
        api(
            client, world, "manager", "get", f"/api/advisor/profiles/{pk}/recommendations?top=0"
        ).status_code
        == 422
    )
    gaps = api(client, world, "manager", "get", f"/api/advisor/profiles/{pk}/gaps").json()
    row = next(o for o in gaps["objectives"] if o["objective"] == "production-processes")
    assert row["priority"] == 3 and row["services"] == ["Ciclo Workshops"]  # networking-4
    assert gaps["coverage"] == 1.0
    row = next(o for o in gaps["objectives"] if o["objective"] == "incubation")
    assert not row["covered"] and row["candidates"][:1] in (["education-3"], ["growth-3"])
    plan = api(
        client, world, "manager", "get", f"/api/advisor/profiles/{pk}/plan/collaboration-1"
    ).json()
    assert plan["phases"][0]["end_month"] == 4
    md = api(
        client,
        world,
        "manager",
        "get",
        f"/api/advisor/profiles/{pk}/plan/collaboration-1?output=markdown",
    )
    assert md["Content-Type"].startswith("text/markdown")
    assert (
        api(client, world, "manager", "get", f"/api/advisor/profiles/{pk}/plan/nope-1").status_code
        == 404
    )
    assert (
        api(client, world, "other_manager", "get", f"/api/advisor/profiles/{pk}/gaps").status_code
        == 404
    )


@pytest.mark.parametrize(
    "body",
    [[], "x", {"members": 1e308}, {"objectives": {"incubation": "3x"}}, {"shares": [1]},
     {"current_services": {"a": 1}}, {"name": "n" * 500}, {"region": "AT"}, {"objectives": 5}],
)  # fmt: skip
def test_api_never_fails_on_bad_bodies(client: Any, world: World, body: Any) -> None:
    response = api(client, world, "manager", "post", "/api/advisor/profiles", body)
    assert response.status_code in (400, 422), response.content


# --- command line ---------------------------------------------------------------------------


def run(*args: str) -> str:
    out = StringIO()
    call_command("advisor", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_cli_import_recommend_plan(world: World, tmp_path: Path) -> None:
    path = Path(__file__).parent / "profiles" / "05-automotive-oem.yaml"
    out = run("profile", "import", str(path), "--cluster", "Lombardy Plastics")
    assert out.startswith("created: #")
    name = yaml.safe_load(path.read_text())["name"]
    ranked = run("recommend", name, "--top", "3", "--explain")
    assert "collaboration-1" in ranked and "objectives" in ranked
    plan = run("plan", name, "collaboration-1", "--format", "markdown")
    assert "# Service plan: Innovation Days" in plan
    assert "Preparation time: 4 month" in plan
    as_json = json.loads(run("plan", name, "collaboration-1", "--format", "json"))
    assert as_json["practice_id"] == "collaboration-1"
    gaps = run("gaps", name)
    assert "Coverage weighted by priority: 0%" in gaps
    nofit = run("recommend", name, "--max-cost", "1")
    assert "No practice fits your limits" in nofit


def test_cli_errors_name_the_problem(world: World, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: X\nstage: ancient\n")
    with pytest.raises(CommandError, match="stage"):
        run("profile", "import", str(bad), "--cluster", "Lombardy Plastics")
    with pytest.raises(CommandError, match="cluster"):
        run("profile", "import", str(bad), "--cluster", "Nowhere")
    with pytest.raises(CommandError, match="No single profile"):
        run("recommend", "nobody")
    with pytest.raises(CommandError, match="No practice"):
        run("plan", str(world.profile.pk), "growth-99")
    with pytest.raises(CommandError, match="--field"):
        run("recommend", str(world.profile.pk), "--field", "sports")


# --- no 500 on odd input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["max_cost=-1", "max_cost=nan", "max_cost=1e400", "max_staff=%00", "field=growth&field=%FF",
     "max_cost=" + "9" * 400, "top=abc", "field="],
)  # fmt: skip
def test_recommendation_page_refuses_bad_limits_without_500(
    world: World, as_role: Any, query: str
) -> None:
    response = as_role("manager").get(f"/advisor/profiles/{world.profile.pk}/?{query}")
    assert response.status_code in (200, 422)


def test_every_practice_has_a_plan_page(world: World, as_role: Any) -> None:
    client = as_role("manager")
    for practice_id in selectors.practice_titles():
        response = client.get(f"/advisor/profiles/{world.profile.pk}/plan/{practice_id}/")
        assert response.status_code == 200, practice_id
    assert client.get(f"/advisor/profiles/{world.profile.pk}/plan/x%00y/").status_code == 404
    assert client.get("/advisor/profiles/99999999999999999999999/").status_code == 404


def test_an_empty_profile_still_gets_advice(world: World) -> None:
    profile = services.profile_create(actor=None, cluster=world.cluster_b, data={"name": "Blank"})
    ranking = selectors.recommendations(profile, selectors.algo.Limits())
    assert ranking.total == 23 and ranking.recommendations[0].factors[0].hints
    analysis = selectors.gap_analysis(profile)
    assert analysis.coverage is None and len(analysis.gaps) == 20


def test_aliases_and_evaluation_files_import(world: World) -> None:
    clean = clean_profile(
        {"name": "A", "country": "AT", "nuts": "AT31", "technology_fields": ["robots"],
         "priorities": ["incubation"], "services": [{"practice_id": "growth-2"}]}
    )  # fmt: skip
    assert clean["country"] == "AT" and clean["technologies"] == ["robots"]
    assert clean["objectives"] == {"incubation": 3}
    assert clean["current_services"][0]["practice"] == "growth-2"
    path = Path(__file__).parent / "profiles" / "06-energy-rd-calls.yaml"
    out = run("profile", "import", str(path), "--cluster", "Lombardy Plastics")
    assert out.startswith("created")


def test_the_page_shows_the_top_n_and_links_to_all(world: World, as_role: Any) -> None:
    html = (
        as_role("manager")
        .get(f"/advisor/profiles/{world.profile.pk}/?top=2&field=growth")
        .content.decode()
    )
    assert html.count('class="rec"') == 2
    assert "Showing 2 of 4 practices" in html and "field=growth&amp;top=500" in html


@pytest.mark.parametrize(
    "query",
    ["max_cost=nan", "max_cost=inf", "max_staff=-1", "top=100000", "field=%00", "max_cost=1e999"],
)
def test_api_recommendations_refuse_bad_limits_without_500(
    client: Any, world: World, query: str
) -> None:
    url = f"/api/advisor/profiles/{world.profile.pk}/recommendations?{query}"
    response = api(client, world, "manager", "get", url)
    assert response.status_code in (200, 422), response.content
