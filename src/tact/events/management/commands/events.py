"""``tact events list | schedule | publish | import | agenda | registration``: B2B events from the
command line.

The command line is trusted (it has the database already); its writes are audited as
"tact events".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from tact.core.jobs import JobError, run_job_here
from tact.events import selectors, services
from tact.events.models import Event
from tact.events.outputs import agenda_events


class Command(BaseCommand):
    help = (
        "B2B events: list, schedule, publish, import participants or requests, print agendas, "
        "open or close registration."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        sub.add_parser("list", help="Every event with its figures.")
        sch = sub.add_parser("schedule", help="Run the scheduler (progress bar on stderr).")
        sch.add_argument("event", help="Event id.")
        sch.add_argument("--time-limit", type=int, default=10, help="Seconds (1-600).")
        sch.add_argument(
            "--keep-published",
            action="store_true",
            help="Keep published meetings in place where possible.",
        )
        sch.add_argument("--publish", action="store_true", help="Publish the result too.")
        imp = sub.add_parser("import", help="Import a CSV/XLSX file (all rows or none).")
        imp.add_argument("event", help="Event id.")
        imp.add_argument("file", type=Path)
        imp.add_argument("--kind", choices=["participants", "requests"], required=True)
        imp.add_argument("--dry-run", action="store_true", help="Check every row, save nothing.")
        ag = sub.add_parser("agenda", help="A participant's agenda (the draft too).")
        ag.add_argument("event", help="Event id.")
        ag.add_argument("participant", help="Participant id or e-mail address.")
        ag.add_argument("--format", choices=["txt", "ics"], default="txt")
        reg = sub.add_parser(
            "registration", help="Open or close registration (participants' own profile edits)."
        )
        reg.add_argument("event", help="Event id.")
        reg.add_argument("state", choices=["open", "close"])
        pub = sub.add_parser("publish", help="Publish the current schedule and e-mail agendas.")
        pub.add_argument("event", help="Event id.")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "do_" + options["action"])(options)

    def _event(self, ref: str) -> Event:
        event = Event.objects.filter(pk=int(ref)).first() if ref.isdigit() else None
        if event is None:
            raise CommandError(f"event: no event with id {ref!r} (see `tact events list`)")
        return event

    def do_list(self, options: dict[str, Any]) -> None:
        events = Event.objects.select_related("cluster").order_by("date", "pk")
        if not events:
            self.stdout.write("No events.")
        for e in events:
            f = selectors.dashboard(e)
            self.stdout.write(
                f"{e.pk:>4}  {e.date:%Y-%m-%d}  {e.title}  [{e.cluster.name}]  {e.status}  "
                f"participants={e.participants.count()} accepted={f['accepted']} "
                f"meetings={f['meetings']}"
            )

    def do_schedule(self, options: dict[str, Any]) -> None:
        event = self._event(options["event"])
        limit = options["time_limit"]
        if not 1 <= limit <= services.MAX_TIME_LIMIT:
            raise CommandError(f"--time-limit: give 1 to {services.MAX_TIME_LIMIT} seconds")
        try:
            result = run_job_here(
                "events.schedule",
                {"event_id": event.pk, "time_limit": limit,
                 "keep_published": options["keep_published"]},
                show_progress=True,
                stream=self.stderr._out,  # type: ignore[attr-defined]
            )  # fmt: skip
        except (JobError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        run = event.runs.first()
        assert run is not None
        f = run.figures
        self.stdout.write(
            f"scheduled {f['scheduled']} of {f['accepted']} accepted requests; "
            f"total priority {f['total_priority']} (upper bound {f['upper_bound']}); "
            f"idle gaps {f['total_idle_gaps']}; moved published meetings {result['moved']}; "
            f"unmet {len(f['unmet'])}"
        )
        for m in selectors.dashboard(event)["moved"]:
            r = m["request"]
            self.stdout.write(
                f"  moved: {r.requester} - {r.requested}: {m['from'][0]} -> {m['to'][0]}"
            )
        if options["publish"]:
            self._publish(event)

    def _publish(self, event: Event) -> None:
        try:
            report = services.schedule_publish(actor=None, event=event)
        except services.EventError as exc:
            raise CommandError(str(exc)) from None
        n = report.notices
        self.stdout.write(
            f"published ({report.changed} new or changed meetings, {report.cancelled} "
            f"cancelled); e-mailed {n.sent} participants, {n.skipped} without an e-mail "
            f"address skipped, {n.failed} failed"
        )

    def do_import(self, options: dict[str, Any]) -> None:
        event = self._event(options["event"])
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from None
        fn = (
            services.participants_import
            if options["kind"] == "participants"
            else services.requests_import
        )
        report = fn(
            actor=None, event=event, data=data, filename=str(path), dry_run=options["dry_run"]
        )
        if report.problems:
            lines = "\n".join(f"  {p}" for p in report.problems)
            raise CommandError(f"Nothing was imported. Fix these problems:\n{lines}")
        verb = "would import" if report.dry_run else "imported"
        self.stdout.write(
            f"{verb} {report.rows} rows: {report.created} new, {report.updated} updated"
        )

    def do_agenda(self, options: dict[str, Any]) -> None:
        event = self._event(options["event"])
        ref = options["participant"]
        p = event.participants.filter(
            Q(email__iexact=ref) | Q(pk=int(ref) if ref.isdigit() else None)
        ).first()
        if p is None:
            raise CommandError(f"participant: nobody with id or e-mail {ref!r} in this event")
        items = selectors.agenda(p, published_only=False)
        if options["format"] == "ics":
            from tact.core.ics import ics_calendar

            self.stdout.write(
                ics_calendar(f"{event.title} – {p.person}", agenda_events(event, p, items)),
                ending="",
            )
            return
        self.stdout.write(
            f"{event.title}, {event.date:%Y-%m-%d} – {p.person} ({p.organisation_name})"
        )
        if not items:
            self.stdout.write("  no meetings")
        for i in items:
            draft = "" if i.published else "  (not published)"
            self.stdout.write(
                f"  {i.when}  {i.table_name:<14} {i.other.organisation_name} – {i.other.person}{draft}"
            )

    def do_registration(self, options: dict[str, Any]) -> None:
        event = self._event(options["event"])
        open_ = options["state"] == "open"
        changed = services.registration_set(actor=None, event=event, open_=open_)
        state = "open" if open_ else "closed"
        self.stdout.write(f"registration {state}" + ("" if changed else " (unchanged)"))

    def do_publish(self, options: dict[str, Any]) -> None:
        self._publish(self._event(options["event"]))
