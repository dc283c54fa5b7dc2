"""A partner-search need as plain data: cleaning it (from a form, the API or a saved search) and
wording the reasons of a ranking in the user's language."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from tact.algorithms import partners as algo

from .models import Competence, OrganisationType
from .regions import region_name

MAX_WANTED = 30
MAX_REGIONS = 40
CODE = re.compile(r"^[-a-z0-9_]{1,80}$")
NUTS = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")


class NeedError(Exception):
    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{f}: {m}" for f, m in problems))


def parse_levels(text: str) -> list[tuple[str, int | None, str]]:
    """'cnc-machining:4; robotics' -> [(code, level or None, raw item)]; separators ; , or newline."""
    out: list[tuple[str, int | None, str]] = []
    for raw in re.split(r"[;\n,]", text):
        item = raw.strip()
        if not item:
            continue
        code, sep, level = item.partition(":")
        lvl: int | None = None
        if sep:
            level = level.strip()
            lvl = int(level) if level.isdigit() and len(level) < 3 else -1
        out.append((code.strip().lower(), lvl, item))
    return out


def _as_list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [v for v in re.split(r"[;,\s]+", value) if v]
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def clean_need(data: Any) -> dict[str, Any]:
    """The need in its stored form, or NeedError naming every bad field."""
    if not isinstance(data, dict):
        raise NeedError([("need", _("expected an object with competences, regions and kinds"))])
    problems: list[tuple[str, str]] = []
    wanted: list[dict[str, Any]] = []
    raw_comp = data.get("competences", [])
    items: list[tuple[str, Any, Any]] = []
    if isinstance(raw_comp, str):
        for code, level, raw in parse_levels(raw_comp):
            items.append((code, 1 if level is None else level, raw))
    elif isinstance(raw_comp, list):
        for entry in raw_comp:
            if isinstance(entry, dict):
                items.append(
                    (
                        str(entry.get("code", "")).strip().lower(),
                        entry.get("min_level", 1),
                        entry.get("code", ""),
                    )
                )
            elif isinstance(entry, str):
                for code, level, raw in parse_levels(entry):
                    items.append((code, 1 if level is None else level, raw))
            else:
                problems.append(("competences", _("each competence is a code or an object")))
    else:
        problems.append(("competences", _("a list of competences or text like 'robotics:3'")))
    if len(items) > MAX_WANTED:
        problems.append(("competences", _("at most %(n)d competences") % {"n": MAX_WANTED}))
        items = items[:MAX_WANTED]
    known = set(
        Competence.objects.filter(pk__in=[c for c, _l, _r in items if CODE.match(c)]).values_list(
            "pk", flat=True
        )
    )
    seen: set[str] = set()
    for code, level, raw in items:
        if code not in known:
            problems.append(("competences", _("unknown competence %(c)r") % {"c": str(raw)[:80]}))
            continue
        if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 5:
            problems.append(
                (
                    "competences",
                    _("%(c)s: the minimum level is a whole number from 1 to 5") % {"c": code},
                )
            )
            continue
        if code not in seen:
            seen.add(code)
            wanted.append({"code": code, "min_level": level})
    regions: list[str] = []
    for r in _as_list(data.get("regions"))[: MAX_REGIONS + 1]:
        code = str(r).strip().upper()
        if not NUTS.match(code):
            problems.append(
                (
                    "regions",
                    _("%(r)r is not a NUTS code such as AT31 or CH022") % {"r": str(r)[:20]},
                )
            )
        elif code not in regions:
            regions.append(code)
    if len(regions) > MAX_REGIONS:
        problems.append(("regions", _("at most %(n)d regions") % {"n": MAX_REGIONS}))
    kinds: list[str] = []
    for k in _as_list(data.get("kinds")):
        if k not in OrganisationType.values:
            problems.append(
                (
                    "kinds",
                    _("%(k)r is not a type; use one of %(all)s")
                    % {"k": str(k)[:20], "all": ", ".join(OrganisationType.values)},
                )
            )
        elif k not in kinds:
            kinds.append(str(k))
    regions_only = data.get("regions_only", False)
    if regions_only in ("on", "true", "1", 1):
        regions_only = True
    if regions_only in ("", "false", "0", 0, None):
        regions_only = False
    if not isinstance(regions_only, bool):
        problems.append(("regions_only", _("true or false")))
    if not wanted and not regions and not kinds and not problems:
        problems.append(("competences", _("name at least one competence, region or type")))
    if problems:
        raise NeedError(problems)
    return {
        "competences": wanted,
        "regions": regions,
        "kinds": kinds,
        "regions_only": regions_only,
    }


def need_text(need: dict[str, Any]) -> str:
    """The competences of a stored need as the text a form shows: 'robotics:3; cnc-machining:1'."""
    return "; ".join(f"{w['code']}:{w['min_level']}" for w in need.get("competences", []))


def to_algo(need: dict[str, Any], known: frozenset[int] = frozenset()) -> algo.Need:
    return algo.Need(
        competences=tuple(algo.Wanted(w["code"], int(w["min_level"])) for w in need["competences"]),
        regions=tuple(need["regions"]),
        kinds=tuple(need["kinds"]),
        regions_only=bool(need["regions_only"]),
        known=known,
        exclude=known,
    )


def reasons(result: algo.Ranked, labels: dict[str, str], region: str) -> list[str]:
    """Plain sentences for one ranked organisation."""
    out: list[str] = []
    for m in result.matches:
        label = labels.get(m.code, m.code)
        if m.met:
            out.append(
                _("%(c)s at level %(l)d (wanted %(w)d or more)")
                % {"c": label, "l": m.level, "w": m.min_level}
            )
        elif m.level:
            out.append(
                _("%(c)s only at level %(l)d (wanted %(w)d)")
                % {"c": label, "l": m.level, "w": m.min_level}
            )
        else:
            out.append(_("no %(c)s") % {"c": label})
    if result.region_match is True:
        out.append(_("in a wanted region: %(r)s") % {"r": region_name(region)})
    elif result.region_match is False:
        out.append(_("outside the wanted regions (%(r)s)") % {"r": region_name(region)})
    if result.known_partners:
        out.append(
            _("%(n)d joint project(s) with your organisation") % {"n": result.joint_projects}
        )
    elif result.joint_projects:
        out.append(_("%(n)d joint project(s) in the registry") % {"n": result.joint_projects})
    return out
