"""Loading the toolbox: idempotent, keeps edits made in the app, refuses bad files whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from tact.catalogue.models import Field, Practice, PracticeFact
from tact.catalogue.records import DATA_DIR, DataError
from tact.catalogue.services import catalogue_load
from tact.core.models import AuditEntry


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit(path: Path, **changes) -> None:
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record.update(changes)
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_loaded_toolbox_has_23_practices_in_five_fields(toolbox):
    assert Practice.objects.count() == 23
    counts = {f.id: f.practices.count() for f in Field.objects.all()}
    assert counts == {
        "education": 5,
        "innovation": 4,
        "collaboration": 4,
        "networking": 6,
        "growth": 4,
    }


def test_second_load_changes_nothing(toolbox):
    before = {p.id: p.updated_at for p in Practice.objects.all()}
    audit_before = AuditEntry.objects.count()
    report = catalogue_load()
    assert report.created == [] and report.updated == [] and report.kept_edited == []
    assert len(report.unchanged) == 23
    assert {p.id: p.updated_at for p in Practice.objects.all()} == before
    assert AuditEntry.objects.count() == audit_before


def test_record_round_trips_through_the_database(toolbox):
    from tact.catalogue.records import read_toolbox

    files = {r["id"]: r for r in read_toolbox().practices}
    for practice in Practice.objects.all():
        assert practice.to_record() == files[practice.id]
        assert not practice.edited_since_load


def test_edit_in_app_is_kept_and_reported_unless_forced(toolbox):
    practice = Practice.objects.get(id="growth-2")
    practice.title = "HR Benchmark (edited by the curator)"
    practice.save()
    report = catalogue_load()
    assert report.kept_edited == ["growth-2"]
    assert Practice.objects.get(id="growth-2").title.endswith("(edited by the curator)")
    report = catalogue_load(force=True)
    assert report.updated == ["growth-2"]
    assert Practice.objects.get(id="growth-2").title == "HR Benchmark"


def test_changed_file_updates_the_practice_and_audits_the_change(toolbox, data_copy):
    edit(data_copy / "practices" / "growth-3.yaml", title="Acceleration Programme")
    report = catalogue_load(data_dir=data_copy)
    assert report.updated == ["growth-3"]
    entry = AuditEntry.objects.filter(object_id="growth-3", action="practice.updated").get()
    assert entry.changes["title"] == {
        "before": "Acceleration Program",
        "after": "Acceleration Programme",
    }
    assert entry.actor_label == "tact catalogue load"


def test_malformed_file_is_refused_with_file_record_and_field_and_nothing_changes(
    toolbox, data_copy
):
    path = data_copy / "practices" / "growth-2.yaml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record["facts"][0]["value"] = "two"
    record["formats"].append("circus")
    path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    edit(data_copy / "practices" / "growth-3.yaml", title="Changed title that must not land")
    facts_before = PracticeFact.objects.count()
    with pytest.raises(DataError) as excinfo:
        catalogue_load(data_dir=data_copy)
    messages = [str(p) for p in excinfo.value.problems]
    assert any(
        "growth-2.yaml" in m and "record growth-2" in m and "field facts[1].value" in m
        for m in messages
    )
    assert any("field formats" in m and "'circus'" in m for m in messages)
    assert Practice.objects.get(id="growth-3").title == "Acceleration Program"
    assert PracticeFact.objects.count() == facts_before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("id: [unclosed", "not valid YAML"),
        ("- just\n- a list\n", "must hold one mapping"),
    ],
)
def test_unreadable_files_are_named(toolbox, data_copy, content, expected):
    (data_copy / "practices" / "growth-4.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(DataError) as excinfo:
        catalogue_load(data_dir=data_copy)
    assert any("growth-4.yaml" in str(p) and expected in str(p) for p in excinfo.value.problems)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"id": "growth-9"}, "id", "must match the file name"),
        ({"field": "sports"}, "field", "is not one of"),
        ({"number": 0}, "number", "positive whole number"),
        ({"summary": ""}, "summary", "required text is missing"),
        ({"objectives": ["world-peace"]}, "objectives", "not a known value"),
        (
            {"region": {"country": "Austria", "nuts": "AT31", "name": "x"}},
            "region.country",
            "two-letter",
        ),
        (
            {"facts": [{"kind": "fee", "label": "x", "min": 5, "max": 2, "unit": "EUR"}]},
            "facts[1].min",
            "larger than max",
        ),
        (
            {"facts": [{"kind": "fee", "label": "x", "value": -1, "unit": "EUR"}]},
            "facts[1].value",
            "negative",
        ),
        (
            {"facts": [{"kind": "fee", "label": "x", "value": 1, "unit": "dollars"}]},
            "facts[1].unit",
            "not a unit",
        ),
        ({"colour": "red"}, "colour", "unknown field"),
    ],
)
def test_each_rule_names_the_field(toolbox, data_copy, changes, field, message):
    edit(data_copy / "practices" / "growth-1.yaml", **changes)
    with pytest.raises(DataError) as excinfo:
        catalogue_load(data_dir=data_copy)
    assert any(
        p.field == field and message in p.message and p.path.endswith("growth-1.yaml")
        for p in excinfo.value.problems
    ), excinfo.value.problems


def test_duplicate_number_is_refused(toolbox, data_copy):
    path = data_copy / "practices" / "growth-4.yaml"
    shutil.copy(path, data_copy / "practices" / "growth-5.yaml")
    edit(data_copy / "practices" / "growth-5.yaml", id="growth-5", number=4)
    with pytest.raises(DataError) as excinfo:
        catalogue_load(data_dir=data_copy)
    assert any(p.field == "id" for p in excinfo.value.problems)


def test_load_command_reports_problems_and_exit_code(toolbox, data_copy, capsys):
    edit(data_copy / "practices" / "growth-1.yaml", field="sports")
    with pytest.raises(CommandError) as excinfo:
        call_command("catalogue", "load", "--data-dir", str(data_copy))
    assert "nothing changed" in str(excinfo.value)
    assert "growth-1.yaml, record growth-1, field field" in str(excinfo.value)


def test_load_command_reports_kept_edits(toolbox, capsys):
    Practice.objects.filter(id="education-2").update(title="Edited")
    call_command("catalogue", "load")
    out = capsys.readouterr().out
    assert "0 created, 0 updated, 22 unchanged" in out
    assert "education-2 (title)" in out and "--force" in out


def test_a_key_added_to_the_format_later_is_not_an_edit(toolbox):
    practice = Practice.objects.get(id="growth-1")
    older = {k: v for k, v in practice.loaded_record.items() if k != "sectors"}
    Practice.objects.filter(id="growth-1").update(loaded_record=older)
    report = catalogue_load()
    assert report.kept_edited == []
    assert report.updated == ["growth-1"]
    assert Practice.objects.get(id="growth-1").loaded_record == practice.to_record()


def test_derived_figures_come_from_the_facts(toolbox):
    hr = Practice.objects.get(id="growth-2")
    assert hr.fee_eur == 580
    assert hr.duration_months == 12
    assert hr.staff_persons == 3
    hackathon = Practice.objects.get(id="innovation-4")
    assert hackathon.participants_max == 300


def test_malformed_email_is_kept_and_flagged(toolbox):
    contact = Practice.objects.get(id="education-3").contacts.get()
    assert contact.email == "silvio.antonionitrentinoinnovation.eu"
    assert contact.email_valid is False
    assert Practice.objects.get(id="growth-2").contacts.get().email_valid is True
