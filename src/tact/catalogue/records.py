"""Reading and checking the toolbox data files (no database here).

Every problem is reported with the file, the record and the field, and all problems of a load are
collected before anything is written, so one run tells the curator everything to fix.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from tact.core.datafiles import DataError, Problem

DATA_DIR = Path(__file__).resolve().parent / "data"
PRACTICE_ID = re.compile(r"^(?P<field>[a-z]+)-(?P<number>[1-9][0-9]*)$")

LIST_OF_STRINGS = ("keywords", "beneficiaries", "activities", "success_factors", "challenges")
REQUIRED_TEXT = ("title", "summary", "description")


@dataclass
class Toolbox:
    fields: list[dict[str, Any]]
    vocabulary: dict[str, Any]
    methodology: dict[str, Any]
    practices: list[dict[str, Any]] = field(default_factory=list)

    def objective_ids(self) -> set[str]:
        return {o["id"] for f in self.fields for o in f["objectives"]}


def _read_yaml(path: Path, problems: list[Problem]) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        problems.append(Problem(str(path), "", "", "file not found"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        problems.append(Problem(str(path), "", "", f"not valid YAML: {exc}"))
    return None


@functools.cache
def vocabulary() -> dict[str, Any]:
    """The shipped controlled vocabularies (labels of formats, target groups, units)."""
    with (DATA_DIR / "vocabulary.yaml").open(encoding="utf-8") as handle:
        return dict(yaml.safe_load(handle))


@functools.cache
def methodology() -> dict[str, Any]:
    """The survey figures, the publication and the partners (methodology.yaml)."""
    with (DATA_DIR / "methodology.yaml").open(encoding="utf-8") as handle:
        return dict(yaml.safe_load(handle))


def read_toolbox(data_dir: Path | None = None) -> Toolbox:
    """Read and check every data file; raise DataError listing all problems."""
    data_dir = data_dir or DATA_DIR
    problems: list[Problem] = []
    fields_doc = _read_yaml(data_dir / "fields.yaml", problems) or {}
    vocabulary = _read_yaml(data_dir / "vocabulary.yaml", problems) or {}
    methodology = _read_yaml(data_dir / "methodology.yaml", problems) or {}
    fields = _check_fields(fields_doc, str(data_dir / "fields.yaml"), problems)
    toolbox = Toolbox(fields=fields, vocabulary=vocabulary, methodology=methodology)
    for key in ("formats", "target_groups", "sectors", "units", "fact_kinds"):
        if not isinstance(vocabulary.get(key), dict):
            problems.append(
                Problem(str(data_dir / "vocabulary.yaml"), "", key, "missing or not a mapping")
            )
    if problems:
        raise DataError(problems)

    paths = sorted((data_dir / "practices").glob("*.yaml"))
    if not paths:
        problems.append(Problem(str(data_dir / "practices"), "", "", "no practice files found"))
    seen: dict[tuple[str, int], str] = {}
    for path in paths:
        raw = _read_yaml(path, problems)
        if raw is None:
            continue
        record = check_practice(raw, toolbox, path=str(path), problems=problems)
        if record is None:
            continue
        key = (record["field"], record["number"])
        if key in seen:
            problems.append(
                Problem(str(path), record["id"], "number", f"same field and number as {seen[key]}")
            )
        seen[key] = str(path)
        toolbox.practices.append(record)
    if problems:
        raise DataError(problems)
    toolbox.practices.sort(key=lambda r: (_field_order(toolbox, r["field"]), r["number"]))
    return toolbox


def _field_order(toolbox: Toolbox, field_id: str) -> int:
    return next(f["order"] for f in toolbox.fields if f["id"] == field_id)


def _check_fields(doc: Any, path: str, problems: list[Problem]) -> list[dict[str, Any]]:
    if not isinstance(doc, dict) or not isinstance(doc.get("fields"), list):
        if doc:
            problems.append(Problem(path, "", "fields", "must be a list of fields"))
        return []
    result = []
    objective_ids: set[str] = set()
    for index, item in enumerate(doc["fields"], start=1):
        rec = str(item.get("id", f"#{index}")) if isinstance(item, dict) else f"#{index}"
        if not isinstance(item, dict):
            problems.append(Problem(path, rec, "", "must be a mapping"))
            continue
        for key in ("id", "name", "definition"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                problems.append(Problem(path, rec, key, "required text is missing"))
        objectives = item.get("objectives")
        if not isinstance(objectives, list) or not objectives:
            problems.append(Problem(path, rec, "objectives", "must list at least one objective"))
            objectives = []
        clean_objectives = []
        for o_index, objective in enumerate(objectives, start=1):
            if (
                not isinstance(objective, dict)
                or not objective.get("id")
                or not objective.get("name")
            ):
                problems.append(
                    Problem(path, rec, f"objectives[{o_index}]", "needs an id and a name")
                )
                continue
            if objective["id"] in objective_ids:
                problems.append(
                    Problem(path, rec, f"objectives[{o_index}]", f"duplicate id {objective['id']}")
                )
            objective_ids.add(objective["id"])
            clean_objectives.append(
                {
                    "id": str(objective["id"]),
                    "name": str(objective["name"]),
                    "description": str(objective.get("description", "")),
                }
            )
        result.append(
            {
                "id": str(item.get("id", "")),
                "name": str(item.get("name", "")),
                "definition": str(item.get("definition", "")).strip(),
                "order": int(item.get("order", index)),
                "colour": str(item.get("colour", "#555555")),
                "objectives": clean_objectives,
            }
        )
    return result


def check_practice(
    raw: Any, toolbox: Toolbox, *, path: str, problems: list[Problem]
) -> dict[str, Any] | None:
    """Check one practice record and return it normalised (the shape of Practice.to_record())."""
    if not isinstance(raw, dict):
        problems.append(Problem(path, "", "", "a practice file must hold one mapping"))
        return None
    before = len(problems)
    rid = str(raw.get("id", "")).strip()

    def problem(field_name: str, message: str) -> None:
        problems.append(Problem(path, rid or "?", field_name, message))

    known = {
        "id", "field", "number", "title", "clusters", "region", "contacts", "summary",
        "description", "formats", "target_groups", "sectors", "objectives", "facts", "funding_sources",
        "scope", *LIST_OF_STRINGS,
    }  # fmt: skip
    for key in sorted(set(raw) - known):
        problem(str(key), "unknown field")

    match = PRACTICE_ID.match(rid)
    field_ids = {f["id"] for f in toolbox.fields}
    if not match:
        problem("id", "must look like <field>-<number>, for example education-1")
    elif Path(path).stem != rid and Path(path).suffix == ".yaml":
        problem("id", f"must match the file name ({Path(path).stem})")
    field_id = raw.get("field")
    # Anything may come in (a data file, a one-pager body): unhashable values are not ids.
    if not isinstance(field_id, str) or field_id not in field_ids:
        problem("field", f"{field_id!r} is not one of {', '.join(sorted(field_ids))}")
    number = raw.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        problem("number", "must be a positive whole number")
    elif match and (match["field"] != field_id or int(match["number"]) != number):
        problem("id", "must be the field and the number joined by a hyphen")
    for key in REQUIRED_TEXT:
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            problem(key, "required text is missing")

    clusters = _list_of_mappings(raw, "clusters", ("name",), ("website",), problem, required=True)
    contacts = _list_of_mappings(
        raw, "contacts", ("person",), ("organisation", "email"), problem, required=True
    )
    region = raw.get("region") or {}
    if not isinstance(region, dict):
        problem("region", "must be a mapping with country, nuts and name")
        region = {}
    country = str(region.get("country", "") or "")
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        problem("region.country", f"{country!r} is not a two-letter country code")
    nuts = str(region.get("nuts", "") or "")
    if nuts and not re.fullmatch(r"[A-Z]{2}[0-9A-Z]{0,3}", nuts):
        problem("region.nuts", f"{nuts!r} is not a NUTS code")
    elif nuts and country and not nuts.startswith(country if country != "GR" else "EL"):
        problem("region.nuts", f"{nuts} does not lie in {country}")

    vocab = toolbox.vocabulary
    formats = _controlled(raw, "formats", vocab["formats"], problem)
    target_groups = _controlled(raw, "target_groups", vocab["target_groups"], problem)
    sectors = _controlled(raw, "sectors", vocab["sectors"], problem)
    objectives = _controlled(raw, "objectives", toolbox.objective_ids(), problem)
    lists = {}
    for key in LIST_OF_STRINGS:
        value = raw.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            problem(key, "must be a list of texts")
            value = []
        lists[key] = [v.strip() for v in value]
    facts = [
        fact
        for index, item in enumerate(_as_list(raw, "facts", problem), start=1)
        if (fact := check_fact(item, vocab, f"facts[{index}]", problem)) is not None
    ]
    funding = _list_of_mappings(raw, "funding_sources", ("source",), ("note",), problem)
    scope = raw.get("scope") or {}
    if not isinstance(scope, dict):
        problem("scope", "must be a mapping")
        scope = {}
    for flag in ("cross_border", "cross_cluster"):
        if not isinstance(scope.get(flag, False), bool):
            problem(f"scope.{flag}", "must be true or false")

    if len(problems) > before:
        return None
    return {
        "id": rid,
        "field": field_id,
        "number": number,
        "title": raw["title"].strip(),
        "clusters": clusters,
        "region": {"country": country, "nuts": nuts, "name": str(region.get("name", "") or "")},
        "contacts": contacts,
        "summary": _paragraphs(raw["summary"]),
        "description": _paragraphs(raw["description"]),
        "formats": formats,
        "target_groups": target_groups,
        "sectors": sectors,
        "objectives": sorted(objectives),
        "keywords": lists["keywords"],
        "beneficiaries": lists["beneficiaries"],
        "activities": lists["activities"],
        "facts": facts,
        "funding_sources": funding,
        "success_factors": lists["success_factors"],
        "challenges": lists["challenges"],
        "scope": {
            "cross_border": bool(scope.get("cross_border", False)),
            "cross_cluster": bool(scope.get("cross_cluster", False)),
            "note": str(scope.get("note", "") or "").strip(),
        },
    }


def _paragraphs(text: str) -> str:
    """Unwrap hard line breaks inside paragraphs; blank lines separate paragraphs."""
    blocks = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(" ".join(block.split()) for block in blocks if block.strip())


def _as_list(raw: dict[str, Any], key: str, problem: Any) -> list[Any]:
    value = raw.get(key) or []
    if not isinstance(value, list):
        problem(key, "must be a list")
        return []
    return value


def _list_of_mappings(
    raw: dict[str, Any],
    key: str,
    required_keys: tuple[str, ...],
    optional_keys: tuple[str, ...],
    problem: Any,
    *,
    required: bool = False,
) -> list[dict[str, str]]:
    items = _as_list(raw, key, problem)
    if required and not items:
        problem(key, "at least one entry is required")
    result = []
    for index, item in enumerate(items, start=1):
        where = f"{key}[{index}]"
        if not isinstance(item, dict):
            problem(where, "must be a mapping")
            continue
        for extra in sorted(set(item) - set(required_keys) - set(optional_keys)):
            problem(f"{where}.{extra}", "unknown field")
        entry = {}
        for name in required_keys:
            value = item.get(name)
            if not isinstance(value, str) or not value.strip():
                problem(f"{where}.{name}", "required text is missing")
                value = ""
            entry[name] = value.strip()
        for name in optional_keys:
            value = item.get(name) or ""
            if not isinstance(value, str):
                problem(f"{where}.{name}", "must be text")
                value = ""
            entry[name] = value.strip()
        result.append(entry)
    return result


def _controlled(raw: dict[str, Any], key: str, allowed: Iterable[str], problem: Any) -> list[str]:
    allowed = set(allowed)
    values = _as_list(raw, key, problem)
    result = []
    for value in values:
        if not isinstance(value, str) or value not in allowed:
            problem(key, f"{value!r} is not a known value (see vocabulary.yaml or fields.yaml)")
        elif value in result:
            problem(key, f"{value!r} is listed twice")
        else:
            result.append(value)
    return result


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def check_fact(item: Any, vocab: dict[str, Any], where: str, problem: Any) -> dict[str, Any] | None:
    if not isinstance(item, dict):
        problem(where, "must be a mapping")
        return None
    ok = True

    def bad(name: str, message: str) -> None:
        nonlocal ok
        ok = False
        problem(f"{where}.{name}" if name else where, message)

    for extra in sorted(
        set(item) - {"kind", "label", "value", "min", "max", "unit", "per", "approx"}
    ):
        bad(str(extra), "unknown field")
    if not isinstance(item.get("kind"), str) or item["kind"] not in vocab["fact_kinds"]:
        bad("kind", f"{item.get('kind')!r} is not a fact kind of vocabulary.yaml")
    if not isinstance(item.get("label"), str) or not item["label"].strip():
        bad("label", "required text is missing")
    if not isinstance(item.get("unit"), str) or item["unit"] not in vocab["units"]:
        bad("unit", f"{item.get('unit')!r} is not a unit of vocabulary.yaml")
    numbers = {}
    for name in ("value", "min", "max"):
        if name in item:
            number = _number(item[name])
            if number is None:
                bad(name, f"must be a number, not {item[name]!r}")
            elif number < 0:
                bad(name, "must not be negative")
            else:
                numbers[name] = number
    if "value" in item and ("min" in item or "max" in item):
        bad("value", "give either value or min/max, not both")
    if not {"value", "min", "max"} & set(item):
        bad("value", "a fact needs a value or a min/max range")
    if "min" in numbers and "max" in numbers and numbers["min"] > numbers["max"]:
        bad("min", f"{numbers['min']:g} is larger than max {numbers['max']:g}")
    per = item.get("per", "")
    if per is not None and not isinstance(per, str):
        bad("per", "must be text")
    if not isinstance(item.get("approx", False), bool):
        bad("approx", "must be true or false")
    if not ok:
        return None
    low = numbers.get("value", numbers.get("min"))
    high = numbers.get("value", numbers.get("max"))
    record: dict[str, Any] = {"kind": item["kind"], "label": item["label"].strip()}
    if low is not None and low == high:
        record["value"] = _plain(low)
    else:
        if low is not None:
            record["min"] = _plain(low)
        if high is not None:
            record["max"] = _plain(high)
    record["unit"] = item["unit"]
    if per:
        record["per"] = per.strip()
    if item.get("approx"):
        record["approx"] = True
    return record


def _plain(value: float) -> int | float:
    return int(value) if value.is_integer() else value


def email_is_valid(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True
