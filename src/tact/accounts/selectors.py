"""Reads about people, tenants and roles, always scoped to what the caller may see."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from tact.core.models import AuditEntry

from .models import (
    ApiToken,
    ClusterInitiative,
    Invitation,
    Organisation,
    Region,
    Role,
    RoleAssignment,
    User,
    token_digest,
)

Caller = User | AnonymousUser | Any


def user_is_admin(user: Caller) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def roles_for(user: Caller) -> list[RoleAssignment]:
    """The caller's own roles (administrators see their admin role even without an assignment)."""
    if not user or not user.is_authenticated:
        return []
    roles = list(
        RoleAssignment.objects.filter(user=user).select_related("cluster", "region", "organisation")
    )
    if user_is_admin(user) and not any(r.role == Role.ADMIN for r in roles):
        roles.insert(0, RoleAssignment(user=user, role=Role.ADMIN))
    return roles


def clusters_managed_by(user: Caller) -> QuerySet[ClusterInitiative]:
    if user_is_admin(user):
        return ClusterInitiative.objects.all()
    if not user or not user.is_authenticated:
        return ClusterInitiative.objects.none()
    return ClusterInitiative.objects.filter(roles__user=user, roles__role=Role.MANAGER).distinct()


def user_manages_cluster(user: Caller, cluster: ClusterInitiative) -> bool:
    return clusters_managed_by(user).filter(pk=cluster.pk).exists()


def cluster_get(user: Caller, cluster_id: int) -> ClusterInitiative | None:
    """A cluster its manager (or an administrator) may open; None for everyone else."""
    return clusters_managed_by(user).filter(pk=cluster_id).first()


def cluster_members(user: Caller, cluster: ClusterInitiative) -> QuerySet[RoleAssignment]:
    if not user_manages_cluster(user, cluster):
        return RoleAssignment.objects.none()
    return (
        RoleAssignment.objects.filter(cluster=cluster)
        .select_related("user", "organisation")
        .order_by("role", "user__email")
    )


def organisations_visible_to(user: Caller) -> QuerySet[Organisation]:
    """Managers: their clusters' organisations. Members: their own organisation."""
    if user_is_admin(user):
        return Organisation.objects.all()
    if not user or not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        Q(cluster__in=clusters_managed_by(user)) | Q(roles__user=user, roles__role=Role.MEMBER)
    ).distinct()


def regions_visible_to(user: Caller) -> QuerySet[Region]:
    if user_is_admin(user):
        return Region.objects.all()
    if not user or not user.is_authenticated:
        return Region.objects.none()
    return Region.objects.filter(roles__user=user, roles__role=Role.CURATOR).distinct()


def users_visible_to(user: Caller) -> QuerySet[User]:
    """Administrators: everyone. Managers: the people of their clusters. Others: themselves."""
    if user_is_admin(user):
        return User.objects.all().order_by("email")
    if not user or not user.is_authenticated:
        return User.objects.none()
    return (
        User.objects.filter(Q(pk=user.pk) | Q(roles__cluster__in=clusters_managed_by(user)))
        .distinct()
        .order_by("email")
    )


def invitations_visible_to(user: Caller) -> QuerySet[Invitation]:
    if user_is_admin(user):
        qs = Invitation.objects.all()
    elif not user or not user.is_authenticated:
        return Invitation.objects.none()
    else:
        qs = Invitation.objects.filter(
            Q(cluster__in=clusters_managed_by(user)) | Q(invited_by=user)
        ).distinct()
    return qs.select_related("cluster", "region", "organisation", "invited_by")


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a link points to, whatever its state (the view explains the state)."""
    if not token or len(token) > 200:
        return None
    return (
        Invitation.objects.filter(token_hash=token_digest(token))
        .select_related("cluster", "region", "organisation")
        .first()
    )


def tokens_for(user: Caller) -> QuerySet[ApiToken]:
    if not user or not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user)


def token_user(key: str) -> tuple[ApiToken, User] | None:
    """The active token and its active user for a presented key, else None."""
    if not key or len(key) > 200:
        return None
    token = (
        ApiToken.objects.filter(key_hash=token_digest(key), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token, token.user


def audit_entries_for(user: Caller) -> QuerySet[AuditEntry]:
    """Administrators read the whole trail; others read the entries about their own objects.

    Owned objects: the person themselves, their tokens and roles, and for managers their
    clusters with the organisations, roles and invitations in them.
    """
    qs = AuditEntry.objects.select_related("actor")
    if user_is_admin(user):
        return qs
    if not user or not user.is_authenticated:
        return qs.none()

    def ids(values: Any) -> list[str]:
        return [str(v) for v in values]

    managed = list(clusters_managed_by(user).values_list("pk", flat=True))
    owned: dict[str, list[str]] = {
        "accounts.user": [str(user.pk)],
        "accounts.apitoken": ids(ApiToken.objects.filter(user=user).values_list("pk", flat=True)),
        "accounts.roleassignment": ids(
            RoleAssignment.objects.filter(Q(user=user) | Q(cluster__in=managed)).values_list(
                "pk", flat=True
            )
        ),
        "accounts.clusterinitiative": ids(managed),
        "accounts.organisation": ids(organisations_visible_to(user).values_list("pk", flat=True)),
        "accounts.invitation": ids(invitations_visible_to(user).values_list("pk", flat=True)),
    }
    condition = Q(actor=user)
    for object_type, object_ids in owned.items():
        if object_ids:
            condition |= Q(object_type=object_type, object_id__in=object_ids)
    return qs.filter(condition)


def open_invitations(user: Caller) -> QuerySet[Invitation]:
    return invitations_visible_to(user).filter(used_at__isnull=True, expires_at__gt=timezone.now())


def invitation_has_account(invitation: Invitation) -> bool:
    return User.objects.filter(email__iexact=invitation.email).exists()
