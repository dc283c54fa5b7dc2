"""Search quality: TACT's hybrid search next to a plain keyword search, on the evaluation set.

    .venv/bin/python benchmarks/search.py [--eval tests/catalogue/search_eval.yaml]

Sets up Django on a throwaway SQLite database in a temporary directory (migrate + catalogue load),
so it runs on a fresh clone. Prints JSON: recall@3, recall@1 and MRR of both methods, computed in
the same run on the same practices and queries, and the queries each method misses (no relevant
practice in its top 3).

TACT's figures come from selectors.practice_search (what the list page, API and CLI call); the
baseline is tact.algorithms.search.KeywordBaseline over the same search documents.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EVAL = ROOT / "tests" / "catalogue" / "search_eval.yaml"
DEPTH = 10  # ranks looked at for MRR (a relevant practice below rank 10 counts as 0)


def setup_django(var_dir: str) -> None:
    """Point TACT at a fresh SQLite file in var_dir, migrate and load the toolbox."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "tact.settings"
    os.environ["TACT_VAR_DIR"] = var_dir
    os.environ["TACT_DATABASE_URL"] = f"sqlite:///{Path(var_dir) / 'bench.sqlite3'}"
    src = str(ROOT / "src")
    if src not in sys.path:  # works without an editable install too
        sys.path.insert(0, src)
    import django

    django.setup()
    from django.core.management import call_command

    from tact.catalogue.services import catalogue_load

    call_command("migrate", verbosity=0, interactive=False)
    catalogue_load()


def load_eval(path: Path) -> list[dict[str, Any]]:
    import yaml

    with path.open(encoding="utf-8") as handle:
        return list(yaml.safe_load(handle)["queries"])


def evaluate(items: Sequence[dict[str, Any]], rank: Callable[[str], list[str]]) -> dict[str, Any]:
    at1 = at3 = 0
    rr_sum = 0.0
    misses = []
    started = time.perf_counter()
    for item in items:
        relevant = set(item["relevant"])
        ranked = rank(item["query"])[:DEPTH]
        at1 += bool(relevant & set(ranked[:1]))
        hit3 = bool(relevant & set(ranked[:3]))
        at3 += hit3
        rr_sum += next((1.0 / r for r, pid in enumerate(ranked, start=1) if pid in relevant), 0.0)
        if not hit3:
            misses.append(
                {
                    "query": " ".join(item["query"].split()),
                    "kind": item.get("kind", ""),
                    "expected": sorted(relevant),
                    "top3": ranked[:3],
                }
            )
    n = len(items)
    return {
        "recall@3": round(at3 / n, 3),
        "recall@1": round(at1 / n, 3),
        "mrr": round(rr_sum / n, 3),
        "hits@3": at3,
        "misses": misses,
        "ms_per_query": round(1000 * (time.perf_counter() - started) / n, 2),
    }


def by_kind(
    items: Sequence[dict[str, Any]], rank: Callable[[str], list[str]]
) -> dict[str, dict[str, Any]]:
    kinds = sorted({item.get("kind", "") for item in items})
    out = {}
    for kind in kinds:
        subset = [i for i in items if i.get("kind", "") == kind]
        result = evaluate(subset, rank)
        out[kind] = {"n": len(subset), "recall@3": result["recall@3"], "mrr": result["mrr"]}
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL, help="evaluation set (YAML)")
    args = parser.parse_args(argv)
    items = load_eval(args.eval)

    with tempfile.TemporaryDirectory(prefix="tact-bench-search-") as var_dir:
        setup_django(var_dir)
        from tact.algorithms.search import KeywordBaseline
        from tact.catalogue import selectors
        from tact.catalogue.index import practice_document
        from tact.catalogue.models import Practice
        from tact.catalogue.records import vocabulary

        def tact_rank(query: str) -> list[str]:
            result = selectors.practice_search(selectors.parse_query({"q": query}, page_size=DEPTH))
            return [p.id for p in result.practices]

        vocab = vocabulary()
        documents = [
            practice_document(p.to_record(), vocab)
            for p in selectors.practice_queryset().order_by("id")
        ]
        baseline = KeywordBaseline(documents)

        def baseline_rank(query: str) -> list[str]:
            return [hit.key for hit in baseline.search(query, limit=DEPTH)]

        tact_rank("warm-up")  # builds the index and loads the encoder outside the timings
        report = {
            "benchmark": "search quality",
            "eval_set": str(
                args.eval.relative_to(ROOT) if args.eval.is_relative_to(ROOT) else args.eval
            ),
            "queries": len(items),
            "practices": Practice.objects.filter(published=True).count(),
            "hit_definition": "any expected practice id in the top k; MRR over the top 10",
            "methods": {
                "tact_hybrid": {
                    "description": "selectors.practice_search: BM25F with thesaurus + MiniLM",
                    **evaluate(items, tact_rank),
                    "by_kind": by_kind(items, tact_rank),
                },
                "keyword_baseline": {
                    "description": "KeywordBaseline: whole-word match, ranked by words matched",
                    **evaluate(items, baseline_rank),
                    "by_kind": by_kind(items, baseline_rank),
                },
            },
        }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
