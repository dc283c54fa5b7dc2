"""Search quality on the evaluation set (search_eval.yaml): recall@3 and MRR of practice_search.

The set was written from the source report before the search was run on it. The benchmark
(benchmarks/search.py) prints the same figures next to a plain keyword baseline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tact.catalogue import selectors
from tact.catalogue.models import Practice

EVAL_PATH = Path(__file__).with_name("search_eval.yaml")
MIN_QUERIES = 40
MIN_RECALL_AT_3 = 0.9
KINDS = {"paraphrase", "keyword", "question", "informal"}


def load_eval() -> list[dict[str, Any]]:
    with EVAL_PATH.open(encoding="utf-8") as handle:
        return list(yaml.safe_load(handle)["queries"])


def ranked_ids(query: str, depth: int = 10) -> list[str]:
    result = selectors.practice_search(selectors.parse_query({"q": query}, page_size=depth))
    return [p.id for p in result.practices]


def reciprocal_rank(ranked: list[str], relevant: set[str]) -> float:
    return next((1.0 / rank for rank, pid in enumerate(ranked, start=1) if pid in relevant), 0.0)


def test_eval_set_is_well_formed(toolbox: None) -> None:
    items = load_eval()
    assert len(items) >= MIN_QUERIES
    known = set(Practice.objects.values_list("id", flat=True))
    assert len(known) == 23
    queries = [item["query"].strip().casefold() for item in items]
    assert len(set(queries)) == len(queries), "duplicate queries"
    for item in items:
        relevant = item["relevant"]
        assert item["query"].strip(), item
        assert item["kind"] in KINDS, item
        assert 1 <= len(relevant) <= 3, item
        assert len(set(relevant)) == len(relevant), item
        assert set(relevant) <= known, f"unknown practice id in {item}"


def test_recall_at_3_and_mrr(toolbox: None) -> None:
    items = load_eval()
    hits = 0
    reciprocal_ranks = []
    misses = []
    for item in items:
        relevant = set(item["relevant"])
        ranked = ranked_ids(item["query"])
        if relevant & set(ranked[:3]):
            hits += 1
        else:
            misses.append((item["query"], sorted(relevant), ranked[:3]))
        reciprocal_ranks.append(reciprocal_rank(ranked, relevant))
    recall_at_3 = hits / len(items)
    mrr = sum(reciprocal_ranks) / len(items)
    report = "\n".join(f"  {q!r}: expected {e}, got {g}" for q, e, g in misses)
    print(f"recall@3 = {recall_at_3:.3f}, MRR = {mrr:.3f}, misses:\n{report}")
    assert recall_at_3 >= MIN_RECALL_AT_3, f"recall@3 {recall_at_3:.3f}, misses:\n{report}"
    assert mrr > 0.0


@pytest.mark.parametrize(
    ("ranked", "relevant", "expected"),
    [(["a", "b", "c"], {"b"}, 0.5), (["a"], {"z"}, 0.0), (["x", "y"], {"x", "y"}, 1.0)],
)
def test_reciprocal_rank(ranked: list[str], relevant: set[str], expected: float) -> None:
    assert reciprocal_rank(ranked, relevant) == expected
