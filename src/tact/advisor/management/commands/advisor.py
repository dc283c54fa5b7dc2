"""``tact advisor profile import FILE [--cluster NAME] | recommend PROFILE | gaps PROFILE |
plan PROFILE PRACTICE [--format markdown]``.

The command line is trusted (it has the database already), so it sees every profile; PROFILE is
an id, a name, or ``cluster/name``.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tact.advisor import selectors, services
from tact.advisor.models import ClusterProfile
from tact.advisor.profiles import ProfileError
from tact.algorithms import advisor as algo
from tact.catalogue.selectors import is_practice_id


class Command(BaseCommand):
    help = "Cluster profiles, recommendations, portfolio gaps and service plans."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        profile = sub.add_parser("profile", help="Import or list profiles.")
        psub = profile.add_subparsers(dest="profile_action", required=True, metavar="ACTION")
        imp = psub.add_parser("import", help="Create or update profiles from a YAML or JSON file.")
        imp.add_argument("file", type=Path)
        imp.add_argument("--cluster", help="Name of the cluster initiative that owns them.")
        psub.add_parser("list", help="List every profile.")
        rec = sub.add_parser("recommend", help="Rank the practices for a profile.")
        rec.add_argument("profile")
        rec.add_argument("--top", type=int, default=10)
        rec.add_argument("--max-cost", type=float, help="EUR a year.")
        rec.add_argument("--max-staff", type=float, help="Persons.")
        rec.add_argument("--field", action="append", default=[], metavar="FIELD")
        rec.add_argument("--json", action="store_true", help="Print JSON.")
        rec.add_argument("--explain", action="store_true", help="Show every factor.")
        gaps = sub.add_parser("gaps", help="Coverage of the Target Board by current services.")
        gaps.add_argument("profile")
        gaps.add_argument("--json", action="store_true")
        plan = sub.add_parser("plan", help="A service plan for one practice.")
        plan.add_argument("profile")
        plan.add_argument("practice")
        plan.add_argument("--format", choices=["markdown", "json"], default="markdown")
        plan.add_argument("-o", "--output", type=Path, help="Write to a file instead.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "profile":
            action = f"profile_{options['profile_action']}"
        getattr(self, f"do_{action}")(options)

    def _profile(self, reference: str) -> ClusterProfile:
        found = selectors.profile_find(reference)
        if found is None:
            raise CommandError(
                f"No single profile {reference!r}; give its id, its name or 'cluster/name' "
                "(see `tact advisor profile list`)."
            )
        return found

    def do_profile_import(self, options: dict[str, Any]) -> None:
        try:
            results = services.profile_import(
                actor=None, path=options["file"], cluster_name=options["cluster"]
            )
        except ProfileError as exc:
            lines = "\n".join(f"  {exc.source}: {p}" for p in exc.problems)
            raise CommandError(f"Nothing was imported. Fix these problems:\n{lines}") from None
        for profile, action in results:
            self.stdout.write(f"{action}: #{profile.pk} {profile.cluster.name}/{profile.name}")

    def do_profile_list(self, options: dict[str, Any]) -> None:
        for p in ClusterProfile.objects.select_related("cluster").order_by("pk"):
            self.stdout.write(f"#{p.pk}\t{p.cluster.name}/{p.name}\t{p.stage}")

    def do_recommend(self, options: dict[str, Any]) -> None:
        profile = self._profile(options["profile"])
        fields = selectors.toolbox().field_names
        unknown = [f for f in options["field"] if f not in fields]
        if unknown:
            raise CommandError(f"--field: unknown {', '.join(unknown)}; known: {', '.join(fields)}")
        for name in ("max_cost", "max_staff"):
            if options[name] is not None and not 0 <= options[name] < 1e10:
                raise CommandError(f"--{name.replace('_', '-')}: must be 0 or more")
        if options["top"] < 1:
            raise CommandError("--top: must be 1 or more")
        limits = algo.Limits(
            max_cost_eur=options["max_cost"],
            max_staff=options["max_staff"],
            fields=tuple(options["field"]),
        )
        ranking = selectors.recommendations(profile, limits, top=options["top"])
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "items": [asdict(r) for r in ranking.recommendations],
                        "excluded": [asdict(e) for e in ranking.excluded],
                        "no_fit": asdict(ranking.no_fit) if ranking.no_fit else None,
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        if ranking.no_fit is not None:
            self.stdout.write(self.style.WARNING("No practice fits your limits:"))
            for reason in ranking.no_fit.reasons:
                self.stdout.write(f"  - {reason.message}")
            return
        for r in ranking.recommendations:
            self.stdout.write(f"{r.rank:>3}. {r.score:.3f}  {r.practice_id:<16} {r.title}")
            if options["explain"]:
                for f in r.factors:
                    self.stdout.write(
                        f"       {f.name:<16} {f.value:.2f} x {f.weight:.2f}  {f.why}"
                    )
                for hint in r.hints:
                    self.stdout.write(f"       + {hint}")
        if ranking.excluded:
            self.stdout.write(f"({len(ranking.excluded)} practices excluded by the limits)")

    def do_gaps(self, options: dict[str, Any]) -> None:
        analysis = selectors.gap_analysis(self._profile(options["profile"]))
        if options["json"]:
            self.stdout.write(json.dumps(asdict(analysis), ensure_ascii=False, indent=2))
            return
        if analysis.coverage is not None:
            self.stdout.write(f"Coverage weighted by priority: {100 * analysis.coverage:.0f}%")
        for gap in analysis.gaps:
            if gap.priority:
                self.stdout.write(
                    f"gap (priority {gap.priority}): {gap.objective.name} -> "
                    f"{', '.join(gap.candidates) or 'no practice'}"
                )

    def do_plan(self, options: dict[str, Any]) -> None:
        profile = self._profile(options["profile"])
        practice = options["practice"]
        found = selectors.service_plan(profile, practice) if is_practice_id(practice) else None
        if found is None:
            raise CommandError(f"No practice {practice!r} in the toolbox.")
        if options["format"] == "json":
            text = json.dumps(asdict(found), ensure_ascii=False, indent=2)
        else:
            text = algo.plan_markdown(found)
        if options["output"]:
            options["output"].write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote the plan to {options['output']}")
        else:
            self.stdout.write(text)
