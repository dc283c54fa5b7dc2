"""The services TACT runs itself, and the practices of the toolbox that describe them.

A practice page says "run this service in TACT" when an app has registered a tool for it. Apps
register in their ``AppConfig.ready()``; the catalogue only reads this registry, so it stays
independent of the apps that build on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Tool:
    key: str
    label: Any  # a lazy translation
    summary: Any
    url_name: str
    practices: frozenset[str]


_TOOLS: dict[str, Tool] = {}


def register_tool(
    *, key: str, label: Any, summary: Any, url_name: str, practices: tuple[str, ...]
) -> None:
    _TOOLS[key] = Tool(key, label, summary, url_name, frozenset(practices))


def tools_for_practice(practice_id: str) -> list[Tool]:
    return sorted(
        (t for t in _TOOLS.values() if practice_id in t.practices), key=lambda t: str(t.label)
    )


def all_tools() -> list[Tool]:
    return sorted(_TOOLS.values(), key=lambda t: str(t.label))
