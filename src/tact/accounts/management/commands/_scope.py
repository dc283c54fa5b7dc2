"""Shared by the account commands: find users, clusters and regions named on the command line."""

from __future__ import annotations

from django.core.management.base import CommandError

from tact.accounts.models import ClusterInitiative, Region, User


def find_user(email: str) -> User:
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise CommandError(f"No account with the e-mail address {email!r}.")
    return user


def find_cluster(value: str | None) -> ClusterInitiative | None:
    if not value:
        return None
    qs = ClusterInitiative.objects.all()
    found = (
        qs.filter(pk=int(value)).first()
        if value.isdigit()
        else qs.filter(name__iexact=value).first()
    )
    if found is None:
        names = ", ".join(f"{c.pk}: {c.name}" for c in qs[:20]) or "none yet (tact clusters add)"
        raise CommandError(f"--cluster: no cluster initiative {value!r}. Known: {names}")
    return found


def find_region(value: str | None) -> Region | None:
    if not value:
        return None
    found = Region.objects.filter(code__iexact=value.strip()).first()
    if found is None:
        codes = (
            ", ".join(Region.objects.values_list("code", flat=True)[:30])
            or "none yet (tact clusters add-region)"
        )
        raise CommandError(f"--region: no region with the NUTS code {value!r}. Known: {codes}")
    return found


def validation_message(exc: Exception) -> str:
    messages = getattr(exc, "message_dict", None)
    if messages:
        return "; ".join(
            f"--{k}: {' '.join(v)}" if k != "__all__" else " ".join(v) for k, v in messages.items()
        )
    return " ".join(getattr(exc, "messages", [str(exc)]))
