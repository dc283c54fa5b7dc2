"""B2B meeting scheduling: TACT's scheduler against a greedy baseline and an exact CP-SAT model.

    .venv/bin/python benchmarks/matchmaking_b2b.py [--quick] [--skip-large]

Cases, on seeded random events (availability ~75% of slots, max meetings 4-8, priority 1-5):
(a) 500 participants, 3,000 requests, 16 slots, 100 tables: schedule() in <= 10 s (limit 9.5 s
    because the result is built after the solver stops), next to the
    greedy baseline (greedy + local search alone) and a plain CP-SAT model (no greedy hint) given
    60 s; upper bound and gap; idle gaps per participant (mean over people with meetings, max).
(b) 2,000 participants, 20,000 requests, 24 slots, 400 tables: schedule() in <= 60 s (limit 55 s).
(c) small events solved to optimality by the exact model, compared with schedule() and greedy.
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

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from tact.algorithms import b2b  # noqa: E402
from tact.algorithms.b2b import Event, Participant, Request, Schedule, schedule  # noqa: E402


def instance(
    seed: int, n: int, m: int, slots: int, tables: int
) -> tuple[Event, list[Participant], list[Request]]:
    rng = random.Random(seed)
    people = [
        Participant(
            f"p{i}",
            frozenset(s for s in range(slots) if rng.random() < 0.75),
            rng.choice([4, 6, 8]),
        )
        for i in range(n)
    ]
    seen: set[tuple[int, int]] = set()
    reqs: list[Request] = []
    while len(reqs) < m:
        a, b = rng.sample(range(n), 2)
        if (a, b) in seen or (b, a) in seen:
            continue
        seen.add((a, b))
        reqs.append(Request(f"r{len(reqs)}", f"p{a}", f"p{b}", rng.randint(1, 5)))
    return Event(slots, tables), people, reqs


def figures(s: Schedule, wall: float, reqs: dict[str, Request]) -> dict[str, Any]:
    return {
        "seconds": round(wall, 2),
        "total_priority": s.total_priority,
        "meetings": len(s.meetings),
        "unmet": len(s.unmet),
        "total_idle_gaps": s.total_idle_gaps,
        **gap_stats(s, reqs),
        "optimal": s.optimal,
        "method": s.stats.get("method"),
        "cp_status": s.stats.get("cp_status"),
    }


def gap_stats(s: Schedule, reqs: dict[str, Request]) -> dict[str, float]:
    # Over participants with at least one meeting: people without meetings have no agenda.
    met = {p for m in s.meetings for p in (reqs[m.request_id].a, reqs[m.request_id].b)}
    gaps = [g for p, g in s.idle_gaps.items() if p in met]
    return {
        "idle_gaps_mean": round(sum(gaps) / max(1, len(gaps)), 3),
        "idle_gaps_max": max(gaps, default=0),
    }


def exact(
    event: Event, people: list[Participant], reqs: list[Request], seconds: float
) -> tuple[Schedule, float]:
    """The plain CP-SAT model, no greedy hint: what an exact solver reaches on its own."""
    t0 = time.monotonic()
    prob = b2b._prepare(event, people, reqs, ())
    cp = b2b._cpsat(prob, {}, t0 + seconds, 1, 8, 0)
    ub = b2b.upper_bound(prob)
    stats: dict[str, Any] = {"method": "exact cp-sat"}
    if cp is None:
        stats["cp_status"] = "no solution"
        res = b2b._finish(prob, {}, ub, False, stats)
    else:
        stats["cp_status"] = cp.status
        res = b2b._finish(prob, cp.slot_of, min(ub, cp.bound), cp.status == "OPTIMAL", stats)
    return res, time.monotonic() - t0


def run_case(
    name: str,
    event: Event,
    people: list[Participant],
    reqs: list[Request],
    limit: float,
    exact_s: float | None,
    target_s: float,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "case": name,
        "participants": len(people),
        "requests": len(reqs),
        "slots": event.slots,
        "tables": event.tables,
        "time_limit_s": limit,
        "target_s": target_s,
    }
    by_id = {r.id: r for r in reqs}
    t0 = time.monotonic()
    g = schedule(event, people, reqs, use_cpsat=False, time_limit_s=limit)
    out["greedy"] = figures(g, time.monotonic() - t0, by_id)
    t0 = time.monotonic()
    s = schedule(event, people, reqs, time_limit_s=limit)
    out["tact"] = figures(s, time.monotonic() - t0, by_id)
    ub = s.upper_bound
    if exact_s is not None:
        e, wall = exact(event, people, reqs, exact_s)
        out["exact"] = figures(e, wall, by_id)
        out["exact"]["bound"] = e.upper_bound
        ub = min(ub, e.upper_bound)
    out["upper_bound"] = ub
    out["gap_to_bound_pct"] = round(100 * (ub - s.total_priority) / max(1, ub), 2)
    out["within_target"] = out["tact"]["seconds"] <= target_s
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="smaller instances, shorter limits")
    ap.add_argument("--skip-large", action="store_true", help="leave out case (b)")
    args = ap.parse_args()
    results = []
    if args.quick:
        ev, ps, rs = instance(1, 150, 800, 12, 30)
        results.append(run_case("a (quick)", ev, ps, rs, 3.0, 5.0, 3.0))
    else:
        ev, ps, rs = instance(1, 500, 3000, 16, 100)
        results.append(run_case("a", ev, ps, rs, 9.5, 60.0, 10.0))
        if not args.skip_large:
            ev, ps, rs = instance(2, 2000, 20000, 24, 400)
            results.append(run_case("b", ev, ps, rs, 55.0, None, 60.0))
    small = []
    for seed in range(3 if args.quick else 6):
        ev, ps, rs = instance(100 + seed, 20, 60, 6, 5)
        r = run_case(f"c{seed}", ev, ps, rs, 5.0, 30.0, 5.0)
        small.append(
            {
                "case": r["case"],
                "exact_optimal": r["exact"]["optimal"],
                "exact_priority": r["exact"]["total_priority"],
                "exact_gaps": r["exact"]["total_idle_gaps"],
                "tact_priority": r["tact"]["total_priority"],
                "tact_gaps": r["tact"]["total_idle_gaps"],
                "greedy_priority": r["greedy"]["total_priority"],
                "greedy_gaps": r["greedy"]["total_idle_gaps"],
            }
        )
    print(json.dumps({"cases": results, "small_exact": small}, indent=2))


if __name__ == "__main__":
    main()
