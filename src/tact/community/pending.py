"""Checked files waiting for their import, and the imports and samples that run as jobs.

The flow of the import page and the API: the dry run checks the upload; when every row is
fine, the bytes are kept on the server as a :class:`PendingImport` (owner, cluster, kind, file
name, SHA-256) and the page offers "Import these N rows". That button imports exactly the file
that was checked, without a second upload. The import checks it once more (the registry may have
changed in the meantime) and writes it in one transaction; the kept file is deleted afterwards.
A kept file expires after an hour and only the person who checked it may import it.

Why the database and not the session or a hidden form field: a registry file may be several
megabytes (thousands of rows), more than a cookie session or Django's 2.5 MB form limit takes,
and a row in the database works the same for the pages, the API and the background job.

Files of more than ``BACKGROUND_ROWS`` rows, and the synthetic sample, are written by a
background job (``tact.core.jobs``): the page shows the job's progress instead of waiting.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tact.accounts.models import ClusterInitiative, User
from tact.core.datafiles import DataError
from tact.core.jobs import JobError, Progress, submit_job
from tact.core.models import Job
from tact.core.services import audit_record

from . import selectors, transfer
from .models import Competence, PendingImport

EXPIRES = selectors.PENDING_EXPIRES
BACKGROUND_ROWS = 2000
SAMPLE_MAX_WEB = 2000


@dataclass
class Started:
    """What starting an import gave: the report of an inline import, or the job."""

    report: transfer.ImportReport | None = None
    job: Job | None = None


def _audit(actor: Any, action: str, pending: PendingImport, changes: dict[str, Any]) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="community.pendingimport",
        object_id=str(pending.pk),
        changes=changes,
    )


def expired_purge() -> int:
    """Delete checked files older than ``EXPIRES`` (anybody's); returns how many."""
    deleted, _by_model = PendingImport.objects.filter(
        created_at__lt=timezone.now() - EXPIRES
    ).delete()
    return deleted


def import_check(
    *,
    actor: Any,
    data: bytes,
    filename: str,
    cluster: ClusterInitiative | None,
    kind: str = "auto",
) -> tuple[transfer.ImportReport, PendingImport | None]:
    """The dry run; a file without problems is kept for ``import_confirm``."""
    report = transfer.registry_import(
        actor=actor, data=data, filename=filename, cluster=cluster, kind=kind, dry_run=True
    )
    if report.problems:
        return report, None
    with transaction.atomic():
        expired_purge()
        pending = PendingImport.objects.create(
            owner=actor,
            cluster=cluster,
            kind=report.kind,
            filename=filename[:200],
            sha256=hashlib.sha256(data).hexdigest(),
            data=data,
            rows=report.rows,
        )
        _audit(
            actor,
            "community.import_checked",
            pending,
            {"file": pending.filename, "sha256": pending.sha256, "rows": pending.rows,
             "kind": pending.kind, "cluster": cluster.pk if cluster else None},
        )  # fmt: skip
    return report, pending


def import_run(
    *, actor: Any, pending: PendingImport, progress: Progress | None = None
) -> transfer.ImportReport:
    """Import the kept file now (checked again first); deleted once it is written."""
    if pending.owner_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("This checked file is somebody else's."))
    data = bytes(pending.data)
    if hashlib.sha256(data).hexdigest() != pending.sha256:
        raise JobError(_("The kept file is damaged; upload it again."))
    report = transfer.registry_import(
        actor=actor,
        data=data,
        filename=pending.filename,
        cluster=pending.cluster,
        kind=pending.kind,
        dry_run=False,
        progress=progress,
    )
    if report.applied:
        with transaction.atomic():
            _audit(
                actor,
                "community.import_confirmed",
                pending,
                {"file": pending.filename, "sha256": pending.sha256, **report.counts()},
            )
            pending.delete()
    return report


def import_confirm(*, actor: Any, pending: PendingImport) -> Started:
    """Import a checked file: inline when small, as a background job above ``BACKGROUND_ROWS``."""
    if pending.owner_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("This checked file is somebody else's."))
    if pending.rows <= BACKGROUND_ROWS:
        return Started(report=import_run(actor=actor, pending=pending))
    job = submit_job(
        kind="community.import",
        label=_("Import of %(file)s (%(n)d rows)") % {"file": pending.filename, "n": pending.rows},
        params={"pending_id": str(pending.pk), "actor_id": actor.pk},
        user=actor,
        result_url=reverse("community:home"),
    )
    return Started(job=job)


def import_job(ctx: Progress, *, pending_id: str, actor_id: int) -> dict[str, Any]:
    """The body of the ``community.import`` job."""
    actor = User.objects.filter(pk=actor_id).first()
    pending = PendingImport.objects.filter(pk=pending_id, owner_id=actor_id).first()
    if actor is None or pending is None:
        raise JobError(
            _("The checked file is no longer kept (imported or expired): upload it again.")
        )
    try:
        report = import_run(actor=actor, pending=pending, progress=ctx)
    except PermissionDenied as exc:  # the owner no longer manages the cluster
        raise JobError(str(exc)) from None
    if not report.applied:
        raise DataError(report.problems)
    return {
        "url": reverse("community:home"),
        "message": imported_message(report),
        "rows": report.rows,
        **report.counts(),
    }


def imported_message(report: transfer.ImportReport) -> str:
    counts = report.counts()
    return _("Imported %(rows)d rows: %(c)d created, %(u)d updated, %(l)d linked.") % {
        "rows": report.rows,
        "c": counts["create"],
        "u": counts["update"],
        "l": counts["link"],
    }


# The synthetic sample ---------------------------------------------------------------------


def sample_start(*, actor: Any, cluster: ClusterInitiative, organisations: int, seed: int) -> Job:
    """Fill a cluster's registry with the synthetic sample, as a background job."""
    if not selectors.clusters_editable_by(actor).filter(pk=cluster.pk).exists():
        raise PermissionDenied(_("Only the cluster's managers add the sample to its registry."))
    if not 1 <= organisations <= SAMPLE_MAX_WEB:
        raise ValueError(
            _("from 1 to %(n)d organisations (the command line makes more)") % {"n": SAMPLE_MAX_WEB}
        )
    return submit_job(
        kind="community.sample",
        label=_("Synthetic sample of %(n)d organisations for %(c)s")
        % {"n": organisations, "c": cluster.name},
        params={"cluster_id": cluster.pk, "organisations": organisations, "seed": seed,
                "actor_id": actor.pk},
        user=actor,
        result_url=reverse("community:home"),
    )  # fmt: skip


def sample_job(
    ctx: Progress, *, cluster_id: int, organisations: int, seed: int, actor_id: int | None
) -> dict[str, Any]:
    """The body of the ``community.sample`` job (also what ``tact community sample`` runs)."""
    from . import sample, services

    cluster = ClusterInitiative.objects.filter(pk=cluster_id).first()
    if cluster is None:
        raise JobError(_("The cluster no longer exists."))
    actor = User.objects.filter(pk=actor_id).first() if actor_id is not None else None
    if actor_id is not None and (
        actor is None or not selectors.clusters_editable_by(actor).filter(pk=cluster.pk).exists()
    ):
        raise JobError(_("Only the cluster's managers add the sample to its registry."))
    if not Competence.objects.filter(controlled=True).exists():
        ctx.progress(0.01, _("Loading the competence vocabulary"))
        services.vocabulary_load(actor=actor)
    ctx.progress(0.02, _("Generating %(n)d organisations") % {"n": organisations})
    counts = sample.sample_create(
        actor=actor, cluster=cluster, organisations=organisations, seed=seed, progress=ctx
    )
    return {
        "url": reverse("community:home") + f"?cluster={cluster.pk}",
        "message": _(
            "Synthetic sample in %(c)s: %(o)d organisations, %(p)d people, %(j)d joint projects."
        )
        % {"c": cluster.name, "o": counts["organisations"], "p": counts["people"],
           "j": counts["projects"]},
        "cluster": cluster.name,
        **counts,
    }  # fmt: skip
