"""Background jobs: queued by the web, run by the worker, progress and errors kept."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tact.core import jobs
from tact.core.models import Job

pytestmark = pytest.mark.django_db


@jobs.register_job("tests.square")
def square(ctx: jobs.Progress, *, n: int) -> dict[str, Any]:
    for i in range(1, 5):
        ctx.progress(i / 4, f"step {i}")
    if n < 0:
        raise jobs.JobError("n must not be negative")
    if n == 13:
        raise RuntimeError("unlucky")
    return {"square": n * n, "url": "/somewhere/", "message": f"{n} squared"}


def test_worker_mode_queues_and_the_worker_runs_it(settings: Any, world: Any) -> None:
    settings.TACT_JOBS_MODE = "worker"
    job = jobs.submit_job(kind="tests.square", label="Square 7", params={"n": 7}, user=None)
    assert job.status == Job.Status.QUEUED
    assert jobs.work(once=True) == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.result["square"] == 49
    assert job.result_url == "/somewhere/"
    assert job.message == "7 squared"
    assert job.progress == 1.0
    assert job.finished_at is not None
    # Running it again does nothing: it is no longer queued.
    assert jobs.run_job(job.pk) is False


def test_immediate_mode_runs_inline(settings: Any) -> None:
    settings.TACT_JOBS_MODE = "immediate"
    job = jobs.submit_job(kind="tests.square", label="Square 3", params={"n": 3})
    assert job.status == Job.Status.DONE
    assert job.result["square"] == 9


def test_expected_errors_are_shown_unexpected_ones_are_not(settings: Any) -> None:
    settings.TACT_JOBS_MODE = "immediate"
    bad = jobs.submit_job(kind="tests.square", label="neg", params={"n": -1})
    assert bad.status == Job.Status.FAILED
    assert bad.error == "n must not be negative"
    boom = jobs.submit_job(kind="tests.square", label="13", params={"n": 13})
    assert boom.status == Job.Status.FAILED
    assert "unlucky" not in boom.error
    assert "unexpected" in boom.error


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(jobs.JobError, match="unknown job kind"):
        jobs.submit_job(kind="tests.nothing", label="x", params={})
    assert not Job.objects.exists()


def test_stale_running_jobs_are_recovered() -> None:
    old = timezone.now() - jobs.STALE_AFTER - timedelta(minutes=1)
    stale = Job.objects.create(kind="tests.square", label="s", status="running", heartbeat_at=old)
    alive = Job.objects.create(
        kind="tests.square", label="a", status="running", heartbeat_at=timezone.now()
    )
    assert jobs.jobs_recover() == 1
    stale.refresh_from_db()
    alive.refresh_from_db()
    assert stale.status == "failed" and "start it again" in stale.error
    assert alive.status == "running"


def test_console_progress_bar() -> None:
    out = io.StringIO()
    result = jobs.run_job_here("tests.square", {"n": 4}, stream=out)
    assert result["square"] == 16
    lines = out.getvalue().splitlines()
    assert lines[-1].startswith("[" + "#" * 30 + "] 100 %")
    assert any(" 25 %" in line for line in lines)


def test_progress_page_polls_until_done(client: Any, world: Any, settings: Any) -> None:
    settings.TACT_JOBS_MODE = "worker"
    manager = world.user("manager")
    job = jobs.submit_job(kind="tests.square", label="Square 5", params={"n": 5}, user=manager)
    client.force_login(manager)
    page = client.get(f"/jobs/{job.pk}/")
    assert page.status_code == 200
    assert b"hx-trigger" in page.content and b"Square 5" in page.content
    jobs.work(once=True)
    status = client.get(f"/jobs/{job.pk}/status/")
    assert b"hx-trigger" not in status.content
    assert b"/somewhere/" in status.content
    data = client.get(f"/jobs/{job.pk}/status/?format=json").json()
    assert data["status"] == "done" and data["progress"] == 1.0
    # Somebody else's job is not found, not forbidden: its existence is not revealed.
    client.force_login(world.user("other_manager"))
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    listing = client.get("/jobs/")
    assert b"Square 5" not in listing.content


def test_worker_command_once(settings: Any) -> None:
    from django.core.management import call_command

    settings.TACT_JOBS_MODE = "worker"
    jobs.submit_job(kind="tests.square", label="Square 2", params={"n": 2})
    out = io.StringIO()
    call_command("jobs", "worker", "--once", stdout=out)
    assert "Ran 1 job(s)." in out.getvalue()
    call_command("jobs", "list", stdout=out)
    assert "tests.square" in out.getvalue()
