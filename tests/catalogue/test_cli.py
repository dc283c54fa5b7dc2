"""The command line: export, search, show, and errors that name what is wrong."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command


def run(capsys, *args) -> str:
    call_command(*args)
    return capsys.readouterr().out


def test_export_json_prints_practice_objects_with_numbers(toolbox, capsys):
    data = json.loads(run(capsys, "catalogue", "export", "--format", "json"))
    assert len(data) == 23
    first = data[0]
    for key in (
        "id",
        "field",
        "number",
        "title",
        "clusters",
        "contacts",
        "links",
        "summary",
        "description",
        "facts",
    ):
        assert key in first
    hr = next(p for p in data if p["id"] == "growth-2")
    fee = next(f for f in hr["facts"] if f["kind"] == "fee")
    assert fee["value"] == 580 and isinstance(fee["value"], int)
    hackathon = next(p for p in data if p["id"] == "innovation-4")
    participants = next(
        f for f in hackathon["facts"] if f["kind"] == "participants" and f.get("max") == 300
    )
    assert participants["min"] == 200


def test_export_csv_for_one_field(toolbox, capsys):
    out = run(capsys, "catalogue", "export", "--format", "csv", "--field", "networking")
    assert out.startswith("id,field,number,title")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows] == [f"networking-{n}" for n in range(1, 7)]


def test_export_to_file(toolbox, tmp_path, capsys):
    target = tmp_path / "toolbox.json"
    call_command("catalogue", "export", "--format", "json", "-o", str(target))
    assert len(json.loads(target.read_text())) == 23


def test_unknown_field_is_a_clear_error(toolbox):
    with pytest.raises(CommandError, match="--field: unknown value 'sports'"):
        call_command("catalogue", "export", "--field", "sports")


def test_search(toolbox, capsys):
    out = run(capsys, "catalogue", "search", "digital maturity", "--limit", "3")
    assert out.splitlines()[0].startswith("growth-1")
    data = json.loads(run(capsys, "catalogue", "search", "staff turnover", "--json"))
    assert data[0]["id"] == "growth-2"


def test_empty_search_is_refused(toolbox):
    with pytest.raises(CommandError, match="QUERY must not be empty"):
        call_command("catalogue", "search", "  ")


def test_show(toolbox, capsys):
    out = run(capsys, "catalogue", "show", "education-3")
    assert "Boosting entrepreneur culture" in out
    assert "e-mail malformed in the source" in out
    assert "10 months" in out


def test_show_unknown_id(toolbox):
    with pytest.raises(CommandError, match="No practice with id 'nope'"):
        call_command("catalogue", "show", "nope")
