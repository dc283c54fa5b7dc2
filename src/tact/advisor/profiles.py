"""Checking a profile record (from a form, the API or an import file) field by field.

Every problem names the field (``objectives.incubation``, ``current_services[2].field``) so the
form, the API (422) and the command line can say exactly what to fix. Nothing is written here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from tact.catalogue.models import Field, Objective, Practice
from tact.catalogue.records import vocabulary

from .models import Stage

MAX_MEMBERS = 1_000_000
MAX_FTE = 1_000.0
MAX_BUDGET = 1e10
MAX_SERVICES = 100
SHARE_KEYS = ("smes", "large", "research", "public")
KNOWN_KEYS = {
    "name", "cluster", "region", "sectors", "technologies", "stage", "members", "shares",
    "management_fte", "budget_eur", "objectives", "target_groups", "cross_border",
    "current_services",
}  # fmt: skip


@dataclass(frozen=True)
class ProfileProblem:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ProfileError(Exception):
    """A profile record that cannot be saved; ``problems`` names each field."""

    def __init__(self, problems: list[ProfileProblem], *, source: str = "") -> None:
        self.problems = problems
        self.source = source
        prefix = f"{source}: " if source else ""
        super().__init__("\n".join(prefix + str(p) for p in problems))

    def by_field(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for p in self.problems:
            out.setdefault(p.field, []).append(p.message)
        return out


def _number(
    raw: Any, name: str, problems: list[ProfileProblem], *, maximum: float, integer: bool = False
) -> float:
    if raw is None or raw == "":
        return 0
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        try:
            raw = float(str(raw).strip())
        except ValueError:
            problems.append(ProfileProblem(name, _("must be a number, not %(v)r") % {"v": raw}))
            return 0
    value = float(raw)
    if value != value or value < 0 or value > maximum:  # NaN fails the first test
        problems.append(
            ProfileProblem(name, _("must be between 0 and %(max)s") % {"max": f"{maximum:g}"})
        )
        return 0
    if integer and not value.is_integer():
        problems.append(ProfileProblem(name, _("must be a whole number")))
        return 0
    return int(value) if integer else value


def _string_list(raw: Any, name: str, problems: list[ProfileProblem]) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = [part for part in re.split(r"[,\n]", raw)]
    if not isinstance(raw, list | tuple) or not all(isinstance(v, str) for v in raw):
        problems.append(ProfileProblem(name, _("must be a list of texts")))
        return []
    return list(dict.fromkeys(v.strip() for v in raw if v.strip()))


def _controlled(
    raw: Any, name: str, allowed: Mapping[str, Any], problems: list[ProfileProblem]
) -> list[str]:
    values = _string_list(raw, name, problems)
    unknown = [v for v in values if v not in allowed]
    if unknown:
        problems.append(
            ProfileProblem(
                name,
                _("unknown value %(v)s; known values: %(known)s")
                % {"v": ", ".join(repr(v) for v in unknown), "known": ", ".join(allowed)},
            )
        )
    return [v for v in values if v in allowed]


# Spellings people use for the same thing; the canonical key wins when both are given.
ALIASES = {
    "technology_fields": "technologies",
    "priorities": "objectives",
    "services": "current_services",
}


def _with_aliases(raw: Mapping[str, Any]) -> dict[str, Any]:
    out = {ALIASES.get(str(k), str(k)): v for k, v in raw.items() if str(k) not in ALIASES}
    for alias, key in ALIASES.items():
        if alias in raw and key not in raw:
            out[key] = raw[alias]
    # A top-level country or NUTS code is the region.
    if ("country" in raw or "nuts" in raw) and "region" not in raw:
        out["region"] = {"country": raw.get("country", ""), "nuts": raw.get("nuts", "")}
    out.pop("country", None)
    out.pop("nuts", None)
    services = out.get("current_services")
    if isinstance(services, list):
        out["current_services"] = [
            {("practice" if k == "practice_id" else k): v for k, v in s.items()}
            if isinstance(s, Mapping)
            else s
            for s in services
        ]
    return out


def clean_profile(raw: Any, *, require_name: bool = True) -> dict[str, Any]:
    """A checked, normalised profile record; raises ProfileError listing every problem."""
    problems: list[ProfileProblem] = []
    if not isinstance(raw, Mapping):
        raise ProfileError([ProfileProblem("profile", _("must be a mapping of fields"))])
    raw = _with_aliases(raw)
    for key in sorted(set(map(str, raw)) - KNOWN_KEYS):
        problems.append(ProfileProblem(key, _("unknown field")))
    vocab = vocabulary()
    objective_ids = {o.id: o.field_id for o in Objective.objects.all()}
    field_ids = set(Field.objects.values_list("id", flat=True))

    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        if require_name:
            problems.append(ProfileProblem("name", _("required text is missing")))
        name = ""
    elif len(name.strip()) > 200:
        problems.append(ProfileProblem("name", _("is longer than 200 characters")))
    name = name.strip()[:200]

    region = raw.get("region") or {}
    if not isinstance(region, Mapping):
        problems.append(ProfileProblem("region", _("must be a mapping with country and nuts")))
        region = {}
    country = str(region.get("country", "") or "").strip().upper()
    nuts = str(region.get("nuts", "") or "").strip().upper()
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        problems.append(ProfileProblem("region.country", _("must be a two-letter country code")))
        country = ""
    if nuts and not re.fullmatch(r"[A-Z]{2}[0-9A-Z]{0,3}", nuts):
        problems.append(ProfileProblem("region.nuts", _("is not a NUTS code (e.g. AT31)")))
        nuts = ""
    elif nuts and country and not nuts.startswith(country if country != "GR" else "EL"):
        problems.append(
            ProfileProblem(
                "region.nuts", _("%(n)s does not lie in %(c)s") % {"n": nuts, "c": country}
            )
        )
    if nuts and not country:
        country = "GR" if nuts.startswith("EL") else nuts[:2]

    sectors = _controlled(raw.get("sectors"), "sectors", vocab["sectors"], problems)
    technologies = [
        t[:100] for t in _string_list(raw.get("technologies"), "technologies", problems)
    ][:50]
    stage = raw.get("stage") or Stage.GROWING
    if stage not in Stage.values:
        problems.append(
            ProfileProblem("stage", _("must be one of %(v)s") % {"v": ", ".join(Stage.values)})
        )
        stage = Stage.GROWING
    members = int(
        _number(raw.get("members"), "members", problems, maximum=MAX_MEMBERS, integer=True)
    )

    shares_raw = raw.get("shares") or {}
    shares: dict[str, float] = {}
    if not isinstance(shares_raw, Mapping):
        problems.append(
            ProfileProblem("shares", _("must be a mapping of smes, large, research, public"))
        )
        shares_raw = {}
    for key in sorted(set(map(str, shares_raw)) - set(SHARE_KEYS)):
        problems.append(ProfileProblem(f"shares.{key}", _("unknown field")))
    for key in SHARE_KEYS:
        value = _number(shares_raw.get(key), f"shares.{key}", problems, maximum=100)
        # Shares may be given as fractions (0.6) or percentages (60).
        shares[key] = value / 100 if value > 1 else value
    if sum(shares.values()) > 1.0001:
        problems.append(ProfileProblem("shares", _("the shares add up to more than 100%")))

    fte = _number(raw.get("management_fte"), "management_fte", problems, maximum=MAX_FTE)
    budget = _number(raw.get("budget_eur"), "budget_eur", problems, maximum=MAX_BUDGET)

    objectives_raw = raw.get("objectives") or {}
    objectives: dict[str, int] = {}
    if isinstance(objectives_raw, list | tuple):
        # A plain list means priority 3 for each.
        objectives_raw = {str(o): 3 for o in objectives_raw}
    if not isinstance(objectives_raw, Mapping):
        problems.append(ProfileProblem("objectives", _("must map objective ids to priorities 0-3")))
        objectives_raw = {}
    for key, value in objectives_raw.items():
        where = f"objectives.{key}"
        if key not in objective_ids:
            problems.append(ProfileProblem(where, _("is not a Target Board objective")))
            continue
        if isinstance(value, bool) or (
            not isinstance(value, int) and not (isinstance(value, str) and value.strip().isdigit())
        ):
            problems.append(ProfileProblem(where, _("priority must be 0, 1, 2 or 3")))
            continue
        prio = int(value)
        if not 0 <= prio <= 3:
            problems.append(ProfileProblem(where, _("priority must be 0, 1, 2 or 3")))
            continue
        if prio:
            objectives[str(key)] = prio

    target_groups = _controlled(
        raw.get("target_groups"), "target_groups", vocab["target_groups"], problems
    )
    cross_border = raw.get("cross_border", False)
    if not isinstance(cross_border, bool):
        problems.append(ProfileProblem("cross_border", _("must be true or false")))
        cross_border = False

    services_raw = raw.get("current_services") or []
    services: list[dict[str, Any]] = []
    if not isinstance(services_raw, list):
        problems.append(ProfileProblem("current_services", _("must be a list")))
        services_raw = []
    if len(services_raw) > MAX_SERVICES:
        problems.append(ProfileProblem("current_services", _("at most 100 services")))
        services_raw = []
    practice_ids = [
        s.get("practice")
        for s in services_raw
        if isinstance(s, Mapping) and isinstance(s.get("practice"), str)
    ]
    practices = {
        p.id: p
        for p in Practice.objects.filter(
            id__in=[i for i in practice_ids if i][:MAX_SERVICES]
        ).prefetch_related("objectives")
    }
    for index, item in enumerate(services_raw, start=1):
        where = f"current_services[{index}]"
        if not isinstance(item, Mapping):
            problems.append(ProfileProblem(where, _("must be a mapping")))
            continue
        for key in sorted(set(map(str, item)) - {"name", "field", "objectives", "practice"}):
            problems.append(ProfileProblem(f"{where}.{key}", _("unknown field")))
        practice_id = item.get("practice") or ""
        if practice_id and (not isinstance(practice_id, str) or practice_id not in practices):
            problems.append(
                ProfileProblem(f"{where}.practice", _("is not a practice of the toolbox"))
            )
            continue
        practice = practices.get(practice_id) if practice_id else None
        svc_name = item.get("name") or (practice.title if practice else "")
        if not isinstance(svc_name, str) or not svc_name.strip():
            problems.append(
                ProfileProblem(f"{where}.name", _("name the service or give a practice id"))
            )
            continue
        svc_field = item.get("field") or (practice.field_id if practice else "")
        if svc_field not in field_ids:
            problems.append(
                ProfileProblem(
                    f"{where}.field",
                    _("must be one of %(v)s") % {"v": ", ".join(sorted(field_ids))},
                )
            )
            continue
        svc_objectives = item.get("objectives")
        if svc_objectives is None and practice is not None:
            svc_objectives = sorted(o.id for o in practice.objectives.all())
        svc_objectives = _string_list(svc_objectives, f"{where}.objectives", problems)
        unknown = [o for o in svc_objectives if o not in objective_ids]
        if unknown:
            problems.append(
                ProfileProblem(
                    f"{where}.objectives",
                    _("unknown objective %(v)s") % {"v": ", ".join(repr(u) for u in unknown)},
                )
            )
            continue
        services.append(
            {
                "name": svc_name.strip()[:200],
                "field": svc_field,
                "objectives": svc_objectives,
                "practice": practice_id,
            }
        )
    if problems:
        raise ProfileError(problems)
    return {
        "name": name,
        "country": country,
        "nuts": nuts,
        "sectors": sectors,
        "technologies": technologies,
        "stage": stage,
        "members": members,
        "share_smes": shares["smes"],
        "share_large": shares["large"],
        "share_research": shares["research"],
        "share_public": shares["public"],
        "management_fte": fte,
        "budget_eur": budget,
        "objectives": objectives,
        "target_groups": target_groups,
        "cross_border": cross_border,
        "current_services": services,
    }
