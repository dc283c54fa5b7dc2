"""From answers to a result: scores, gaps and recommendations (maturity) or key figures (HR).

Pure functions of a model definition and the answers; the result is stored on the response and
its numbers go to the benchmark database as ``Figure`` rows.
"""

from __future__ import annotations

import math
from typing import Any

from tact.algorithms import assessment as algo

from .definitions import items, maturity_model


def _side(answers: dict[str, Any], side: str) -> dict[str, algo.Answer]:
    out: dict[str, algo.Answer] = {}
    for item_id, value in answers.items():
        v = value.get(side) if isinstance(value, dict) else None
        out[item_id] = v
    return out


def clean_maturity_answers(definition: dict[str, Any], raw: dict[str, Any]) -> dict[str, Any]:
    """Keep known items; raise AnswerError naming the first bad item."""
    model = maturity_model(definition)
    cleaned: dict[str, Any] = {}
    for item in items(definition):
        value = raw.get(item["id"])
        if isinstance(value, dict):
            cleaned[item["id"]] = {
                "current": value.get("current"),
                "target": value.get("target"),
            }
    unknown = sorted(set(raw) - set(cleaned) - {i["id"] for i in items(definition)})
    if unknown:
        raise algo.AnswerError(unknown[0], "no such question in this model")
    for side in ("current", "target"):
        algo.score(model, _side(cleaned, side))  # raises AnswerError for a bad level
    return cleaned


def maturity_result(definition: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    model = maturity_model(definition)
    current = algo.score(model, _side(answers, "current"))
    target = algo.score(model, _side(answers, "target"))
    dims = []
    for dim_def, cur, gap in zip(
        definition["dimensions"], current.dimensions, algo.gaps(current, target), strict=True
    ):
        level = None if cur.level is None else math.floor(cur.level + 1e-9)
        recs = [
            r
            for r in dim_def.get("recommendations", [])
            if level is not None and level in r["levels"]
        ]
        dims.append(
            {
                "id": dim_def["id"],
                "name": dim_def["name"],
                "weight": dim_def["weight"],
                "level": cur.level,
                "target": gap.target,
                "gap": gap.gap,
                "fields": cur.fields,
                "recommendations": recs,
            }
        )
    return {
        "kind": "maturity",
        "overall": current.overall,
        "target_overall": target.overall,
        "group": current.group,
        "answered": current.answered,
        "not_relevant": current.not_relevant,
        "missing": list(current.missing),
        "dimensions": dims,
    }


def maturity_metrics(result: dict[str, Any]) -> dict[str, float]:
    out = {"overall": result["overall"]} if result.get("overall") is not None else {}
    for d in result.get("dimensions", []):
        if d["level"] is not None:
            out[f"dim:{d['id']}"] = d["level"]
    return out


def hr_result(raw: dict[str, Any]) -> dict[str, Any]:
    figures = algo.hr_figures(raw)  # raises PlausibilityError naming the fields
    return {
        "kind": "key_figures",
        "figures": {
            k: {"value": f.value, "unit": f.unit, "formula": f.formula} for k, f in figures.items()
        },
    }


def hr_metrics(result: dict[str, Any]) -> dict[str, float]:
    return {k: f["value"] for k, f in result.get("figures", {}).items() if f["value"] is not None}
