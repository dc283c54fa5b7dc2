"""A call's rules as data: the schema, its validation, plain words, and the solver's ``Call``.

A call file is JSON::

    {"id": "innovation-1", "version": 1, "title": "...", "description": "...",
     "practice": "innovation-1",
     "rules": {"min_partners": 4, "max_partners": 12,
               "type_rules": [{"label": "industrial", "types": ["sme", "large"], "min": 3}],
               "region_rules": [{"label": "the canton of Fribourg", "prefixes": ["CH022"],
                                 "among": ["sme", "large"], "among_label": "industrial partners",
                                 "min_count": 0, "min_share": 0.5}],
               "min_academic": 1, "min_industry_budget_share": 0.35,
               "required_competences": [{"code": "energy-efficiency", "min_level": 3}],
               "forbidden_pairs": [["Org A", "Org B"]], "mandatory": ["Org C"],
               "weights": {"coverage": 10, "trust": 2, "sectors": 6, "small_group": 12}}}

Every problem names its field (``rules.type_rules[0].min``) so the file can be fixed at once.
Organisation names in ``forbidden_pairs`` and ``mandatory`` are looked up in the registry of the
cluster a build runs for.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tact.algorithms import consortium as algo
from tact.core.datafiles import DataError, Problem

CALLS_DIR = Path(__file__).resolve().parent / "data" / "calls"
TYPES = algo.ORG_TYPES
RULE_KEYS = {
    "min_partners",
    "max_partners",
    "type_rules",
    "region_rules",
    "min_academic",
    "min_industry_budget_share",
    "required_competences",
    "forbidden_pairs",
    "mandatory",
    "weights",
}
PREFIX = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


def shipped_files() -> list[Path]:
    return sorted(CALLS_DIR.glob("*.json"))


def _int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _num(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


class _Check:
    def __init__(self, path: str, record: str) -> None:
        self.path = path
        self.record = record
        self.problems: list[Problem] = []

    def bad(self, field: str, message: str) -> None:
        self.problems.append(Problem(self.path, self.record, field, message))

    def count(self, data: Mapping[str, Any], key: str, field: str, *, required: bool = False):  # type: ignore[no-untyped-def]
        if key not in data:
            if required:
                self.bad(field, _("missing: give a whole number"))
            return None
        v = data[key]
        if not _int(v) or v < 0 or v > 1000:
            self.bad(field, _("must be a whole number from 0 to 1000"))
            return None
        return v

    def share(self, data: Mapping[str, Any], key: str, field: str) -> float | None:
        if key not in data:
            return None
        v = data[key]
        if not _num(v) or not 0 <= v <= 1:
            self.bad(field, _("must be a share from 0 to 1 (0.35 for 35 %)"))
            return None
        return float(v)

    def types(self, v: Any, field: str) -> list[str] | None:
        if not isinstance(v, list) or not v or not all(isinstance(t, str) for t in v):
            self.bad(field, _("must be a list of organisation types: %s") % ", ".join(TYPES))
            return None
        unknown = [t for t in v if t not in TYPES]
        if unknown:
            self.bad(
                field,
                _("unknown organisation type %(bad)s; use %(known)s")
                % {"bad": ", ".join(unknown), "known": ", ".join(TYPES)},
            )
            return None
        return v

    def text(self, data: Mapping[str, Any], key: str, field: str, *, max_len: int = 200) -> str:
        v = data.get(key, "")
        if not isinstance(v, str) or len(v) > max_len:
            self.bad(field, _("must be a text of at most %d characters") % max_len)
            return ""
        return v


def validate_rules(rules: Any, *, path: str = "", record: str = "") -> list[Problem]:
    """Every problem of a ``rules`` object, each naming its field."""
    c = _Check(path, record)
    if not isinstance(rules, dict):
        c.bad("rules", _("must be an object with the call's rules"))
        return c.problems
    for key in sorted(set(rules) - RULE_KEYS):
        c.bad(
            f"rules.{key}",
            _("unknown rule; known rules: %s") % ", ".join(sorted(RULE_KEYS)),
        )
    lo = c.count(rules, "min_partners", "rules.min_partners", required=True)
    hi = c.count(rules, "max_partners", "rules.max_partners", required=True)
    if lo is not None and lo < 1:
        c.bad("rules.min_partners", _("must be at least 1"))
    if lo is not None and hi is not None and hi < lo:
        c.bad("rules.max_partners", _("must not be below min_partners (%d)") % lo)
    if hi is not None and hi > 50:
        c.bad("rules.max_partners", _("at most 50 partners are supported"))
    c.count(rules, "min_academic", "rules.min_academic")
    c.share(rules, "min_industry_budget_share", "rules.min_industry_budget_share")
    for i, tr in enumerate(_list(c, rules, "type_rules")):
        f = f"rules.type_rules[{i}]"
        if not isinstance(tr, dict):
            c.bad(f, _("must be an object with label, types and min"))
            continue
        for key in sorted(set(tr) - {"label", "types", "min", "max"}):
            c.bad(f"{f}.{key}", _("unknown field; use label, types, min, max"))
        c.text(tr, "label", f"{f}.label", max_len=80)
        c.types(tr.get("types"), f"{f}.types")
        mn = c.count(tr, "min", f"{f}.min", required=True)
        if "max" in tr and tr["max"] is not None:
            mx = c.count(tr, "max", f"{f}.max")
            if mn is not None and mx is not None and mx < mn:
                c.bad(f"{f}.max", _("must not be below min (%d)") % mn)
    for i, rr in enumerate(_list(c, rules, "region_rules")):
        f = f"rules.region_rules[{i}]"
        if not isinstance(rr, dict):
            c.bad(f, _("must be an object with label, prefixes and min_count or min_share"))
            continue
        allowed = {"label", "prefixes", "among", "among_label", "min_count", "min_share"}
        for key in sorted(set(rr) - allowed):
            c.bad(f"{f}.{key}", _("unknown field; use %s") % ", ".join(sorted(allowed)))
        c.text(rr, "label", f"{f}.label", max_len=80)
        c.text(rr, "among_label", f"{f}.among_label", max_len=80)
        prefixes = rr.get("prefixes")
        if (
            not isinstance(prefixes, list)
            or not prefixes
            or not all(isinstance(p, str) and PREFIX.match(p) for p in prefixes)
        ):
            c.bad(f"{f}.prefixes", _("must be a list of NUTS codes in capitals, such as CH022"))
        if rr.get("among") is not None:
            c.types(rr.get("among"), f"{f}.among")
        n = c.count(rr, "min_count", f"{f}.min_count")
        s = c.share(rr, "min_share", f"{f}.min_share")
        if not n and not s and f"{f}.min_count" not in {p.field for p in c.problems}:
            c.bad(f, _("give min_count or min_share (above 0)"))
    codes: set[str] = set()
    for i, rc in enumerate(_list(c, rules, "required_competences")):
        f = f"rules.required_competences[{i}]"
        if not isinstance(rc, dict):
            c.bad(f, _("must be an object with code and min_level"))
            continue
        code = rc.get("code")
        if not isinstance(code, str) or not code or len(code) > 80:
            c.bad(f"{f}.code", _("must be a competence code"))
        elif code in codes:
            c.bad(f"{f}.code", _("this competence is listed twice"))
        else:
            codes.add(code)
        lv = rc.get("min_level", 1)
        if not _int(lv) or not 1 <= lv <= 5:
            c.bad(f"{f}.min_level", _("must be a level from 1 to 5"))
    for i, pair in enumerate(_list(c, rules, "forbidden_pairs")):
        if (
            not isinstance(pair, list)
            or len(pair) != 2
            or not all(isinstance(p, str) and p.strip() for p in pair)
        ):
            c.bad(f"rules.forbidden_pairs[{i}]", _("must be a pair of organisation names"))
    for i, name in enumerate(_list(c, rules, "mandatory")):
        if not isinstance(name, str) or not name.strip():
            c.bad(f"rules.mandatory[{i}]", _("must be an organisation name"))
    w = rules.get("weights", {})
    if not isinstance(w, dict):
        c.bad("rules.weights", _("must be an object"))
    else:
        for key in sorted(set(w) - {"coverage", "trust", "sectors", "small_group"}):
            c.bad(
                f"rules.weights.{key}",
                _("unknown weight; use coverage, trust, sectors, small_group"),
            )
        for key in ("coverage", "trust", "sectors", "small_group"):
            if key in w and (not _int(w[key]) or not 0 <= w[key] <= 1000):
                c.bad(f"rules.weights.{key}", _("must be a whole number from 0 to 1000"))
    return c.problems


def _list(c: _Check, rules: Mapping[str, Any], key: str) -> list[Any]:
    v = rules.get(key, [])
    if not isinstance(v, list):
        c.bad(f"rules.{key}", _("must be a list"))
        return []
    return v


def read_call_file(path: Path) -> dict[str, Any]:
    """A call file, checked; DataError lists every problem."""
    name = path.name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError([Problem(name, "", "", _("not readable JSON: %s") % exc)]) from None
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise DataError([Problem(name, "", "", _("must be a JSON object"))])
    record = str(data.get("id", ""))
    if not isinstance(data.get("id"), str) or not SLUG.match(data["id"]):
        problems.append(Problem(name, record, "id", _("must be a slug such as innovation-1")))
    if not _int(data.get("version")) or data["version"] < 1:
        problems.append(Problem(name, record, "version", _("must be a whole number from 1")))
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        problems.append(Problem(name, record, "title", _("must be a non-empty text")))
    for key in ("description", "practice"):
        if not isinstance(data.get(key, ""), str):
            problems.append(Problem(name, record, key, _("must be a text")))
    problems += validate_rules(data.get("rules"), path=name, record=record)
    if problems:
        raise DataError(problems)
    return data


def to_call(
    rules: Mapping[str, Any],
    *,
    title: str = "",
    competences: Sequence[Mapping[str, Any]] = (),
    labels: Mapping[str, str] | None = None,
    mandatory: Sequence[str] = (),
    forbidden_pairs: Sequence[tuple[str, str]] = (),
) -> algo.Call:
    """The solver's view of validated rules; ``competences`` are added to the call's own,
    ``mandatory`` (ids, the applicant first) and ``forbidden_pairs`` (ids) are resolved names."""
    labels = labels or {}
    reqs: dict[str, int] = {}
    for rc in [*rules.get("required_competences", []), *competences]:
        reqs[rc["code"]] = max(reqs.get(rc["code"], 0), int(rc.get("min_level", 1)))
    w = rules.get("weights", {})
    return algo.Call(
        name=title,
        min_partners=int(rules["min_partners"]),
        max_partners=int(rules["max_partners"]),
        type_rules=tuple(
            algo.TypeRule(
                str(tr.get("label", "")),
                frozenset(tr["types"]),
                int(tr["min"]),
                None if tr.get("max") is None else int(tr["max"]),
            )
            for tr in rules.get("type_rules", [])
        ),
        region_rules=tuple(
            algo.RegionRule(
                str(rr.get("label", "")) or ", ".join(rr["prefixes"]),
                tuple(rr["prefixes"]),
                int(rr.get("min_count", 0)),
                float(rr.get("min_share", 0.0)),
                None if rr.get("among") is None else frozenset(rr["among"]),
                str(rr.get("among_label", ""))
                or ("partners" if rr.get("among") is None else "of them"),
            )
            for rr in rules.get("region_rules", [])
        ),
        min_academic=int(rules.get("min_academic", 0)),
        min_industry_budget_share=float(rules.get("min_industry_budget_share", 0.0)),
        required_competences=tuple(
            algo.CompetenceRequirement(code, lv, labels.get(code, "")) for code, lv in reqs.items()
        ),
        forbidden_pairs=tuple(forbidden_pairs),
        mandatory=tuple(dict.fromkeys(mandatory)),
        weights=algo.Weights(**{k: int(v) for k, v in w.items()}),
    )


def type_names(types: Sequence[str]) -> str:
    from tact.community.models import OrganisationType

    names = dict(OrganisationType.choices)
    return ", ".join(str(names.get(t, t)) for t in types)


def plain_words(rules: Mapping[str, Any]) -> list[str]:
    """The rules as sentences a cluster manager reads (translated)."""
    out = [
        _("Between %(min)d and %(max)d partners.")
        % {"min": rules["min_partners"], "max": rules["max_partners"]}
    ]
    for tr in rules.get("type_rules", []):
        text = ngettext(
            "At least %(n)d %(label)s partner (%(types)s).",
            "At least %(n)d %(label)s partners (%(types)s).",
            tr["min"],
        ) % {"n": tr["min"], "label": tr.get("label", ""), "types": type_names(tr["types"])}
        if tr.get("max") is not None:
            text += " " + _("At most %(n)d.") % {"n": tr["max"]}
        out.append(text)
    for rr in rules.get("region_rules", []):
        where = f"{rr.get('label', '')} ({', '.join(rr['prefixes'])})"
        among = rr.get("among_label") or _("partners")
        if rr.get("min_count"):
            out.append(
                _("At least %(n)d %(among)s from %(where)s.")
                % {"n": rr["min_count"], "among": among, "where": where}
            )
        if rr.get("min_share"):
            out.append(
                _("At least %(pct)s of the %(among)s from %(where)s.")
                % {"pct": f"{rr['min_share'] * 100:.0f} %", "among": among, "where": where}
            )
    if rules.get("min_academic"):
        out.append(
            ngettext(
                "At least %(n)d academic partner (university or research institute).",
                "At least %(n)d academic partners (universities or research institutes).",
                rules["min_academic"],
            )
            % {"n": rules["min_academic"]}
        )
    if rules.get("min_industry_budget_share"):
        out.append(
            _("Industry provides at least %(pct)s of the budget (from the planned contributions).")
            % {"pct": f"{rules['min_industry_budget_share'] * 100:.0f} %"}
        )
    for rc in rules.get("required_competences", []):
        out.append(
            _("Competence %(code)s at level %(level)d or more.")
            % {"code": rc["code"], "level": rc.get("min_level", 1)}
        )
    for a, b in rules.get("forbidden_pairs", []):
        out.append(_("%(a)s and %(b)s may not be partners together.") % {"a": a, "b": b})
    for name in rules.get("mandatory", []):
        out.append(_("%(name)s must be a partner.") % {"name": name})
    return out
