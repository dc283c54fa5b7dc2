"""``tact users invite | list | grant | revoke``."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tact.accounts import selectors, services
from tact.accounts.models import Role, RoleAssignment, User

from ._scope import find_cluster, find_region, find_user, validation_message

ACTOR = "tact users"


def _scope_arguments(parser: CommandParser) -> None:
    parser.add_argument("--role", required=True, choices=Role.values)
    parser.add_argument("--cluster", help="Cluster initiative: its number or exact name.")
    parser.add_argument("--region", help="Region: its NUTS code (for regional contacts).")


class Command(BaseCommand):
    help = "Invite people, list accounts, grant and revoke roles."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        invite = sub.add_parser("invite", help="E-mail an invitation link and print it.")
        invite.add_argument("email")
        _scope_arguments(invite)
        invite.add_argument("--organisation", default="", help="For members: their organisation.")
        invite.add_argument(
            "--base-url", default="", help="Public address for the link (default TACT_BASE_URL)."
        )
        listing = sub.add_parser("list", help="List accounts with their roles.")
        listing.add_argument("--json", action="store_true", help="Print JSON.")
        grant = sub.add_parser("grant", help="Give an existing account a role.")
        grant.add_argument("email")
        _scope_arguments(grant)
        grant.add_argument("--organisation", default="", help="For members: their organisation.")
        revoke = sub.add_parser("revoke", help="Take a role away from an account.")
        revoke.add_argument("email")
        _scope_arguments(revoke)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"do_{options['action']}")(options)
        except ValidationError as exc:
            raise CommandError(f"Nothing changed. {validation_message(exc)}") from None

    def do_invite(self, options: dict[str, Any]) -> None:
        base_url = options["base_url"] or settings.TACT_BASE_URL or "http://127.0.0.1:8000"
        invitation, link = services.invitation_create(
            actor=None,
            actor_label=ACTOR,
            email=options["email"],
            role=options["role"],
            cluster=find_cluster(options["cluster"]),
            region=find_region(options["region"]),
            organisation_name=options["organisation"],
            base_url=base_url,
        )
        self.stdout.write(
            f"Invitation sent to {invitation.email} as {invitation.role} ({invitation.scope_label}); "
            f"valid until {invitation.expires_at:%Y-%m-%d %H:%M} UTC:\n{link}"
        )

    def do_list(self, options: dict[str, Any]) -> None:
        # The command line is run by the operator, who sees everything.
        users = User.objects.order_by("email").prefetch_related(
            "roles__cluster", "roles__region", "roles__organisation"
        )
        rows = []
        for user in users:
            roles = [
                {
                    "role": r.role,
                    "scope": r.scope_label,
                    "organisation": r.organisation.name if r.organisation else None,
                }
                for r in selectors.roles_for(user)
            ]
            rows.append(
                {"email": user.email, "name": user.name, "active": user.is_active, "roles": roles}
            )
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        if not rows:
            self.stdout.write(
                "No accounts yet. Invite someone with: tact users invite EMAIL --role ..."
            )
        for row in rows:
            roles = (
                "; ".join(
                    f"{r['role']} ({r['scope']}{', ' + r['organisation'] if r['organisation'] else ''})"
                    for r in row["roles"]
                )
                or "no role"
            )
            state = "" if row["active"] else " [inactive]"
            self.stdout.write(f"{row['email']}{state}\t{row['name']}\t{roles}")

    def do_grant(self, options: dict[str, Any]) -> None:
        user = find_user(options["email"])
        cluster = find_cluster(options["cluster"])
        organisation = None
        if options["organisation"]:
            if cluster is None:
                raise CommandError("--organisation needs --cluster.")
            organisation = services.organisation_get_or_create(
                actor=None, actor_label=ACTOR, cluster=cluster, name=options["organisation"]
            )
        assignment = services.role_grant(
            actor=None,
            actor_label=ACTOR,
            user=user,
            role=options["role"],
            cluster=cluster,
            region=find_region(options["region"]),
            organisation=organisation,
        )
        self.stdout.write(f"{user.email} is {assignment.role} ({assignment.scope_label}).")

    def do_revoke(self, options: dict[str, Any]) -> None:
        user = find_user(options["email"])
        assignment = RoleAssignment.objects.filter(
            user=user,
            role=options["role"],
            cluster=find_cluster(options["cluster"]),
            region=find_region(options["region"]),
        ).first()
        if assignment is None:
            if options["role"] == Role.ADMIN and user.is_superuser:
                # A superuser made by createsuperuser has the role without an assignment.
                assignment = RoleAssignment.objects.create(user=user, role=Role.ADMIN)
            else:
                raise CommandError(f"{user.email} does not hold this role; nothing changed.")
        services.role_revoke(actor=None, actor_label=ACTOR, assignment=assignment)
        self.stdout.write(
            f"{user.email} is no longer {options['role']} ({assignment.scope_label})."
        )
