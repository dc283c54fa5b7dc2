"""``tact catalogue load | export | search | show``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tact.catalogue import selectors, services
from tact.catalogue.exports import export_csv, export_json, fact_text
from tact.catalogue.records import DataError


class Command(BaseCommand):
    help = "Load, export, search and show the practices of the toolbox."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = sub.add_parser("load", help="Load the toolbox data files (idempotent).")
        load.add_argument("--data-dir", type=Path, help="Folder with fields.yaml and practices/")
        load.add_argument(
            "--force", action="store_true", help="Overwrite practices edited in the app."
        )
        export = sub.add_parser("export", help="Print the practices as JSON or CSV.")
        export.add_argument("--format", choices=["json", "csv"], default="json")
        export.add_argument("--field", action="append", default=[], metavar="FIELD")
        export.add_argument("-o", "--output", type=Path, help="Write to a file instead.")
        search = sub.add_parser("search", help="Search practices by meaning.")
        search.add_argument("query")
        search.add_argument("--limit", type=int, default=5)
        search.add_argument("--field", action="append", default=[], metavar="FIELD")
        search.add_argument("--json", action="store_true", help="Print JSON.")
        show = sub.add_parser("show", help="Show one practice with all its facts.")
        show.add_argument("id")
        show.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"do_{options['action']}")(options)

    def do_load(self, options: dict[str, Any]) -> None:
        try:
            report = services.catalogue_load(data_dir=options["data_dir"], force=options["force"])
        except DataError as exc:
            lines = "\n".join(f"  {p}" for p in exc.problems)
            raise CommandError(
                f"The toolbox was not loaded; nothing changed. Fix these problems:\n{lines}"
            ) from None
        out = self.stdout
        out.write(
            f"Toolbox loaded: {len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged."
        )
        if report.kept_edited:
            kept = ", ".join(
                f"{pid} ({', '.join(report.edited_keys[pid])})" for pid in report.kept_edited
            )
            out.write(
                self.style.WARNING(
                    "Kept practices edited in the app since the last load (use --force to "
                    f"overwrite them): {kept}"
                )
            )

    def _query(self, options: dict[str, Any], q: str = "") -> selectors.PracticeQuery:
        params: dict[str, Any] = {"field": options.get("field") or []}
        if q:
            params["q"] = q
        try:
            return selectors.parse_query(params, page_size=100)
        except selectors.QueryError as exc:
            raise CommandError(f"--{exc.param}: {exc.message}") from None

    def do_export(self, options: dict[str, Any]) -> None:
        result = selectors.practice_search(self._query(options), all_results=True)
        text = (export_json if options["format"] == "json" else export_csv)(result.practices)
        if options["output"]:
            options["output"].write_text(text + ("\n" if options["format"] == "json" else ""))
            self.stderr.write(f"Wrote {result.total} practices to {options['output']}")
        else:
            self.stdout.write(text)

    def do_search(self, options: dict[str, Any]) -> None:
        if not options["query"].strip():
            raise CommandError("QUERY must not be empty")
        if not 1 <= options["limit"] <= 100:
            raise CommandError("--limit must be between 1 and 100")
        result = selectors.practice_search(self._query(options, options["query"]))
        hits = result.practices[: options["limit"]]
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    [
                        {"id": p.id, "title": p.title, "score": round(result.scores[p.id], 4)}
                        for p in hits
                    ],
                    indent=2,
                )
            )
            return
        if not hits:
            self.stdout.write("No practice matches.")
        for p in hits:
            self.stdout.write(f"{p.id:<16} {result.scores[p.id]:.3f}  {p.title}")

    def do_show(self, options: dict[str, Any]) -> None:
        practice = selectors.practice_get(options["id"])
        if practice is None:
            raise CommandError(f"No practice with id {options['id']!r}")
        if options["json"]:
            self.stdout.write(export_json([practice]))
            return
        record = practice.to_record()
        w = self.stdout.write
        w(self.style.MIGRATE_HEADING(f"{practice.id} — {practice.title}"))
        w(f"Field: {practice.field.name}")
        for c in practice.clusters.all():
            w(f"Cluster: {c.name}" + (f" ({c.url})" if c.website else ""))
        for c in practice.contacts.all():
            flag = "" if c.email_valid else "  [e-mail malformed in the source]"
            w(f"Contact: {c.person}, {c.organisation}, {c.email}{flag}")
        w("")
        w(practice.summary)
        w("")
        w(practice.description)
        if record["facts"]:
            w("")
            w("Facts:")
            for fact in record["facts"]:
                w(f"  - {fact['label']}: {fact_text(fact)}")
        for title, items in (
            ("Key success factors", record["success_factors"]),
            ("Challenges", record["challenges"]),
        ):
            if items:
                w("")
                w(f"{title}:")
                for item in items:
                    w(f"  - {item}")
