"""``tact community load-vocabulary | import | export | sample | search``.

The command line is trusted (it has the database already): it reads and writes the whole
registry, and names itself in the audit trail.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tact.accounts.models import ClusterInitiative
from tact.algorithms import partners as algo
from tact.community import needs, selectors, services, transfer
from tact.community.models import Competence, Organisation, OrganisationType
from tact.core.datafiles import DataError
from tact.core.jobs import ConsoleProgress, JobError, run_job_here
from tact.core.services import audit_record


class Command(BaseCommand):
    help = "The community registry: vocabulary, import and export, sample data, partner search."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        voc = sub.add_parser("load-vocabulary", help="Load the competence vocabulary (idempotent).")
        voc.add_argument("file", nargs="?", type=Path, help="Default: the shipped vocabulary.")
        imp = sub.add_parser("import", help="Import organisations, people or projects (CSV/XLSX).")
        imp.add_argument("file", type=Path)
        imp.add_argument("--cluster", help="Name or id: imported organisations join it.")
        imp.add_argument("--kind", choices=["auto", *transfer.KINDS], default="auto")
        imp.add_argument("--dry-run", action="store_true", help="Check every row, write nothing.")
        imp.add_argument("--no-progress", action="store_true", help="No progress bar on stderr.")
        exp = sub.add_parser("export", help="Export the registry as CSV or XLSX.")
        exp.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        exp.add_argument("--kind", choices=transfer.KINDS, default="organisations")
        exp.add_argument("--cluster", help="Name or id: only this cluster's members.")
        exp.add_argument("--output", "-o", type=Path, help="Default: standard output.")
        sam = sub.add_parser("sample", help="Create the synthetic sample community.")
        sam.add_argument("--cluster", required=True, help="Name (created if missing) or id.")
        sam.add_argument("--organisations", type=int, default=300)
        sam.add_argument("--seed", type=int, default=1)
        sam.add_argument("--no-progress", action="store_true", help="No progress bar on stderr.")
        sea = sub.add_parser(
            "search", help="Organisations by competence, or a ranked partner search."
        )
        sea.add_argument(
            "--competence",
            action="append",
            default=[],
            help="code or code:min_level; repeat for several (ranked partner search).",
        )
        sea.add_argument("--region", action="append", default=[], help="NUTS code; repeatable.")
        sea.add_argument("--type", action="append", default=[], choices=OrganisationType.values)
        sea.add_argument("--regions-only", action="store_true")
        sea.add_argument("--cluster", help="Name or id: search only this cluster's members.")
        sea.add_argument("--top", type=int, default=10)
        sea.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "do_" + options["action"].replace("-", "_"))(options)

    def _cluster(self, ref: str | None, *, create: bool = False) -> ClusterInitiative | None:
        if not ref:
            return None
        cluster = (
            ClusterInitiative.objects.filter(pk=int(ref)).first() if ref.isdigit() else None
        ) or ClusterInitiative.objects.filter(name=ref).first()
        if cluster is None and create:
            cluster = ClusterInitiative.objects.create(name=ref)
            audit_record(
                actor=None,
                action="community.cluster_created_for_sample",
                object_type="accounts.clusterinitiative",
                object_id=str(cluster.pk),
                actor_label=services.CLI_ACTOR,
            )
            self.stdout.write(f"created cluster {ref!r}")
        if cluster is None:
            raise CommandError(f"--cluster: no cluster {ref!r}")
        return cluster

    def do_load_vocabulary(self, options: dict[str, Any]) -> None:
        try:
            counts = services.vocabulary_load(
                actor=None, path=options["file"] or services.VOCABULARY
            )
        except DataError as exc:
            lines = "\n".join(f"  {p}" for p in exc.problems)
            raise CommandError(f"Nothing was loaded. Fix these problems:\n{lines}") from None
        self.stdout.write(
            "competences: {created} created, {updated} updated, {unchanged} unchanged".format(
                **counts
            )
        )

    def do_import(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from None
        report = transfer.registry_import(
            actor=None,
            data=data,
            filename=path.name,
            cluster=self._cluster(options["cluster"]),
            kind=options["kind"],
            dry_run=options["dry_run"],
            progress=None if options["no_progress"] else ConsoleProgress(self.stderr._out),
        )
        counts = report.counts()
        if report.problems:
            lines = "\n".join(f"  {p}" for p in report.problems)
            raise CommandError(
                f"Nothing was imported: {len(report.problems)} problem(s) in {report.rows} "
                f"row(s).\n{lines}"
            )
        verb = "would be" if report.dry_run else "were"
        self.stdout.write(
            f"{report.kind}: {report.rows} rows checked; {counts['create']} {verb} created, "
            f"{counts['update']} {verb} updated, {counts['link']} {verb} linked"
            + (" (dry run: nothing written)" if report.dry_run else "")
        )

    def do_export(self, options: dict[str, Any]) -> None:
        body = transfer.registry_export(
            actor=None,
            kind=options["kind"],
            fmt=options["format"],
            cluster=self._cluster(options["cluster"]),
        )
        if options["output"]:
            options["output"].write_bytes(body)
            self.stderr.write(f"wrote {options['output']}")
        else:
            sys.stdout.buffer.write(body)
            sys.stdout.flush()

    def do_sample(self, options: dict[str, Any]) -> None:
        if not 1 <= options["organisations"] <= 20000:
            raise CommandError("--organisations: from 1 to 20000")
        if not Competence.objects.filter(controlled=True).exists():
            services.vocabulary_load(actor=None)
        cluster = self._cluster(options["cluster"], create=True)
        assert cluster is not None
        try:
            # The same function as the web's background job, with a progress bar on stderr.
            counts = run_job_here(
                "community.sample",
                {
                    "cluster_id": cluster.pk,
                    "organisations": options["organisations"],
                    "seed": options["seed"],
                    "actor_id": None,
                },
                show_progress=not options["no_progress"],
                stream=self.stderr._out,
            )
        except (DataError, JobError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"synthetic sample in {cluster.name!r}: {counts['organisations']} organisations, "
            f"{counts['people']} people, {counts['projects']} joint projects"
        )

    def do_search(self, options: dict[str, Any]) -> None:
        cluster = self._cluster(options["cluster"])
        try:
            need = needs.clean_need(
                {
                    "competences": "; ".join(options["competence"]),
                    "regions": options["region"],
                    "kinds": options["type"],
                    "regions_only": options["regions_only"],
                }
            )
        except needs.NeedError as exc:
            raise CommandError(str(exc)) from None
        pool = selectors.candidates_all()
        if cluster is not None:
            ids = set(Organisation.objects.filter(clusters=cluster).values_list("pk", flat=True))
            pool = [c for c in pool if c.id in ids]
        ranked = algo.rank(needs.to_algo(need), pool, limit=max(1, options["top"]))
        labels = dict(Competence.objects.values_list("code", "label"))
        regions = {c.id: c.region for c in pool}
        if options["json"]:
            out = [
                {
                    "id": r.id,
                    "name": r.name,
                    "score": r.score,
                    "reasons": needs.reasons(r, labels, regions[r.id]),
                }
                for r in ranked
            ]
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
            return
        if not ranked:
            self.stdout.write("no organisation answers this need")
        for i, r in enumerate(ranked, start=1):
            self.stdout.write(f"{i:>3}. {r.name}  [{r.score:.1f}]")
            for line in needs.reasons(r, labels, regions[r.id]):
                self.stdout.write(f"       - {line}")
