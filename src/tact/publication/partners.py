"""The partner list of the project behind the toolbox (data/partners.yaml), read and checked."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tact.core.datafiles import DataError, Problem
from tact.core.regions import COUNTRIES

PARTNERS_FILE = Path(__file__).resolve().parent / "data" / "partners.yaml"


@dataclass(frozen=True)
class Partner:
    name: str
    country: str
    also_known_as: tuple[str, ...] = ()


@dataclass(frozen=True)
class PartnerList:
    project: str
    programme: str
    partners: tuple[Partner, ...]


def read_partners(path: Path | None = None) -> PartnerList:
    """Every partner of the file; DataError naming file, record and field for anything wrong."""
    path = path or PARTNERS_FILE
    shown = path.name
    try:
        doc: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError([Problem(shown, "", "", f"cannot be read: {exc}")]) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(shown, "", "", f"is not valid YAML: {exc}")]) from None
    problems: list[Problem] = []
    if not isinstance(doc, dict):
        raise DataError([Problem(shown, "", "", "must be a mapping with project and partners")])
    project = doc.get("project")
    if not isinstance(project, dict):
        problems.append(Problem(shown, "project", "", "must be a mapping with name and programme"))
        project = {}
    for key in ("name", "programme"):
        if not isinstance(project.get(key), str) or not project.get(key, "").strip():
            problems.append(Problem(shown, "project", key, "must be a non-empty text"))
    raw = doc.get("partners")
    if not isinstance(raw, list) or not raw:
        problems.append(Problem(shown, "partners", "", "must be a non-empty list"))
        raw = []
    partners: list[Partner] = []
    seen: set[str] = set()
    for number, item in enumerate(raw, start=1):
        record = f"partner {number}"
        if not isinstance(item, dict):
            problems.append(Problem(shown, record, "", "must be a mapping with name and country"))
            continue
        unknown = sorted(set(item) - {"name", "country", "also_known_as"})
        if unknown:
            problems.append(Problem(shown, record, unknown[0], "is not a known key"))
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(Problem(shown, record, "name", "must be a non-empty text"))
            continue
        if name in seen:
            problems.append(Problem(shown, record, "name", f"{name!r} is listed twice"))
        seen.add(name)
        country = item.get("country")
        if country not in COUNTRIES:
            problems.append(
                Problem(
                    shown,
                    record,
                    "country",
                    f"{country!r} is not one of {', '.join(sorted(COUNTRIES))}",
                )
            )
        aliases = item.get("also_known_as", [])
        if not isinstance(aliases, list) or not all(
            isinstance(a, str) and a.strip() for a in aliases
        ):
            problems.append(Problem(shown, record, "also_known_as", "must be a list of texts"))
            aliases = []
        partners.append(Partner(name.strip(), str(country), tuple(a.strip() for a in aliases)))
    if problems:
        raise DataError(problems)
    return PartnerList(
        project=project["name"].strip(),
        programme=project["programme"].strip(),
        partners=tuple(partners),
    )
