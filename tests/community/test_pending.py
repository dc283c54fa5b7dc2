"""One upload per import (the checked file is kept), large imports and the sample as background
jobs, the people page and its export, the registry in the admin."""

from __future__ import annotations

import base64
import io
import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tact.community import pending
from tact.community.models import Organisation, PendingImport, Person, Project
from tact.core import jobs
from tact.core.models import AuditEntry, Job
from tact.core.tabular import read_rows

from .test_registry import org_row, sheet


def login(registry: Any, role: str) -> Client:
    c = Client()
    c.force_login(registry.world.user(role))
    return c


def check(c: Client, registry: Any, data: bytes, name: str = "m.csv", **extra: Any) -> Any:
    return c.post(
        "/community/import/",
        {"file": SimpleUploadedFile(name, data), "kind": "auto",
         "cluster": registry.world.cluster_a.pk, "action": "check", **extra},
    )  # fmt: skip


def confirm_url(response: Any) -> str:
    match = re.search(r'action="(/community/import/[0-9a-f-]{36}/)"', response.content.decode())
    assert match, "the dry run offers no import of the checked file"
    return match.group(1)


def api_headers(registry: Any, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {registry.world.tokens[role][1]}"}


# The kept file ------------------------------------------------------------------------------


def test_dry_run_keeps_the_file_and_the_button_imports_exactly_it(registry: Any) -> None:
    c = login(registry, "manager")
    data = sheet([org_row("Zeta GmbH", competences="robotics:4"), org_row("Eta GmbH")])
    r = check(c, registry, data)
    page = r.content.decode()
    assert r.status_code == 200 and "Import these 2 rows" in page
    kept = PendingImport.objects.get()
    assert bytes(kept.data) == data and kept.rows == 2 and kept.kind == "organisations"
    assert kept.owner == registry.world.user("manager") and kept.cluster == registry.world.cluster_a
    assert kept.sha256[:12] in page
    assert not Organisation.objects.filter(name="Zeta GmbH").exists()

    r = c.post(confirm_url(r))  # no file: the kept one is imported
    assert r.status_code == 302 and r["Location"] == "/community/"
    zeta = Organisation.objects.get(name="Zeta GmbH")
    assert zeta.clusters.get() == registry.world.cluster_a
    assert zeta.competence_levels.get().level == 4
    assert not PendingImport.objects.exists()
    assert AuditEntry.objects.filter(action="community.import_confirmed").count() == 1


def test_a_file_with_bad_rows_is_not_kept(registry: Any) -> None:
    c = login(registry, "manager")
    r = check(c, registry, sheet([org_row("Zeta GmbH", competences="robotics:9")]))
    assert r.status_code == 422 and "Import these" not in r.content.decode()
    assert not PendingImport.objects.exists()


def test_the_kept_file_imports_once_only_for_its_owner_and_expires(registry: Any) -> None:
    c = login(registry, "manager")
    r = check(c, registry, sheet([org_row("Zeta GmbH")]))
    url = confirm_url(r)
    for role in ("other_manager", "admin", "member"):
        refused = login(registry, role).post(url)
        assert refused.status_code in (403, 404), role
    assert not Organisation.objects.filter(name="Zeta GmbH").exists()
    assert c.post(url).status_code == 302
    again = c.post(url)  # imported already: gone
    assert again.status_code == 404 and "no longer kept" in again.content.decode()
    assert Organisation.objects.filter(name="Zeta GmbH").count() == 1

    r = check(c, registry, sheet([org_row("Theta GmbH")]))
    url = confirm_url(r)
    PendingImport.objects.update(created_at=timezone.now() - timedelta(hours=1, minutes=1))
    expired = c.post(url)
    assert expired.status_code == 404 and "expired" in expired.content.decode()
    assert not Organisation.objects.filter(name="Theta GmbH").exists()
    # The next check clears expired files away.
    check(c, registry, sheet([org_row("Iota GmbH")]))
    assert list(PendingImport.objects.values_list("filename", "rows")) == [("m.csv", 1)]
    assert c.post("/community/import/not-a-uuid/").status_code == 404


def test_a_registry_changed_since_the_check_is_reported_and_nothing_written(
    registry: Any,
) -> None:
    c = login(registry, "manager")
    people = sheet(
        [{"name": "Eva Kern", "organisation": "Beta Research", "country": "CH"},
         {"name": "Jon Berg", "organisation": "Alpha GmbH", "country": "AT"}],
        kind="people",
    )  # fmt: skip
    r = check(c, registry, people, "p.csv")
    assert "Import these 2 rows" in r.content.decode()
    registry.beta.clusters.clear()  # Beta leaves cluster A meanwhile
    r = c.post(confirm_url(r))
    page = r.content.decode()
    assert r.status_code == 422 and "nothing was imported" in page and "Beta Research" in page
    assert not Person.objects.filter(name__in=["Eva Kern", "Jon Berg"]).exists()


# Background jobs --------------------------------------------------------------------------


def test_a_large_import_runs_as_a_job_and_shows_its_page(
    registry: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pending, "BACKGROUND_ROWS", 2)
    c = login(registry, "manager")
    rows = [org_row(f"Org {i:02d}", competences="robotics:3") for i in range(5)]
    r = check(c, registry, sheet(rows, "xlsx"), "big.xlsx")
    assert "imported in the background" in r.content.decode()
    r = c.post(confirm_url(r))
    job = Job.objects.get(kind="community.import")
    assert r.status_code == 302 and r["Location"] == f"/jobs/{job.pk}/"
    assert job.status == Job.Status.DONE and job.progress == 1.0  # tests run jobs inline
    assert job.message.startswith("Imported 5 rows: 5 created")
    assert job.result["create"] == 5 and job.result_url == "/community/"
    assert job.owner == registry.world.user("manager")
    assert Organisation.objects.filter(name__startswith="Org ").count() == 5
    assert not PendingImport.objects.exists()
    page = c.get(f"/jobs/{job.pk}/").content.decode()
    assert "Imported 5 rows" in page


def test_a_queued_import_whose_file_is_gone_fails_with_a_message(
    registry: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TACT_JOBS_MODE = "worker"
    monkeypatch.setattr(pending, "BACKGROUND_ROWS", 1)
    c = login(registry, "manager")
    r = check(c, registry, sheet([org_row("Kappa GmbH"), org_row("Lambda GmbH")]))
    c.post(confirm_url(r))
    job = Job.objects.get(kind="community.import")
    assert job.status == Job.Status.QUEUED
    PendingImport.objects.all().delete()
    assert jobs.work(once=True) == 1
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "no longer kept" in job.error
    assert not Organisation.objects.filter(name__in=["Kappa GmbH", "Lambda GmbH"]).exists()

    # The manager lost the cluster between the check and the worker: refused, nothing written.
    r = check(c, registry, sheet([org_row("Kappa GmbH"), org_row("Lambda GmbH")]))
    c.post(confirm_url(r))
    from tact.accounts.models import RoleAssignment

    RoleAssignment.objects.filter(
        user=registry.world.user("manager"), cluster=registry.world.cluster_a
    ).delete()
    jobs.work(once=True)
    job = Job.objects.filter(kind="community.import").order_by("-created_at").first()
    assert job is not None and job.status == Job.Status.FAILED
    assert "managers" in job.error and "unexpected" not in job.error
    assert not Organisation.objects.filter(name__in=["Kappa GmbH", "Lambda GmbH"]).exists()


def test_a_queued_import_that_no_longer_fits_fails_naming_the_row(
    registry: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TACT_JOBS_MODE = "worker"
    monkeypatch.setattr(pending, "BACKGROUND_ROWS", 1)
    c = login(registry, "manager")
    rows = [org_row("Kappa GmbH", competences="robotics:3"), org_row("Lambda GmbH")]
    r = check(c, registry, sheet(rows))
    c.post(confirm_url(r))
    from tact.community.models import Competence, OrganisationCompetence

    OrganisationCompetence.objects.filter(competence_id="robotics").delete()
    Competence.objects.filter(pk="robotics").delete()  # the vocabulary lost it meanwhile
    jobs.work(once=True)
    job = Job.objects.get(kind="community.import")
    assert job.status == Job.Status.FAILED and "row 2" in job.error and "robotics" in job.error
    assert not Organisation.objects.filter(name="Lambda GmbH").exists()
    assert PendingImport.objects.count() == 1  # kept: the owner may fix the registry and retry


def test_sample_from_the_page_runs_as_a_job(registry: Any) -> None:
    c = login(registry, "manager")
    form = {"sample-cluster": registry.world.cluster_a.pk, "sample-organisations": 12,
            "sample-seed": 4}  # fmt: skip
    r = c.post("/community/sample/", form)
    job = Job.objects.get(kind="community.sample")
    assert r.status_code == 302 and r["Location"] == f"/jobs/{job.pk}/"
    assert job.status == Job.Status.DONE, job.error
    assert job.result["organisations"] == 12
    synthetic = Organisation.objects.filter(synthetic=True, clusters=registry.world.cluster_a)
    assert synthetic.count() == 12
    # Bad input: a cluster the manager does not run, too many, or nothing: refused, no job.
    for bad in ({**form, "sample-cluster": registry.world.cluster_b.pk},
                {**form, "sample-organisations": 5000}, {**form, "sample-organisations": 0}, {}):  # fmt: skip
        r = c.post("/community/sample/", bad)
        assert r.status_code == 422
    assert Job.objects.filter(kind="community.sample").count() == 1
    assert login(registry, "member").post("/community/sample/", form).status_code == 403


def test_cli_sample_and_import_draw_a_progress_bar(db: Any, tmp_path: Any) -> None:
    err, out = io.StringIO(), io.StringIO()
    call_command("community", "sample", "--cluster", "Alpine Test", "--organisations", "20",
                 stdout=out, stderr=err)  # fmt: skip
    assert "20 organisations" in out.getvalue()
    assert "] 100 %" in err.getvalue() and "Writing row" in err.getvalue()
    assert not Job.objects.exists()  # the command line runs it here, not in the queue
    path = tmp_path / "o.csv"
    path.write_bytes(sheet([org_row("Cli GmbH", clusters="Alpine Test")]))
    err = io.StringIO()
    call_command("community", "import", str(path), stdout=out, stderr=err)
    assert "] 100 %" in err.getvalue()
    err = io.StringIO()
    call_command("community", "import", str(path), "--no-progress", stdout=out, stderr=err)
    assert err.getvalue() == ""


# API --------------------------------------------------------------------------------------


def test_api_dry_run_returns_a_pending_import_to_confirm(
    registry: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = Client()
    h = api_headers(registry, "manager")
    body = {"filename": "m.csv", "cluster": registry.world.cluster_a.pk,
            "content_base64": base64.b64encode(sheet([org_row("Mu GmbH")])).decode()}  # fmt: skip
    r = c.post("/api/community/import", json.dumps(body), content_type="application/json",
               headers=h)  # fmt: skip
    kept = r.json()["pending_import"]
    assert r.status_code == 200 and kept["rows"] == 1 and kept["background"] is False
    url = f"/api/community/import/{kept['id']}"
    other = api_headers(registry, "other_manager")
    assert c.post(url, headers=other).status_code == 404
    r = c.post(url, headers=h)
    assert r.status_code == 200 and r.json()["applied"] and r.json()["counts"]["create"] == 1
    r = c.post(url, headers=h)
    assert r.status_code == 404 and "imported already" in r.json()["detail"]
    assert Organisation.objects.filter(name="Mu GmbH").count() == 1

    monkeypatch.setattr(pending, "BACKGROUND_ROWS", 1)
    body["content_base64"] = base64.b64encode(
        sheet([org_row("Nu GmbH"), org_row("Xi GmbH")])
    ).decode()
    r = c.post("/api/community/import", json.dumps({**body, "dry_run": False}),
               content_type="application/json", headers=h)  # fmt: skip
    assert r.status_code == 202
    status = c.get(r.json()["status_url"], headers=h)
    assert Job.objects.get(pk=r.json()["job"]).status == Job.Status.DONE
    assert status.status_code in (200, 302)
    assert Organisation.objects.filter(name__in=["Nu GmbH", "Xi GmbH"]).count() == 2


# People -----------------------------------------------------------------------------------


@pytest.fixture
def people(registry: Any) -> Any:
    Person.objects.create(organisation=registry.alpha, name="Anna Muster", function="CTO",
                          email="anna@alpha.example", languages=["de", "en"])  # fmt: skip
    Person.objects.create(organisation=registry.beta, name="Luc Favre", function="Head of lab",
                          languages=["fr"])  # fmt: skip
    Person.objects.create(organisation=registry.gamma, name="Gianna Rossi", function="CEO",
                          languages=["it"])  # fmt: skip
    return registry


def test_people_page_searches_name_function_organisation_language(people: Any) -> None:
    c = login(people, "member")
    page = c.get("/community/people/").content.decode()
    assert "Anna Muster" in page and "Luc Favre" in page
    assert "Gianna Rossi" not in page  # cluster B's registry
    for q, found, not_found in (("muster", "Anna Muster", "Luc Favre"),
                                ("head lab", "Luc Favre", "Anna Muster"),
                                ("beta", "Luc Favre", "Anna Muster"),
                                ("FR", "Luc Favre", "Anna Muster"),
                                ("en", "Anna Muster", "Luc Favre")):  # fmt: skip
        page = c.get("/community/people/", {"q": q}).content.decode()
        assert found in page and not_found not in page, q
    page = c.get("/community/people/", {"q": "nobody-like-this"}).content.decode()
    assert "Nobody matches this search." in page
    page = c.get("/community/people/", {"cluster": people.world.cluster_b.pk}).content.decode()
    assert "no cluster with this id" in page and "Anna Muster" in page
    assert Client().get("/community/people/").status_code == 302
    curator = Client()
    curator.force_login(people.world.user("curator"))
    assert curator.get("/community/people/").status_code == 403


def test_people_export_follows_the_search(people: Any) -> None:
    c = login(people, "manager")
    r = c.get("/community/export/", {"kind": "people", "format": "csv", "q": "cto"})
    assert [row.get("name") for row in read_rows(r.content, "p.csv")] == ["Anna Muster"]
    r = c.get("/community/export/", {"kind": "people", "format": "xlsx"})
    assert {row.get("name") for row in read_rows(r.content, "p.xlsx")} == {
        "Anna Muster",
        "Luc Favre",
    }
    h = {"Authorization": f"Bearer {people.world.tokens['member'][1]}"}
    r = Client().get("/api/community/export", {"kind": "people", "q": "fr"}, headers=h)
    assert [row.get("name") for row in read_rows(r.content, "p.csv")] == ["Luc Favre"]
    other = login(people, "other_manager")
    r = other.get("/community/export/", {"kind": "people", "format": "csv", "q": "anna"})
    assert r.status_code == 200 and b"Anna" not in r.content  # cluster B's registry only


# Admin ------------------------------------------------------------------------------------


def test_admin_edits_go_through_the_services(registry: Any) -> None:
    admin = registry.world.user("admin")
    c = Client()
    c.force_login(admin)
    url = f"/admin/community/organisation/{registry.alpha.pk}/change/"
    assert c.get(url).status_code == 200
    form = {"name": "Alpha GmbH", "kind": "sme", "country": "AT", "region": "CH022",
            "size_class": "", "sectors": "[]", "website": "", "description": "",
            "typical_contribution": "", "clusters": [registry.world.cluster_a.pk],
            "account": registry.alpha.account_id or "", "synthetic": "on",
            "competence_levels-TOTAL_FORMS": "0", "competence_levels-INITIAL_FORMS": "0"}  # fmt: skip
    r = c.post(url, form)
    assert r.status_code == 200 and "is not a NUTS region of AT" in r.content.decode()
    r = c.post(url, {**form, "region": "AT33", "clusters": [registry.world.cluster_a.pk,
                                                            registry.world.cluster_b.pk]})  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:2000]
    registry.alpha.refresh_from_db()
    assert registry.alpha.region == "AT33" and registry.alpha.synthetic is False  # read-only
    assert set(registry.alpha.clusters.all()) == {
        registry.world.cluster_a,
        registry.world.cluster_b,
    }
    r = c.post(url, {**form, "region": "AT33", "clusters": [registry.world.cluster_b.pk]})
    assert r.status_code == 302
    assert list(registry.alpha.clusters.all()) == [registry.world.cluster_b]
    actions = set(AuditEntry.objects.filter(object_id=str(registry.alpha.pk))
                  .values_list("action", flat=True))  # fmt: skip
    assert {"community.organisation_updated", "community.organisation_clusters_set"} <= actions
    r = c.post(url, {**form, "region": "AT33", "clusters": []})
    assert r.status_code == 200 and list(registry.alpha.clusters.all()) == [
        registry.world.cluster_b
    ]
    assert registry.alpha.competence_levels.count() == 2  # the read-only inline kept them

    r = c.post("/admin/community/organisation/add/",
               {**form, "name": "Omega Admin AG", "region": "AT34", "account": "",
                "clusters": [registry.world.cluster_a.pk]})  # fmt: skip
    assert r.status_code == 302
    omega = Organisation.objects.get(name="Omega Admin AG")
    assert list(omega.clusters.all()) == [registry.world.cluster_a] and not omega.synthetic
    assert AuditEntry.objects.filter(action="community.organisation_created",
                                     object_id=str(omega.pk)).exists()  # fmt: skip
    r = c.post("/admin/community/person/add/", {"organisation": omega.pk, "name": "Ole Admin",
                                                "function": "CFO", "email": "not-an-address",
                                                "languages": "[]"})  # fmt: skip
    assert r.status_code == 200 and not Person.objects.filter(name="Ole Admin").exists()
    r = c.post("/admin/community/person/add/", {"organisation": omega.pk, "name": "Ole Admin",
                                                "function": "CFO", "email": "ole@omega.example",
                                                "languages": '["no", "en"]'})  # fmt: skip
    assert r.status_code == 302
    assert Person.objects.get(name="Ole Admin").languages == ["no", "en"]
    assert AuditEntry.objects.filter(action="community.person_created").exists()

    r = c.post("/admin/community/project/add/", {"title": "Solo", "year": 2024,
                                                 "partners": [registry.alpha.pk]})  # fmt: skip
    assert r.status_code == 200 and "at least two partners" in r.content.decode()
    assert not Project.objects.filter(title="Solo").exists()
    r = c.post("/admin/community/competence/add/", {"label": "Robotics", "code": "robotics"})
    assert r.status_code == 200 and "exists already" in r.content.decode()
    r = c.post("/admin/community/competence/add/", {"label": "Snow making", "group": ""})
    assert r.status_code == 302
    assert AuditEntry.objects.filter(action="community.competence_created").exists()

    r = c.post(f"/admin/community/organisation/{registry.beta.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302 and not Organisation.objects.filter(pk=registry.beta.pk).exists()
    assert AuditEntry.objects.filter(action="community.organisation_deleted").exists()
    assert c.get("/admin/community/pendingimport/add/").status_code == 403
    assert c.get("/admin/community/savedsearch/").status_code == 200
