"""Writes shared by every app."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from .models import AuditEntry


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    object_type: str,
    object_id: str,
    changes: dict[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEntry:
    user = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry.objects.create(
        actor=user,
        actor_label=actor_label or (str(user) if user else ""),
        action=action,
        object_type=object_type,
        object_id=object_id,
        changes=changes or {},
    )
