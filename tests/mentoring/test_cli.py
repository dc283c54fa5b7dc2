"""`tact mentoring list | import | match | export | ics`."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tact.core.tabular import read_rows
from tact.mentoring import services

from .conftest import SAMPLE

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("mentoring", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_match_export(world: Any, tmp_path: Path) -> None:
    import datetime as dt

    programme = services.programme_create(
        actor=None, cluster=world.cluster_a,
        data={"name": "CLI programme", "start_date": dt.date(2026, 4, 1), "months": 9},
    )  # fmt: skip
    sample = tmp_path / "profiles.csv"
    sample.write_bytes(SAMPLE)
    out, _ = run("import", "CLI programme", str(sample), "--dry-run")
    assert "Dry run" in out and "22 to create" in out
    assert not programme.participants.exists()
    out, _ = run("import", str(programme.pk), str(sample))
    assert "22 create" in out
    out, err = run("match", "CLI programme")
    assert "12 pairs" in out
    assert "[" + "#" * 30 + "] 100 %" in err  # the progress bar
    pair = programme.pairs.first()
    services.pair_set_locked(actor=None, pair=pair, locked=True)
    out, _ = run("match", "CLI programme", "--keep-locked", "--method", "stable", "--quiet")
    assert "1 locked and kept" in out and "method stable" in out
    assert programme.pairs.filter(pk=pair.pk).exists()
    out, _ = run("export", "CLI programme", "--format", "csv")
    assert "mentor_name" in out
    target = tmp_path / "pairs.xlsx"
    run("export", "CLI programme", "--format", "xlsx", "-o", str(target))
    assert len(read_rows(target.read_bytes(), "pairs.xlsx")) == programme.pairs.count()
    out, _ = run("list")
    assert "Mechatronics Cluster/CLI programme" in out and "10 mentors, 12 mentees" in out
    out, _ = run("dates", "CLI programme")
    assert "2026-04-01 16:00\tKick-off" in out and "Closing event" in out
    out, _ = run("dates", "CLI programme", "--replace")
    assert programme.events.count() == 11
    out, _ = run("ics", "CLI programme")
    assert out.count("BEGIN:VEVENT") == 11


def test_bad_input_is_named(world: Any, programme: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("side,name,email,organisation\nmentee,X,not-mail,Org\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"row 2, field email"):
        run("import", str(programme.pk), str(bad))
    with pytest.raises(CommandError, match="No single programme"):
        run("match", "no such programme")
    with pytest.raises(CommandError, match=r"No such file|bad-missing"):
        run("import", str(programme.pk), str(tmp_path / "bad-missing.csv"))
    with pytest.raises(CommandError, match=r"give -o FILE\."):
        run("export", str(programme.pk), "--format", "xlsx")
