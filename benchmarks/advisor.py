"""Ranking 10,000 practices for one cluster profile: the vectorised advisor against a naive loop.

    .venv/bin/python benchmarks/advisor.py [--n 10000] [--repeat 30] [--seed 7]

Pure algorithm, no database: the 23 real practices are read from the data files and synthetic
practices are drawn from their vocabularies (fields, objectives, target groups, sectors, formats,
staff, fees, durations, scope). For several random profiles it measures, after one warm-up:

- compile: PracticeMatrix(practices), done once per toolbox version and cached by the app;
- rank: rank(profile, matrix, top=20), i.e. every practice scored and ordered, the best 20
  explained factor by factor (what the web page and the API show);
- rank_with_limits: the same with hard limits that exclude most practices (each exclusion gets
  its reason);
- rank_all_explained: the same with every practice explained (top=None);
- naive baseline: recommend_naive(), one pure-Python score_practice() call per practice, then a
  sort; it gives the same order (checked here).

Target: rank p95 <= 200 ms for 10,000 practices. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tact.settings")

from tact.algorithms import advisor as a
from tact.catalogue.records import read_toolbox

TARGET_MS = 200.0


def synthetic(
    n: int, real: list[a.PracticeFeatures], rng: random.Random
) -> list[a.PracticeFeatures]:
    objectives = sorted({o for p in real for o in p.objectives})
    groups = sorted({g for p in real for g in p.target_groups})
    sectors = sorted({s for p in real for s in p.sectors})
    formats = sorted(a.FORMAT_COMPLEXITY)
    fields = sorted({p.field for p in real})
    out = []
    for i in range(n):
        maybe = lambda value: value if rng.random() < 0.6 else None  # noqa: E731
        out.append(
            a.PracticeFeatures(
                id=f"synthetic-{i:05d}",
                field=rng.choice(fields),
                objectives=tuple(rng.sample(objectives, rng.randint(1, 6))),
                target_groups=tuple(rng.sample(groups, rng.randint(1, 6))),
                sectors=tuple(rng.sample(sectors, rng.randint(1, 2))),
                formats=tuple(rng.sample(formats, rng.randint(1, 4))),
                title=f"Synthetic practice {i}",
                fee_eur=maybe(rng.choice([0.0, 580.0, 1500.0, 3000.0, 5000.0])),
                staff_persons=maybe(float(rng.randint(1, 4))),
                effort_fte=maybe(round(rng.uniform(0.1, 1.5), 2)) if rng.random() < 0.3 else None,
                duration_months=maybe(rng.choice([0.1, 1.0, 3.0, 9.0, 12.0, 24.0])),
                preparation_months=maybe(rng.choice([1.0, 4.0, 9.0])),
                cost_eur=maybe(rng.choice([10_000.0, 50_000.0, 100_000.0]))
                if rng.random() < 0.3
                else None,
                participants=maybe(float(rng.randint(10, 300))),
                member_participants=maybe(float(rng.randint(5, 40))),
                cross_border=rng.random() < 0.3,
                cross_cluster=rng.random() < 0.3,
            )
        )
    return out


def random_profile(rng: random.Random, real: list[a.PracticeFeatures]) -> a.Profile:
    objectives = sorted({o for p in real for o in p.objectives})
    groups = sorted({g for p in real for g in p.target_groups})
    sectors = sorted({s for p in real for s in p.sectors})
    return a.Profile(
        name="benchmark",
        sectors=tuple(rng.sample(sectors, 2)),
        stage=rng.choice(a.STAGES),
        members=rng.randint(15, 300),
        share_smes=0.6,
        share_large=0.2,
        share_research=0.15,
        share_public=0.05,
        management_fte=rng.choice([0.5, 1.0, 2.5, 5.0]),
        budget_eur=rng.choice([5_000.0, 40_000.0, 150_000.0]),
        objectives={o: rng.randint(1, 3) for o in rng.sample(objectives, 5)},
        target_groups=tuple(rng.sample(groups, 3)),
        cross_border=rng.random() < 0.5,
        current_services=(a.CurrentService("Existing", "networking", ("networking-people",)),),
    )


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(p95 * 1000, 2),
        "runs": len(ordered),
    }


def timed(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--naive-repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    box = read_toolbox()
    units = box.vocabulary["units"]
    real = [a.features_from_record(r, units) for r in box.practices]
    practices = real + synthetic(args.n - len(real), real, rng)
    profiles = [random_profile(rng, real) for _ in range(args.repeat)]

    compile_times = []
    for _ in range(3):
        seconds, matrix = timed(lambda: a.PracticeMatrix(practices))
        compile_times.append(seconds)
    a.rank(profiles[0], matrix, top=20)  # warm-up
    rank_times, limit_times, all_times, naive_times = [], [], [], []
    limits = a.Limits(
        max_cost_eur=30_000, max_staff=2, fields=("education", "growth", "innovation")
    )
    for profile in profiles:
        seconds, _r = timed(lambda profile=profile: a.rank(profile, matrix, top=20))
        rank_times.append(seconds)
        seconds, _r = timed(lambda profile=profile: a.rank(profile, matrix, limits, top=20))
        limit_times.append(seconds)
    for profile in profiles[: args.naive_repeat]:
        seconds, _r = timed(lambda profile=profile: a.rank(profile, matrix, top=None))
        all_times.append(seconds)
        seconds, naive = timed(lambda profile=profile: a.recommend_naive(profile, practices))
        naive_times.append(seconds)
        fast = [r.practice_id for r in a.rank(profile, matrix, top=50).recommendations]
        assert fast == [pid for pid, _s in naive[:50]], "vectorised and naive orders differ"
    rank = percentiles(rank_times)
    naive = percentiles(naive_times)
    print(
        json.dumps(
            {
                "benchmark": "advisor ranking",
                "practices": len(practices),
                "profiles": len(profiles),
                "python": platform.python_version(),
                "compile_matrix": percentiles(compile_times),
                "rank_top20_explained": rank,
                "rank_top20_with_limits": {
                    **percentiles(limit_times),
                    "excluded": len(a.rank(profiles[0], matrix, limits, top=1).excluded),
                },
                "rank_all_explained": percentiles(all_times),
                "naive_per_practice_loop": naive,
                "speedup_p50": round(naive["p50_ms"] / rank["p50_ms"], 1)
                if rank["p50_ms"]
                else None,
                "target_p95_ms": TARGET_MS,
                "meets_target": rank["p95_ms"] <= TARGET_MS,
                "same_order_as_naive": True,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
