"""``tact clusters add | list`` and regions: the tenants that invitations point to."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tact.accounts import services
from tact.accounts.models import ClusterInitiative, Region

from ._scope import find_region, validation_message

ACTOR = "tact clusters"


class Command(BaseCommand):
    help = "Add and list cluster initiatives and regions."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        add = sub.add_parser("add", help="Add a cluster initiative.")
        add.add_argument("name")
        add.add_argument("--website", default="")
        add.add_argument("--region", help="NUTS code of its region.")
        add.add_argument("--sector", default="")
        add.add_argument("--managed-by", default="", help="The organisation that manages it.")
        sub.add_parser("list", help="List cluster initiatives and regions.")
        region = sub.add_parser("add-region", help="Add a NUTS region.")
        region.add_argument("code", help="NUTS code, e.g. AT33.")
        region.add_argument("country", help="ISO country code, e.g. AT.")
        region.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"do_{options['action'].replace('-', '_')}")(options)
        except ValidationError as exc:
            raise CommandError(f"Nothing changed. {validation_message(exc)}") from None

    def do_add(self, options: dict[str, Any]) -> None:
        cluster = services.cluster_create(
            actor=None,
            actor_label=ACTOR,
            name=options["name"],
            website=options["website"],
            region=find_region(options["region"]),
            sector=options["sector"],
            managing_organisation=options["managed_by"],
        )
        self.stdout.write(f"Cluster initiative {cluster.pk}: {cluster.name}")

    def do_add_region(self, options: dict[str, Any]) -> None:
        region = services.region_create(
            actor=None,
            actor_label=ACTOR,
            code=options["code"],
            country=options["country"],
            name=options["name"],
        )
        self.stdout.write(f"Region {region.code}: {region.name}")

    def do_list(self, options: dict[str, Any]) -> None:
        for c in ClusterInitiative.objects.select_related("region"):
            region = c.region.code if c.region else "-"
            self.stdout.write(f"{c.pk}\t{c.name}\t{region}\t{c.sector}")
        regions = Region.objects.all()
        if regions:
            self.stdout.write("Regions: " + ", ".join(f"{r.code} ({r.name})" for r in regions))
        elif not ClusterInitiative.objects.exists():
            self.stdout.write("No cluster initiatives yet; add one with: tact clusters add NAME")
