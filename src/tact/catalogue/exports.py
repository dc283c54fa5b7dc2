"""The toolbox as JSON and CSV, for the web, the API and the command line."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from .models import Practice, as_number
from .records import vocabulary

CSV_COLUMNS = [
    "id", "field", "number", "title", "clusters", "links", "contacts", "country", "nuts",
    "region", "summary", "formats", "target_groups", "sectors", "objectives", "duration_months", "fee_eur",
    "staff_persons", "participants_max", "facts", "funding_sources", "success_factors",
    "challenges", "cross_border", "cross_cluster", "description",
]  # fmt: skip


def practice_export_record(practice: Practice) -> dict[str, Any]:
    """The data-file record plus what a reader of an export needs without the app."""
    record = practice.to_record()
    record["field_name"] = practice.field.name
    record["links"] = [c.url for c in practice.clusters.all() if c.website]
    record["contacts"] = [
        {**c.to_record(), "email_valid": c.email_valid} for c in practice.contacts.all()
    ]
    record["figures"] = {
        name: None if getattr(practice, name) is None else as_number(getattr(practice, name))
        for name in ("duration_months", "fee_eur", "staff_persons", "participants_max")
    }
    return record


def export_json(practices: Iterable[Practice]) -> str:
    return json.dumps([practice_export_record(p) for p in practices], ensure_ascii=False, indent=2)


def fact_text(fact: dict[str, Any]) -> str:
    units = vocabulary()["units"]
    spec = units.get(fact["unit"], {})
    unit = str(spec.get("label", fact["unit"]))
    if fact.get("value") == 1 and "one" in spec:
        unit = str(spec["one"])
    if "value" in fact:
        amount = f"{fact['value']:g}"
    elif "min" in fact and "max" in fact:
        amount = f"{fact['min']:g}–{fact['max']:g}"
    elif "min" in fact:
        amount = f"≥ {fact['min']:g}"
    else:
        amount = f"≤ {fact['max']:g}"
    approx = "~" if fact.get("approx") else ""
    per = f" per {fact['per']}" if fact.get("per") else ""
    return f"{approx}{amount} {unit}{per}"


def export_csv(practices: Iterable[Practice]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for practice in practices:
        r = practice_export_record(practice)
        figures = r["figures"]
        writer.writerow(
            {
                "id": r["id"],
                "field": r["field"],
                "number": r["number"],
                "title": r["title"],
                "clusters": "; ".join(c["name"] for c in r["clusters"]),
                "links": "; ".join(r["links"]),
                "contacts": "; ".join(
                    f"{c['person']} <{c['email']}> ({c['organisation']})" for c in r["contacts"]
                ),
                "country": r["region"]["country"],
                "nuts": r["region"]["nuts"],
                "region": r["region"]["name"],
                "summary": r["summary"],
                "formats": "; ".join(r["formats"]),
                "target_groups": "; ".join(r["target_groups"]),
                "sectors": "; ".join(r["sectors"]),
                "objectives": "; ".join(r["objectives"]),
                **{k: "" if v is None else v for k, v in figures.items()},
                "facts": "; ".join(f"{f['label']}: {fact_text(f)}" for f in r["facts"]),
                "funding_sources": "; ".join(
                    f["source"] + (f" ({f['note']})" if f["note"] else "")
                    for f in r["funding_sources"]
                ),
                "success_factors": "; ".join(r["success_factors"]),
                "challenges": "; ".join(r["challenges"]),
                "cross_border": r["scope"]["cross_border"],
                "cross_cluster": r["scope"]["cross_cluster"],
                "description": r["description"],
            }
        )
    return buffer.getvalue()
