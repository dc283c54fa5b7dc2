"""A company's peer comparison with 100,000 synthetic Industrie 4.0 responses.

    .venv/bin/python benchmarks/assessments.py [--n 100000] [--queries 200] [--seed 8]
        [--database-url sqlite] [--database-url postgres://tact:tact@127.0.0.1:5432/tact_assess_bench]

Each database runs in its own process; the JSON holds one run per database. ``sqlite`` is a
throwaway file in a temporary directory; a PostgreSQL database whose name contains "bench" is
dropped and created again (the role needs CREATEDB).

Measured, after a warm-up, for random submitted responses:
``selectors.peer_comparison(response, metrics=["overall"], include_all=False)`` — the company's
percentiles (p10..p90), group size and percentile rank in its sector, size class and region
groups, with the k-anonymity checks (the target); the same with the all-respondents group added;
and what the report page asks for (overall in four groups, the six dimensions in the sector group).
Baseline in the same run: ``selectors.peer_comparison_naive``, which loads every figure of the
round and computes the same statistics in Python. Target: p95 <= 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 100.0
SECTORS = [
    "machinery",
    "automotive",
    "electronics",
    "metal",
    "plastics",
    "food",
    "health",
    "ict",
    "energy",
    "other",
]
SIZES = ["micro", "small", "medium", "large"]
REGIONS = [
    "AT31",
    "AT32",
    "AT33",
    "AT34",
    "ITC4",
    "ITH1",
    "DE21",
    "DE14",
    "FRK2",
    "SI04",
    "CH05",
    "ITC1",
]


def log(message: str) -> None:
    print(f"[assessments bench] {message}", file=sys.stderr, flush=True)


def prepare_postgres(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        return
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def ms(values: list[float]) -> dict[str, float]:
    return {
        "p50": round(statistics.median(values), 2),
        "p95": round(pct(values, 0.95), 2),
        "max": round(max(values), 2),
    }


def run(n: int, queries: int, seed: int) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tact.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from tact.algorithms import assessment as algo
    from tact.assessments import reports, selectors, services
    from tact.assessments.definitions import items
    from tact.assessments.models import AssessmentModel, Figure, Respondent, Response

    call_command("migrate", verbosity=0)
    services.model_load()
    model = AssessmentModel.objects.get(pk="industrie40")
    item_ids = [i["id"] for i in items(model.definition)]
    round_ = services.current_round(model)
    rnd = random.Random(seed)
    log(f"{connection.vendor}: inserting {n} responses")
    started = time.perf_counter()
    batch = 5000
    for start in range(0, n, batch):
        with transaction.atomic():
            respondents = Respondent.objects.bulk_create(
                Respondent(
                    model=model,
                    sector=rnd.choice(SECTORS),
                    size_class=rnd.choice(SIZES),
                    region=rnd.choice(REGIONS),
                )
                for _ in range(min(batch, n - start))
            )
            responses = []
            for r in respondents:
                base = rnd.randint(0, 5)
                answers = {
                    i: {"current": max(0, min(5, base + rnd.randint(-1, 1))), "target": 5}
                    for i in item_ids
                }
                result = reports.maturity_result(model.definition, answers)
                responses.append(
                    Response(
                        respondent=r,
                        round=round_,
                        status="submitted",
                        answers=answers,
                        result=result,
                    )
                )
            Response.objects.bulk_create(responses)
            figures = []
            for resp in responses:
                r = resp.respondent
                for metric, value in reports.maturity_metrics(resp.result).items():
                    figures.append(
                        Figure(
                            response=resp,
                            model=model,
                            round=round_,
                            metric=metric,
                            value=value,
                            sector=r.sector,
                            size_class=r.size_class,
                            region=r.region,
                        )
                    )
            Figure.objects.bulk_create(figures)
    load_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        # What autovacuum does in production; PostgreSQL then answers from the index alone.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    ids = list(Response.objects.values_list("pk", flat=True))
    sample = [rnd.choice(ids) for _ in range(queries)]
    k = selectors.threshold()

    def timed(fn: Any) -> list[float]:
        out = []
        for pk in sample[:3]:  # warm-up
            fn(Response.objects.select_related("respondent__model").get(pk=pk))
        for pk in sample:
            response = Response.objects.select_related("respondent__model").get(pk=pk)
            t = time.perf_counter()
            fn(response)
            out.append((time.perf_counter() - t) * 1000)
        return out

    fast = timed(lambda r: selectors.peer_comparison(r, metrics=["overall"], include_all=False))
    with_all = timed(lambda r: selectors.peer_comparison(r, metrics=["overall"]))

    def report_peers(r: Any) -> None:
        # What the report page asks for (tact.assessments.views.report).
        selectors.peer_comparison(r, metrics=["overall"])
        dims = [m for m, _ in selectors.metric_names(r.respondent.model) if m != "overall"]
        selectors.peer_comparison(r, metrics=dims, include_all=False, groups=("sector",))

    report = timed(report_peers)
    naive = timed(lambda r: selectors.peer_comparison_naive(r, "overall", k))
    # Both give the same figures.
    check = Response.objects.select_related("respondent__model").get(pk=sample[0])
    a = selectors.peer_comparison(check, metrics=["overall"])["overall"]
    b = selectors.peer_comparison_naive(check, "overall", k)
    for group in ("sector", "size_class", "region"):
        assert a[group]["shown"] == b[group].shown
        if b[group].shown:
            assert abs(a[group]["rank"] - (b[group].rank or 0)) < 1e-9
            for p in algo.PERCENTILES:
                assert abs(a[group]["percentiles"][p] - b[group].percentiles[p]) < 1e-9
    return {
        "database": connection.vendor,
        "responses": n,
        "figures": Figure.objects.count(),
        "load_seconds": round(load_s, 1),
        "queries": queries,
        "k": k,
        "peer_comparison_ms": {
            "p50": round(statistics.median(fast), 2),
            "p95": round(pct(fast, 0.95), 2),
            "max": round(max(fast), 2),
        },
        "with_all_respondents_group_ms": ms(with_all),
        "report_page_comparison_ms": ms(report),
        "naive_baseline_ms": {
            "p50": round(statistics.median(naive), 2),
            "p95": round(pct(naive, 0.95), 2),
            "max": round(max(naive), 2),
        },
        "target_p95_ms": TARGET_P95_MS,
        "meets_target": pct(fast, 0.95) <= TARGET_P95_MS,
        "same_figures_as_baseline": True,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--database-url", action="append", default=[])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run(args.n, args.queries, args.seed)))
        return
    urls = args.database_url or [os.environ.get("TACT_DATABASE_URL", "sqlite")]
    runs = []
    for url in urls:
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, TACT_VAR_DIR=tmp)
            if url == "sqlite":
                env["TACT_DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
            else:
                prepare_postgres(url)
                env["TACT_DATABASE_URL"] = url
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    "--n",
                    str(args.n),
                    "--queries",
                    str(args.queries),
                    "--seed",
                    str(args.seed),
                ],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
            sys.stderr.write(done.stderr)
            if done.returncode != 0:
                runs.append({"database_url": url.split("@")[-1], "error": done.stderr[-2000:]})
                continue
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(json.dumps({"benchmark": "assessments peer comparison", "runs": runs}, indent=2))


if __name__ == "__main__":
    main()
