"""``tact mentoring list | match PROGRAMME [--method optimal|stable] [--keep-locked] |
import PROGRAMME FILE [--dry-run] | export PROGRAMME --format csv|xlsx [-o FILE] |
dates PROGRAMME [--replace] | ics PROGRAMME [-o FILE]``.

The command line is trusted (it has the database already), so it sees every programme;
PROGRAMME is an id, a name, or ``cluster/name``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tact.core.jobs import JobError, run_job_here
from tact.core.tabular import write_rows
from tact.mentoring import exports, selectors, services
from tact.mentoring.models import Programme
from tact.mentoring.profiles import ProfileError


class Command(BaseCommand):
    help = "Cross-mentoring programmes: list, import profiles, match, export pairs and dates."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        sub.add_parser("list", help="List every programme with its people and pairs.")
        match = sub.add_parser("match", help="Match a programme (progress bar on stderr).")
        match.add_argument("programme")
        match.add_argument("--method", choices=["optimal", "stable"], default="optimal")
        match.add_argument(
            "--keep-locked",
            action="store_true",
            help="Keep locked pairs exactly and re-match the rest (otherwise all pairs are redone).",
        )
        match.add_argument("--quiet", action="store_true", help="No progress bar.")
        imp = sub.add_parser("import", help="Create or update profiles from a CSV or XLSX file.")
        imp.add_argument("programme")
        imp.add_argument("file", type=Path)
        imp.add_argument("--dry-run", action="store_true", help="Only check the file.")
        exp = sub.add_parser("export", help="Write the pairs as CSV or XLSX.")
        exp.add_argument("programme")
        exp.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        exp.add_argument("--unmatched", action="store_true", help="The unmatched people instead.")
        exp.add_argument("-o", "--output", type=Path, help="Write to a file (XLSX needs one).")
        dates = sub.add_parser("dates", help="Generate the cycle's dates from the start date.")
        dates.add_argument("programme")
        dates.add_argument("--replace", action="store_true", help="Drop the current dates first.")
        ics = sub.add_parser("ics", help="Write the programme's dates as iCalendar.")
        ics.add_argument("programme")
        ics.add_argument("-o", "--output", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"do_{options['action']}")(options)

    def _programme(self, reference: str) -> Programme:
        found = selectors.programme_find(reference)
        if found is None:
            raise CommandError(
                f"No single programme {reference!r}; give its id, its name or 'cluster/name' "
                "(see `tact mentoring list`)."
            )
        return found

    def do_list(self, options: dict[str, Any]) -> None:
        qs = Programme.objects.select_related("cluster").order_by("pk")
        if not qs.exists():
            self.stdout.write("No programme yet.")
        for p in qs:
            mentors = p.participants.filter(side="mentor").count()
            mentees = p.participants.filter(side="mentee").count()
            self.stdout.write(
                f"#{p.pk}\t{p.cluster.name}/{p.name}\tstarts {p.start_date}\t"
                f"{mentors} mentors, {mentees} mentees, {p.pairs.count()} pairs"
            )

    def do_match(self, options: dict[str, Any]) -> None:
        programme = self._programme(options["programme"])
        try:
            services.method_check(programme, options["method"])
        except ProfileError as exc:
            raise CommandError("; ".join(p.message for p in exc.problems)) from None
        try:
            result = self._run_match(programme, options)
        except JobError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"{result['pairs']} pairs ({result['locked']} locked and kept), "
            f"{result['unmatched']} unmatched, mean match {result['mean_percent']} %, "
            f"method {result['method']}"
        )
        for person in selectors.unmatched(programme):
            self.stdout.write(f"  unmatched {person.side} {person.name}: {person.unmatched_reason}")

    def _run_match(self, programme: Programme, options: dict[str, Any]) -> dict[str, Any]:
        return run_job_here(
            "mentoring.match",
            {
                "programme_id": programme.pk,
                "method": options["method"],
                "keep_locked": options["keep_locked"],
                "actor_id": None,
            },
            show_progress=not options["quiet"],
            stream=self.stderr._out,  # the progress bar goes to stderr
        )

    def do_import(self, options: dict[str, Any]) -> None:
        programme = self._programme(options["programme"])
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror or exc}") from None
        report = services.participants_import(
            actor=None,
            programme=programme,
            data=data,
            filename=str(path),
            dry_run=options["dry_run"],
        )
        if not report.ok:
            lines = "\n".join(f"  {p}" for p in report.problems)
            raise CommandError(f"Nothing was imported. Fix these problems:\n{lines}")
        counts = (
            f"{report.count('create')} to create, {report.count('update')} to update, "
            f"{report.count('unchanged')} unchanged"
        )
        if options["dry_run"]:
            self.stdout.write(f"Dry run: the file is fine ({counts}); nothing was written.")
        else:
            self.stdout.write(f"Imported {path.name}: {counts.replace('to ', '')}.")

    def do_export(self, options: dict[str, Any]) -> None:
        programme = self._programme(options["programme"])
        fmt = options["format"]
        if options["unmatched"]:
            data = write_rows(exports.UNMATCHED_COLUMNS, exports.unmatched_rows(programme), fmt)
        else:
            data = write_rows(exports.PAIR_COLUMNS, exports.pair_rows(programme), fmt)
        self._write(data, options["output"], binary=fmt == "xlsx")

    def do_dates(self, options: dict[str, Any]) -> None:
        programme = self._programme(options["programme"])
        created = services.events_from_template(
            actor=None, programme=programme, replace=options["replace"]
        )
        for event in created:
            when = event.date.isoformat()
            if event.start_time:
                when += f" {event.start_time:%H:%M}"
            self.stdout.write(f"{when}\t{event.title}")

    def do_ics(self, options: dict[str, Any]) -> None:
        programme = self._programme(options["programme"])
        self._write(exports.programme_ics(programme).encode("utf-8"), options["output"], False)

    def _write(self, data: bytes, output: Path | None, binary: bool) -> None:
        if output is not None:
            try:
                output.write_bytes(data)
            except OSError as exc:
                raise CommandError(f"{output}: {exc.strerror or exc}") from None
            self.stdout.write(f"Wrote {output}")
        elif binary:
            raise CommandError("XLSX is binary: give -o FILE.")
        else:
            self.stdout.write(data.decode("utf-8").lstrip("\ufeff"), ending="")
