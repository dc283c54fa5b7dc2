"""``tact demo``: a demonstration cluster with logins, a synthetic community, a B2B event and a
mentoring programme, so every service can be tried in the browser right after ``make run``.

Everything it makes is synthetic and labelled so; running it again adds nothing twice.
"""

from __future__ import annotations

import datetime as dt
import io
import secrets
from importlib.resources import files
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from tact.accounts import services as accounts
from tact.accounts.models import ClusterInitiative, Region, Role, User
from tact.community.sample import sample_create
from tact.events import services as events
from tact.events.models import Event
from tact.mentoring import services as mentoring
from tact.mentoring.models import Programme

CLUSTER = "Alpine Mechatronics (demo)"
EVENT = "Innovation Day (demo)"
PROGRAMME = "Cross-mentoring (demo)"
LABEL = "tact demo"
# (e-mail, role, name): the member e-mails are people in the sample event and programme, so
# logging in as them shows a participant's own agenda and mentoring pair.
PEOPLE = [
    ("manager@demo.example", Role.MANAGER, "Demo Manager"),
    ("curator@demo.example", Role.CURATOR, "Demo Curator"),
    ("k.huber@steyr-drive.example", Role.MEMBER, "Katrin Huber"),
    ("anna.berger@example.org", Role.MEMBER, "Anna Berger"),
]


class Command(BaseCommand):
    help = (
        "Create a demonstration cluster with logins, a synthetic community, a B2B event and a "
        "mentoring programme (safe to run again)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password", default="", help="Password for the demo logins (default: generated)."
        )
        parser.add_argument(
            "--organisations", type=int, default=300, help="Size of the synthetic community."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not 1 <= options["organisations"] <= 5000:
            self.stderr.write("--organisations: give a number from 1 to 5000.")
            raise SystemExit(2)
        # The sample community names competences of the vocabulary (tact init loads it too).
        call_command("community", "load-vocabulary", stdout=io.StringIO())
        with transaction.atomic():
            region = Region.objects.filter(code="AT31").first() or accounts.region_create(
                actor=None, code="AT31", country="AT", name="Oberösterreich", actor_label=LABEL
            )
            cluster = ClusterInitiative.objects.filter(name=CLUSTER).first()
            if cluster is None:
                cluster = accounts.cluster_create(
                    actor=None,
                    name=CLUSTER,
                    region=region,
                    sector="Mechatronics",
                    managing_organisation="Demo cluster organisation (synthetic)",
                    actor_label=LABEL,
                )
            password = options["password"] or secrets.token_urlsafe(9)
            created = self._people(cluster, region, password)
            manager = User.objects.get(email=PEOPLE[0][0])
            counts = sample_create(
                actor=None, cluster=cluster, organisations=options["organisations"], seed=1
            )
            self._event(manager, cluster)
            self._programme(manager, cluster)
        self.stdout.write(f"Demo cluster: {CLUSTER} (region AT31).")
        self.stdout.write(
            "Community: " + ", ".join(f"{v} {k}" for k, v in counts.items()) + " (synthetic)."
        )
        self.stdout.write(f"B2B event: {EVENT}. Mentoring programme: {PROGRAMME}.")
        if created:
            self.stdout.write("Logins (shown once; change them under 'My account'):")
            for email, role, _name in PEOPLE:
                self.stdout.write(f"  {email:32} {role:8} password: {password}")
        else:
            self.stdout.write("The demo logins existed already; their passwords are unchanged.")

    def _people(self, cluster: ClusterInitiative, region: Region, password: str) -> bool:
        created = False
        for email, role, name in PEOPLE:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email=email, password=password, name=name)
                created = True
            scope: dict[str, Any] = {}
            if role == Role.CURATOR:
                scope["region"] = region
            else:
                scope["cluster"] = cluster
            if role == Role.MEMBER:
                company = "Steyr Drive Systems AG" if "steyr" in email else "Alpenmotion GmbH"
                scope["organisation"] = accounts.organisation_get_or_create(
                    actor=None, cluster=cluster, name=company, actor_label=LABEL
                )
            accounts.role_grant(actor=None, user=user, role=role, actor_label=LABEL, **scope)
        return created

    def _event(self, manager: User, cluster: ClusterInitiative) -> None:
        if Event.objects.filter(cluster=cluster, title=EVENT).exists():
            return
        event = events.event_create(
            actor=manager,
            cluster=cluster,
            data={
                "title": EVENT,
                "date": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
                "venue": "Design Center Linz, Hall B (synthetic demo)",
                "description": "B2B meetings between OEMs and suppliers (synthetic demo data).",
                "meeting_minutes": 20,
                "break_minutes": 5,
                "default_max_meetings": 8,
            },
        )
        events.session_add(
            actor=manager, event=event, data={"name": "Morning", "start": "09:00", "end": "12:00"}
        )
        events.session_add(
            actor=manager,
            event=event,
            data={"name": "Afternoon", "start": "13:30", "end": "16:30"},
        )
        events.tables_add(actor=manager, event=event, count=8)
        events.tables_add(
            actor=manager, event=event, count=2, remote=True, link="https://meet.example/tact-demo"
        )
        data = files("tact.events") / "data"
        for kind, name, run in (
            ("participants", "sample-participants.csv", events.participants_import),
            ("requests", "sample-requests.csv", events.requests_import),
        ):
            report = run(
                actor=manager,
                event=event,
                data=(data / name).read_bytes(),
                filename=name,
                dry_run=False,
            )
            if report.problems:
                raise RuntimeError(f"sample {kind}: {report.problems}")

    def _programme(self, manager: User, cluster: ClusterInitiative) -> None:
        if Programme.objects.filter(cluster=cluster, name=PROGRAMME).exists():
            return
        today = timezone.localdate()
        start = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        programme = mentoring.programme_create(
            actor=manager,
            cluster=cluster,
            data={
                "name": PROGRAMME,
                "description": "Nine months of cross-company mentoring (synthetic demo profiles).",
                "start_date": start,
                "months": 9,
                "location": "Linz",
            },
        )
        mentoring.events_from_template(actor=manager, programme=programme)
        name = "sample_profiles.csv"
        report = mentoring.participants_import(
            actor=manager,
            programme=programme,
            data=(files("tact.mentoring") / "data" / name).read_bytes(),
            filename=name,
            dry_run=False,
        )
        if report.problems:
            raise RuntimeError(f"sample profiles: {report.problems}")
