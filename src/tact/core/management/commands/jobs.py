"""``tact jobs worker|list|recover``: the background worker and a look at its queue."""

from __future__ import annotations

import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tact.core import jobs
from tact.core.models import Job


class Command(BaseCommand):
    help = "Run the background worker (tact serve starts one), list jobs or recover stale ones."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        worker = sub.add_parser("worker", help="run queued jobs until stopped")
        worker.add_argument("--once", action="store_true", help="run what is queued, then stop")
        worker.add_argument("--poll", type=float, default=1.0, help="seconds between looks")
        listing = sub.add_parser("list", help="the latest jobs")
        listing.add_argument("--limit", type=int, default=20)
        sub.add_parser("recover", help="mark jobs whose worker went away as failed")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "worker":
            stopping = False

            def stop(*_: Any) -> None:
                nonlocal stopping
                stopping = True

            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
            if not options["once"]:
                self.stdout.write("Background worker ready; waiting for jobs.")
            ran = jobs.work(once=options["once"], poll=options["poll"], stop=lambda: stopping)
            self.stdout.write(f"Ran {ran} job(s).")
        elif action == "list":
            for job in Job.objects.all()[: max(1, options["limit"])]:
                self.stdout.write(
                    f"{job.pk}  {job.status:8} {job.percent:3d} %  {job.created_at:%Y-%m-%d %H:%M}"
                    f"  {job.kind}  {job.label}"
                )
        else:
            self.stdout.write(f"Marked {jobs.jobs_recover()} stale job(s) as failed.")
