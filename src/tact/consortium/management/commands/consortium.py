"""``tact consortium load-calls | build CALL | check CALL FILE``.

The command line is trusted (it has the database); builds are recorded and audited like the
web's, and run here with a progress bar on stderr.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tact.accounts.models import ClusterInitiative
from tact.consortium import rules, selectors, services, texts
from tact.consortium.models import BuildRun
from tact.core.datafiles import DataError


class Command(BaseCommand):
    help = "Calls for R&D projects and the consortium builder."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = sub.add_parser("load-calls", help="Load the call files (idempotent).")
        load.add_argument("files", nargs="*", type=Path, help="Default: the shipped calls.")
        sub.add_parser("calls", help="List the loaded calls.")
        b = sub.add_parser("build", help="Build consortia for a call from a cluster's registry.")
        b.add_argument("call")
        b.add_argument("--cluster", help="Name or id (needed when there are several clusters).")
        b.add_argument("--applicant", help="Name or id of the applicant (coordinator).")
        b.add_argument(
            "--competence",
            action="append",
            default=[],
            metavar="CODE[:LEVEL]",
            help="A competence the project needs, with a minimum level (default 1); repeatable.",
        )
        b.add_argument("--top", type=int, default=3)
        b.add_argument("--time-limit", type=float, default=10.0)
        b.add_argument(
            "--min-difference",
            type=int,
            default=2,
            metavar="D",
            help="Each alternative leaves out at least D partners of every earlier one "
            "(default 2).",
        )
        b.add_argument("--json", action="store_true", help="Print the result as JSON.")
        b.add_argument("--quiet", action="store_true", help="No progress bar.")
        c = sub.add_parser(
            "check", help="Check a consortium (CSV, XLSX or JSON list) rule by rule."
        )
        c.add_argument("call")
        c.add_argument("file", type=Path)
        c.add_argument("--cluster", help="Name or id.")
        c.add_argument("--applicant", default="", help="Name or id of the applicant.")
        c.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "do_" + options["action"].replace("-", "_"))(options)

    # ------------------------------------------------------------------ helpers

    def _call(self, call_id: str) -> Any:
        call = selectors.call_get(call_id)
        if call is None:
            known = ", ".join(c.pk for c in selectors.calls()) or "none (run load-calls)"
            raise CommandError(f"call: unknown {call_id!r}; known: {known}")
        return call

    def _cluster(self, value: str | None) -> ClusterInitiative:
        qs = ClusterInitiative.objects.order_by("name")
        if value is None:
            if qs.count() == 1:
                return qs.get()
            names = ", ".join(f"{c.pk} {c.name}" for c in qs) or "none"
            raise CommandError(f"--cluster: give one of: {names}")
        pk = selectors.as_pk(value) if value.isdecimal() else None
        found = qs.filter(pk=pk) if pk is not None else qs.filter(name__iexact=value)
        if found.count() != 1:
            raise CommandError(f"--cluster: no cluster {value!r}")
        return found.get()

    # ------------------------------------------------------------------ actions

    def do_load_calls(self, options: dict[str, Any]) -> None:
        try:
            results = services.call_load(actor=None, paths=options["files"] or None)
        except DataError as exc:
            lines = "\n".join(f"  {p}" for p in exc.problems)
            raise CommandError(f"Nothing was loaded. Fix these problems:\n{lines}") from None
        for cid, action in results:
            self.stdout.write(f"{cid}: {action}")

    def do_calls(self, options: dict[str, Any]) -> None:
        for call in selectors.calls():
            self.stdout.write(f"{call.pk} (v{call.version}): {call.title}")
            for s in rules.plain_words(call.rules):
                self.stdout.write(f"  - {s}")

    def do_build(self, options: dict[str, Any]) -> None:
        from tact.core.jobs import run_job_here

        call = self._call(options["call"])
        cluster = self._cluster(options["cluster"])
        applicant_id = None
        if options["applicant"]:
            ids, problems = services._resolve(cluster, [options["applicant"]], "--applicant")
            if problems:
                raise CommandError(f"--applicant: {problems[0][1]}")
            applicant_id = ids[0]
        comps = []
        for i, spec in enumerate(options["competence"]):
            code, _, level = spec.partition(":")
            if level and not level.isdigit():
                raise CommandError(f"--competence {spec}: the level must be a number from 1 to 5")
            comps.append({"code": code.strip(), "min_level": int(level) if level else 1})
            del i
        try:
            run, _job = services.build_start(
                actor=None,
                call=call,
                cluster=cluster,
                applicant_id=applicant_id,
                competences=comps,
                top=options["top"],
                time_limit=options["time_limit"],
                min_difference=options["min_difference"],
                mode="defer",
            )
        except services.BuildError as exc:
            lines = "\n".join(
                f"  --{f.replace('_', '-')}: {m}"
                if not f.startswith(("competences", "rules"))
                else f"  {f}: {m}"
                for f, m in exc.problems
            )
            raise CommandError(f"Nothing was built:\n{lines}") from None
        run_job_here(services.JOB_KIND, {"run_id": run.pk}, show_progress=not options["quiet"])
        run = BuildRun.objects.get(pk=run.pk)
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "run": run.pk,
                        "status": run.status,
                        "solver_status": run.solver_status,
                        "bound": run.bound,
                        "gap": run.gap,
                        "alternatives": run.alternatives,
                        "blockers": run.blockers,
                    },
                    indent=2,
                    ensure_ascii=False,
                )
            )
            return
        self._print_run(run)

    def _print_run(self, run: BuildRun) -> None:
        w = self.stdout.write
        w(f"Build {run.pk}: {run.call.title} — registry of {run.cluster.name}")
        if run.status == BuildRun.Status.INFEASIBLE:
            w("No eligible consortium. Why:")
            for b in run.blockers:
                w(f"  - {texts.blocker_text(b)}")
            return
        if run.status == BuildRun.Status.FAILED:
            w(f"Failed: {run.error}")
            return
        if run.solver_status == "optimal":
            w("Solver: proven optimal.")
        elif run.gap is not None:
            w(f"Solver: time limit reached; proven gap {run.gap:.2%} (bound {run.bound}).")
        else:
            w("Solver: nothing found in time; greedy consortium without a bound.")
        for alt in run.alternatives:
            w("")
            w(
                f"Alternative {alt['rank']}: {alt['objective']} points, "
                f"{'eligible' if alt['eligible'] else 'NOT eligible'}"
            )
            for m in alt["members"]:
                roles = "; ".join(texts.role_text(r) for r in m["roles"])
                w(f"  * {m['name']} ({m['type']}, {m['region']}): {roles}")
            for c in alt["checks"]:
                w(f"  {'ok ' if c['ok'] else 'NO '} {texts.check_text(c)}")
            for t in alt["breakdown"]:
                w(f"  {texts.term_name(t['name'])}: {t['points']} points")

    def do_check(self, options: dict[str, Any]) -> None:
        call = self._call(options["call"])
        cluster = self._cluster(options["cluster"])
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: cannot read ({exc.strerror})") from None
        try:
            names = services.parse_members(data, path.name)
            result = services.consortium_check(
                call=call, cluster=cluster, organisations=names, applicant=options["applicant"]
            )
        except DataError as exc:
            raise CommandError("\n".join(str(p) for p in exc.problems)) from None
        except services.BuildError as exc:
            raise CommandError("\n".join(f"{f}: {m}" for f, m in exc.problems)) from None
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
            return
        self.stdout.write("Eligible." if result["eligible"] else "Not eligible.")
        for c in result["checks"]:
            self.stdout.write(f"  {'ok ' if c['ok'] else 'NO '} {texts.check_text(c)}")
        if not result["eligible"]:
            raise SystemExit(1)
