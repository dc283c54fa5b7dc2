"""Reads for the consortium builder, scoped to the caller.

Calls are public to signed-in people. A cluster's registry (the community organisations that
are members of the cluster) and its build runs are for the cluster's managers and admins.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from tact.accounts.models import ClusterInitiative
from tact.accounts.selectors import clusters_managed_by, user_is_admin
from tact.community.models import Competence, Organisation

from .models import BuildRun, Call

MAX_PK = 2**63 - 1


def as_pk(value: Any) -> int | None:
    """A primary key from user input, or None (also for numbers no database column holds)."""
    try:
        pk = int(str(value).strip()) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return None
    return pk if pk is not None and 0 < pk <= MAX_PK else None


def calls() -> QuerySet[Call]:
    return Call.objects.all()


def call_get(call_id: str) -> Call | None:
    return Call.objects.filter(pk=str(call_id)[:80]).first()


def clusters_for(user: Any) -> QuerySet[ClusterInitiative]:
    """The clusters whose registry the caller may build consortia from."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ClusterInitiative.objects.none()
    if user_is_admin(user):
        return ClusterInitiative.objects.all().order_by("name")
    return clusters_managed_by(user).order_by("name")


def cluster_for(user: Any, cluster_id: Any) -> ClusterInitiative | None:
    pk = as_pk(cluster_id)
    return None if pk is None else clusters_for(user).filter(pk=pk).first()


def registry(cluster: ClusterInitiative) -> QuerySet[Organisation]:
    return Organisation.objects.filter(clusters=cluster).distinct().order_by("name")


def competences() -> QuerySet[Competence]:
    return Competence.objects.all()


def runs_for(user: Any) -> QuerySet[BuildRun]:
    return BuildRun.objects.filter(cluster__in=clusters_for(user)).select_related("call", "cluster")


def run_get(user: Any, run_id: Any) -> BuildRun | None:
    pk = as_pk(run_id)
    return None if pk is None else runs_for(user).filter(pk=pk).first()
