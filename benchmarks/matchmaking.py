"""Matchmaking at the sizes issue 7 asks for, each next to its baseline, in one run.

    .venv/bin/python benchmarks/matchmaking.py [--quick] [--skip-large] [--skip-mentoring]

1. B2B, 500 participants, 3,000 accepted requests, 16 slots, 100 tables: TACT's scheduler
   (limit 9.5 s, target <= 10 s) next to the greedy baseline (greedy + local search alone) and
   the plain exact CP-SAT model given 60 s; the upper bound and the gap to it.
2. B2B, 2,000 participants, 20,000 requests, 24 slots (400 tables): target <= 60 s, next to
   the greedy baseline.
3. B2B, six small events solved to optimality by the exact model: TACT, greedy and exact.
4. Cross-mentoring, 2,000 mentors x 2,000 mentees: TACT's optimal assignment (target <= 5 s)
   next to scipy's ``linear_sum_assignment`` on the same scores and a greedy baseline (run by
   ``benchmarks/matchmaking_mentoring.py`` in its own process, so its timing is undisturbed).

Idle gaps per participant (mean over people with at least one meeting, and maximum) are in
every B2B figure. Prints one JSON document.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from matchmaking_b2b import instance, run_case  # noqa: E402


def b2b_small(quick: bool) -> list[dict[str, Any]]:
    out = []
    for seed in range(3 if quick else 6):
        ev, ps, rs = instance(100 + seed, 20, 60, 6, 5)
        r = run_case(f"small-{seed}", ev, ps, rs, 5.0, 30.0, 5.0)
        out.append(
            {
                "case": r["case"],
                "exact_optimal": r["exact"]["optimal"],
                "exact": [r["exact"]["total_priority"], r["exact"]["total_idle_gaps"]],
                "tact": [r["tact"]["total_priority"], r["tact"]["total_idle_gaps"]],
                "greedy": [r["greedy"]["total_priority"], r["greedy"]["total_idle_gaps"]],
                "tact_matches_exact": r["tact"]["total_priority"] >= r["exact"]["total_priority"],
            }
        )
    return out


def mentoring(quick: bool) -> dict[str, Any]:
    n = "300" if quick else "2000"
    cmd = [sys.executable, str(HERE / "matchmaking_mentoring.py"), "--mentors", n, "--mentees", n]
    started = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=900, check=False)
    if done.returncode != 0:
        return {"error": done.stderr.strip()[-2000:], "seconds": time.monotonic() - started}
    figures: dict[str, Any] = json.loads(done.stdout)
    return figures


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="smaller instances, shorter limits")
    ap.add_argument("--skip-large", action="store_true", help="leave out the 2,000-person event")
    ap.add_argument("--skip-mentoring", action="store_true")
    args = ap.parse_args()
    report: dict[str, Any] = {}
    if args.quick:
        ev, ps, rs = instance(1, 150, 800, 12, 30)
        report["b2b_500"] = run_case("500 (quick: 150)", ev, ps, rs, 3.0, 5.0, 3.0)
    else:
        ev, ps, rs = instance(1, 500, 3000, 16, 100)
        report["b2b_500"] = run_case("500/3000/16/100", ev, ps, rs, 9.5, 60.0, 10.0)
        if not args.skip_large:
            ev, ps, rs = instance(2, 2000, 20000, 24, 400)
            report["b2b_2000"] = run_case("2000/20000/24/400", ev, ps, rs, 55.0, None, 60.0)
    a = report["b2b_500"]
    a["tact_at_least_exact_60s"] = a["tact"]["total_priority"] >= a["exact"]["total_priority"]
    report["b2b_small_exact"] = b2b_small(args.quick)
    if not args.skip_mentoring:
        report["mentoring"] = mentoring(args.quick)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
