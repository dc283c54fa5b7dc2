"""``tact curation campaigns | create | status | remind | close | reopen | import | export | score | ranking |
select | set-field | transition | publish | withdraw | versions``.

The command line is trusted (it has the database already): it acts as the system, may make
every move of the transition table and is recorded as "tact curation" in the audit trail.
CAMPAIGN is an id or a name; ONE_PAGER an id or a reference such as 2027-AT31-003.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tact.accounts.models import ClusterInitiative, Region
from tact.core.jobs import run_job_here
from tact.curation import content, exchange, selectors, services
from tact.curation.models import Campaign, OnePager, State

EPILOG = (
    "'tact curation pdf' renders the whole toolbox as a PDF (the published practices); with "
    "--edition it also stores it as the next numbered edition, as 'tact publication publish' does."
)


class Command(BaseCommand):
    help = "Survey campaigns, one-pagers, scoring, selection and publication of good practices."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.epilog = EPILOG
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        campaigns = sub.add_parser("campaigns", help="List the campaigns.")
        campaigns.add_argument("--json", action="store_true")
        create = sub.add_parser("create", help="Start a campaign and send the personal links.")
        create.add_argument("name")
        create.add_argument("--region", action="append", required=True, metavar="NUTS")
        create.add_argument("--deadline", required=True, help="YYYY-MM-DD")
        create.add_argument("--introduction", default="")
        create.add_argument(
            "--invite",
            action="append",
            default=[],
            metavar="'CLUSTER | E-MAIL'",
            help="A cluster initiative and its manager's e-mail (repeat).",
        )
        create.add_argument(
            "--invite-managers",
            action="store_true",
            help="Invite every cluster of the regions with each of its managers.",
        )
        status = sub.add_parser("status", help="The state of each invited cluster initiative.")
        status.add_argument("campaign")
        status.add_argument("--json", action="store_true")
        remind = sub.add_parser("remind", help="Remind managers who have not submitted.")
        remind.add_argument("campaign")
        close = sub.add_parser("close", help="Close a campaign: personal links stop saving.")
        close.add_argument("campaign")
        reopen = sub.add_parser("reopen", help="Reopen a closed campaign with a new deadline.")
        reopen.add_argument("campaign")
        reopen.add_argument("--deadline", required=True, help="The new deadline, YYYY-MM-DD.")
        imp = sub.add_parser("import", help="Load one-pagers from JSON, CSV or XLSX.")
        imp.add_argument("campaign")
        imp.add_argument("file", type=Path)
        imp.add_argument("--dry-run", action="store_true", help="Only check the file.")
        exp = sub.add_parser("export", help="Write the campaign's one-pagers with their scores.")
        exp.add_argument("campaign")
        exp.add_argument("--format", choices=exchange.FORMATS, default="json")
        exp.add_argument("-o", "--output", type=Path, help="Write to a file (XLSX needs one).")
        score = sub.add_parser("score", help="Score every submitted one-pager.")
        score.add_argument("campaign")
        ranking = sub.add_parser("ranking", help="The ranked table.")
        ranking.add_argument("campaign")
        ranking.add_argument("--json", action="store_true")
        select = sub.add_parser("select", help="Select exactly these one-pagers to publish.")
        select.add_argument("campaign")
        select.add_argument("one_pagers", nargs="*", metavar="ONE_PAGER")
        select.add_argument("--top", type=int, help="Select the best N of the ranked table.")
        field = sub.add_parser("set-field", help="Set the field of a one-pager.")
        field.add_argument("one_pager")
        field.add_argument("field", nargs="?", help="Omit to take the suggested field.")
        move = sub.add_parser("transition", help="Move a one-pager to another state.")
        move.add_argument("one_pager")
        move.add_argument("state", choices=[s.value for s in State])
        move.add_argument("--comment", default="")
        publish = sub.add_parser("publish", help="Publish validated one-pagers in the toolbox.")
        publish.add_argument("one_pagers", nargs="*", metavar="ONE_PAGER")
        publish.add_argument(
            "--campaign", help="Publish every validated one-pager of this campaign."
        )
        withdraw = sub.add_parser("withdraw", help="Hide a published practice again.")
        withdraw.add_argument("one_pager")
        withdraw.add_argument("--reason", default="")
        versions = sub.add_parser("versions", help="Version history with differences.")
        versions.add_argument("one_pager")
        pdf = sub.add_parser("pdf", help="The whole toolbox as a PDF (see tact publication).")
        pdf.add_argument("out", help="Where to write the PDF, e.g. toolbox.pdf.")
        pdf.add_argument(
            "--edition", action="store_true", help="Also store it as the next numbered edition."
        )
        pdf.add_argument("--note", default="", help="What is new (required with --edition).")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"do_{options['action'].replace('-', '_')}")(options)

    def do_pdf(self, options: dict[str, Any]) -> None:
        # The document is tact.publication's; this keeps the whole survey round under one command.
        from django.core.management import call_command

        if not options["edition"]:
            call_command("publication", "build", options["out"], stdout=self.stdout)
            return
        if not options["note"].strip():
            raise CommandError("--note: say what is new in this edition (it is printed in it).")
        call_command("publication", "publish", "--note", options["note"], stdout=self.stdout)
        call_command("publication", "get", "latest", options["out"], stdout=self.stdout)

    # --- lookups ---

    def _campaign(self, value: str) -> Campaign:
        qs = Campaign.objects.all()
        found = qs.filter(pk=int(value)).first() if value.isdigit() else None
        found = found or qs.filter(name__iexact=value).order_by("-created_at").first()
        if found is None:
            known = ", ".join(f"{c.pk}: {c.name}" for c in qs[:20]) or "none yet"
            raise CommandError(f"No campaign {value!r}. Known: {known}")
        return found

    def _one_pager(self, value: str) -> OnePager:
        qs = OnePager.objects.select_related("campaign", "cluster")
        if value.isdigit():
            found = qs.filter(pk=int(value)).first()
        else:
            matches = list(qs.filter(reference=value)[:2])
            if len(matches) > 1:
                raise CommandError(f"{value!r} is in several campaigns: give the one-pager's id.")
            found = matches[0] if matches else None
        if found is None:
            raise CommandError(f"No one-pager {value!r} (give its id or reference).")
        return found

    def _fail(self, exc: services.CurationError) -> CommandError:
        if isinstance(exc, services.InvalidOnePager):
            lines = "\n".join(f"  {k}: {'; '.join(v)}" for k, v in exc.problems.items())
            return CommandError(f"Refused; nothing changed. Fix these problems:\n{lines}")
        where = f"{exc.field}: " if exc.field else ""
        return CommandError(f"{where}{exc.message}")

    def _base_url(self) -> str:
        return settings.TACT_BASE_URL or "http://127.0.0.1:8000"

    # --- actions ---

    def do_campaigns(self, options: dict[str, Any]) -> None:
        rows = []
        for c in Campaign.objects.prefetch_related("regions"):
            rows.append(
                {
                    "id": c.pk,
                    "name": c.name,
                    "regions": [r.code for r in c.regions.all()],
                    "deadline": c.deadline.isoformat(),
                    "states": {k: v for k, v in selectors.state_counts(c).items() if v},
                }
            )
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        if not rows:
            self.stdout.write("No campaign yet (tact curation create).")
        for r in rows:
            states = ", ".join(f"{k} {v}" for k, v in r["states"].items()) or "no one-pager"
            self.stdout.write(
                f"{r['id']:>4}  {r['name']}  [{', '.join(r['regions'])}]  "
                f"deadline {r['deadline']}  ({states})"
            )

    def do_create(self, options: dict[str, Any]) -> None:
        regions = []
        for code in options["region"]:
            region = Region.objects.filter(code__iexact=code.strip()).first()
            if region is None:
                raise CommandError(f"--region: no region {code!r} (tact clusters add-region)")
            regions.append(region)
        try:
            deadline = dt.date.fromisoformat(options["deadline"])
        except ValueError:
            raise CommandError("--deadline: give a date as YYYY-MM-DD") from None
        invitations = []
        for item in options["invite"]:
            if "|" not in item:
                raise CommandError(f"--invite: write 'CLUSTER | E-MAIL', not {item!r}")
            name, email = (p.strip() for p in item.rsplit("|", 1))
            cluster = ClusterInitiative.objects.filter(name__iexact=name).first()
            if cluster is None:
                raise CommandError(f"--invite: no cluster initiative {name!r}")
            invitations.append((cluster, email))
        if options["invite_managers"]:
            from tact.accounts.models import Role, RoleAssignment

            for assignment in RoleAssignment.objects.filter(
                role=Role.MANAGER, cluster__region__in=regions
            ).select_related("cluster", "user"):
                pair = (assignment.cluster, assignment.user.email)
                if pair not in invitations:
                    invitations.append(pair)
        try:
            campaign = services.campaign_create(
                actor=None,
                name=options["name"],
                regions=regions,
                deadline=deadline,
                introduction=options["introduction"],
                invitations=invitations,
                base_url=self._base_url(),
            )
        except services.CurationError as exc:
            raise self._fail(exc) from None
        self.stdout.write(
            f"Campaign {campaign.pk} created; {len(invitations)} personal links sent by e-mail."
        )

    def do_status(self, options: dict[str, Any]) -> None:
        campaign = self._campaign(options["campaign"])
        rows = [
            {
                "cluster": r["cluster"].name,
                "email": r["email"],
                "state": r["state"],
                "one_pager": r["one_pager"].reference if r["one_pager"] else None,
                "opened": r["opened"],
                "reminders": r["reminders"],
            }
            for r in selectors.campaign_status(campaign)
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        for r in rows:
            opened = "opened" if r["opened"] else "not opened"
            self.stdout.write(
                f"{r['cluster']:<40} {r['email']:<32} {r['state']:<20} {opened}, "
                f"{r['reminders']} reminders  {r['one_pager'] or ''}"
            )

    def do_remind(self, options: dict[str, Any]) -> None:
        campaign = self._campaign(options["campaign"])
        try:
            sent = services.invitations_remind(
                actor=None, campaign=campaign, base_url=self._base_url()
            )
        except services.CurationError as exc:
            raise self._fail(exc) from None
        self.stdout.write(f"{len(sent)} reminders sent" + (f": {', '.join(sent)}" if sent else "."))

    def do_close(self, options: dict[str, Any]) -> None:
        try:
            campaign = services.campaign_close(
                actor=None, campaign=self._campaign(options["campaign"])
            )
        except services.CurationError as exc:
            raise self._fail(exc) from None
        self.stdout.write(f"Campaign {campaign.name!r} closed.")

    def do_reopen(self, options: dict[str, Any]) -> None:
        campaign = self._campaign(options["campaign"])
        try:
            deadline = dt.date.fromisoformat(options["deadline"])
        except ValueError:
            raise CommandError("--deadline: give a date as YYYY-MM-DD") from None
        try:
            services.campaign_reopen(actor=None, campaign=campaign, deadline=deadline)
        except services.CurationError as exc:
            raise self._fail(exc) from None
        self.stdout.write(f"Campaign {campaign.name!r} reopened until {deadline.isoformat()}.")

    def do_import(self, options: dict[str, Any]) -> None:
        campaign = self._campaign(options["campaign"])
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from None
        report = exchange.import_one_pagers(
            actor=None, campaign=campaign, data=data, filename=str(path), dry_run=options["dry_run"]
        )
        if report.problems:
            lines = "\n".join(f"  {p}" for p in report.problems)
            raise CommandError(f"Nothing was imported. Fix these problems:\n{lines}")
        verb = "Would create" if report.dry_run else "Created"
        self.stdout.write(
            f"{verb} {len(report.created)} and "
            f"{'would update' if report.dry_run else 'updated'} {len(report.updated)} one-pagers."
        )

    def do_export(self, options: dict[str, Any]) -> None:
        campaign = self._campaign(options["campaign"])
        fmt = options["format"]
        if fmt == "xlsx" and not options["output"]:
            raise CommandError("--output: XLSX is binary; give a file name")
        body, _type = exchange.export_one_pagers(campaign, fmt)
        if options["output"]:
            options["output"].write_bytes(body)
            self.stderr.write(
                f"Wrote {campaign.one_pagers.count()} one-pagers to {options['output']}"
            )
        else:
            self.stdout.write(body.decode("utf-8-sig"))

    def do_score(self, options: dict[str, Any]) -> None:
        campaign = self._campaign(options["campaign"])
        result = run_job_here("curation.score", {"campaign_id": campaign.pk}, show_progress=True)
        self.stdout.write(f"{result['scored']} one-pagers scored.")
        if "classifier" in result:
            e = result["classifier"]
            self.stdout.write(
                f"Classifier on {e['examples']} published practices (each left out in turn): "
                f"field right for {e['field_accuracy']:.0%}, "
                f"objectives found {e['objective_recall']:.0%}."
            )
        self._ranking(campaign, as_json=False)

    def do_ranking(self, options: dict[str, Any]) -> None:
        self._ranking(self._campaign(options["campaign"]), as_json=options["json"])

    def _ranking(self, campaign: Campaign, *, as_json: bool) -> None:
        items = selectors.ranking(campaign)
        if as_json:
            rows = [
                {"rank": i, "id": o.pk, "reference": o.reference, "title": o.title,
                 "state": o.state, "selected": o.selected, "scores": o.scores}
                for i, o in enumerate(items, start=1)
            ]  # fmt: skip
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        self.stdout.write(
            f"{'#':>3} {'sel':<3} {'reference':<16} {'overall':>7} {'compl':>5} {'sound':>5} "
            f"{'uniq':>5}  {'field (conf.)':<22} title"
        )
        for rank, o in enumerate(items, start=1):
            s = o.scores or {}

            def pct(value: Any) -> str:
                return "—" if value is None else f"{value * 100:.0f}"

            overall = s.get("overall", {})
            sound = s.get("soundness", {})
            flags = ""
            if overall.get("provisional"):
                flags += "*"
            if sound.get("disagreement"):
                flags += "!"
            if s.get("uniqueness", {}).get("near_duplicates"):
                flags += "="
            suggestion = s.get("suggestion", {})
            field = f"{suggestion['field']} ({suggestion['confidence']:.0%})" if suggestion else "—"
            self.stdout.write(
                f"{rank:>3} {'x' if o.selected else '':<3} {o.reference:<16} "
                f"{pct(overall.get('score')) + flags:>7} "
                f"{pct(s.get('completeness', {}).get('score')):>5} {pct(sound.get('score')):>5} "
                f"{pct(s.get('uniqueness', {}).get('score')):>5}  {field:<22} {o.title}"
            )
        self.stdout.write(
            "* provisional (fewer than two reviews)  ! reviewers disagree  = near-duplicate"
        )

    def do_select(self, options: dict[str, Any]) -> None:
        campaign = self._campaign(options["campaign"])
        if options["top"] is not None:
            if options["top"] < 0:
                raise CommandError("--top: give a number of one-pagers, 0 or more")
            chosen = [o.pk for o in selectors.ranking(campaign)[: options["top"]]]
        else:
            chosen = []
            for value in options["one_pagers"]:
                one_pager = self._one_pager(value)
                if one_pager.campaign_id != campaign.pk:
                    raise CommandError(f"{value}: not a one-pager of campaign {campaign.name!r}")
                chosen.append(one_pager.pk)
        try:
            selected = services.selection_set(actor=None, campaign=campaign, selected=chosen)
        except services.CurationError as exc:
            raise self._fail(exc) from None
        self.stdout.write(
            f"{len(selected)} selected: " + (", ".join(o.reference for o in selected) or "none")
        )

    def do_set_field(self, options: dict[str, Any]) -> None:
        one_pager = self._one_pager(options["one_pager"])
        field = options["field"] or (one_pager.scores or {}).get("suggestion", {}).get("field")
        if not field:
            raise CommandError("field: no suggestion yet (tact curation score CAMPAIGN)")
        try:
            services.one_pager_set_field(actor=None, one_pager=one_pager, field_id=field)
        except services.CurationError as exc:
            raise self._fail(exc) from None
        self.stdout.write(f"{one_pager.reference}: field {field}.")

    def do_transition(self, options: dict[str, Any]) -> None:
        one_pager = self._one_pager(options["one_pager"])
        try:
            services.one_pager_transition(
                actor=None, one_pager=one_pager, to=options["state"], comment=options["comment"]
            )
        except services.CurationError as exc:
            raise self._fail(exc) from None
        self.stdout.write(f"{one_pager.reference}: {one_pager.get_state_display()}.")

    def do_publish(self, options: dict[str, Any]) -> None:
        targets = [self._one_pager(v) for v in options["one_pagers"]]
        if options["campaign"]:
            campaign = self._campaign(options["campaign"])
            targets += list(campaign.one_pagers.filter(state=State.VALIDATED))
        if not targets:
            raise CommandError("name one-pagers to publish, or --campaign")
        for one_pager in targets:
            try:
                services.one_pager_transition(actor=None, one_pager=one_pager, to=State.PUBLISHED)
            except services.CurationError as exc:
                raise CommandError(
                    f"{one_pager.reference}: {self._fail(exc)} (those before it are published)"
                ) from None
            self.stdout.write(f"{one_pager.reference}: published as {one_pager.practice_id}.")

    def do_withdraw(self, options: dict[str, Any]) -> None:
        one_pager = self._one_pager(options["one_pager"])
        try:
            services.one_pager_transition(
                actor=None, one_pager=one_pager, to=State.WITHDRAWN, comment=options["reason"]
            )
        except services.CurationError as exc:
            raise self._fail(exc) from None
        self.stdout.write(f"{one_pager.reference}: withdrawn.")

    def do_versions(self, options: dict[str, Any]) -> None:
        one_pager = self._one_pager(options["one_pager"])
        previous: dict[str, Any] = {}
        for version in one_pager.versions.order_by("number", "id"):
            mark = " (refused: conflict)" if version.conflict else ""
            self.stdout.write(
                self.style.MIGRATE_HEADING(
                    f"version {version.number}{mark} — {version.author_label}, "
                    f"{version.created_at:%Y-%m-%d %H:%M} {version.note}"
                )
            )
            text = content.diff(previous, version.data, names=("before", f"v{version.number}"))
            self.stdout.write(text or "(no change)")
            if not version.conflict:
                previous = version.data
