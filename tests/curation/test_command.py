"""``tact curation ...``: a survey round loaded from a file, scored, selected and published."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tact.catalogue.models import Practice
from tact.curation import content, services
from tact.curation.models import Campaign, OnePager, State

from .conftest import sample

RUBRIC = [c.key for c in content.RUBRIC]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("curation", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def round_file(tmp_path):
    copy = sample("hr-benchmark-copy")
    copy["facts"][1]["value"] = 40
    doc = {
        "one_pagers": [
            {
                "reference": "R-1",
                "cluster": "Mechatronics Cluster",
                "one_pager": sample("energy-audits"),
            },
            {"reference": "R-2", "cluster": "Mechatronics Cluster", "one_pager": copy},
        ]
    }
    path = tmp_path / "round.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_a_round_from_the_command_line(world, second_curator, round_file, tmp_path):
    deadline = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    out = run(
        "create", "Round 2027", "--region", "AT31", "--deadline", deadline, "--invite-managers"
    )
    assert "1 personal links" in out
    campaign = Campaign.objects.get()
    assert "dry" not in run("import", str(campaign.pk), str(round_file), "--dry-run").lower()
    assert OnePager.objects.filter(reference__startswith="R-").count() == 0
    assert "Created 2" in run("import", "Round 2027", str(round_file))
    out = run("score", str(campaign.pk))
    assert "2 one-pagers scored" in out and "Classifier on 23" in out
    copy = OnePager.objects.get(reference="R-2")
    duplicates = copy.scores["uniqueness"]["near_duplicates"]
    assert duplicates and duplicates[0]["key"] == "practice:growth-2"
    assert copy.scores["suggestion"]["field"] == "growth"
    energy = OnePager.objects.get(reference="R-1")
    assert not energy.scores["uniqueness"]["near_duplicates"]
    assert "=" in out  # the near-duplicate is flagged in the table

    with pytest.raises(CommandError, match="at least 2 reviewers"):
        run("select", str(campaign.pk), "R-1")
    reviewers = [world.user("curator"), second_curator]
    energy.refresh_from_db()
    services.reviewers_assign(actor=None, one_pager=energy, reviewers=reviewers)
    for reviewer in reviewers:
        services.review_save(actor=reviewer, one_pager=energy, ratings=dict.fromkeys(RUBRIC, 4))
    run("select", str(campaign.pk), "R-1")
    energy.refresh_from_db()
    assert energy.selected
    run("transition", "R-1", "validated")
    with pytest.raises(CommandError, match="choose the field"):
        run("publish", "R-1")
    run("set-field", "R-1")
    out = run("publish", "--campaign", str(campaign.pk))
    energy.refresh_from_db()
    assert energy.state == State.PUBLISHED
    assert f"published as {energy.practice_id}" in out
    assert Practice.objects.get(id=energy.practice_id).published
    run("withdraw", "R-1", "--reason", "merged into another practice")
    assert not Practice.objects.get(id=energy.practice_id).published
    assert "version 1" in run("versions", "R-1")

    target = tmp_path / "out.xlsx"
    call_command(
        "curation",
        "export",
        str(campaign.pk),
        "--format",
        "xlsx",
        "-o",
        str(target),
        stderr=io.StringIO(),
    )
    assert target.read_bytes()[:2] == b"PK"
    assert "R-2" in run("export", str(campaign.pk), "--format", "csv")
    assert "closed" in run("close", str(campaign.pk))
    campaign.refresh_from_db()
    assert not campaign.is_open


def test_a_bad_file_changes_nothing_and_names_every_problem(world, tmp_path, toolbox):
    deadline = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    run("create", "Round", "--region", "AT31", "--deadline", deadline)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "reference,cluster,title,summary,fact_1_kind,fact_1_label,fact_1_value,fact_1_unit\n"
        "A,Mechatronics Cluster,Good title,Short,fee,Fee,about 500,EUR\n"
        "B,Nowhere Cluster,Other,Short,fee,Fee,500,EUR\n"
        "A,Lombardy Plastics,Third,,duration,Time,3,lightyear\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as exc:
        run("import", "Round", str(bad))
    text = str(exc.value)
    assert "Nothing was imported" in text
    assert "row 2, field facts[1].value: must be a number, not 'about 500'" in text
    assert "row 3, field cluster: no cluster initiative is called 'Nowhere Cluster'" in text
    assert "row 4, field reference: A appears twice in the file" in text
    assert "row 4, field cluster: Lombardy Plastics does not lie in the campaign's regions" in text
    assert "row 4, field facts[1].unit" in text
    assert not OnePager.objects.filter(reference__in=["A", "B"]).exists()
    with pytest.raises(CommandError, match="No campaign"):
        run("score", "nope")
    with pytest.raises(CommandError, match="deadline"):
        run("create", "X", "--region", "AT31", "--deadline", "tomorrow")


def test_pdf_renders_the_toolbox_and_stores_an_edition_only_when_asked(toolbox, tmp_path) -> None:
    from tact.publication.models import Edition

    out = tmp_path / "toolbox.pdf"
    assert "23 practices" in run("pdf", str(out))
    assert out.read_bytes().startswith(b"%PDF-")
    assert not Edition.objects.exists()
    with pytest.raises(CommandError, match="--note"):
        run("pdf", str(out), "--edition")
    assert not Edition.objects.exists()
    stored = tmp_path / "edition.pdf"
    run("pdf", str(stored), "--edition", "--note", "Spring round")
    edition = Edition.objects.get()
    assert edition.note == "Spring round"
    assert stored.read_bytes().startswith(b"%PDF-")
