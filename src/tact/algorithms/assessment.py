"""Self-assessments and benchmarks: maturity scoring, HR key figures, anonymous peer statistics.

Pure Python, no Django. A maturity model is a tree dimension -> field -> item; each answered item
gives a level, a field's level is the mean of its items, a dimension's level aggregates its fields
(mean, minimum or weighted mean) and the overall score is the weighted mean of the dimensions.
Items answered "not relevant" are left out; a field or dimension with nothing left is left out too
and the remaining weights count in proportion.

Peer statistics are k-anonymous: a group of fewer than ``k`` respondents gets no figure at all.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

AGGREGATIONS = ("mean", "minimum", "weighted")
MIN_K = 3  # the smallest group size that may ever be configured
DEFAULT_K = 5
PERCENTILES = (10, 25, 50, 75, 90)


# --------------------------------------------------------------------------- maturity models


@dataclass(frozen=True)
class Item:
    id: str
    weight: float = 1.0
    allow_not_relevant: bool = True
    levels: tuple[int, ...] = (0, 1, 2, 3, 4, 5)  # the levels its answer options map to


@dataclass(frozen=True)
class MField:
    id: str
    items: tuple[Item, ...]
    weight: float = 1.0


@dataclass(frozen=True)
class Dimension:
    id: str
    fields: tuple[MField, ...]
    weight: float = 1.0
    aggregation: str = "minimum"


@dataclass(frozen=True)
class Group:
    id: str
    lower: float  # the group holds scores from here up to the next group's lower bound


@dataclass(frozen=True)
class MaturityModel:
    dimensions: tuple[Dimension, ...]
    groups: tuple[Group, ...] = ()
    min_level: int = 0
    max_level: int = 5


@dataclass(frozen=True)
class DimensionScore:
    id: str
    level: float | None  # None: every field was "not relevant" (or unanswered)
    fields: dict[str, float | None]
    weight: float


@dataclass(frozen=True)
class Score:
    dimensions: tuple[DimensionScore, ...]
    overall: float | None
    group: str | None
    answered: int
    not_relevant: int
    missing: tuple[str, ...]  # item ids with no answer at all

    def level_of(self, dimension_id: str) -> float | None:
        for d in self.dimensions:
            if d.id == dimension_id:
                return d.level
        return None


class AnswerError(ValueError):
    """An answer names an unknown item or a level the item does not offer."""

    def __init__(self, item: str, message: str) -> None:
        self.item = item
        self.message = message
        super().__init__(f"{item}: {message}")


NOT_RELEVANT = "n/a"
Answer = int | str | None  # a level, NOT_RELEVANT, or None for unanswered


def _mean(values: Sequence[float], weights: Sequence[float] | None = None) -> float | None:
    if not values:
        return None
    if weights is None:
        return sum(values) / len(values)
    total = sum(weights)
    if total <= 0:
        return None
    return sum(v * w for v, w in zip(values, weights, strict=True)) / total


def aggregate(values: Sequence[float], weights: Sequence[float], how: str) -> float | None:
    if how not in AGGREGATIONS:
        raise ValueError(f"unknown aggregation {how!r}; known: {', '.join(AGGREGATIONS)}")
    if not values:
        return None
    if how == "minimum":
        return float(min(values))
    return _mean(values, weights if how == "weighted" else None)


def group_for(model: MaturityModel, overall: float | None) -> str | None:
    if overall is None or not model.groups:
        return None
    found = model.groups[0].id
    for g in sorted(model.groups, key=lambda g: g.lower):
        # A hair of tolerance so 2.9999999 from float sums does not fall a group lower.
        if overall + 1e-9 >= g.lower:
            found = g.id
    return found


def score(model: MaturityModel, answers: Mapping[str, Answer]) -> Score:
    """Levels per field and dimension, the overall weighted score and the group."""
    known = {i.id: i for d in model.dimensions for f in d.fields for i in f.items}
    for item_id, value in answers.items():
        item = known.get(item_id)
        if item is None:
            raise AnswerError(item_id, "no such question in this model")
        if value is None:
            continue
        if value == NOT_RELEVANT:
            if not item.allow_not_relevant:
                raise AnswerError(item_id, "this question cannot be answered 'not relevant'")
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value not in item.levels:
            raise AnswerError(
                item_id, f"level {value!r} is not offered; choose one of {list(item.levels)}"
            )
    answered = not_relevant = 0
    missing: list[str] = []
    dims: list[DimensionScore] = []
    for dim in model.dimensions:
        field_levels: dict[str, float | None] = {}
        for fld in dim.fields:
            levels: list[float] = []
            weights: list[float] = []
            for item in fld.items:
                value = answers.get(item.id)
                if value is None:
                    missing.append(item.id)
                elif value == NOT_RELEVANT:
                    not_relevant += 1
                else:
                    answered += 1
                    levels.append(float(value))
                    weights.append(item.weight)
            field_levels[fld.id] = _mean(levels, weights)
        present = [(v, f.weight) for f in dim.fields if (v := field_levels[f.id]) is not None]
        level = aggregate([v for v, _ in present], [w for _, w in present], dim.aggregation)
        dims.append(DimensionScore(dim.id, level, field_levels, dim.weight))
    scored = [d for d in dims if d.level is not None]
    overall = _mean([d.level for d in scored if d.level is not None], [d.weight for d in scored])
    return Score(
        dimensions=tuple(dims),
        overall=overall,
        group=group_for(model, overall),
        answered=answered,
        not_relevant=not_relevant,
        missing=tuple(missing),
    )


@dataclass(frozen=True)
class Gap:
    dimension: str
    current: float | None
    target: float | None

    @property
    def gap(self) -> float | None:
        if self.current is None or self.target is None:
            return None
        return self.target - self.current


def gaps(current: Score, target: Score) -> list[Gap]:
    return [Gap(d.id, d.level, target.level_of(d.id)) for d in current.dimensions]


# --------------------------------------------------------------------------- HR key figures


@dataclass(frozen=True)
class Problem:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class PlausibilityError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


# Raw numbers a company enters for one year. Integers count people or events.
HR_INPUTS: dict[str, bool] = {  # name -> whole number?
    "headcount_start": True,
    "headcount_end": True,
    "leavers": True,
    "new_hires": True,
    "new_hires_from_abroad": True,
    "leavers_moved_out_of_region": True,
    "management_positions": True,
    "women_in_management": True,
    "training_days": False,
    "vacancies_filled": True,
    "days_to_fill_total": False,
    "absence_days": False,
    "working_days_per_employee": False,
    "hr_staff_fte": False,
}


@dataclass(frozen=True)
class KeyFigure:
    id: str
    value: float | None  # None: the denominator is zero, so the figure is not defined
    unit: str
    formula: str


HR_FORMULAS: dict[str, tuple[str, str]] = {
    "staff_turnover": ("%", "leavers / ((headcount_start + headcount_end) / 2) × 100"),
    "women_in_management": ("%", "women_in_management / management_positions × 100"),
    "training_days_per_employee": ("days", "training_days / average headcount"),
    "time_to_fill": ("days", "days_to_fill_total / vacancies_filled"),
    "absence_rate": (
        "%",
        "absence_days / (average headcount × working_days_per_employee) × 100",
    ),
    "hires_from_abroad": ("%", "new_hires_from_abroad / new_hires × 100"),
    "brain_drain": ("%", "leavers_moved_out_of_region / leavers × 100"),
    "hr_staff_per_100": ("FTE", "hr_staff_fte / average headcount × 100"),
}


def _number(raw: object, name: str, whole: bool, problems: list[Problem]) -> float | None:
    if raw is None or raw == "":
        problems.append(Problem(name, "required"))
        return None
    if isinstance(raw, bool):
        problems.append(Problem(name, "must be a number"))
        return None
    try:
        value = float(raw) if isinstance(raw, int | float | str) else math.nan
    except ValueError:
        problems.append(Problem(name, f"must be a number, not {str(raw)[:40]!r}"))
        return None
    if not math.isfinite(value):
        problems.append(Problem(name, "must be a finite number"))
        return None
    if value < 0:
        problems.append(Problem(name, "cannot be negative"))
        return None
    if value > 1e9:
        problems.append(Problem(name, "is implausibly large"))
        return None
    if whole and value != int(value):
        problems.append(Problem(name, "must be a whole number"))
        return None
    return value


def hr_check(raw: Mapping[str, object]) -> dict[str, float]:
    """The raw numbers as floats, or PlausibilityError naming every implausible field."""
    problems: list[Problem] = []
    unknown = sorted(set(raw) - set(HR_INPUTS))
    problems += [Problem(name, "unknown field") for name in unknown]
    values: dict[str, float] = {}
    for name, whole in HR_INPUTS.items():
        number = _number(raw.get(name), name, whole, problems)
        if number is not None:
            values[name] = number
    if problems:
        raise PlausibilityError(problems)

    def at_most(part: str, whole: str, what: str) -> None:
        if values[part] > values[whole]:
            problems.append(Problem(part, f"cannot exceed {whole} ({what} over 100 %)"))

    v = values
    if v["leavers"] > v["headcount_start"] + v["new_hires"]:
        problems.append(Problem("leavers", "more leavers than staff (headcount_start + new_hires)"))
    at_most("women_in_management", "management_positions", "a share")
    at_most("new_hires_from_abroad", "new_hires", "a share")
    at_most("leavers_moved_out_of_region", "leavers", "a share")
    at_most("vacancies_filled", "new_hires", "more vacancies filled than people hired,")
    if not 0 < v["working_days_per_employee"] <= 366:
        problems.append(Problem("working_days_per_employee", "must be between 1 and 366"))
    average = (v["headcount_start"] + v["headcount_end"]) / 2
    if v["absence_days"] > average * v["working_days_per_employee"]:
        problems.append(Problem("absence_days", "more absence days than working days (over 100 %)"))
    if v["hr_staff_fte"] > max(v["headcount_start"], v["headcount_end"]):
        problems.append(Problem("hr_staff_fte", "more HR staff than employees"))
    if v["management_positions"] > max(v["headcount_start"], v["headcount_end"]):
        problems.append(Problem("management_positions", "more managers than employees"))
    if problems:
        raise PlausibilityError(problems)
    return values


def _ratio(num: float, den: float, factor: float = 1.0) -> float | None:
    return None if den == 0 else num / den * factor


def hr_figures(raw: Mapping[str, object]) -> dict[str, KeyFigure]:
    """The eight key figures from checked raw numbers, each with its formula."""
    v = hr_check(raw)
    average = (v["headcount_start"] + v["headcount_end"]) / 2
    values = {
        "staff_turnover": _ratio(v["leavers"], average, 100),
        "women_in_management": _ratio(v["women_in_management"], v["management_positions"], 100),
        "training_days_per_employee": _ratio(v["training_days"], average),
        "time_to_fill": _ratio(v["days_to_fill_total"], v["vacancies_filled"]),
        "absence_rate": _ratio(v["absence_days"], average * v["working_days_per_employee"], 100),
        "hires_from_abroad": _ratio(v["new_hires_from_abroad"], v["new_hires"], 100),
        "brain_drain": _ratio(v["leavers_moved_out_of_region"], v["leavers"], 100),
        "hr_staff_per_100": _ratio(v["hr_staff_fte"], average, 100),
    }
    return {
        key: KeyFigure(key, value, HR_FORMULAS[key][0], HR_FORMULAS[key][1])
        for key, value in values.items()
    }


def size_class(employees: float) -> str:
    """EU size classes by headcount."""
    if employees < 10:
        return "micro"
    if employees < 50:
        return "small"
    if employees < 250:
        return "medium"
    return "large"


def round_label(year: int, every_years: int, first_year: int = 2020) -> str:
    """The benchmark round a year belongs to (HR: every two years from the first round)."""
    every = max(1, every_years)
    start = year - (year - first_year) % every
    return str(start) if every == 1 else f"{start}–{start + every - 1}"


# --------------------------------------------------------------------------- peer statistics


def check_k(k: int) -> int:
    if k < MIN_K:
        raise ValueError(f"the anonymity threshold must be at least {MIN_K}, not {k}")
    return k


def quantile(sorted_values: Sequence[float], q: float) -> float:
    """Linear interpolation between closest ranks (the usual 'type 7')."""
    if not sorted_values:
        raise ValueError("no values")
    lo, frac = quantile_position(len(sorted_values), q)
    if frac == 0 or lo + 1 >= len(sorted_values):
        return float(sorted_values[lo])
    return float(sorted_values[lo] + (sorted_values[lo + 1] - sorted_values[lo]) * frac)


def quantile_position(n: int, q: float) -> tuple[int, float]:
    """Index of the lower neighbour and the fraction towards the next, for a database offset."""
    pos = (n - 1) * q
    lo = math.floor(pos)
    return lo, pos - lo


def interpolate(lo_value: float, hi_value: float | None, frac: float) -> float:
    if hi_value is None or frac == 0:
        return float(lo_value)
    return float(lo_value + (hi_value - lo_value) * frac)


def percentile_rank(below: int, equal: int, n: int) -> float:
    """Share of the group below a value, ties counted half (0–100)."""
    if n <= 0:
        raise ValueError("empty group")
    return (below + 0.5 * equal) / n * 100


@dataclass(frozen=True)
class GroupStats:
    n: int
    shown: bool  # False: fewer than k respondents (or a difference below k), nothing else is given
    percentiles: dict[int, float] = field(default_factory=dict)
    histogram: dict[str, int] = field(default_factory=dict)
    rank: float | None = None  # the company's percentile rank, when one is asked for


def may_show(n: int, k: int, parents: Sequence[int] = ()) -> bool:
    """A group of n is shown only if n >= k and, for every group it was narrowed from, the
    difference is 0 or at least k, so no two figures can be subtracted to single out fewer."""
    check_k(k)
    if n < k:
        return False
    return all(p - n == 0 or p - n >= k for p in parents)


def bins_for(value: float, edges: Sequence[float]) -> str:
    for lo, hi in itertools.pairwise(edges):
        if lo <= value < hi:
            return f"{lo:g}–{hi:g}"
    return f"≥{edges[-1]:g}" if value >= edges[-1] else f"<{edges[0]:g}"


def group_stats(
    values: Sequence[float],
    *,
    k: int = DEFAULT_K,
    parents: Sequence[int] = (),
    own: float | None = None,
    edges: Sequence[float] = (),
) -> GroupStats:
    """Percentiles, a histogram and the company's rank, or nothing below the threshold."""
    n = len(values)
    if not may_show(n, k, parents):
        return GroupStats(n=n, shown=False)
    ordered = sorted(values)
    hist: dict[str, int] = {}
    if edges:
        for v in ordered:
            label = bins_for(v, edges)
            hist[label] = hist.get(label, 0) + 1
    rank = None
    if own is not None:
        below = sum(1 for v in ordered if v < own)
        equal = sum(1 for v in ordered if v == own)
        rank = percentile_rank(below, equal, n)
    return GroupStats(
        n=n,
        shown=True,
        percentiles={p: quantile(ordered, p / 100) for p in PERCENTILES},
        histogram=hist,
        rank=rank,
    )


def group_stats_from_counts(
    counts: Sequence[tuple[float, int]],
    *,
    k: int = DEFAULT_K,
    parents: Sequence[int] = (),
    own: float | None = None,
    edges: Sequence[float] = (),
) -> GroupStats:
    """The same as group_stats from (value, count) pairs sorted by value.

    A database answers "how many companies have each value" with one grouped index scan; the
    percentiles and the rank follow from the running totals, without fetching every row.
    """
    n = sum(c for _, c in counts)
    if not may_show(n, k, parents):
        return GroupStats(n=n, shown=False)
    values = [float(v) for v, _ in counts]
    ends = list(itertools.accumulate(c for _, c in counts))  # index of the last row + 1

    def at(index: int) -> float:
        return values[bisect.bisect_right(ends, index)]

    percentiles = {}
    for p in PERCENTILES:
        lo, frac = quantile_position(n, p / 100)
        percentiles[p] = interpolate(at(lo), at(lo + 1) if frac and lo + 1 < n else None, frac)
    hist: dict[str, int] = {}
    if edges:
        for v, c in counts:
            label = bins_for(v, edges)
            hist[label] = hist.get(label, 0) + c
    rank = None
    if own is not None:
        pos = bisect.bisect_left(values, own)
        below = ends[pos - 1] if pos > 0 else 0
        equal = counts[pos][1] if pos < len(values) and values[pos] == own else 0
        rank = percentile_rank(below, equal, n)
    return GroupStats(n=n, shown=True, percentiles=percentiles, histogram=hist, rank=rank)
