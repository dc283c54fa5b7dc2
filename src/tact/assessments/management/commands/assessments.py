"""``tact assessments load-models | invite | report | benchmark``.

The command line is trusted (it has the database already); reading a company's report from it
is still audited, and benchmarks show aggregates of groups of at least k only.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tact.accounts.models import ClusterInitiative, Organisation
from tact.assessments import selectors, services
from tact.assessments.definitions import DefinitionError
from tact.assessments.models import Response
from tact.assessments.views import write_csv


class Command(BaseCommand):
    help = "Assessment models, invitations, reports and the anonymous benchmark."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = sub.add_parser("load-models", help="Load the model files (idempotent).")
        load.add_argument("files", nargs="*", type=Path, help="Default: the shipped models.")
        inv = sub.add_parser("invite", help="Invite a cluster's organisations to a model's round.")
        inv.add_argument("model")
        inv.add_argument("--cluster", help="Name or id: every organisation of the cluster.")
        inv.add_argument("--organisation", type=int, help="Id of one organisation.")
        inv.add_argument("--round", help="Default: the current round.")
        rep = sub.add_parser("report", help="A response's report (audited).")
        rep.add_argument("response", help="Response id.")
        rep.add_argument("--json", action="store_true")
        bench = sub.add_parser("benchmark", help="Aggregates of a model (groups of k or more).")
        bench.add_argument("model")
        for name in ("round", "sector", "size-class", "region"):
            bench.add_argument(f"--{name}")
        bench.add_argument("--cluster", type=int, help="Cluster id.")
        bench.add_argument("--format", choices=["text", "json", "csv"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "do_" + options["action"].replace("-", "_"))(options)

    def _model(self, model_id: str) -> Any:
        model = selectors.model_get(model_id)
        if model is None:
            known = ", ".join(m.pk for m in selectors.models()) or "none (run load-models)"
            raise CommandError(f"model: unknown {model_id!r}; known: {known}")
        return model

    def do_load_models(self, options: dict[str, Any]) -> None:
        try:
            results = services.model_load(actor=None, paths=options["files"] or None)
        except DefinitionError as exc:
            lines = "\n".join(f"  {p}" for p in exc.problems)
            raise CommandError(f"Nothing was loaded. Fix these problems:\n{lines}") from None
        for model_id, action in results:
            self.stdout.write(f"{action}: {model_id}")

    def do_invite(self, options: dict[str, Any]) -> None:
        model = self._model(options["model"])
        if options["organisation"] is not None:
            orgs = list(Organisation.objects.filter(pk=options["organisation"]))
            if not orgs:
                raise CommandError(f"--organisation: no organisation {options['organisation']}")
        elif options["cluster"]:
            ref = options["cluster"]
            cluster = (
                ClusterInitiative.objects.filter(pk=int(ref) if ref.isdigit() else None).first()
                or ClusterInitiative.objects.filter(name=ref).first()
            )
            if cluster is None:
                raise CommandError(f"--cluster: no cluster {ref!r} (see `tact clusters list`)")
            orgs = list(cluster.organisations.all())
        else:
            raise CommandError("give --cluster or --organisation")
        for org in orgs:
            invitation, created = services.invitation_create(
                actor=None, model=model, organisation=org, round=options["round"]
            )
            state = "invited" if created else "already invited"
            self.stdout.write(f"{state}: {org.name} ({model.pk}, round {invitation.round})")

    def do_report(self, options: dict[str, Any]) -> None:
        ref = options["response"]
        response = (
            Response.objects.filter(pk=int(ref)).select_related("respondent__model").first()
            if ref.isdigit() and len(ref) < 18
            else None
        )
        if response is None:
            raise CommandError(f"response: no response {ref!r}")
        services.answers_access_record(actor=None, response=response, purpose="reported")
        result = response.result
        peers = selectors.peer_comparison(response) if response.status == "submitted" else {}
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "pseudonym": response.respondent.pseudonym,
                        "round": response.round,
                        "status": response.status,
                        "result": result,
                        "peers": peers,
                    },
                    ensure_ascii=False,
                    indent=2,
                    default=str,
                )
            )
            return
        self.stdout.write(
            f"{response.respondent.model.title} · {response.round} · {response.status}"
        )
        if result.get("kind") == "maturity":
            self.stdout.write(f"overall {result['overall']:.2f} ({result['group']})")
            for d in result["dimensions"]:
                level = "n/a" if d["level"] is None else f"{d['level']:.2f}"
                self.stdout.write(f"  {d['name']:<28} {level:>5}  target {d['target']}")
        for key, f in result.get("figures", {}).items():
            value = "n/a" if f["value"] is None else f"{f['value']:.2f} {f['unit']}"
            self.stdout.write(f"  {key:<28} {value}   = {f['formula']}")

    def do_benchmark(self, options: dict[str, Any]) -> None:
        model = self._model(options["model"])
        filters = {
            "round": options["round"],
            "sector": options["sector"],
            "size_class": options["size_class"],
            "region": options["region"],
            "cluster_id": options["cluster"],
        }
        data = selectors.benchmark(model, filters)
        if options["format"] == "csv":
            buffer = io.StringIO()
            write_csv(buffer, data)
            self.stdout.write(buffer.getvalue(), ending="")
            return
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))
            return
        self.stdout.write(
            f"{model.title} · round {data['round'] or '(none submitted yet)'} · k={data['k']}"
        )
        for m in data["metrics"]:
            if not m["shown"]:
                self.stdout.write(f"  {m['name']:<45} too few companies")
                continue
            p = m["percentiles"]
            self.stdout.write(
                f"  {m['name']:<45} n={m['n']:<6} p25={p[25]:.2f} median={p[50]:.2f} p75={p[75]:.2f}"
            )
