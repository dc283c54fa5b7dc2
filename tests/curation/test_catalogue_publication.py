"""The public toolbox shows published practices only: list, detail, API, export, search, counts."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tact.catalogue import services
from tact.catalogue.models import Practice
from tact.core.models import AuditEntry

from .conftest import sample


def test_the_loaded_toolbox_is_published(toolbox):
    assert Practice.objects.filter(published=True, origin="data-file").count() == 23


def test_a_withdrawn_practice_disappears_everywhere(toolbox):
    client = Client()
    assert client.get("/practices/growth-2/").status_code == 200
    services.practice_set_published(actor=None, practice_id="growth-2", published=False, reason="t")
    assert client.get("/practices/growth-2/").status_code == 404
    assert client.get("/api/practices/growth-2").status_code == 404
    listing = client.get("/api/practices?page_size=100").json()
    assert listing["count"] == 22
    assert "growth-2" not in [p["id"] for p in listing["items"]]
    search = client.get("/api/practices?q=staff%20turnover").json()
    assert "growth-2" not in [p["id"] for p in search["items"]]
    exported = json.loads(client.get("/api/export?output=json").content)
    assert "growth-2" not in [p["id"] for p in exported]
    assert "growth-2" not in client.get("/practices/export.csv").content.decode()
    fields = {f["id"]: f["practice_count"] for f in client.get("/api/fields").json()}
    assert fields["growth"] == 3
    assert AuditEntry.objects.filter(action="practice.withdrawn", object_id="growth-2").exists()
    services.practice_set_published(actor=None, practice_id="growth-2", published=True)
    assert client.get("/practices/growth-2/").status_code == 200


def test_publishing_a_record_writes_a_checked_practice(toolbox):
    record = dict(sample("energy-audits"), field="growth")
    practice = services.practice_publish_record(actor=None, record=record, source="test")
    assert practice.id == "growth-5" and practice.number == 5
    assert practice.published and practice.origin == "curation" and practice.published_at
    assert practice.embedding
    assert practice.fee_eur == 450
    assert Client().get("/practices/growth-5/").status_code == 200
    # Republishing under the same id replaces it; another field gives a new id.
    again = services.practice_publish_record(
        actor=None, record=dict(record, title="Energy walk-throughs"), practice_id="growth-5"
    )
    assert again.id == "growth-5" and again.title == "Energy walk-throughs"
    moved = services.practice_publish_record(
        actor=None, record=dict(record, field="innovation"), practice_id="growth-5"
    )
    assert moved.id == "innovation-5"
    assert not Practice.objects.get(id="growth-5").published


def test_a_bad_record_is_refused_and_nothing_is_written(toolbox):
    record = dict(sample("hr-benchmark-copy"))
    with pytest.raises(services.PracticeRecordError) as exc:
        services.practice_publish_record(actor=None, record=record)
    assert any(p.field == "facts[2].value" for p in exc.value.problems)
    assert not Practice.objects.filter(origin="curation").exists()
