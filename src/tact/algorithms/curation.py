"""Scoring of survey one-pagers: completeness, soundness, uniqueness, a suggested field.

Pure functions over plain data: the curation app turns one-pagers into mappings and vectors,
calls these, and stores what comes back. Nothing here imports Django.

- Completeness is measured against a template: each item has a weight, and the facts item
  counts only facts whose figures are numbers.
- Soundness is the mean of reviewers' rubric ratings, scaled to 0..1; it needs a minimum number
  of reviewers and flags criteria on which two reviewers differ by a threshold or more.
- Uniqueness is one minus the highest similarity to another submission or to a published
  practice; similarity blends sentence-embedding cosine with TF-IDF cosine of stemmed words.
- The field and Target Board objectives are suggested by a classifier fitted on the published
  practices: cosine to field centroids through a softmax for the field, and a similarity-weighted
  vote of the nearest practices for the objectives.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from .text import analyse

FloatArray = npt.NDArray[np.float32]

ItemKind = Literal["text", "list", "facts", "choice"]


# --- completeness -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateItem:
    """One thing the one-pager template asks for; ``key`` may be dotted ("region.name")."""

    key: str
    kind: ItemKind = "text"
    weight: float = 1.0
    # Texts shorter than this (in characters, after stripping) count as not filled.
    min_length: int = 1


@dataclass(frozen=True)
class Completeness:
    score: float  # 0..1, weighted share of the template that is filled
    filled: tuple[str, ...]
    missing: tuple[str, ...]
    facts_total: int
    facts_numeric: int
    # Positions (1-based) of facts whose figures are not numbers.
    facts_not_numeric: tuple[int, ...]


def _lookup(record: Mapping[str, Any], key: str) -> Any:
    value: Any = record
    for part in key.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def is_number(value: Any) -> bool:
    """True for ints and finite floats (not for booleans, nor for '40' typed as text)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(float(value))


def fact_is_numeric(fact: Any) -> bool:
    """A fact counts when it has a figure and every figure it gives is a number."""
    if not isinstance(fact, Mapping):
        return False
    figures = [fact[name] for name in ("value", "min", "max") if name in fact]
    figures = [f for f in figures if f is not None and f != ""]
    return bool(figures) and all(is_number(f) for f in figures)


def _item_share(value: Any, item: TemplateItem) -> float:
    if item.kind == "text":
        return 1.0 if isinstance(value, str) and len(value.strip()) >= item.min_length else 0.0
    if item.kind == "choice":
        return 1.0 if isinstance(value, str | bool | int) and value not in ("", None) else 0.0
    if item.kind == "list":
        if not isinstance(value, Sequence) or isinstance(value, str):
            return 0.0
        return 1.0 if any(v not in ("", None, {}, []) for v in value) else 0.0
    # facts: the share of facts whose figures are numbers; no facts at all is nothing.
    if not isinstance(value, Sequence) or isinstance(value, str) or not value:
        return 0.0
    return sum(1 for f in value if fact_is_numeric(f)) / len(value)


def completeness(record: Mapping[str, Any], template: Sequence[TemplateItem]) -> Completeness:
    """How much of the template a one-pager fills; facts count only where they are numbers."""
    total = sum(item.weight for item in template)
    if total <= 0:
        raise ValueError("the template needs at least one item with a positive weight")
    got = 0.0
    filled: list[str] = []
    missing: list[str] = []
    for item in template:
        share = _item_share(_lookup(record, item.key), item)
        got += item.weight * share
        (filled if share >= 1.0 else missing).append(item.key)
    facts = _lookup(record, "facts")
    facts = list(facts) if isinstance(facts, Sequence) and not isinstance(facts, str) else []
    bad = tuple(i for i, f in enumerate(facts, start=1) if not fact_is_numeric(f))
    return Completeness(
        score=got / total,
        filled=tuple(filled),
        missing=tuple(missing),
        facts_total=len(facts),
        facts_numeric=len(facts) - len(bad),
        facts_not_numeric=bad,
    )


# --- soundness ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    key: str
    weight: float = 1.0


@dataclass(frozen=True)
class Rating:
    """One reviewer's ratings: criterion key -> a whole number on the rubric's scale."""

    reviewer: str
    scores: Mapping[str, int]


@dataclass(frozen=True)
class CriterionResult:
    key: str
    mean: float | None
    spread: int  # highest minus lowest rating
    ratings: int


@dataclass(frozen=True)
class Soundness:
    score: float | None  # 0..1; None without any rating
    reviewers: int
    enough_reviewers: bool
    criteria: tuple[CriterionResult, ...]
    disagreement: tuple[str, ...]  # criteria on which reviewers differ by the threshold or more

    @property
    def flagged(self) -> bool:
        return bool(self.disagreement)


def soundness(
    ratings: Sequence[Rating],
    criteria: Sequence[Criterion],
    *,
    scale: tuple[int, int] = (1, 5),
    min_reviewers: int = 2,
    disagreement_at: int = 2,
) -> Soundness:
    """Rubric ratings to a 0..1 score; disagreement is a spread of ``disagreement_at`` or more."""
    low, high = scale
    if high <= low:
        raise ValueError("the scale needs a highest rating above the lowest")
    keys = {c.key for c in criteria}
    for rating in ratings:
        for key, value in rating.scores.items():
            if key not in keys:
                raise ValueError(f"unknown criterion {key!r} in the rating of {rating.reviewer}")
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ValueError(f"{key}: rating {value!r} is not a whole number {low}..{high}")
    results = []
    weighted = 0.0
    weights = 0.0
    disagreement = []
    for criterion in criteria:
        values = [r.scores[criterion.key] for r in ratings if criterion.key in r.scores]
        if not values:
            results.append(CriterionResult(criterion.key, None, 0, 0))
            continue
        mean = sum(values) / len(values)
        spread = max(values) - min(values)
        results.append(CriterionResult(criterion.key, mean, spread, len(values)))
        weighted += criterion.weight * (mean - low) / (high - low)
        weights += criterion.weight
        if spread >= disagreement_at:
            disagreement.append(criterion.key)
    reviewers = len({r.reviewer for r in ratings if r.scores})
    return Soundness(
        score=weighted / weights if weights else None,
        reviewers=reviewers,
        enough_reviewers=reviewers >= min_reviewers,
        criteria=tuple(results),
        disagreement=tuple(disagreement),
    )


# --- similarity and uniqueness ------------------------------------------------------------------


@dataclass(frozen=True)
class TextItem:
    """A one-pager or a practice as the similarity measure sees it."""

    key: str
    text: str
    vector: FloatArray | None = None


@dataclass(frozen=True)
class Neighbour:
    key: str
    similarity: float


@dataclass(frozen=True)
class Uniqueness:
    score: float  # 1 - the highest similarity to anything else, clipped to 0..1
    nearest: tuple[Neighbour, ...]
    near_duplicates: tuple[Neighbour, ...]


def _unit_rows(matrix: npt.ArrayLike) -> npt.NDArray[np.float64]:
    array = np.asarray(matrix, dtype=np.float64)
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    unit: npt.NDArray[np.float64] = array / np.maximum(norms, 1e-12)
    return unit


def lexical_similarity(texts: Sequence[str]) -> npt.NDArray[np.float64]:
    """TF-IDF cosine of stemmed words (stop words removed) between every pair of texts."""
    n = len(texts)
    bags = [Counter(analyse(t)) for t in texts]
    vocabulary: dict[str, int] = {}
    for bag in bags:
        for term in bag:
            vocabulary.setdefault(term, len(vocabulary))
    if not vocabulary:
        return np.zeros((n, n))
    counts = np.zeros((n, len(vocabulary)))
    for i, bag in enumerate(bags):
        for term, count in bag.items():
            counts[i, vocabulary[term]] = 1.0 + math.log(count)
    document_frequency = np.count_nonzero(counts, axis=0)
    idf = np.log((1 + n) / (1 + document_frequency)) + 1.0
    unit = _unit_rows(counts * idf)
    similarity: npt.NDArray[np.float64] = unit @ unit.T
    return similarity


def similarity_matrix(
    items: Sequence[TextItem], *, semantic_weight: float = 0.6
) -> npt.NDArray[np.float64]:
    """Blended similarity of every pair: semantic cosine (where all items have vectors) and
    lexical TF-IDF cosine. The diagonal is 1."""
    if not 0.0 <= semantic_weight <= 1.0:
        raise ValueError("semantic_weight must be between 0 and 1")
    lexical = lexical_similarity([i.text for i in items])
    vectors = [i.vector for i in items]
    if items and all(v is not None for v in vectors) and semantic_weight > 0:
        unit = _unit_rows(np.vstack([np.asarray(v, dtype=np.float64) for v in vectors]))
        semantic = np.clip(unit @ unit.T, 0.0, 1.0)
        blended: npt.NDArray[np.float64] = (
            semantic_weight * semantic + (1 - semantic_weight) * lexical
        )
    else:
        blended = lexical
    np.fill_diagonal(blended, 1.0)
    return blended


def uniqueness(
    candidates: Sequence[TextItem],
    published: Sequence[TextItem],
    *,
    near_duplicate_at: float = 0.8,
    neighbours: int = 3,
    semantic_weight: float = 0.6,
) -> dict[str, Uniqueness]:
    """For each candidate, how unlike it is to the other candidates and to the published items."""
    keys = [i.key for i in candidates] + [i.key for i in published]
    if len(set(keys)) != len(keys):
        raise ValueError("keys of candidates and published items must be distinct")
    similarity = similarity_matrix([*candidates, *published], semantic_weight=semantic_weight)
    result: dict[str, Uniqueness] = {}
    for i, item in enumerate(candidates):
        row = similarity[i].copy()
        row[i] = -np.inf
        order = [int(j) for j in np.argsort(-row, kind="stable") if j != i]
        nearest = tuple(Neighbour(keys[j], round(float(row[j]), 4)) for j in order[:neighbours])
        duplicates = tuple(
            Neighbour(keys[j], round(float(row[j]), 4))
            for j in order
            if row[j] >= near_duplicate_at
        )
        top = float(row[order[0]]) if order else 0.0
        result[item.key] = Uniqueness(
            score=min(1.0, max(0.0, 1.0 - top)), nearest=nearest, near_duplicates=duplicates
        )
    return result


# --- the suggested field and objectives ---------------------------------------------------------


@dataclass(frozen=True)
class Example:
    """A published practice: its vector, its field and its objectives."""

    key: str
    vector: FloatArray
    field: str
    objectives: tuple[str, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    label: str
    confidence: float


@dataclass(frozen=True)
class Prediction:
    field: str
    confidence: float
    fields: tuple[Suggestion, ...]  # every field, most likely first; confidences sum to 1
    objectives: tuple[Suggestion, ...]  # objectives at or above the threshold, likeliest first


@dataclass
class Classifier:
    """Nearest-centroid for the field, similarity-weighted neighbours for the objectives."""

    examples: list[Example]
    temperature: float = 0.05
    neighbours: int = 5
    objective_threshold: float = 0.3
    _matrix: npt.NDArray[np.float64] = field(init=False, repr=False)
    _labels: list[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.examples:
            raise ValueError("the classifier needs at least one published practice")
        if self.temperature <= 0:
            raise ValueError("temperature must be positive")
        self._matrix = _unit_rows(np.vstack([e.vector for e in self.examples]))
        self._labels = sorted({e.field for e in self.examples})

    def predict(self, vector: npt.ArrayLike, *, exclude: str | None = None) -> Prediction:
        """Field and objectives for one vector; ``exclude`` leaves one example out (evaluation)."""
        query = _unit_rows(np.asarray(vector, dtype=np.float64).reshape(1, -1))[0]
        keep = np.array([e.key != exclude for e in self.examples])
        if not keep.any():
            raise ValueError("no example left to compare with")
        similarity = self._matrix @ query
        labels = [
            lab
            for lab in self._labels
            if any(e.field == lab and k for e, k in zip(self.examples, keep, strict=True))
        ]
        centroid_scores = []
        for label in labels:
            rows = [i for i, e in enumerate(self.examples) if e.field == label and keep[i]]
            centroid = self._matrix[rows].mean(axis=0)
            centroid /= max(float(np.linalg.norm(centroid)), 1e-12)
            centroid_scores.append(float(centroid @ query))
        logits = np.array(centroid_scores) / self.temperature
        probabilities = np.exp(logits - logits.max())
        probabilities /= probabilities.sum()
        ranked = sorted(
            (
                Suggestion(lab, round(float(p), 4))
                for lab, p in zip(labels, probabilities, strict=True)
            ),
            key=lambda s: (-s.confidence, s.label),
        )

        candidates = [i for i in np.argsort(-similarity, kind="stable") if keep[i]]
        nearest = candidates[: self.neighbours]
        weights = np.exp((similarity[nearest] - similarity[nearest].max()) / self.temperature)
        votes: dict[str, float] = {}
        for weight, i in zip(weights, nearest, strict=True):
            for objective in self.examples[i].objectives:
                votes[objective] = votes.get(objective, 0.0) + float(weight)
        total = float(weights.sum())
        objectives = sorted(
            (
                Suggestion(o, round(v / total, 4))
                for o, v in votes.items()
                if v / total >= self.objective_threshold
            ),
            key=lambda s: (-s.confidence, s.label),
        )
        return Prediction(
            field=ranked[0].label,
            confidence=ranked[0].confidence,
            fields=tuple(ranked),
            objectives=tuple(objectives),
        )


@dataclass(frozen=True)
class Evaluation:
    examples: int
    field_accuracy: float  # share of practices whose field is predicted right, left out in turn
    objective_recall: float  # share of their objectives among the suggestions


def leave_one_out(classifier: Classifier) -> Evaluation:
    """How well the classifier does on the published practices, each predicted without itself."""
    right = 0
    found = 0
    wanted = 0
    for example in classifier.examples:
        prediction = classifier.predict(example.vector, exclude=example.key)
        right += prediction.field == example.field
        suggested = {s.label for s in prediction.objectives}
        found += len(suggested & set(example.objectives))
        wanted += len(example.objectives)
    n = len(classifier.examples)
    return Evaluation(
        examples=n,
        field_accuracy=right / n if n else 0.0,
        objective_recall=found / wanted if wanted else 0.0,
    )


# --- the ranked table ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Weights:
    completeness: float = 0.3
    soundness: float = 0.4
    uniqueness: float = 0.3


@dataclass(frozen=True)
class Overall:
    score: float
    provisional: bool  # soundness is missing or rests on too few reviewers


def overall(
    completeness_score: float,
    soundness_result: Soundness | None,
    uniqueness_score: float,
    weights: Weights = Weights(),
) -> Overall:
    """Weighted mean of the three scores; without ratings the other two carry the weight."""
    parts = [
        (weights.completeness, completeness_score),
        (weights.uniqueness, uniqueness_score),
    ]
    sound = soundness_result.score if soundness_result is not None else None
    if sound is not None:
        parts.append((weights.soundness, sound))
    total = sum(w for w, _v in parts)
    score = sum(w * v for w, v in parts) / total if total else 0.0
    provisional = soundness_result is None or not soundness_result.enough_reviewers
    return Overall(score=round(score, 4), provisional=provisional)
