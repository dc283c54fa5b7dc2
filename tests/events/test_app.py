"""B2B events end to end: set-up, imports, requests, scheduling, publishing, outputs, scoping."""

from __future__ import annotations

import io
import json
from collections import Counter
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from tact.core.models import AuditEntry, Job
from tact.core.tabular import write_rows
from tact.events import selectors, services
from tact.events.models import Meeting, MeetingRequest, Participant, RequestStatus, Slot

from .conftest import DATA, load_sample, sample_event


def run_schedule(event: Any, *, keep: bool = True, limit: int = 5) -> Any:
    job = services.schedule_start(actor=None, event=event, time_limit=limit, keep_published=keep)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    return event.runs.first()


def check_schedule(event: Any) -> None:
    busy: set[tuple[int, int]] = set()
    per: Counter[int] = Counter()
    for m in Meeting.objects.filter(event=event).select_related("request", "table", "slot"):
        r = m.request
        assert r.status == RequestStatus.ACCEPTED
        assert m.table.remote == (r.requester.remote or r.requested.remote)
        for p in (r.requester, r.requested):
            assert (p.pk, m.slot_id) not in busy, "double-booked"
            busy.add((p.pk, m.slot_id))
            per[p.pk] += 1
            sessions = set(p.sessions.values_list("pk", flat=True))
            assert not sessions or m.slot.session_id in sessions
    for pid, n in per.items():
        assert n <= Participant.objects.get(pk=pid).max_meetings


def test_slots_from_session_times(world: Any) -> None:
    event = sample_event(world.cluster_a)
    morning, afternoon = event.sessions.all()
    # 09:00-12:00 with 20 + 5 minutes: 09:00, 09:25, ... 11:30 (ends 11:50) -> 7 slots
    assert morning.slots.count() == 7
    assert [str(s) for s in afternoon.slots.all()][:2] == ["13:30-13:50", "13:55-14:15"]
    with pytest.raises(services.EventError) as exc:
        services.session_add(actor=None, event=event, data={"start": "11:00", "end": "12:30"})
    assert exc.value.problems[0][0] == "start"  # overlaps the morning
    with pytest.raises(services.EventError):
        services.session_add(actor=None, event=event, data={"start": "17:00", "end": "17:10"})
    assert event.sessions.count() == 2


def test_import_sample_and_dry_run(world: Any) -> None:
    event = sample_event(world.cluster_a)
    data = (DATA / "sample-participants.csv").read_bytes()
    dry = services.participants_import(
        actor=None, event=event, data=data, filename="p.csv", dry_run=True
    )
    assert dry.ok and dry.created == 24 and event.participants.count() == 0
    load_sample(event)
    assert event.participants.count() == 24
    assert event.requests.filter(status="accepted").count() == 25
    steyr = event.participants.get(email="k.huber@steyr-drive.example")
    assert {s.name for s in steyr.sessions.all()} == {"Morning", "Afternoon"}
    assert event.participants.get(email="e.reiter@vvs.example").remote
    # importing again updates by e-mail, adds nothing
    again = services.participants_import(actor=None, event=event, data=data, filename="p.csv")
    assert again.updated == 24 and again.created == 0


def test_bad_rows_are_all_listed_and_nothing_is_saved(world: Any) -> None:
    event = sample_event(world.cluster_a)
    rows = [
        {"organisation": "Good GmbH", "person": "Ann", "email": "ann@good.example"},
        {"organisation": "", "person": "Bob", "email": "not-an-address", "role": "alien"},
        {"organisation": "X", "person": "Cy", "email": "ann@good.example", "sessions": "Evening",
         "max_meetings": "many", "attendance": "by pigeon"},
    ]  # fmt: skip
    columns = ["organisation", "person", "email", "role", "attendance", "sessions", "max_meetings"]
    for fmt in ("csv", "xlsx"):
        data = write_rows(columns, rows, fmt)
        report = services.participants_import(
            actor=None, event=event, data=data, filename=f"people.{fmt}"
        )
        where = {(p.record, p.field) for p in report.problems}
        assert where == {
            ("row 3", "organisation"),
            ("row 3", "email"),
            ("row 3", "role"),
            ("row 4", "email"),
            ("row 4", "sessions"),
            ("row 4", "max_meetings"),
            ("row 4", "attendance"),
        }
        assert all(p.path == f"people.{fmt}" for p in report.problems)
    assert event.participants.count() == 0
    missing = services.participants_import(
        actor=None, event=event, data=b"name,email\nA,a@b.example\n", filename="x.csv"
    )
    assert {p.field for p in missing.problems} == {"organisation", "person"}


def test_bad_request_rows(event: Any) -> None:
    before = event.requests.count()
    data = (
        b"requester_email,requested_email,priority,status\n"
        b"k.huber@steyr-drive.example,nobody@example.org,2,accepted\n"
        b"k.huber@steyr-drive.example,k.huber@steyr-drive.example,9,maybe\n"
    )
    report = services.requests_import(actor=None, event=event, data=data, filename="r.csv")
    fields = [(p.record, p.field) for p in report.problems]
    assert ("row 2", "requested_email") in fields
    assert ("row 3", "priority") in fields and ("row 3", "status") in fields
    assert event.requests.count() == before


def test_schedule_publish_and_outputs(event: Any) -> None:
    run = run_schedule(event)
    check_schedule(event)
    f = run.figures
    assert f["accepted"] == 25 and f["scheduled"] == event.meetings.count() > 20
    assert f["total_priority"] <= f["upper_bound"]
    dash = selectors.dashboard(event)
    assert dash["share"] == round(100 * f["scheduled"] / 25, 1)
    assert len(dash["unmet"]) == 25 - f["scheduled"]
    assert all(u["reason"] for u in dash["unmet"])
    # remote participants meet in remote rooms
    vision = event.participants.get(email="e.reiter@vvs.example")
    (item,) = selectors.agenda(vision, published_only=False)
    assert item.remote and item.link
    # nothing is visible to participants before publishing
    assert selectors.agenda(vision, published_only=True) == []
    assert services.schedule_publish(actor=None, event=event).changed == event.meetings.count()
    assert len(selectors.agenda(vision, published_only=True)) == 1
    assert AuditEntry.objects.filter(action="events.schedule.published").exists()


def test_reschedule_keeps_published_meetings_and_reports_moves(event: Any) -> None:
    run_schedule(event)
    services.schedule_publish(actor=None, event=event)
    before = {m.request_id: (m.slot_id, m.table_id) for m in event.meetings.all()}
    # Late change: Huber can only come in the afternoon now.
    huber = event.participants.get(email="k.huber@steyr-drive.example")
    huber.sessions.set([event.sessions.get(name="Afternoon")])
    run = run_schedule(event, keep=True)
    check_schedule(event)
    after = {m.request_id: (m.slot_id, m.table_id) for m in event.meetings.all()}
    huber_reqs = set(
        MeetingRequest.objects.filter(requester=huber).values_list("pk", flat=True)
    ) | set(MeetingRequest.objects.filter(requested=huber).values_list("pk", flat=True))
    morning = set(Slot.objects.filter(session__name="Morning").values_list("pk", flat=True))
    must_move = {r for r in huber_reqs if r in before and before[r][0] in morning}
    kept = [r for r in before if r not in must_move and after.get(r) == before[r]]
    assert len(kept) == len(before) - len(must_move)  # everything else stayed in place
    moved = {m["request"] for m in run.figures["moved"]}
    assert must_move <= moved | set(run.figures["dropped_published"])
    assert Meeting.objects.filter(event=event, published=True).count() == len(kept)


def test_declining_removes_the_meeting(event: Any) -> None:
    run_schedule(event)
    m = event.meetings.select_related("request").first()
    services.request_decide(actor=None, request=m.request, accept=False)
    assert not Meeting.objects.filter(pk=m.pk).exists()


def test_participants_act_only_for_themselves(world: Any, event: Any) -> None:
    member = world.user("member")
    me = services.participant_save(
        actor=None,
        event=event,
        data={"organisation": "Alpha GmbH", "person": "Mia", "email": "member@example.org"},
    )
    assert me.user == member
    other = event.participants.get(email="k.huber@steyr-drive.example")
    third = event.participants.get(email="s.eder@kpe.example")
    req = services.request_create(actor=member, event=event, requester=me, requested=other)
    with pytest.raises(PermissionDenied):
        services.request_create(actor=member, event=event, requester=third, requested=other)
    with pytest.raises(PermissionDenied):  # only the requested party decides
        services.request_decide(actor=member, request=req, accept=True)
    incoming = services.request_create(actor=None, event=event, requester=third, requested=me)
    services.request_decide(actor=member, request=incoming, accept=True)
    with pytest.raises(services.EventError):  # one request per pair
        services.request_create(actor=None, event=event, requester=me, requested=other)
    assert set(selectors.requests_visible(member, event)) == {req, incoming}
    with pytest.raises(PermissionDenied):  # only the requester withdraws
        services.request_withdraw(actor=member, request=incoming)
    services.request_withdraw(actor=member, request=req)
    assert set(selectors.requests_visible(member, event)) == {incoming}
    assert selectors.participant_visible(member, event, other.pk) is None
    assert selectors.organised_event(member, event.pk) is None
    assert selectors.organised_event(world.user("other_manager"), event.pk) is None
    # a participant may change their own offers and wishes, nothing else
    services.participant_save(
        actor=member, event=event, participant=me, data={"offers": "x", "email": "hijack@x.example"}
    )
    me.refresh_from_db()
    assert me.offers == "x" and me.email == "member@example.org"
    with pytest.raises(PermissionDenied):
        services.participant_save(actor=member, event=event, participant=other, data={})


def test_pages_for_organiser_and_participant(client: Any, world: Any, event: Any) -> None:
    services.participant_save(
        actor=None,
        event=event,
        data={"organisation": "Alpha GmbH", "person": "Mia", "email": "member@example.org"},
    )
    run_schedule(event)
    client.force_login(world.user("manager"))
    for name in ("detail", "participants", "marketplace", "requests", "dashboard", "table_plan"):
        response = client.get(
            f"/events/{event.pk}/{'' if name == 'detail' else name.replace('_', '-') + '/'}"
        )
        assert response.status_code == 200, name
    plan = client.get(f"/events/{event.pk}/table-plan/").content.decode()
    assert "Remote room 1" in plan and "Kremstal Power Electronics GmbH" in plan
    sheet = client.get(f"/events/{event.pk}/schedule.csv")
    assert sheet.status_code == 200
    lines = sheet.content.decode("utf-8-sig").splitlines()
    assert (
        lines[0].startswith("start,end,session,table") and len(lines) == event.meetings.count() + 1
    )
    assert client.get(f"/events/{event.pk}/schedule.pdf").status_code == 404
    printed = client.get(f"/events/{event.pk}/agendas/").content.decode()
    assert printed.count('class="agenda-page"') == event.participants.count()
    dash = client.get(f"/events/{event.pk}/dashboard/").content.decode()
    assert "upper bound" in dash
    huber = event.participants.get(email="k.huber@steyr-drive.example")
    ics = client.get(f"/events/{event.pk}/participants/{huber.pk}/agenda.ics")
    body = ics.content.decode()
    assert ics["Content-Type"].startswith("text/calendar")
    assert body.count("BEGIN:VEVENT") == len(selectors.agenda(huber, published_only=False)) > 0
    search = client.get(f"/events/{event.pk}/marketplace/?q=SiC&side=offers").content.decode()
    assert "<h2>Kremstal" in search and "<h2>Traunsee" not in search
    client.force_login(world.user("member"))
    assert client.get(f"/events/{event.pk}/").status_code == 302
    me = client.get(f"/events/{event.pk}/me/").content.decode()
    assert "not published the schedule yet" in me
    assert client.get(f"/events/{event.pk}/participants/{huber.pk}/agenda/").status_code == 404
    assert client.get(f"/events/{event.pk}/dashboard/").status_code == 404


def test_import_page_dry_run_then_import(client: Any, world: Any) -> None:
    event = sample_event(world.cluster_a)
    client.force_login(world.user("manager"))
    path = DATA / "sample-participants.csv"
    with path.open("rb") as fh:
        r = client.post(
            f"/events/{event.pk}/import/", {"kind": "participants", "dry_run": "1", "file": fh}
        )
    assert r.status_code == 200 and "Nothing was saved" in r.content.decode()
    assert event.participants.count() == 0
    bad = io.BytesIO(b"organisation,person,email\nA,,x\n")
    bad.name = "bad.csv"
    r = client.post(f"/events/{event.pk}/import/", {"kind": "participants", "file": bad})
    assert r.status_code == 422 and "row 2" in r.content.decode()
    with path.open("rb") as fh:
        r = client.post(f"/events/{event.pk}/import/", {"kind": "participants", "file": fh})
    assert event.participants.count() == 24


def test_api(client: Any, world: Any, event: Any) -> None:
    me = services.participant_save(
        actor=None,
        event=event,
        data={"organisation": "Alpha GmbH", "person": "Mia", "email": "member@example.org"},
    )
    huber = event.participants.get(email="k.huber@steyr-drive.example")
    member = {"Authorization": f"Bearer {world.tokens['member'][1]}"}
    manager = {"Authorization": f"Bearer {world.tokens['manager'][1]}"}
    r = client.post(
        f"/api/events/{event.pk}/requests",
        data=json.dumps({"requested": huber.pk, "priority": 3}),
        content_type="application/json",
        headers=member,
    )
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    r = client.patch(
        f"/api/events/{event.pk}/requests/{rid}",
        data=json.dumps({"status": "accepted"}),
        content_type="application/json",
        headers=member,
    )
    assert r.status_code == 403
    r = client.patch(
        f"/api/events/{event.pk}/requests/{rid}",
        data=json.dumps({"status": "accepted"}),
        content_type="application/json",
        headers=manager,
    )
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    r = client.post(
        f"/api/events/{event.pk}/schedule",
        data=json.dumps({"time_limit": 3}),
        content_type="application/json",
        headers=manager,
    )
    assert r.status_code == 202 and r.json()["status"] == "done"
    figures = client.get(f"/api/events/{event.pk}/schedule", headers=manager).json()
    assert figures["accepted"] == 26 and figures["last_run"]["upper_bound"] >= 1
    r = client.patch(
        f"/api/events/{event.pk}", data='{"publish": true}', content_type="application/json",
        headers=manager,
    )  # fmt: skip
    assert r.json()["status"] == "published"
    agenda = client.get(f"/api/events/{event.pk}/agenda/{me.pk}", headers=member).json()
    assert agenda["published"] and {m["with"]["id"] for m in agenda["meetings"]} <= {huber.pk}
    assert (
        client.get(f"/api/events/{event.pk}/agenda/{huber.pk}", headers=member).status_code == 404
    )
    theirs = client.get(f"/api/events/{event.pk}/requests", headers=member).json()
    assert [x["id"] for x in theirs] == [rid]
    bad = io.BytesIO(b"requester_email,requested_email\nx@y.example,member@example.org\n")
    bad.name = "r.csv"
    r = client.post(f"/api/events/{event.pk}/import?kind=requests", {"file": bad}, headers=manager)
    assert r.status_code == 422 and r.json()["problems"][0]["row"] == "row 2"


def test_command_line(world: Any, tmp_path: Any) -> None:
    event = sample_event(world.cluster_a)
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "events", "import", str(event.pk), str(DATA / "sample-participants.csv"),
        "--kind", "participants", "--dry-run", stdout=out,
    )  # fmt: skip
    assert "would import 24 rows" in out.getvalue() and event.participants.count() == 0
    load_sample(event)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "requester_email,requested_email\nnobody@x.example,k.huber@steyr-drive.example\n"
    )
    with pytest.raises(CommandError, match="row 2"):
        call_command("events", "import", str(event.pk), str(bad), "--kind", "requests")
    out = io.StringIO()
    call_command(
        "events", "schedule", str(event.pk), "--time-limit", "3", "--keep-published",
        stdout=out, stderr=err,
    )  # fmt: skip
    assert "accepted requests" in out.getvalue()
    assert "%" in err.getvalue()  # the progress bar
    out = io.StringIO()
    call_command(
        "events",
        "agenda",
        str(event.pk),
        "k.huber@steyr-drive.example",
        "--format",
        "ics",
        stdout=out,
    )
    assert out.getvalue().startswith("BEGIN:VCALENDAR")
    out = io.StringIO()
    call_command("events", "agenda", str(event.pk), "k.huber@steyr-drive.example", stdout=out)
    assert "Kremstal" in out.getvalue() or "no meetings" in out.getvalue()
    out = io.StringIO()
    call_command("events", "list", stdout=out)
    assert "Mechatronics Innovation Day" in out.getvalue()
    with pytest.raises(CommandError, match="no event"):
        call_command("events", "schedule", "999999")
