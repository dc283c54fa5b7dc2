"""The registry's data: vocabulary, import (dry run, all or nothing, upsert, scope), export
round trip, the synthetic sample and the command line."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tact.community import sample, services, transfer
from tact.community.models import Competence, Organisation, OrganisationCompetence, Person, Project
from tact.core.datafiles import DataError
from tact.core.models import AuditEntry
from tact.core.tabular import read_rows, write_rows

COLS = transfer.COLUMNS["organisations"]


def sheet(rows: list[dict[str, Any]], fmt: str = "csv", kind: str = "organisations") -> bytes:
    return write_rows(transfer.COLUMNS[kind], rows, fmt)


def org_row(name: str, **values: Any) -> dict[str, Any]:
    return {"name": name, "country": "AT", "type": "sme", "region": "AT31", **values}


def test_vocabulary_is_shipped_grouped_and_loads_idempotently(db: Any) -> None:
    first = services.vocabulary_load(actor=None)
    assert 60 <= first["created"] <= 120
    assert services.vocabulary_load(actor=None) == {
        "created": 0, "updated": 0, "unchanged": first["created"],
    }  # fmt: skip
    groups = set(Competence.objects.values_list("group", flat=True))
    assert {"Mechatronics and production", "Energy and environment", "Health and life sciences",
            "Food and agriculture", "Mobility and logistics", "Construction and wood"} <= groups  # fmt: skip
    assert Competence.objects.filter(controlled=False).count() == 0


def test_vocabulary_keeps_free_tags_and_updates_labels(db: Any, tmp_path: Path) -> None:
    services.vocabulary_load(actor=None)
    Competence.objects.create(code="yodelling", label="Yodelling", controlled=False)
    Competence.objects.filter(pk="robotics").update(label="old")
    counts = services.vocabulary_load(actor=None)
    assert counts["updated"] == 1
    assert Competence.objects.get(pk="robotics").label == "Robotics and cobots"
    assert Competence.objects.filter(pk="yodelling").exists()


def test_a_bad_vocabulary_file_names_the_place_and_loads_nothing(db: Any, tmp_path: Path) -> None:
    bad = tmp_path / "v.yaml"
    bad.write_text("groups:\n  - name: G\n    competences:\n      - code: Not A Slug\n"
                   "        label: x\n      - code: ok\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(DataError) as exc:
        services.vocabulary_load(actor=None, path=bad)
    text = str(exc.value)
    assert "G #1, field code" in text and "G #2, field label: missing" in text
    assert not Competence.objects.exists()


def test_dry_run_lists_every_bad_row_and_writes_nothing(registry: Any) -> None:
    manager = registry.world.user("manager")
    rows = [
        org_row("Good One", competences="cnc-machining:4; robotics:2"),
        org_row("Typo Co", competences="cnc-machinig:3"),
        org_row("Level Co", competences="robotics:7"),
        org_row("Kind Co", type="startup"),
        org_row("Region Co", region="Tyrol"),
        org_row("Good One"),
        org_row(""),
        org_row("Foreign Co", clusters="Lombardy Plastics"),
    ]
    before = Organisation.objects.count()
    report = transfer.registry_import(
        actor=manager, data=sheet(rows), filename="members.csv",
        cluster=registry.world.cluster_a, dry_run=True,
    )  # fmt: skip
    problems = {(p.record, p.field): p.message for p in report.problems}
    assert "did you mean cnc-machining" in problems[("row 3", "competences")]
    assert "from 1 to 5" in problems[("row 4", "competences")]
    assert "startup" in problems[("row 5", "type")]
    assert "NUTS" in problems[("row 6", "region")]
    assert "row 2" in problems[("row 7", "name")]
    assert ("row 8", "name") in problems
    assert "not a cluster you manage" in problems[("row 9", "clusters")]
    assert not report.applied and Organisation.objects.count() == before
    # The same file without dry run: still all or nothing.
    report = transfer.registry_import(
        actor=manager, data=sheet(rows), filename="members.csv", cluster=registry.world.cluster_a
    )
    assert not report.applied and report.problems
    assert Organisation.objects.count() == before


def test_fixed_xlsx_imports_upserts_and_links(registry: Any) -> None:
    manager = registry.world.user("manager")
    rows = [
        org_row("Alpha GmbH", competences="cnc-machining:5:new 5-axis centre", website="https://alpha.example"),
        org_row("Delta Mechatronik GmbH", competences="robotics:3; iot:2", size_class="small",
                typical_contribution="150000", sectors="mechatronics, automotive"),
        org_row("Gamma Plast S.r.l.", country="IT", region="ITC4", competences="recycling:5"),
    ]  # fmt: skip
    data = sheet(rows, "xlsx")
    dry = transfer.registry_import(actor=manager, data=data, filename="m.xlsx",
                                   cluster=registry.world.cluster_a, dry_run=True)  # fmt: skip
    assert not dry.problems and dry.counts() == {"create": 1, "update": 1, "link": 1}
    assert not Organisation.objects.filter(name="Delta Mechatronik GmbH").exists()
    report = transfer.registry_import(actor=manager, data=data, filename="m.xlsx",
                                      cluster=registry.world.cluster_a)  # fmt: skip
    assert report.applied
    alpha = Organisation.objects.get(pk=registry.alpha.pk)
    assert alpha.website == "https://alpha.example"
    assert {(lv.competence_id, lv.level, lv.evidence) for lv in alpha.competence_levels.all()} == {
        ("cnc-machining", 5, "new 5-axis centre")
    }
    delta = Organisation.objects.get(name="Delta Mechatronik GmbH")
    assert delta.typical_contribution == 150000 and delta.sectors == ["mechatronics", "automotive"]
    assert list(delta.clusters.all()) == [registry.world.cluster_a]
    # Cluster B's organisation joins cluster A but keeps its own data.
    gamma = Organisation.objects.get(pk=registry.gamma.pk)
    assert set(gamma.clusters.all()) == {registry.world.cluster_a, registry.world.cluster_b}
    assert list(gamma.competence_levels.values_list("competence_id", flat=True)) == [
        "cnc-machining"
    ]
    assert AuditEntry.objects.filter(action="community.imported").count() == 1


def test_a_manager_may_not_import_into_another_cluster(registry: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        transfer.registry_import(actor=registry.world.user("manager"), data=sheet([org_row("X")]),
                                 filename="x.csv", cluster=registry.world.cluster_b)  # fmt: skip


def test_unreadable_files_are_reported_not_raised(registry: Any) -> None:
    manager = registry.world.user("manager")
    for data, name in [(b"\xff\xfe\x00bad", "a.csv"), (b"PK nonsense", "a.xlsx"), (b"x", "a.pdf"),
                       (b"name,country\n", "a.csv")]:  # fmt: skip
        report = transfer.registry_import(actor=manager, data=data, filename=name,
                                          cluster=registry.world.cluster_a)  # fmt: skip
        assert report.problems and not report.applied, name


def test_people_and_projects_import(registry: Any) -> None:
    manager = registry.world.user("manager")
    people = [
        {"name": "Eva Kos", "organisation": "Alpha GmbH", "function": "CTO",
         "email": "eva@alpha.example", "languages": "de, en"},
        {"name": "Nobody", "organisation": "Unknown AG"},
        {"name": "Bad Mail", "organisation": "Beta Research", "email": "not-an-address"},
        {"name": "Outsider", "organisation": "Gamma Plast S.r.l."},
    ]  # fmt: skip
    report = transfer.registry_import(actor=manager, data=sheet(people, kind="people"),
                                      filename="p.csv", kind="auto")  # fmt: skip
    assert report.kind == "people"
    assert {(p.record, p.field) for p in report.problems} == {
        ("row 3", "organisation"), ("row 4", "email"), ("row 5", "organisation"),
    }  # fmt: skip
    report = transfer.registry_import(actor=manager, data=sheet(people[:1], kind="people"),
                                      filename="p.csv")  # fmt: skip
    assert report.applied
    assert Person.objects.get(name="Eva Kos").languages == ["de", "en"]
    projects = [
        {"title": "Smart cell", "year": "2024", "partners": "Alpha GmbH (AT); Beta Research (CH)"},
        {"title": "Solo", "year": "2024", "partners": "Alpha GmbH"},
        {"title": "Bad year", "year": "24", "partners": "Alpha GmbH; Beta Research"},
    ]  # fmt: skip
    report = transfer.registry_import(actor=manager, data=sheet(projects, kind="projects"),
                                      filename="j.csv")  # fmt: skip
    assert {(p.record, p.field) for p in report.problems} == {
        ("row 3", "partners"),
        ("row 4", "year"),
    }
    report = transfer.registry_import(actor=manager, data=sheet(projects[:1], kind="projects"),
                                      filename="j.csv")  # fmt: skip
    assert report.applied
    assert set(Project.objects.get(title="Smart cell").partners.all()) == {
        registry.alpha,
        registry.beta,
    }


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_and_import_round_trip(registry: Any, fmt: str) -> None:
    Person.objects.create(organisation=registry.alpha, name="Anna", email="a@alpha.example",
                          languages=["de", "en"], function="CEO")  # fmt: skip
    OrganisationCompetence.objects.filter(organisation=registry.beta).update(evidence="lab; ISO")
    Organisation.objects.filter(pk=registry.beta.pk).update(
        sectors=["medtech", "plastics"], typical_contribution=90000, synthetic=True,
        description="Line one\nline two",
    )  # fmt: skip
    exports = {k: transfer.registry_export(actor=None, kind=k, fmt=fmt) for k in transfer.KINDS}
    before = {k: read_rows(v, f"x.{fmt}") for k, v in exports.items()}
    Project.objects.all().delete()
    Organisation.objects.all().delete()
    for kind in transfer.KINDS:
        report = transfer.registry_import(actor=None, data=exports[kind], filename=f"{kind}.{fmt}")
        assert report.applied, report.problems
    again = {k: read_rows(transfer.registry_export(actor=None, kind=k, fmt=fmt), f"x.{fmt}")
             for k in transfer.KINDS}  # fmt: skip
    assert [r.values for r in again["organisations"]] == [r.values for r in before["organisations"]]
    assert [r.values for r in again["people"]] == [r.values for r in before["people"]]
    assert [r.values for r in again["projects"]] == [r.values for r in before["projects"]]
    assert Organisation.objects.get(name="Beta Research").synthetic


def test_export_is_scoped_to_what_the_caller_sees(registry: Any) -> None:
    rows = read_rows(transfer.registry_export(actor=registry.world.user("member"),
                                              kind="organisations", fmt="csv"), "x.csv")  # fmt: skip
    assert {r.get("name") for r in rows} == {"Alpha GmbH", "Beta Research"}
    rows = read_rows(transfer.registry_export(actor=registry.world.user("other_manager"),
                                              kind="organisations", fmt="csv"), "x.csv")  # fmt: skip
    assert {r.get("name") for r in rows} == {"Gamma Plast S.r.l."}


def test_sample_is_deterministic_synthetic_and_idempotent(registry: Any) -> None:
    one = sample.generate(organisations=60, seed=3, cluster_name="S")
    assert one == sample.generate(organisations=60, seed=3, cluster_name="S")
    assert one != sample.generate(organisations=60, seed=4, cluster_name="S")
    cluster = registry.world.cluster_b
    counts = sample.sample_create(actor=None, cluster=cluster, organisations=60, seed=3)
    assert counts["organisations"] == 60 and counts["people"] >= 60 and counts["projects"] >= 20
    made = Organisation.objects.filter(synthetic=True)
    assert made.count() == 60
    assert {o.country for o in made} <= {"AT", "CH", "DE", "FR", "IT", "SI"}
    assert len({o.region for o in made}) >= 10
    assert all(o.competence_levels.exists() for o in made)
    again = sample.sample_create(actor=None, cluster=cluster, organisations=60, seed=3)
    assert again == counts and Organisation.objects.filter(synthetic=True).count() == 60


def test_command_line(registry: Any, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("community", "load-vocabulary", stdout=out)
    assert "0 created" in out.getvalue()
    good = tmp_path / "m.csv"
    good.write_bytes(sheet([org_row("Omega AG", competences="robotics:4")]))
    out = io.StringIO()
    call_command("community", "import", str(good), "--cluster", "Mechatronics Cluster", "--dry-run",
                 stdout=out)  # fmt: skip
    assert "1 would be created" in out.getvalue()
    assert not Organisation.objects.filter(name="Omega AG").exists()
    call_command("community", "import", str(good), "--cluster", "Mechatronics Cluster", stdout=out)
    assert Organisation.objects.get(name="Omega AG").clusters.get() == registry.world.cluster_a
    bad = tmp_path / "bad.csv"
    bad.write_bytes(sheet([org_row("Bad", competences="robotics:9")]))
    with pytest.raises(CommandError, match="row 2, field competences"):
        call_command("community", "import", str(bad))
    target = tmp_path / "out.xlsx"
    call_command("community", "export", "--format", "xlsx", "--cluster", "Mechatronics Cluster",
                 "-o", str(target), stderr=io.StringIO())  # fmt: skip
    names = {r.get("name") for r in read_rows(target.read_bytes(), "out.xlsx")}
    assert names == {"Alpha GmbH", "Beta Research", "Omega AG"}
    out = io.StringIO()
    call_command("community", "search", "--competence", "cnc-machining:4", "--region", "CH",
                 stdout=out)  # fmt: skip
    text = out.getvalue()
    assert text.index("Beta Research") < text.index("Alpha GmbH")
    assert "CNC machining at level 5 (wanted 4 or more)" in text
    with pytest.raises(CommandError, match="unknown competence"):
        call_command("community", "search", "--competence", "nope")
    out = io.StringIO()
    call_command("community", "sample", "--cluster", "Sample Cluster", "--organisations", "20",
                 "--seed", "1", stdout=out)  # fmt: skip
    assert "20 organisations" in out.getvalue()


def test_import_reads_amounts_and_websites_as_people_write_them(registry: Any) -> None:
    rows = [org_row("Amount AG", typical_contribution="1'200'000 EUR", website="www.amount.example"),
            org_row("Cents AG", typical_contribution="120.50")]  # fmt: skip
    report = transfer.registry_import(actor=None, data=sheet(rows), filename="a.csv")
    assert [(p.record, p.field) for p in report.problems] == [("row 3", "typical_contribution")]
    report = transfer.registry_import(actor=None, data=sheet(rows[:1]), filename="a.csv")
    amount = Organisation.objects.get(name="Amount AG")
    assert (amount.typical_contribution, amount.website) == (1200000, "https://www.amount.example")
