"""Background jobs: long work runs outside the web request, with progress people can watch.

An app registers a job function and submits work from a service::

    @register_job("events.schedule")
    def schedule_event(ctx: JobContext, *, event_id: int) -> dict[str, Any]:
        ctx.progress(0.1, "Building the model")
        ...
        return {"url": reverse("events:dashboard", args=[event_id]), "scheduled": 412}

    job = submit_job(kind="events.schedule", label="Schedule Innovation Day",
                     params={"event_id": 7}, user=request.user)

The web then shows ``/jobs/<id>/`` (a progress bar polled by htmx). How the job runs depends on
``settings.TACT_JOBS_MODE``:

- ``worker`` (the default): the job waits in the database until ``tact jobs worker`` claims it.
  ``tact serve`` starts one worker next to the web server, so ``make run`` needs nothing more.
- ``immediate``: the job runs inline at once (tests, and scripts that want the result now).

The command line runs the same functions in its own process with :func:`run_job_here`, which
draws a progress bar instead of writing progress rows.

A job function does its computing outside any transaction (so its progress is visible to the
web) and writes its results in one ``transaction.atomic()`` at the end.
A job function raises :class:`JobError` (or a ``DataError``/``ValueError``) with a message for the
person who started it; any other exception is logged and shown as an unexpected error.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Protocol, TextIO

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.translation import gettext as _

from tact.core.datafiles import DataError
from tact.core.models import Job

log = logging.getLogger(__name__)

# A worker that has not written progress for this long is taken to be gone.
STALE_AFTER = timedelta(minutes=10)


class JobError(Exception):
    """A job cannot be done; the message is for the person who started it."""


class Progress(Protocol):
    def progress(self, fraction: float, message: str = "") -> None: ...


JobFunction = Callable[..., dict[str, Any]]
_REGISTRY: dict[str, JobFunction] = {}


def register_job(kind: str) -> Callable[[JobFunction], JobFunction]:
    def decorate(fn: JobFunction) -> JobFunction:
        if kind in _REGISTRY and _REGISTRY[kind] is not fn:
            raise ValueError(f"job kind {kind!r} is registered twice")
        _REGISTRY[kind] = fn
        return fn

    return decorate


def job_function(kind: str) -> JobFunction:
    _import_job_modules()
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise JobError(_("unknown job kind %(kind)s") % {"kind": kind}) from None


def _import_job_modules() -> None:
    # Apps keep their job functions in <app>/jobs.py; importing them registers the kinds.
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    for config in apps.get_app_configs():
        name = f"{config.name}.jobs"
        if config.name.startswith("tact.") and find_spec(name) is not None:
            import_module(name)


class JobContext:
    """Progress of a job in the database; writes at most twice a second."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self._last = 0.0

    def progress(self, fraction: float, message: str = "") -> None:
        now = time.monotonic()
        fraction = max(0.0, min(1.0, float(fraction)))
        if now - self._last < 0.5 and fraction < 1.0:
            return
        self._last = now
        update: dict[str, Any] = {"progress": fraction, "heartbeat_at": timezone.now()}
        if message:
            update["message"] = message[:300]
        Job.objects.filter(pk=self.job.pk).update(**update)


class ConsoleProgress:
    """A text progress bar on stderr for the command line: ``[#####.....]  52 %  message``."""

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self._last = -1.0
        self._tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def progress(self, fraction: float, message: str = "") -> None:
        fraction = max(0.0, min(1.0, float(fraction)))
        if not self._tty and fraction - self._last < 0.1 and fraction < 1.0:
            return  # in logs, one line per tenth is enough
        self._last = fraction
        filled = round(self.width * fraction)
        bar = "#" * filled + "." * (self.width - filled)
        line = f"[{bar}] {round(100 * fraction):3d} %  {message}"
        if self._tty:
            self.stream.write("\r" + line[:120].ljust(120))
            if fraction >= 1.0:
                self.stream.write("\n")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


class _Silent:
    def progress(self, fraction: float, message: str = "") -> None:
        return None


def submit_job(
    *, kind: str, label: str, params: dict[str, Any], user: Any = None, result_url: str = ""
) -> Job:
    """Queue a job (or, in immediate mode, run it now) and return its row."""
    job_function(kind)  # fail fast on a kind nobody registered
    owner = user if user is not None and getattr(user, "is_authenticated", False) else None
    job = Job.objects.create(
        kind=kind, label=label[:200], params=params, owner=owner, result_url=result_url
    )
    if settings.TACT_JOBS_MODE == "immediate":
        run_job(job.pk)
        job.refresh_from_db()
    return job


def run_job(job_id: Any) -> bool:
    """Claim a queued job and run it; False when another worker got it first."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=now, heartbeat_at=now
    )
    if not claimed:
        return False
    job = Job.objects.get(pk=job_id)
    update: dict[str, Any]
    try:
        result = job_function(job.kind)(JobContext(job), **job.params)
    except (JobError, DataError, ValueError) as exc:
        update = {"status": Job.Status.FAILED, "error": str(exc)}
    except Exception:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        update = {
            "status": Job.Status.FAILED,
            "error": _("An unexpected error stopped the job; it is in the server log."),
        }
    else:
        update = {
            "status": Job.Status.DONE,
            "progress": 1.0,
            "result": result,
            "message": str(result.get("message", ""))[:300] or _("Done."),
        }
        if result.get("url"):
            update["result_url"] = str(result["url"])[:300]
    update["finished_at"] = timezone.now()
    Job.objects.filter(pk=job.pk).update(**update)
    return True


def run_job_here(
    kind: str, params: dict[str, Any], *, show_progress: bool = True, stream: TextIO | None = None
) -> dict[str, Any]:
    """Run a job function in this process (the command line), with a progress bar on stderr."""
    reporter: Progress = ConsoleProgress(stream) if show_progress else _Silent()
    return job_function(kind)(reporter, **params)


def jobs_recover() -> int:
    """Mark jobs whose worker went away as failed, so nobody waits on them forever."""
    cutoff = timezone.now() - STALE_AFTER
    return Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=cutoff).update(
        status=Job.Status.FAILED,
        error=_("The worker stopped while this job ran; start it again."),
        finished_at=timezone.now(),
    )


def work(*, once: bool = False, poll: float = 1.0, stop: Callable[[], bool] | None = None) -> int:
    """The worker loop: run queued jobs oldest first. Returns how many it ran."""
    ran = 0
    jobs_recover()
    while True:
        if not connection.in_atomic_block:
            # Between jobs, drop connections the database may have timed out (not inside a
            # transaction: a caller that wraps the worker, such as a test, owns that connection).
            close_old_connections()
        pending = list(
            Job.objects.filter(status=Job.Status.QUEUED)
            .order_by("created_at")
            .values_list("pk", flat=True)[:10]
        )
        for pk in pending:
            if run_job(pk):
                ran += 1
        if once or (stop is not None and stop()):
            return ran
        if not pending:
            time.sleep(poll)
