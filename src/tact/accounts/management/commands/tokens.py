"""``tact tokens create | list | revoke``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tact.accounts import services
from tact.accounts.models import ApiToken

from ._scope import find_user, validation_message

ACTOR = "tact tokens"


class Command(BaseCommand):
    help = "Create, list and revoke API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = sub.add_parser("create", help="Create a token and print it (shown only once).")
        create.add_argument("email")
        create.add_argument("--name", required=True, help="What the token is for.")
        listing = sub.add_parser("list", help="List tokens (never the keys).")
        listing.add_argument("email", nargs="?")
        revoke = sub.add_parser("revoke", help="Revoke a token by its number or its prefix.")
        revoke.add_argument("token", help="The number shown by 'tact tokens list', or the key.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"do_{options['action']}")(options)
        except ValidationError as exc:
            raise CommandError(f"Nothing changed. {validation_message(exc)}") from None

    def do_create(self, options: dict[str, Any]) -> None:
        user = find_user(options["email"])
        if not user.is_active:
            raise CommandError(f"{user.email} is deactivated; a token would not work.")
        token, key = services.token_create(
            actor=None, actor_label=ACTOR, user=user, name=options["name"]
        )
        self.stderr.write(
            f"Token {token.pk} '{token.name}' for {user.email}. Copy it now, it is not shown again:"
        )
        self.stdout.write(key)

    def do_list(self, options: dict[str, Any]) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("user__email", "-created_at")
        if options["email"]:
            tokens = tokens.filter(user=find_user(options["email"]))
        for t in tokens:
            state = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "active"
            used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never used"
            self.stdout.write(f"{t.pk}\t{t.user.email}\t{t.name}\t{t.prefix}…\t{state}\t{used}")

    def do_revoke(self, options: dict[str, Any]) -> None:
        value = options["token"].strip()
        if value.isdigit():
            token = ApiToken.objects.filter(pk=int(value)).first()
        else:
            from tact.accounts.models import token_digest

            token = ApiToken.objects.filter(key_hash=token_digest(value)).first()
        if token is None:
            raise CommandError(f"No token {value!r}; see 'tact tokens list'.")
        services.token_revoke(actor=None, actor_label=ACTOR, token=token)
        self.stdout.write(f"Token {token.pk} '{token.name}' of {token.user.email} is revoked.")
