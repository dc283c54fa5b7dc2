"""``tact serve``: the production WSGI server (gunicorn) with TACT's defaults."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve TACT with gunicorn (static files come from the package through WhiteNoise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("TACT_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("TACT_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("TACT_THREADS", "4")))

    def _start_worker(self) -> None:
        # Scheduler and solver runs wait in the database for this worker; the web never runs them.
        # Operators who run `tact jobs worker` elsewhere set TACT_JOBS_WORKER=false.
        from django.conf import settings

        if settings.TACT_JOBS_MODE != "worker" or os.environ.get(
            "TACT_JOBS_WORKER", "true"
        ).lower() in ("0", "false", "no", "off"):
            return
        import atexit
        import subprocess
        import sys

        worker = subprocess.Popen([sys.executable, "-m", "tact.cli", "jobs", "worker"])
        atexit.register(worker.terminate)
        self.stdout.write(f"Background worker started (pid {worker.pid}).")

    def handle(self, *args: Any, **options: Any) -> None:
        from gunicorn.app.wsgiapp import run

        argv = [
            "gunicorn",
            "tact.wsgi:application",
            "--bind", options["bind"],
            "--workers", str(options["workers"]),
            "--threads", str(options["threads"]),
            "--access-logfile", "-",
            # The search index and model are built once per worker, not per request.
            "--preload",
        ]  # fmt: skip
        self.stdout.write(f"Serving TACT on http://{options['bind']}/")
        import sys

        self._start_worker()

        sys.argv = argv
        run()
