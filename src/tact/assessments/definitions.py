"""Reading and checking the assessment model files (no database here).

Every problem names the file, the record and the field; all are collected before anything is
written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tact.algorithms import assessment as algo
from tact.core.datafiles import DataError as DefinitionError
from tact.core.datafiles import Problem

DATA_DIR = Path(__file__).resolve().parent / "data"


def _check_maturity(path: str, data: dict[str, Any], problems: list[Problem]) -> None:
    def need(record: str, obj: Any, name: str, kind: type | tuple[type, ...]) -> Any:
        value = obj.get(name) if isinstance(obj, dict) else None
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            problems.append(
                Problem(path, record, name, f"required, a {getattr(kind, '__name__', kind)}")
            )
            return None
        return value

    levels = need("", data, "levels", dict) or {}
    known_levels = set(levels)
    groups = need("", data, "groups", list) or []
    for i, g in enumerate(groups):
        need(f"groups[{i}]", g, "id", str)
        need(f"groups[{i}]", g, "from", int | float)
    seen: set[str] = set()
    for i, dim in enumerate(need("", data, "dimensions", list) or []):
        rec = f"dimension {dim.get('id', i) if isinstance(dim, dict) else i}"
        need(rec, dim, "id", str)
        need(rec, dim, "name", str)
        weight = need(rec, dim, "weight", int | float)
        if weight is not None and weight <= 0:
            problems.append(Problem(path, rec, "weight", "must be above 0"))
        if dim.get("aggregation") not in algo.AGGREGATIONS:
            problems.append(
                Problem(path, rec, "aggregation", f"one of {', '.join(algo.AGGREGATIONS)}")
            )
        for j, fld in enumerate(need(rec, dim, "fields", list) or []):
            frec = f"{rec}, field {fld.get('id', j) if isinstance(fld, dict) else j}"
            need(frec, fld, "id", str)
            for item in need(frec, fld, "items", list) or []:
                irec = f"item {item.get('id', '?') if isinstance(item, dict) else '?'}"
                item_id = need(irec, item, "id", str)
                if item_id in seen:
                    problems.append(Problem(path, irec, "id", "used twice"))
                seen.add(item_id or "")
                need(irec, item, "question", str)
                for k, opt in enumerate(need(irec, item, "options", list) or []):
                    level = need(f"{irec}, option {k}", opt, "level", int)
                    if level is not None and level not in known_levels:
                        problems.append(
                            Problem(path, f"{irec}, option {k}", "level", "not one of levels")
                        )
        for k, rec_ in enumerate(dim.get("recommendations") or []):
            rrec = f"{rec}, recommendation {k}"
            need(rrec, rec_, "text", str)
            if not isinstance(rec_.get("levels"), list):
                problems.append(Problem(path, rrec, "levels", "required, a list of levels"))


def _check_key_figures(path: str, data: dict[str, Any], problems: list[Problem]) -> None:
    inputs = [i.get("id") for i in data.get("inputs") or [] if isinstance(i, dict)]
    for name in set(algo.HR_INPUTS) - set(inputs):
        problems.append(Problem(path, "inputs", name, "missing: the formulas need it"))
    for name in set(inputs) - set(algo.HR_INPUTS):
        problems.append(Problem(path, f"input {name}", "id", "no formula uses it"))
    figures = [f.get("id") for f in data.get("figures") or [] if isinstance(f, dict)]
    for name in set(algo.HR_FORMULAS) ^ set(figures):
        problems.append(Problem(path, f"figure {name}", "id", "must match the computed figures"))


def read(path: Path) -> dict[str, Any]:
    problems: list[Problem] = []
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DefinitionError([Problem(str(path), "", "", f"cannot read: {exc}")]) from None
    if not isinstance(data, dict):
        raise DefinitionError([Problem(str(path), "", "", "must be a mapping")])
    for name, kind in (("id", str), ("title", str), ("kind", str), ("version", int)):
        if not isinstance(data.get(name), kind):
            problems.append(Problem(str(path), "", name, f"required, a {kind.__name__}"))
    if data.get("kind") == "maturity":
        _check_maturity(str(path), data, problems)
    elif data.get("kind") == "key_figures":
        _check_key_figures(str(path), data, problems)
    else:
        problems.append(Problem(str(path), "", "kind", "one of maturity, key_figures"))
    if problems:
        raise DefinitionError(problems)
    # JSON keys are strings; levels are kept as "0".."5" after a round trip, so store them so.
    data["levels"] = {str(k): v for k, v in (data.get("levels") or {}).items()}
    return data


def shipped_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.yaml"))


def maturity_model(definition: dict[str, Any]) -> algo.MaturityModel:
    levels = sorted(int(k) for k in definition["levels"])
    return algo.MaturityModel(
        dimensions=tuple(
            algo.Dimension(
                id=d["id"],
                weight=float(d["weight"]),
                aggregation=d["aggregation"],
                fields=tuple(
                    algo.MField(
                        id=f["id"],
                        weight=float(f.get("weight", 1)),
                        items=tuple(
                            algo.Item(
                                id=i["id"],
                                weight=float(i.get("weight", 1)),
                                allow_not_relevant=bool(i.get("not_relevant", True)),
                                levels=tuple(sorted({int(o["level"]) for o in i["options"]})),
                            )
                            for i in f["items"]
                        ),
                    )
                    for f in d["fields"]
                ),
            )
            for d in definition["dimensions"]
        ),
        groups=tuple(algo.Group(g["id"], float(g["from"])) for g in definition.get("groups", [])),
        min_level=levels[0],
        max_level=levels[-1],
    )


def items(definition: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for d in definition["dimensions"] for f in d["fields"] for i in f["items"]]
