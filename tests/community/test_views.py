"""The registry in the browser and the API: scope, search, edits, network, regions, partner
search with saved searches, import and export."""

from __future__ import annotations

import base64
import json
from typing import Any

from django.test import Client

from tact.community.models import Organisation, OrganisationCompetence, Project, SavedSearch
from tact.core.models import AuditEntry
from tact.core.tabular import read_rows

from .test_registry import org_row, sheet


def login(registry: Any, role: str) -> Client:
    client = Client()
    client.force_login(registry.world.user(role))
    return client


def api(registry: Any, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {registry.world.tokens[role][1]}"}


def test_search_by_competence_level_type_and_region(registry: Any) -> None:
    c = login(registry, "manager")
    page = c.get("/community/", {"competence": "cnc-machining", "min_level": "5"}).content.decode()
    assert "Beta Research" in page and "Alpha GmbH" not in page
    assert "Gamma Plast" not in c.get("/community/").content.decode()  # cluster B's
    page = c.get("/community/", {"kind": "research"}).content.decode()
    assert "Beta Research" in page and "Alpha GmbH" not in page
    page = c.get("/community/", {"region": "ch02"}).content.decode()
    assert "Beta Research" in page and "Alpha GmbH" not in page
    page = c.get("/community/", {"competence": "no-such", "kind": "x"}).content.decode()
    assert "not understood" in page and "Alpha GmbH" in page


def test_synthetic_organisations_are_marked(registry: Any) -> None:
    Organisation.objects.filter(pk=registry.beta.pk).update(synthetic=True)
    c = login(registry, "member")
    page = c.get("/community/").content.decode()
    assert "synthetic sample data" in page and "synthetic-badge" in page
    page = c.get(f"/community/organisations/{registry.beta.pk}/").content.decode()
    assert "not a real organisation" in page


def test_members_read_only_but_keep_their_own_competences(registry: Any) -> None:
    c = login(registry, "member")
    page = c.get(f"/community/organisations/{registry.beta.pk}/").content.decode()
    assert "/edit/" not in page and "Add or change" not in page
    assert c.get(f"/community/organisations/{registry.beta.pk}/edit/").status_code == 403
    r = c.post(f"/community/organisations/{registry.beta.pk}/competences/",
               {"competence": "robotics", "level": "3"})  # fmt: skip
    assert r.status_code == 403
    own = c.get(f"/community/organisations/{registry.alpha.pk}/").content.decode()
    assert "Add or change" in own
    c.post(f"/community/organisations/{registry.alpha.pk}/competences/",
           {"competence": "robotics", "level": "5", "evidence": "cell with 4 cobots"})  # fmt: skip
    item = OrganisationCompetence.objects.get(organisation=registry.alpha, competence="robotics")
    assert (item.level, item.evidence) == (5, "cell with 4 cobots")
    assert AuditEntry.objects.filter(
        action="community.competence_set", actor=registry.world.user("member")
    ).exists()
    c.post(f"/community/organisations/{registry.alpha.pk}/competences/robotics/remove/")
    assert not OrganisationCompetence.objects.filter(
        organisation=registry.alpha, competence="robotics"
    ).exists()


def test_other_clusters_see_nothing_of_cluster_a(registry: Any) -> None:
    c = login(registry, "other_manager")
    assert c.get(f"/community/organisations/{registry.alpha.pk}/").status_code == 404
    assert "Gamma Plast" in c.get("/community/").content.decode()
    data = c.get("/community/network.json").json()
    assert {n["data"]["label"] for n in data["nodes"] if n["data"]["type"] == "organisation"} == {
        "Gamma Plast S.r.l."
    }


def test_manager_creates_edits_and_removes(registry: Any) -> None:
    c = login(registry, "manager")
    cluster = registry.world.cluster_a.pk
    r = c.post("/community/organisations/new/", {"name": "Kappa AG", "kind": "large", "region": "DE21",
               "country": "AT", "clusters": [cluster]})  # fmt: skip
    assert r.status_code == 422 and "not a NUTS region of AT" in r.content.decode()
    r = c.post("/community/organisations/new/", {"name": "Kappa AG", "kind": "large", "region": "de21",
               "country": "de", "clusters": [cluster], "sectors": "automotive; ICT"})  # fmt: skip
    kappa = Organisation.objects.get(name="Kappa AG")
    assert (
        r.status_code == 302 and kappa.region == "DE21" and kappa.sectors == ["automotive", "ICT"]
    )
    r = c.post(f"/community/organisations/{kappa.pk}/people/new/", {"name": "Max", "email": "bad"})
    assert r.status_code == 422
    c.post(
        f"/community/organisations/{kappa.pk}/people/new/", {"name": "Max", "languages": "de; en"}
    )
    assert kappa.people.get().languages == ["de", "en"]
    r = c.post(
        "/community/projects/new/", {"title": "Drive", "year": "2022", "partners": [kappa.pk]}
    )
    assert r.status_code == 422 and "at least two partners" in r.content.decode()
    c.post("/community/projects/new/", {"title": "Drive", "year": "2022",
                                        "partners": [kappa.pk, registry.alpha.pk]})  # fmt: skip
    assert set(Project.objects.get(title="Drive").partners.all()) == {kappa, registry.alpha}
    c.post(f"/community/organisations/{kappa.pk}/delete/", {"confirm": "yes"})
    assert not Organisation.objects.filter(pk=kappa.pk).exists()


def test_removing_a_shared_organisation_only_leaves_the_cluster(registry: Any) -> None:
    registry.gamma.clusters.add(registry.world.cluster_a)
    c = login(registry, "manager")
    c.post(f"/community/organisations/{registry.gamma.pk}/delete/", {"confirm": "yes"})
    assert list(Organisation.objects.get(pk=registry.gamma.pk).clusters.all()) == [
        registry.world.cluster_b
    ]


def test_free_tags(registry: Any) -> None:
    c = login(registry, "manager")
    c.post("/community/competences/", {"label": "Ski waxing"})
    assert c.post("/community/competences/", {"label": "Ski waxing"}).status_code == 422
    page = c.get("/community/competences/").content.decode()
    assert "Ski waxing" in page and "free tag" in page
    assert (
        login(registry, "member").post("/community/competences/", {"label": "X"}).status_code == 403
    )


def test_network_json_in_both_modes(registry: Any) -> None:
    c = login(registry, "manager")
    data = c.get("/community/network.json").json()
    ids = {n["data"]["id"] for n in data["nodes"]}
    assert {f"o{registry.alpha.pk}", f"o{registry.beta.pk}", "c:cnc-machining", "c:robotics"} <= ids
    assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in data["edges"])
    edge = next(
        e for e in data["edges"] if e["data"]["id"] == f"l{registry.alpha.pk}-cnc-machining"
    )
    assert edge["data"]["weight"] == 4
    data = c.get("/community/network.json", {"mode": "projects"}).json()
    assert [e["data"]["weight"] for e in data["edges"]] == [1]
    page = c.get("/community/network/").content.decode()
    assert "cytoscape.min.js" in page and "network.json" in page


def test_region_view_counts_members(registry: Any) -> None:
    c = login(registry, "manager")
    page = c.get("/community/regions/").content.decode()
    assert 'aria-label="Fribourg (CH022): 1"' in page
    assert 'aria-label="Oberösterreich (AT31): 1"' in page
    regions = c.get("/api/community/regions", headers=api(registry, "manager")).json()
    assert regions["total"] == 2


def test_partner_search_page_save_and_rerun(registry: Any) -> None:
    c = login(registry, "manager")
    page = c.get("/community/partners/", {"competences": "cnc-machining:4; robotics",
                                          "regions": "CH"}).content.decode()  # fmt: skip
    assert page.index("Beta Research") < page.index("Alpha GmbH")
    assert "CNC machining at level 5 (wanted 4 or more)" in page
    assert "in a wanted region: Fribourg" in page
    bad = c.get("/community/partners/", {"competences": "warp-drive", "kinds": "spaceship"})
    assert bad.status_code == 422 and "unknown competence" in bad.content.decode()
    r = c.post("/community/searches/save/", {"name": "CNC in CH", "competences": "cnc-machining:4",
                                             "regions": "CH"})  # fmt: skip
    search = SavedSearch.objects.get(user=registry.world.user("manager"))
    assert r.status_code == 302 and search.need["regions"] == ["CH"]
    page = c.get(f"/community/searches/{search.pk}/").content.decode()
    assert "CNC in CH" in page and "Beta Research" in page
    assert login(registry, "member").get(f"/community/searches/{search.pk}/").status_code == 404
    c.post(f"/community/searches/{search.pk}/delete/")
    assert not SavedSearch.objects.exists()


def test_member_sees_history_with_own_organisation(registry: Any) -> None:
    c = login(registry, "member")
    page = c.get("/community/partners/", {"competences": "cnc-machining"}).content.decode()
    assert "1 joint project(s) with your organisation" in page
    assert "Alpha GmbH</a>" not in page  # one's own organisation is no partner


def test_import_page_dry_run_then_import(registry: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = login(registry, "manager")
    bad = sheet([org_row("Zeta GmbH", competences="robotics:9"), org_row("Eta GmbH")], "xlsx")
    r = c.post("/community/import/", {"file": SimpleUploadedFile("m.xlsx", bad), "kind": "auto",
               "cluster": registry.world.cluster_a.pk, "action": "check"})  # fmt: skip
    page = r.content.decode()
    assert r.status_code == 422 and "nothing was imported" in page and "row 2" in page
    good = sheet([org_row("Zeta GmbH", competences="robotics:4"), org_row("Eta GmbH")], "xlsx")
    r = c.post("/community/import/", {"file": SimpleUploadedFile("m.xlsx", good), "kind": "auto",
               "cluster": registry.world.cluster_a.pk, "action": "check"})  # fmt: skip
    assert r.status_code == 200 and "2 would be created" in r.content.decode()
    assert not Organisation.objects.filter(name="Zeta GmbH").exists()
    r = c.post("/community/import/", {"file": SimpleUploadedFile("m.xlsx", good), "kind": "auto",
               "cluster": registry.world.cluster_a.pk, "action": "import"})  # fmt: skip
    assert r.status_code == 302
    assert Organisation.objects.get(name="Zeta GmbH").clusters.get() == registry.world.cluster_a
    r = c.post("/community/import/", {"file": SimpleUploadedFile("m.csv", b"x"), "kind": "auto",
               "cluster": registry.world.cluster_b.pk, "action": "check"})  # fmt: skip
    assert r.status_code == 422  # not a cluster this manager may choose
    template = c.get("/community/import/template/", {"kind": "people", "format": "csv"})
    assert read_rows(template.content, "t.csv")[0].get("organisation")


def test_export_pages(registry: Any) -> None:
    c = login(registry, "member")
    r = c.get("/community/export/", {"kind": "organisations", "format": "xlsx"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    assert {row.get("name") for row in read_rows(r.content, "x.xlsx")} == {
        "Alpha GmbH",
        "Beta Research",
    }
    assert c.get("/community/export/", {"format": "pdf"}).status_code == 400
    assert c.get("/community/export/", {"cluster": registry.world.cluster_b.pk}).status_code == 404


def test_api_search_partners_and_saved_searches(registry: Any) -> None:
    c = Client()
    h = api(registry, "manager")
    data = c.get("/api/community/organisations", {"competence": "cnc-machining", "min_level": 5},
                 headers=h).json()  # fmt: skip
    assert [o["name"] for o in data["results"]] == ["Beta Research"]
    one = c.get(f"/api/community/organisations/{registry.alpha.pk}", headers=h).json()
    assert one["projects"][0]["title"] == "Gripper"
    assert c.get(f"/api/community/organisations/{registry.gamma.pk}", headers=h).status_code == 404
    need = {"competences": [{"code": "cnc-machining", "min_level": 4}], "regions": ["AT"]}
    r = c.post(
        "/api/community/partners", json.dumps(need), content_type="application/json", headers=h
    )
    results = r.json()["results"]
    assert [x["name"] for x in results] == ["Alpha GmbH", "Beta Research"]
    assert results[0]["competences"] == [
        {"code": "cnc-machining", "min_level": 4, "level": 4, "met": True}
    ]
    r = c.post("/api/community/partners", json.dumps({"competences": "x:9"}),
               content_type="application/json", headers=h)  # fmt: skip
    assert r.status_code == 422 and r.json()["problems"][0]["field"] == "competences"
    r = c.post("/api/community/searches", json.dumps({**need, "name": "CNC"}),
               content_type="application/json", headers=h)  # fmt: skip
    assert r.status_code == 201
    sid = r.json()["id"]
    assert c.get(f"/api/community/searches/{sid}/results", headers=h).json()["results"]
    assert c.delete(f"/api/community/searches/{sid}", headers=h).status_code == 204


def test_api_import_and_export(registry: Any) -> None:
    c = Client()
    h = api(registry, "manager")
    body = {"filename": "m.csv", "cluster": registry.world.cluster_a.pk,
            "content_base64": base64.b64encode(sheet([org_row("Iota", competences="iot:9")])).decode()}  # fmt: skip
    r = c.post(
        "/api/community/import", json.dumps(body), content_type="application/json", headers=h
    )
    assert r.status_code == 422 and r.json()["problems"][0]["row"] == "row 2"
    body["content_base64"] = base64.b64encode(
        sheet([org_row("Iota", competences="iot:3")])
    ).decode()
    r = c.post(
        "/api/community/import", json.dumps(body), content_type="application/json", headers=h
    )
    assert (
        r.json()["counts"]["create"] == 1 and not Organisation.objects.filter(name="Iota").exists()
    )
    r = c.post("/api/community/import", json.dumps({**body, "dry_run": False}),
               content_type="application/json", headers=h)  # fmt: skip
    assert r.json()["applied"] and Organisation.objects.filter(name="Iota").exists()
    r = c.post("/api/community/import", json.dumps({**body, "cluster": registry.world.cluster_b.pk}),
               content_type="application/json", headers=h)  # fmt: skip
    assert r.status_code == 404
    r = c.get("/api/community/export", {"kind": "projects", "format": "csv"}, headers=h)
    assert read_rows(r.content, "p.csv")[0].get("title") == "Gripper"


def test_member_accounts_are_linked_by_name_or_by_the_manager(registry: Any) -> None:
    from tact.accounts.models import Organisation as MemberAccount
    from tact.community import transfer

    omega = MemberAccount.objects.create(cluster=registry.world.cluster_a, name="Omega AG")
    other = MemberAccount.objects.create(cluster=registry.world.cluster_b, name="Psi AG")
    manager = registry.world.user("manager")
    transfer.registry_import(actor=manager, data=sheet([org_row("omega ag")]), filename="o.csv",
                             cluster=registry.world.cluster_a)  # fmt: skip
    assert Organisation.objects.get(name="omega ag").account == omega
    c = login(registry, "manager")
    form = {"name": "Beta Research", "kind": "research", "region": "CH022", "country": "CH"}
    r = c.post(f"/community/organisations/{registry.beta.pk}/edit/", {**form, "account": other.pk})
    assert r.status_code == 422  # cluster B's account is not a choice
    r = c.post(f"/community/organisations/{registry.beta.pk}/edit/", {**form, "account": omega.pk})
    assert r.status_code == 302
    assert Organisation.objects.get(pk=registry.beta.pk).account == omega


def test_nul_bytes_are_refused_or_dropped_never_sent_to_the_database(registry: Any) -> None:
    c = login(registry, "manager")
    assert c.get("/community/", {"q": "Al\x00pha", "competence": "cnc\x00"}).status_code == 200
    assert c.get("/community/network.json", {"q": "\x00", "competence": "\x00"}).status_code == 200
    r = c.post("/community/searches/save/", {"name": "a\x00b", "competences": "robotics"})
    assert r.status_code == 422 and not SavedSearch.objects.exists()
    r = Client().post(
        "/api/community/searches", json.dumps({"name": "x\x00", "competences": "robotics"}),
        content_type="application/json", headers=api(registry, "manager"),
    )  # fmt: skip
    assert r.status_code == 422
    body = {"filename": "a\x00.csv", "content_base64": base64.b64encode(b"name\n").decode()}
    r = Client().post("/api/community/import", json.dumps(body), content_type="application/json",
                      headers=api(registry, "manager"))  # fmt: skip
    assert r.status_code == 422
