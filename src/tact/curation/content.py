"""The one-pager template: its fields, parsing the form, checking field by field, diffs.

A one-pager's ``data`` has the shape of a practice file without id and number. Whatever a
person typed is kept (a figure typed as "about 40" stays text), and the checks say what is wrong;
so a draft never loses anything, and submission is refused until every problem is fixed.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping
from typing import Any

import yaml
from django.utils.translation import gettext_lazy as _

from tact.algorithms.curation import Criterion, TemplateItem
from tact.catalogue.records import email_is_valid, vocabulary
from tact.catalogue.services import practice_record_check

LINE_LISTS = ("beneficiaries", "activities", "success_factors", "challenges")
CHOICE_LISTS = ("formats", "target_groups", "sectors", "objectives")
FACT_KEYS = ("kind", "label", "value", "min", "max", "unit", "per")
EXTRA_FACT_ROWS = 3
MAX_FACTS = 40
MAX_TEXT = 20_000
MAX_ITEMS = 200

# What completeness is measured against. The field is not counted: the classifier suggests it.
TEMPLATE: tuple[TemplateItem, ...] = (
    TemplateItem("title", "text", 2.0, min_length=5),
    TemplateItem("summary", "text", 2.0, min_length=60),
    TemplateItem("description", "text", 3.0, min_length=300),
    TemplateItem("clusters", "list", 1.0),
    TemplateItem("contacts", "list", 1.0),
    TemplateItem("region.country", "choice", 0.5),
    TemplateItem("region.name", "text", 0.5),
    TemplateItem("formats", "list", 1.0),
    TemplateItem("target_groups", "list", 1.0),
    TemplateItem("objectives", "list", 1.0),
    TemplateItem("keywords", "list", 0.5),
    TemplateItem("beneficiaries", "list", 1.0),
    TemplateItem("activities", "list", 1.0),
    TemplateItem("facts", "facts", 3.0),
    TemplateItem("funding_sources", "list", 1.0),
    TemplateItem("success_factors", "list", 2.0),
    TemplateItem("challenges", "list", 1.0),
)

# The reviewers' rubric, each criterion rated 1 (poor) to 5 (excellent).
RUBRIC: tuple[Criterion, ...] = (
    Criterion("relevance"),
    Criterion("results"),
    Criterion("transferability"),
    Criterion("clarity"),
    Criterion("novelty"),
)
RUBRIC_LABELS = {
    "relevance": _("Relevance for other cluster initiatives"),
    "results": _("Evidence of results"),
    "transferability": _("Transferability to other regions"),
    "clarity": _("Clarity and completeness of the description"),
    "novelty": _("Novelty of the service"),
}
SCALE = (1, 5)

LABELS = {
    "field": _("Field"),
    "title": _("Title"),
    "summary": _("Summary"),
    "description": _("Description"),
    "clusters": _("Cluster initiatives"),
    "contacts": _("Contacts"),
    "region": _("Region"),
    "region.country": _("Country"),
    "region.nuts": _("NUTS region"),
    "region.name": _("Region name"),
    "formats": _("Formats"),
    "target_groups": _("Target groups"),
    "sectors": _("Sectors"),
    "objectives": _("Target Board objectives"),
    "keywords": _("Keywords"),
    "beneficiaries": _("Beneficiaries"),
    "activities": _("Activities"),
    "facts": _("Facts and figures"),
    "funding_sources": _("Funding sources"),
    "success_factors": _("Key success factors"),
    "challenges": _("Challenges"),
    "scope": _("Scope"),
}


def empty() -> dict[str, Any]:
    return {
        "field": "",
        "title": "",
        "clusters": [],
        "region": {"country": "", "nuts": "", "name": ""},
        "contacts": [],
        "summary": "",
        "description": "",
        "formats": [],
        "target_groups": [],
        "sectors": [],
        "objectives": [],
        "keywords": [],
        "beneficiaries": [],
        "activities": [],
        "facts": [],
        "funding_sources": [],
        "success_factors": [],
        "challenges": [],
        "scope": {"cross_border": False, "cross_cluster": False, "note": ""},
    }


def normalise(raw: Any) -> dict[str, Any]:
    """Any mapping (an import, an API body) in the one-pager shape; unknown keys are dropped."""
    data = empty()
    if not isinstance(raw, Mapping):
        return data
    raw = clean(raw)
    for key, default in data.items():
        value = raw.get(key)
        if value is None:
            continue
        if isinstance(default, dict):
            if isinstance(value, Mapping):
                data[key] = {k: value[k] for k in default if k in value and value[k] is not None}
                data[key] = {**default, **data[key]}
        elif isinstance(default, list):
            if isinstance(value, list):
                data[key] = list(value)[:MAX_ITEMS]
        elif not isinstance(value, list | dict):
            data[key] = str(value)[:MAX_TEXT]
    return data


def clean(value: Any, depth: int = 0) -> Any:
    """Storable JSON on every database: no NUL characters (PostgreSQL refuses them), no NaN or
    infinity (not JSON; kept as text so the check flags them), string keys, bounded depth."""
    if depth > 8:
        return None
    if isinstance(value, str):
        return value.replace("\x00", "")[:MAX_TEXT]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k).replace("\x00", ""): clean(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v, depth + 1) for v in list(value)[:MAX_ITEMS]]
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def parse_number(text: str) -> int | float | str:
    """'580' -> 580, '1,5' -> 1.5, '2 500' -> 2500; anything else stays text (and is flagged)."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"-?\d+", cleaned):
        return int(cleaned)
    if re.fullmatch(r"-?\d+[.,]\d+", cleaned):
        return float(cleaned.replace(",", "."))
    return text.strip()


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _pipe_rows(text: str, keys: tuple[str, ...]) -> list[dict[str, str]]:
    rows = []
    for line in _lines(text):
        parts = [p.strip() for p in line.split("|")]
        parts += [""] * (len(keys) - len(parts))
        row = dict(
            zip(keys, [*parts[: len(keys) - 1], " | ".join(parts[len(keys) - 1 :])], strict=True)
        )
        rows.append(row)
    return rows


def from_form(post: Mapping[str, Any]) -> dict[str, Any]:
    """The one-pager from the form's fields (a QueryDict or a dict of strings/lists)."""

    def get(name: str) -> str:
        value = post.get(name, "")
        return str(value if value is not None else "")[:MAX_TEXT]

    def getlist(name: str) -> list[str]:
        if hasattr(post, "getlist"):
            return [str(v) for v in post.getlist(name)]
        value = post.get(name, [])
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]

    data = empty()
    for key in ("field", "title", "summary", "description"):
        data[key] = get(key).strip()
    data["clusters"] = _pipe_rows(get("clusters"), ("name", "website"))
    data["contacts"] = _pipe_rows(get("contacts"), ("person", "organisation", "email"))
    data["funding_sources"] = _pipe_rows(get("funding_sources"), ("source", "note"))
    data["region"] = {
        "country": get("region_country").strip().upper(),
        "nuts": get("region_nuts").strip().upper(),
        "name": get("region_name").strip(),
    }
    for key in CHOICE_LISTS:
        data[key] = list(dict.fromkeys(v for v in getlist(key) if v))
    data["keywords"] = [k.strip() for k in get("keywords").split(",") if k.strip()]
    for key in LINE_LISTS:
        data[key] = _lines(get(key))
    facts = []
    for i in range(MAX_FACTS):
        row = {k: get(f"fact-{i}-{k}").strip() for k in FACT_KEYS}
        if not any(row[k] for k in ("label", "value", "min", "max")):
            continue
        fact: dict[str, Any] = {"kind": row["kind"], "label": row["label"]}
        for name in ("value", "min", "max"):
            if row[name]:
                fact[name] = parse_number(row[name])
        fact["unit"] = row["unit"]
        if row["per"]:
            fact["per"] = row["per"]
        if get(f"fact-{i}-approx"):
            fact["approx"] = True
        facts.append(fact)
    data["facts"] = facts
    data["scope"] = {
        "cross_border": bool(get("scope_cross_border")),
        "cross_cluster": bool(get("scope_cross_cluster")),
        "note": get("scope_note").strip(),
    }
    return data


def form_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """The one-pager as the form shows it (the inverse of from_form)."""

    def pipes(rows: Any, keys: tuple[str, ...]) -> str:
        out = []
        for row in rows or []:
            if isinstance(row, Mapping):
                out.append(" | ".join(str(row.get(k, "") or "") for k in keys).rstrip(" |"))
        return "\n".join(out)

    facts = []
    for fact in list(data.get("facts") or []) + [{}] * EXTRA_FACT_ROWS:
        fact = fact if isinstance(fact, Mapping) else {}
        facts.append(
            {
                **{k: "" if fact.get(k) is None else str(fact.get(k, "")) for k in FACT_KEYS},
                "approx": bool(fact.get("approx")),
            }
        )
    region = data.get("region") or {}
    scope = data.get("scope") or {}
    return {
        "field": data.get("field", ""),
        "title": data.get("title", ""),
        "summary": data.get("summary", ""),
        "description": data.get("description", ""),
        "clusters": pipes(data.get("clusters"), ("name", "website")),
        "contacts": pipes(data.get("contacts"), ("person", "organisation", "email")),
        "funding_sources": pipes(data.get("funding_sources"), ("source", "note")),
        "region_country": region.get("country", ""),
        "region_nuts": region.get("nuts", ""),
        "region_name": region.get("name", ""),
        **{key: list(data.get(key) or []) for key in CHOICE_LISTS},
        "keywords": ", ".join(str(k) for k in data.get("keywords") or []),
        **{key: "\n".join(str(v) for v in data.get(key) or []) for key in LINE_LISTS},
        "facts": [(i, f) for i, f in enumerate(facts)],
        "scope_cross_border": bool(scope.get("cross_border")),
        "scope_cross_cluster": bool(scope.get("cross_cluster")),
        "scope_note": scope.get("note", ""),
    }


def choices() -> dict[str, list[tuple[str, str]]]:
    """The controlled vocabularies offered by the form (units, fact kinds, formats...)."""
    from tact.catalogue.models import Field, Objective

    vocab = vocabulary()
    return {
        "fields": [(f.id, f.name) for f in Field.objects.all()],
        "objectives": [
            (o.id, f"{o.field.name}: {o.name}") for o in Objective.objects.select_related("field")
        ],
        "formats": [(k, str(v)) for k, v in vocab["formats"].items()],
        "target_groups": [(k, str(v)) for k, v in vocab["target_groups"].items()],
        "sectors": [(k, str(v)) for k, v in vocab["sectors"].items()],
        "units": [(k, str(v.get("label", k))) for k, v in vocab["units"].items()],
        "fact_kinds": [(k, str(v)) for k, v in vocab["fact_kinds"].items()],
    }


def _form_key(problem_field: str) -> str:
    """'facts[2].value' stays as it is; 'clusters[1].name' -> 'clusters'; 'region.nuts' too."""
    if problem_field.startswith("facts["):
        return problem_field
    return re.sub(r"\[\d+\].*$", "", problem_field)


def problems(data: Mapping[str, Any], *, require_field: bool = False) -> dict[str, list[str]]:
    """Every problem of a one-pager, keyed by form field ('facts[2].value', 'region.nuts')."""
    record = {k: v for k, v in normalise(data).items()}
    field_id = str(record.get("field") or "")
    found: dict[str, list[str]] = {}
    if not field_id:
        if require_field:
            found["field"] = [str(_("choose the field before publication"))]
        # Checked as if in some field, then the field's own problems are dropped.
        from tact.catalogue.models import Field

        first = Field.objects.order_by("order").first()
        record["field"] = first.id if first else "education"
    checked_field = str(record["field"])
    _checked, raw_problems = practice_record_check(
        {**record, "id": f"{checked_field}-1", "number": 1}, path="one-pager"
    )
    for index, contact in enumerate(record.get("contacts") or [], start=1):
        email = str(contact.get("email", "") if isinstance(contact, Mapping) else "").strip()
        if email and not email_is_valid(email):
            found.setdefault("contacts", []).append(
                str(_("contact %(n)d: %(email)r is not a valid e-mail address"))
                % {"n": index, "email": email}
            )
    for problem in raw_problems:
        key = _form_key(problem.field or "")
        if key in ("id", "number") or (key == "field" and not field_id):
            continue
        found.setdefault(key or "form", []).append(problem.message)
    return found


def record_for_publication(data: Mapping[str, Any]) -> dict[str, Any]:
    return normalise(data)


def similarity_text(data: Mapping[str, Any]) -> str:
    parts = [
        str(data.get("title") or ""),
        str(data.get("summary") or ""),
        str(data.get("description") or ""),
        " ".join(str(a) for a in data.get("activities") or []),
        " ".join(str(a) for a in data.get("success_factors") or []),
    ]
    return "\n".join(p for p in parts if p)


def as_lines(data: Mapping[str, Any]) -> list[str]:
    """A stable text form of a one-pager, for differences between versions."""
    text = yaml.safe_dump(
        normalise(data), allow_unicode=True, sort_keys=False, width=100, default_flow_style=False
    )
    return text.splitlines()


def diff(before: Mapping[str, Any], after: Mapping[str, Any], *, names: tuple[str, str]) -> str:
    return "\n".join(
        difflib.unified_diff(
            as_lines(before), as_lines(after), fromfile=names[0], tofile=names[1], lineterm=""
        )
    )


def changed_keys(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    a, b = normalise(before), normalise(after)
    return [k for k in a if a[k] != b[k]]
