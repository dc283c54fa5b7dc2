"""Facts turned into the facets people filter by: cost, duration and staff ranges.

The buckets are what a cluster manager asks ("is it free?", "a day or a year?"), and the numbers
behind them are derived from the structured facts, never typed twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

NOT_STATED = "not-stated"


@dataclass(frozen=True)
class Bucket:
    id: str
    label: Any
    low: float  # inclusive
    high: float  # exclusive

    def contains(self, value: float) -> bool:
        return self.low <= value < self.high


INF = float("inf")
COST_BUCKETS = (
    Bucket("free", _("Free of charge"), 0, 1e-9),
    Bucket("under-1000", _("Under 1,000 EUR"), 1e-9, 1000),
    Bucket("1000-5000", _("1,000 – 5,000 EUR"), 1000, 5000.0001),
    Bucket("over-5000", _("Over 5,000 EUR"), 5000.0001, INF),
)
DURATION_BUCKETS = (
    Bucket("day", _("A day or less"), 0, 0.04),
    Bucket("short", _("Up to 3 months"), 0.04, 3.0001),
    Bucket("months", _("3 to 12 months"), 3.0001, 12.0001),
    Bucket("long", _("Over a year"), 12.0001, INF),
)
STAFF_BUCKETS = (
    Bucket("one", _("One person or less"), 0, 1.0001),
    Bucket("two-three", _("2 – 3 persons"), 1.0001, 3.0001),
    Bucket("four-plus", _("4 persons or more"), 3.0001, INF),
)
RANGE_FACETS = {"cost": COST_BUCKETS, "duration": DURATION_BUCKETS, "staff": STAFF_BUCKETS}


def bucket_of(buckets: Iterable[Bucket], value: float | None) -> str:
    if value is None:
        return NOT_STATED
    return next((b.id for b in buckets if b.contains(value)), NOT_STATED)


def bucket_label(facet: str, bucket_id: str) -> str:
    if bucket_id == NOT_STATED:
        return str(_("Not stated"))
    return str(next(b.label for b in RANGE_FACETS[facet] if b.id == bucket_id))


def _upper(fact: Mapping[str, Any]) -> float | None:
    value = fact.get("value", fact.get("max", fact.get("min")))
    return None if value is None else float(value)


def _lower(fact: Mapping[str, Any]) -> float | None:
    value = fact.get("value", fact.get("min", fact.get("max")))
    return None if value is None else float(value)


def derived_figures(facts: Iterable[Mapping[str, Any]], units: Mapping[str, Any]) -> dict[str, Any]:
    """Duration in months, lowest fee in EUR, staff in persons, largest participant figure."""
    durations, fees, staff, participants = [], [], [], []
    for fact in facts:
        kind, unit = fact["kind"], fact["unit"]
        high = _upper(fact)
        if high is None:
            continue
        if kind == "duration" and units.get(unit, {}).get("months"):
            durations.append(high * float(units[unit]["months"]))
        elif kind == "fee" and unit == "EUR":
            fees.append(_lower(fact))
        elif kind == "staff" and unit in {"person", "FTE"}:
            staff.append(high)
        elif kind == "participants" and units.get(unit, {}).get("dimension") == "count":
            participants.append(high)
    return {
        "duration_months": max(durations) if durations else None,
        "fee_eur": min(f for f in fees if f is not None) if fees else None,
        "staff_persons": max(staff) if staff else None,
        "participants_max": max(participants) if participants else None,
    }
