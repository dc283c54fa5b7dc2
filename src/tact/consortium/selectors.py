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
    try:
        pk = int(cluster_id)
    except (TypeError, ValueError):
        return None
    return clusters_for(user).filter(pk=pk).first()


def registry(cluster: ClusterInitiative) -> QuerySet[Organisation]:
    return Organisation.objects.filter(clusters=cluster).distinct().order_by("name")


def competences() -> QuerySet[Competence]:
    return Competence.objects.all()


def runs_for(user: Any) -> QuerySet[BuildRun]:
    return BuildRun.objects.filter(cluster__in=clusters_for(user)).select_related("call", "cluster")


def run_get(user: Any, run_id: Any) -> BuildRun | None:
    try:
        pk = int(run_id)
    except (TypeError, ValueError):
        return None
    return runs_for(user).filter(pk=pk).first()
