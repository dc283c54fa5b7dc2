"""Cross-mentoring matching at scale: TACT's optimal match next to a greedy baseline.

    .venv/bin/python benchmarks/matchmaking_mentoring.py [--mentors 2000] [--mentees 2000]

Generates random but realistic profiles (200 organisations, a few competitor pairs, 40 topics,
five languages, 20 locations, 10 half-day slots), then in one run:
- times ``tact.algorithms.mentoring.match`` (scoring + hard rules + assignment; target <= 5 s);
- checks its total against scipy's ``linear_sum_assignment`` run directly on the same scores;
- runs a greedy baseline (best remaining pair first) on the same scores and reports its total;
- times the stable matching (``match_stable``) when each person ranks their 20 best-scoring
  allowed partners, and counts blocking pairs (0 means stable).
Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))  # works without an editable install too

from tact.algorithms.mentoring import (  # noqa: E402
    Person,
    Rules,
    Weights,
    allowed_matrix,
    match,
    match_stable,
    score_matrix,
)

TOPICS = [f"topic{i:02d}" for i in range(40)]
LANGUAGES = ["de", "en", "fr", "it", "es"]
LOCATIONS = [f"region{i:02d}" for i in range(20)]
SLOTS = [f"{d}-{h}" for d in ("mon", "tue", "wed", "thu", "fri") for h in ("am", "pm")]


def people(rng: random.Random, n: int, side: str) -> list[Person]:
    out = []
    for k in range(n):
        langs = {"en"} if rng.random() < 0.7 else set()
        langs |= set(rng.sample(LANGUAGES, rng.randint(1, 2)))
        out.append(
            Person(
                id=f"{side}{k:05d}",
                side=side,  # type: ignore[arg-type]
                organisation=f"org{rng.randrange(200):03d}",
                function=rng.choice(["engineering", "sales", "hr", "management", "finance"]),
                seniority=rng.randint(1, 5) + (2 if side == "mentor" else 0),
                topics=frozenset(rng.sample(TOPICS, rng.randint(2, 6))),
                languages=frozenset(langs),
                gender=rng.choice(["f", "m"]),
                preferred_gender=rng.choice([None] * 8 + ["f", "m"]),
                location=rng.choice(LOCATIONS),
                availability=frozenset(rng.sample(SLOTS, rng.randint(2, 6))),
            )
        )
    return out


def greedy(scores: np.ndarray, allowed: np.ndarray) -> tuple[int, float]:
    """Best remaining allowed pair first (ties by mentor then mentee index)."""
    flat = np.where(allowed, scores, -np.inf).ravel()
    order = np.argsort(-flat, kind="stable")
    n_rows, n_cols = scores.shape
    row_free = np.ones(n_rows, dtype=bool)
    col_free = np.ones(n_cols, dtype=bool)
    count, total = 0, 0.0
    for idx in order:
        if flat[idx] == -np.inf or count == min(n_rows, n_cols):
            break
        i, j = divmod(int(idx), n_cols)
        if row_free[i] and col_free[j]:
            row_free[i] = col_free[j] = False
            count += 1
            total += float(scores[i, j])
    return count, total


def rankings(
    scores: np.ndarray, allowed: np.ndarray, rows: list[Person], cols: list[Person], top: int
) -> dict[str, list[str]]:
    """Each row person's ``top`` best allowed column people, best first."""
    masked = np.where(allowed, scores, -np.inf)
    order = np.argsort(-masked, axis=1, kind="stable")[:, :top]
    return {
        rows[i].id: [cols[j].id for j in order[i] if np.isfinite(masked[i, j])]
        for i in range(len(rows))
    }


def blocking_pairs(
    pairs: tuple[tuple[str, str], ...],
    mentor_prefs: dict[str, list[str]],
    mentee_prefs: dict[str, list[str]],
    capacity: dict[str, int],
) -> int:
    mentor_of = {e: m for m, e in pairs}
    held: dict[str, list[str]] = {}
    for m, e in pairs:
        held.setdefault(m, []).append(e)
    m_rank = {m: {e: r for r, e in enumerate(p)} for m, p in mentor_prefs.items()}
    count = 0
    for e, prefs in mentee_prefs.items():
        current = mentor_of.get(e)
        for m in prefs:
            if m == current:
                break  # only mentors e prefers to the current one can block
            if e not in m_rank[m]:
                continue
            mine = held.get(m, [])
            if len(mine) < capacity[m] or any(m_rank[m][e] < m_rank[m][x] for x in mine):
                count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mentors", type=int, default=2000)
    parser.add_argument("--mentees", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    mentors = people(rng, args.mentors, "mentor")
    mentees = people(rng, args.mentees, "mentee")
    rules = Rules(
        competitors=frozenset((f"org{2 * i:03d}", f"org{2 * i + 1:03d}") for i in range(20)),
        excluded_pairs=frozenset(
            (rng.choice(mentors).id, rng.choice(mentees).id) for _ in range(100)
        ),
        require_common_language=True,
    )
    weights = Weights()

    start = time.perf_counter()
    scores = score_matrix(mentors, mentees, weights)
    scoring_s = time.perf_counter() - start

    start = time.perf_counter()
    result = match(mentors, mentees, rules, weights)
    match_s = time.perf_counter() - start  # includes its own scoring and rule checks

    # The reference: scipy directly on the same scores (people are already in id order).
    allowed = allowed_matrix(mentors, mentees, rules)
    start = time.perf_counter()
    big = 2.0 * float(scores.max()) * min(scores.shape) + 1.0
    rows, cols = linear_sum_assignment(np.where(allowed, scores, -big), maximize=True)
    keep = allowed[rows, cols]
    direct_total = float(scores[rows[keep], cols[keep]].sum())
    direct_s = time.perf_counter() - start

    start = time.perf_counter()
    greedy_pairs, greedy_total = greedy(scores, allowed)
    greedy_s = time.perf_counter() - start

    # Stable matching: both sides rank their 20 best-scoring allowed partners.
    ordered_mentors = sorted(mentors, key=lambda p: p.id)
    ordered_mentees = sorted(mentees, key=lambda p: p.id)
    mentor_prefs = rankings(scores, allowed, ordered_mentors, ordered_mentees, 20)
    mentee_prefs = rankings(scores.T, allowed.T, ordered_mentees, ordered_mentors, 20)
    start = time.perf_counter()
    stable = match_stable(mentors, mentees, rules, weights, mentor_prefs, mentee_prefs)
    stable_s = time.perf_counter() - start
    stable_blocking = blocking_pairs(
        tuple((p.mentor_id, p.mentee_id) for p in stable.pairs),
        mentor_prefs,
        mentee_prefs,
        {p.id: p.capacity for p in mentors},
    )

    figures: dict[str, Any] = {
        "mentors": len(mentors),
        "mentees": len(mentees),
        "allowed_pair_share": round(float(allowed.mean()), 4),
        "scoring_seconds": round(scoring_s, 3),
        "match_seconds_incl_scoring": round(match_s, 3),
        "target_seconds": 5.0,
        "within_target": match_s <= 5.0,
        "tact": {
            "pairs": len(result.pairs),
            "unmatched": len(result.unmatched),
            "total": round(result.total, 4),
            "mean_percent": round(result.total / max(len(result.pairs), 1), 2),
        },
        "scipy_direct": {
            "pairs": int(keep.sum()),
            "total": round(direct_total, 4),
            "seconds": round(direct_s, 3),
        },
        "same_total_as_scipy": bool(abs(result.total - direct_total) <= 1e-6 * direct_total),
        "greedy_baseline": {
            "pairs": greedy_pairs,
            "total": round(greedy_total, 4),
            "mean_percent": round(greedy_total / max(greedy_pairs, 1), 2),
            "seconds": round(greedy_s, 3),
        },
        "gain_over_greedy_percent": round(100 * (result.total / greedy_total - 1), 3),
        "stable_top20_rankings": {
            "pairs": len(stable.pairs),
            "unmatched_mentees": sum(1 for u in stable.unmatched if u.side == "mentee"),
            "mean_percent": round(stable.total / max(len(stable.pairs), 1), 2),
            "blocking_pairs": stable_blocking,
            "seconds_incl_scoring": round(stable_s, 3),
        },
    }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
