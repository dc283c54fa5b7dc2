"""One-pagers in and out as JSON, CSV and XLSX, so a whole survey round can be loaded and
re-scored.

Spreadsheets have one row per one-pager. Lists are written "a; b"; clusters, contacts and
funding sources as "name | website; ..." ; facts have columns of their own (fact_1_kind,
fact_1_label, fact_1_value, fact_1_min, fact_1_max, fact_1_unit, fact_1_per, fact_1_approx, ...)
so that figures stay numbers. An import checks every row first and writes all or nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from tact.accounts.models import ClusterInitiative
from tact.core.datafiles import DataError, Problem
from tact.core.tabular import CONTENT_TYPES, read_rows, write_rows

from . import content, services
from .models import Campaign, OnePager, State

FORMATS = ("json", "csv", "xlsx")
MAX_BYTES = 10 * 1024 * 1024
IMPORT_STATES = (State.DRAFT, State.SUBMITTED)
LIST_COLUMNS = (
    "formats", "target_groups", "sectors", "objectives", "keywords", "beneficiaries",
    "activities", "success_factors", "challenges",
)  # fmt: skip
PIPE_COLUMNS = {
    "clusters": ("name", "website"),
    "contacts": ("person", "organisation", "email"),
    "funding_sources": ("source", "note"),
}
FACT_FIELDS = ("kind", "label", "value", "min", "max", "unit", "per", "approx")
SCORE_COLUMNS = (
    "score", "completeness", "soundness", "reviewers", "disagreement", "uniqueness",
    "nearest", "suggested_field", "field_confidence", "suggested_objectives", "selected",
    "practice",
)  # fmt: skip


def problem(path: str, record: str, field_name: str, message: str) -> Problem:
    return Problem(path, record, field_name, message)


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


# --- export -------------------------------------------------------------------------------------


def one_pager_object(one_pager: OnePager) -> dict[str, Any]:
    return {
        "reference": one_pager.reference,
        "cluster": one_pager.cluster.name,
        "state": one_pager.state,
        "version": one_pager.version,
        "selected": one_pager.selected,
        "practice": one_pager.practice_id,
        "one_pager": content.normalise(one_pager.data),
        "scores": one_pager.scores,
    }


def _flat(one_pager: OnePager, facts: int) -> dict[str, Any]:
    data = content.normalise(one_pager.data)
    scores = one_pager.scores or {}
    row: dict[str, Any] = {
        "reference": one_pager.reference,
        "cluster": one_pager.cluster.name,
        "state": one_pager.state,
        "field": data["field"],
        "title": data["title"],
        "summary": data["summary"],
        "description": data["description"],
        "country": data["region"].get("country", ""),
        "nuts": data["region"].get("nuts", ""),
        "region": data["region"].get("name", ""),
        "cross_border": bool(data["scope"].get("cross_border")),
        "cross_cluster": bool(data["scope"].get("cross_cluster")),
        "scope_note": data["scope"].get("note", ""),
    }
    for name in LIST_COLUMNS:
        row[name] = [str(v) for v in data[name]]
    for name, keys in PIPE_COLUMNS.items():
        row[name] = "; ".join(
            " | ".join(str(item.get(k, "") or "") for k in keys).rstrip(" |")
            for item in data[name]
            if isinstance(item, dict)
        )
    for i in range(facts):
        fact = data["facts"][i] if i < len(data["facts"]) else {}
        fact = fact if isinstance(fact, dict) else {}
        for name in FACT_FIELDS:
            value = fact.get(name, "")
            row[f"fact_{i + 1}_{name}"] = ("true" if value else "") if name == "approx" else value
    suggestion = scores.get("suggestion", {})
    nearest = scores.get("uniqueness", {}).get("nearest", [])
    row.update(
        {
            "score": one_pager.score,
            "completeness": scores.get("completeness", {}).get("score"),
            "soundness": scores.get("soundness", {}).get("score"),
            "reviewers": scores.get("soundness", {}).get("reviewers"),
            "disagreement": scores.get("soundness", {}).get("disagreement", []),
            "uniqueness": scores.get("uniqueness", {}).get("score"),
            "nearest": nearest[0]["key"] if nearest else "",
            "suggested_field": suggestion.get("field", ""),
            "field_confidence": suggestion.get("confidence"),
            "suggested_objectives": [o["objective"] for o in suggestion.get("objectives", [])],
            "selected": one_pager.selected,
            "practice": one_pager.practice_id,
        }
    )
    return row


def columns(facts: int) -> list[str]:
    base = [
        "reference", "cluster", "state", "field", "title", "summary", "description", "clusters",
        "country", "nuts", "region", "contacts", *LIST_COLUMNS, "funding_sources",
        "cross_border", "cross_cluster", "scope_note",
    ]  # fmt: skip
    fact_columns = [f"fact_{i + 1}_{n}" for i in range(facts) for n in FACT_FIELDS]
    return [*base, *fact_columns, *SCORE_COLUMNS]


def export_one_pagers(campaign: Campaign, fmt: str) -> tuple[bytes, str]:
    """The campaign's one-pagers with their scores; returns the bytes and the content type."""
    items = list(campaign.one_pagers.select_related("cluster").order_by("reference"))
    if fmt == "json":
        body = json.dumps(
            {"campaign": campaign.name, "one_pagers": [one_pager_object(o) for o in items]},
            ensure_ascii=False,
            indent=2,
        )
        return body.encode("utf-8"), "application/json; charset=utf-8"
    facts = max([len(content.normalise(o.data)["facts"]) for o in items] + [1])
    rows = [_flat(o, facts) for o in items]
    return write_rows(columns(facts), rows, fmt), CONTENT_TYPES[fmt]


# --- import -------------------------------------------------------------------------------------


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]


def _pipes(text: str, keys: tuple[str, ...]) -> list[dict[str, str]]:
    rows = []
    for part in _split(text):
        cells = [c.strip() for c in part.split("|")]
        cells += [""] * (len(keys) - len(cells))
        rows.append(
            dict(
                zip(
                    keys, [*cells[: len(keys) - 1], " | ".join(cells[len(keys) - 1 :])], strict=True
                )
            )
        )
    return rows


def _truth(text: str) -> bool:
    return text.strip().lower() in ("1", "true", "yes", "y", "x", "ja", "wahr")


def _from_row(values: dict[str, str]) -> dict[str, Any]:
    data = content.empty()
    for key in ("field", "title", "summary", "description"):
        data[key] = values.get(key, "")
    data["region"] = {
        "country": values.get("country", "").upper(),
        "nuts": values.get("nuts", "").upper(),
        "name": values.get("region", ""),
    }
    for name in LIST_COLUMNS:
        data[name] = _split(values.get(name, ""))
    for name, keys in PIPE_COLUMNS.items():
        data[name] = _pipes(values.get(name, ""), keys)
    data["scope"] = {
        "cross_border": _truth(values.get("cross_border", "")),
        "cross_cluster": _truth(values.get("cross_cluster", "")),
        "note": values.get("scope_note", ""),
    }
    numbers = sorted({int(m.group(1)) for k in values if (m := re.fullmatch(r"fact_(\d+)_\w+", k))})
    facts = []
    for n in numbers:
        cell = {name: values.get(f"fact_{n}_{name}", "") for name in FACT_FIELDS}
        if not any(cell[k] for k in ("label", "value", "min", "max")):
            continue
        fact: dict[str, Any] = {"kind": cell["kind"], "label": cell["label"]}
        for name in ("value", "min", "max"):
            if cell[name]:
                fact[name] = content.parse_number(cell[name])
        fact["unit"] = cell["unit"]
        if cell["per"]:
            fact["per"] = cell["per"]
        if _truth(cell["approx"]):
            fact["approx"] = True
        facts.append(fact)
    data["facts"] = facts
    return data


def _json_items(data: bytes, filename: str) -> list[tuple[str, dict[str, Any]]]:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(
            [Problem(filename, "", "", _("not valid JSON: %(e)s") % {"e": exc})]
        ) from None
    items = doc.get("one_pagers") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise DataError(
            [Problem(filename, "", "", _('expected a list of one-pagers or {"one_pagers": [...]}'))]
        )
    out = []
    for index, item in enumerate(items, start=1):
        record = _("one-pager %(n)d") % {"n": index}
        if not isinstance(item, dict):
            out.append((record, {"_bad": True}))
            continue
        body = item.get("one_pager", item.get("data"))
        if not isinstance(body, dict):
            body = {k: v for k, v in item.items() if k not in ("reference", "cluster", "state")}
        out.append(
            (
                record,
                {
                    "reference": str(item.get("reference", "") or ""),
                    "cluster": str(item.get("cluster", "") or ""),
                    "state": str(item.get("state", "") or ""),
                    "data": content.normalise(body),
                },
            )
        )
    return out


def _parse(data: bytes, filename: str) -> list[tuple[str, dict[str, Any]]]:
    if filename.lower().endswith(".json"):
        return _json_items(data, filename)
    rows = read_rows(data, filename, required=("cluster", "title"))
    return [
        (
            row.record,
            {
                "reference": row.get("reference"),
                "cluster": row.get("cluster"),
                "state": row.get("state"),
                "data": _from_row(row.values),
            },
        )
        for row in rows
    ]


def import_one_pagers(
    *, actor: Any, campaign: Campaign, data: bytes, filename: str, dry_run: bool = False
) -> ImportReport:
    """Check every one-pager of the file; write all of them, or none if any has a problem.

    A reference already in the campaign replaces that one-pager's content (while it is a draft
    or submitted), so a corrected file can be loaded again; the state is draft or submitted
    (the default), and a submitted one must pass the submission checks.
    """
    report = ImportReport(dry_run=dry_run)
    try:
        items = _parse(data, filename)
    except DataError as exc:
        report.problems = list(exc.problems)
        return report
    region_ids = set(campaign.regions.values_list("pk", flat=True))
    existing = {o.reference: o for o in campaign.one_pagers.all()}
    seen: set[str] = set()
    plan: list[services.ImportItem] = []
    for record, item in items:
        bad = len(report.problems)
        item = {k: content.clean(v) if k != "data" else v for k, v in item.items()}

        def add(field_name: str, message: str, record: str = record) -> None:
            report.problems.append(Problem(filename, record, field_name, message))

        if item.get("_bad"):
            add("", _("must be an object"))
            continue
        reference = item["reference"].strip()[:64]
        if reference:
            if reference in seen:
                add("reference", _("%(r)s appears twice in the file") % {"r": reference})
            seen.add(reference)
        cluster = ClusterInitiative.objects.filter(name__iexact=item["cluster"].strip()).first()
        if not item["cluster"].strip():
            add("cluster", _("required: the name of the cluster initiative"))
        elif cluster is None:
            add("cluster", _("no cluster initiative is called %(n)r") % {"n": item["cluster"]})
        elif cluster.region_id not in region_ids:
            add("cluster", _("%(n)s does not lie in the campaign's regions") % {"n": cluster.name})
        state = item["state"].strip() or State.SUBMITTED
        if state not in IMPORT_STATES:
            add("state", _("must be draft or submitted, not %(s)r") % {"s": state})
        if state == State.SUBMITTED:
            for key, messages in content.problems(item["data"]).items():
                for message in messages:
                    add(key, message)
        target = existing.get(reference) if reference else None
        if target is not None and target.state not in IMPORT_STATES:
            add(
                "reference",
                _("%(r)s is already %(s)s in this campaign and is not replaced")
                % {"r": reference, "s": target.get_state_display()},
            )
        if len(report.problems) == bad and cluster is not None:
            plan.append(
                services.ImportItem(
                    reference=reference,
                    cluster=cluster,
                    state=state,
                    data=item["data"],
                    existing=target,
                )
            )
            (report.updated if target else report.created).append(
                reference or item["data"]["title"]
            )
    if not items and not report.problems:
        report.problems.append(Problem(filename, "", "", _("the file holds no one-pager")))
    if report.problems or dry_run:
        return report
    services.one_pagers_import(actor=actor, campaign=campaign, items=plan, source=filename)
    return report
