"""Every write to the toolbox goes through here, and each one leaves an audit entry."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from tact.algorithms.embedding import default_encoder
from tact.algorithms.search import embed_documents
from tact.core.services import audit_record

from .facets import derived_figures
from .index import practice_document
from .models import (
    Field,
    Objective,
    Practice,
    PracticeCluster,
    PracticeContact,
    PracticeFact,
)
from .records import Toolbox, check_practice, email_is_valid, read_toolbox, vocabulary

LOAD_ACTOR = "tact catalogue load"


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_edited: list[str] = field(default_factory=list)
    edited_keys: dict[str, list[str]] = field(default_factory=dict)
    fields_changed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.fields_changed)


def _embed(records: Sequence[dict[str, Any]], vocabulary: dict[str, Any]) -> list[bytes]:
    if not records:
        return []
    docs = [practice_document(r, vocabulary) for r in records]
    vectors = embed_documents(default_encoder(), docs)
    return [np.asarray(v, dtype=np.float32).tobytes() for v in vectors]


def _write_fields(toolbox: Toolbox, report: LoadReport) -> None:
    for item in toolbox.fields:
        values = {k: item[k] for k in ("name", "definition", "order", "colour")}
        obj, created = Field.objects.get_or_create(id=item["id"], defaults=values)
        if not created and any(getattr(obj, k) != v for k, v in values.items()):
            Field.objects.filter(pk=obj.pk).update(**values)
            report.fields_changed.append(item["id"])
        elif created:
            report.fields_changed.append(item["id"])
        for order, objective in enumerate(item["objectives"], start=1):
            values = {
                "field_id": item["id"],
                "name": objective["name"],
                "description": objective["description"],
                "order": order,
            }
            o, o_created = Objective.objects.get_or_create(id=objective["id"], defaults=values)
            if not o_created and any(getattr(o, k) != v for k, v in values.items()):
                Objective.objects.filter(pk=o.pk).update(**values)
                report.fields_changed.append(objective["id"])
            elif o_created:
                report.fields_changed.append(objective["id"])


def practice_write(
    *,
    record: dict[str, Any],
    units: dict[str, Any],
    embedding: bytes | None,
    loaded_record: dict[str, Any] | None = None,
    synthetic: bool = False,
) -> Practice:
    """Create or replace a practice and its children from a checked record."""
    figures = derived_figures(record["facts"], units)
    practice, _created = Practice.objects.update_or_create(
        id=record["id"],
        defaults={
            "field_id": record["field"],
            "number": record["number"],
            "title": record["title"],
            "summary": record["summary"],
            "description": record["description"],
            "country": record["region"]["country"],
            "nuts": record["region"]["nuts"],
            "region_name": record["region"]["name"],
            "formats": record["formats"],
            "target_groups": record["target_groups"],
            "sectors": record["sectors"],
            "keywords": record["keywords"],
            "beneficiaries": record["beneficiaries"],
            "activities": record["activities"],
            "funding_sources": record["funding_sources"],
            "success_factors": record["success_factors"],
            "challenges": record["challenges"],
            "scope": record["scope"],
            "loaded_record": loaded_record or {},
            "embedding": embedding,
            "synthetic": synthetic,
            **figures,
        },
    )
    practice.clusters.all().delete()
    practice.contacts.all().delete()
    practice.facts.all().delete()
    PracticeCluster.objects.bulk_create(
        PracticeCluster(practice=practice, order=i, **c) for i, c in enumerate(record["clusters"])
    )
    PracticeContact.objects.bulk_create(
        PracticeContact(practice=practice, order=i, email_valid=email_is_valid(c["email"]), **c)
        for i, c in enumerate(record["contacts"])
    )
    PracticeFact.objects.bulk_create(_fact_rows(practice, record["facts"]))
    practice.objectives.set(record["objectives"])
    return practice


def _fact_rows(practice: Practice, facts: Iterable[dict[str, Any]]) -> list[PracticeFact]:
    rows = []
    for i, fact in enumerate(facts):
        low = fact.get("value", fact.get("min"))
        high = fact.get("value", fact.get("max"))
        rows.append(
            PracticeFact(
                practice=practice,
                order=i,
                kind=fact["kind"],
                label=fact["label"],
                minimum=low,
                maximum=high,
                unit=fact["unit"],
                per=fact.get("per", ""),
                approx=fact.get("approx", False),
            )
        )
    return rows


def catalogue_load(*, data_dir: Path | None = None, force: bool = False) -> LoadReport:
    """Load the toolbox data files idempotently.

    A second run changes nothing. A practice edited in the app since the last load is kept and
    reported, unless ``force`` is given. Malformed files raise ``records.DataError`` before any
    write, and all writes share one transaction.
    """
    toolbox = read_toolbox(data_dir)
    report = LoadReport()
    units = toolbox.vocabulary["units"]
    existing = {
        p.id: p
        for p in Practice.objects.filter(id__in=[r["id"] for r in toolbox.practices])
        .select_related("field")
        .prefetch_related("clusters", "contacts", "facts", "objectives")
    }
    to_write: list[tuple[dict[str, Any], str]] = []
    for record in toolbox.practices:
        current = existing.get(record["id"])
        if current is None:
            to_write.append((record, "created"))
            continue
        if current.origin == "curation" and not force:
            # A practice published through curation took this id; a data file does not
            # silently replace it.
            report.kept_edited.append(record["id"])
            report.edited_keys[record["id"]] = ["published through curation"]
            continue
        content = current.to_record()
        edited = current.edited_keys(content)
        if edited and not force:
            report.kept_edited.append(record["id"])
            report.edited_keys[record["id"]] = edited
        elif content == record and current.loaded_record == record and current.embedding:
            report.unchanged.append(record["id"])
        else:
            to_write.append((record, "updated"))
    # The embeddings are computed before the transaction so the write lock is held briefly.
    embeddings = _embed([r for r, _a in to_write], toolbox.vocabulary)
    with transaction.atomic():
        _write_fields(toolbox, report)
        for (record, action), embedding in zip(to_write, embeddings, strict=True):
            before = existing[record["id"]].to_record() if record["id"] in existing else None
            practice_write(record=record, units=units, embedding=embedding, loaded_record=record)
            getattr(report, action).append(record["id"])
            audit_record(
                actor=None,
                actor_label=LOAD_ACTOR,
                action=f"practice.{action}",
                object_type="catalogue.practice",
                object_id=record["id"],
                changes=_diff(before, record),
            )
    return report


def _diff(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, Any]:
    if before is None:
        return {"created": True}
    return {
        key: {"before": before.get(key), "after": value}
        for key, value in after.items()
        if before.get(key) != value
    }


def practice_refresh(*, practice: Practice, actor: Any, before: dict[str, Any] | None) -> Practice:
    """Recompute what derives from a practice after an edit in the app, and audit the edit."""
    toolbox_vocab = vocabulary()
    record = practice.to_record()
    figures = derived_figures(record["facts"], toolbox_vocab["units"])
    for name, value in figures.items():
        setattr(practice, name, value)
    practice.embedding = _embed([record], toolbox_vocab)[0]
    for contact in practice.contacts.all():
        valid = email_is_valid(contact.email)
        if contact.email_valid != valid:
            PracticeContact.objects.filter(pk=contact.pk).update(email_valid=valid)
    Practice.objects.filter(pk=practice.pk).update(
        embedding=practice.embedding, updated_at=timezone.now(), **figures
    )
    audit_record(
        actor=actor,
        action="practice.edited",
        object_type="catalogue.practice",
        object_id=practice.id,
        changes=_diff(before, record),
    )
    return practice


class PracticeRecordError(ValueError):
    """A record that cannot become a practice; ``problems`` name the field and the reason."""

    def __init__(self, problems: list[Any]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def practice_record_check(
    raw: dict[str, Any], *, path: str = "one-pager"
) -> tuple[dict[str, Any] | None, list[Any]]:
    """Check a record by the rules of the data files against the fields in the database.

    Returns the normalised record (or None) and the problems, each naming the field.
    """
    fields = [
        {"id": f.id, "order": f.order, "objectives": [{"id": o.id} for o in f.objectives.all()]}
        for f in Field.objects.prefetch_related("objectives")
    ]
    toolbox = Toolbox(fields=fields, vocabulary=vocabulary(), methodology={})
    problems: list[Any] = []
    checked = check_practice(raw, toolbox, path=path, problems=problems)
    return checked, problems


def practice_next_number(field_id: str) -> int:
    """The next free number in a field (withdrawn practices keep theirs)."""
    from django.db.models import Max

    top = Practice.objects.filter(field_id=field_id).aggregate(n=Max("number"))["n"]
    return (top or 0) + 1


def practice_publish_record(
    *,
    actor: Any,
    record: dict[str, Any],
    practice_id: str | None = None,
    source: str = "",
) -> Practice:
    """Write a checked one-pager into the toolbox as a published practice.

    ``record`` has the shape of a practice file without id and number (see docs/data-format.md).
    With ``practice_id`` the existing practice is replaced (a re-publication keeps its id); without
    it the practice takes the next free number in its field. The record is checked by the same
    rules as the data files; problems raise PracticeRecordError and nothing is written.
    """
    vocab = vocabulary()
    with transaction.atomic():
        existing = (
            Practice.objects.select_for_update().filter(id=practice_id).first()
            if practice_id
            else None
        )
        field_id = str(record.get("field", ""))
        if existing is not None and existing.field_id == field_id:
            number = existing.number
            new_id = existing.id
        else:
            number = practice_next_number(field_id) if field_id else 1
            new_id = f"{field_id}-{number}"
        checked, problems = practice_record_check(
            {**record, "id": new_id, "number": number}, path=source or "one-pager"
        )
        if checked is None:
            raise PracticeRecordError(problems)
        if existing is not None and existing.id != new_id:
            # Moved to another field: the old id is withdrawn, the new one takes over.
            Practice.objects.filter(pk=existing.pk).update(published=False)
        before = existing.to_record() if existing is not None and existing.id == new_id else None
        embedding = _embed([checked], vocab)[0]
        practice = practice_write(record=checked, units=vocab["units"], embedding=embedding)
        Practice.objects.filter(pk=practice.pk).update(
            published=True, origin="curation", published_at=timezone.now()
        )
        practice.refresh_from_db()
        audit_record(
            actor=actor,
            action="practice.published",
            object_type="catalogue.practice",
            object_id=practice.id,
            changes={"source": source, **_diff(before, checked)},
        )
    return practice


def practice_set_published(
    *, actor: Any, practice_id: str, published: bool, reason: str = ""
) -> Practice:
    """Show (publish) or hide (withdraw) a practice in the public toolbox."""
    with transaction.atomic():
        practice = Practice.objects.select_for_update().get(id=practice_id)
        if practice.published == published:
            return practice
        practice.published = published
        if published:
            practice.published_at = timezone.now()
        practice.save(update_fields=["published", "published_at", "updated_at"])
        audit_record(
            actor=actor,
            action="practice.published" if published else "practice.withdrawn",
            object_type="catalogue.practice",
            object_id=practice.id,
            changes={"published": {"before": not published, "after": published}, "reason": reason},
        )
    return practice
