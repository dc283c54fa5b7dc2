"""Participants edit their own profile while registration is open; e-mail notices; participants
keep seeing the last published agenda until the organiser publishes again; the admin is read-only."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings

from tact.core.models import AuditEntry
from tact.events import selectors, services
from tact.events.models import Meeting, Participant, PublishedMeeting

from .test_app import run_schedule


class BrokenBackend(BaseEmailBackend):
    """A mail server that refuses everything."""

    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("mail server down")


@pytest.fixture
def mia(event: Any) -> Participant:
    """The member of cluster A takes part (linked by e-mail)."""
    return services.participant_save(
        actor=None,
        event=event,
        data={"organisation": "Alpha GmbH", "person": "Mia", "email": "member@example.org",
              "offers": "sensors", "sessions": "Morning;Afternoon"},
    )  # fmt: skip


# --- registration and self-service -----------------------------------------------------------


def test_participant_edits_profile_on_own_page(
    client: Any, world: Any, event: Any, mia: Any
) -> None:
    client.force_login(world.user("member"))
    page = client.get(f"/events/{event.pk}/me/").content.decode()
    assert "My profile and availability" in page and 'max="8"' in page
    afternoon = event.sessions.get(name="Afternoon")
    r = client.post(
        f"/events/{event.pk}/me/",
        {"offers": "MEMS sensors", "seeks": "pilot customers", "max_meetings": "5",
         "sessions": [str(afternoon.pk)]},
    )  # fmt: skip
    assert r.status_code == 302
    mia.refresh_from_db()
    assert (mia.offers, mia.seeks, mia.max_meetings) == ("MEMS sensors", "pilot customers", 5)
    assert [s.name for s in mia.sessions.all()] == ["Afternoon"]
    assert mia.availability_changed_at is not None
    entry = AuditEntry.objects.filter(action="events.participant.profile_updated").last()
    assert (
        entry.changes["before"]["max_meetings"] == 8 and entry.changes["after"]["max_meetings"] == 5
    )
    assert entry.changes["after"]["sessions"] == ["Afternoon"]
    # the old participant form sends the participant to their own page
    assert client.get(f"/events/{event.pk}/participants/{mia.pk}/")["Location"].endswith("/me/")


@pytest.mark.parametrize(
    "form,field",
    [
        ({"max_meetings": "9"}, "max_meetings"),  # above the organiser's default (8)
        ({"max_meetings": "-1"}, "max_meetings"),
        ({"max_meetings": "many"}, "max_meetings"),
        ({"max_meetings": ""}, "max_meetings"),
        ({"max_meetings": "3", "sessions": ["999999"]}, "sessions"),
        ({"max_meetings": "3", "offers": "x" * 3001}, "offers"),
    ],
)
def test_bad_profile_input_changes_nothing(
    client: Any, world: Any, event: Any, mia: Any, form: dict[str, Any], field: str
) -> None:
    client.force_login(world.user("member"))
    r = client.post(f"/events/{event.pk}/me/", form)
    assert r.status_code == 422
    assert 'class="field-error"' in r.content.decode()
    with pytest.raises(services.EventError) as exc:
        services.profile_update(actor=world.user("member"), participant=mia, data=form)
    assert exc.value.problems[0][0] == field
    fresh = Participant.objects.get(pk=mia.pk)
    assert (fresh.offers, fresh.max_meetings, fresh.sessions.count()) == ("sensors", 8, 2)
    assert fresh.availability_changed_at is None


def test_registration_closed_by_organiser(client: Any, world: Any, event: Any, mia: Any) -> None:
    client.force_login(world.user("member"))
    assert client.post(f"/events/{event.pk}/registration/", {"open": "0"}).status_code == 404
    client.force_login(world.user("manager"))
    r = client.post(f"/events/{event.pk}/registration/", {"open": "maybe"})
    event.refresh_from_db()
    assert r.status_code == 302 and event.registration_open
    client.post(f"/events/{event.pk}/registration/", {"open": "0"})
    event.refresh_from_db()
    assert not event.registration_open
    assert AuditEntry.objects.filter(action="events.registration.closed").count() == 1
    assert "Open registration" in client.get(f"/events/{event.pk}/").content.decode()
    # closing twice changes (and audits) nothing
    assert services.registration_set(actor=None, event=event, open_=False) is False
    assert AuditEntry.objects.filter(action="events.registration.closed").count() == 1
    with pytest.raises(PermissionDenied):
        services.registration_set(actor=world.user("other_manager"), event=event, open_=True)

    client.force_login(world.user("member"))
    page = client.get(f"/events/{event.pk}/me/").content.decode()
    assert "Registration is closed" in page and 'name="max_meetings"' not in page
    r = client.post(f"/events/{event.pk}/me/", {"offers": "changed", "max_meetings": "2"})
    assert r.status_code == 422 and "Registration is closed" in r.content.decode()
    mia.refresh_from_db()
    assert mia.offers == "sensors" and mia.max_meetings == 8
    # the organiser still edits anyone
    services.participant_save(
        actor=world.user("manager"), event=event, participant=mia,
        data={"organisation": "Alpha GmbH", "person": "Mia", "email": "member@example.org",
              "max_meetings": "3"},
    )  # fmt: skip
    mia.refresh_from_db()
    assert mia.max_meetings == 3


def test_only_oneself(world: Any, event: Any, mia: Any) -> None:
    other = event.participants.get(email="k.huber@steyr-drive.example")
    with pytest.raises(PermissionDenied):
        services.profile_update(actor=world.user("member"), participant=other, data={"offers": "x"})
    with pytest.raises(PermissionDenied):  # a manager of another cluster
        services.profile_update(actor=world.user("other_manager"), participant=mia, data={})
    with pytest.raises(PermissionDenied):
        services.profile_update(actor=None, participant=mia, data={})


def test_unlinked_participant_found_by_email_is_linked(client: Any, world: Any, event: Any) -> None:
    p = services.participant_save(
        actor=None,
        event=event,
        data={"organisation": "Alpha GmbH", "person": "Mia", "email": "member@example.org"},
    )
    Participant.objects.filter(pk=p.pk).update(user=None)
    client.force_login(world.user("member"))
    assert (
        client.post(f"/events/{event.pk}/me/", {"offers": "gears", "max_meetings": "4"}).status_code
        == 302
    )
    p.refresh_from_db()
    assert p.user == world.user("member") and p.offers == "gears"


def test_changes_after_publishing_mark_the_schedule_stale(
    client: Any, world: Any, event: Any, mia: Any
) -> None:
    huber = event.participants.get(email="k.huber@steyr-drive.example")
    services.request_create(actor=None, event=event, requester=huber, requested=mia, priority=3)
    services.request_decide(
        actor=world.user("member"), request=huber.sent.get(requested=mia), accept=True
    )
    run_schedule(event)
    services.schedule_publish(actor=None, event=event)
    assert not selectors.staleness(event)["stale"]
    # only words changed: the schedule is not stale
    services.profile_update(
        actor=world.user("member"), participant=mia, data={"offers": "new words"}
    )
    assert not selectors.staleness(event)["stale"]
    (meeting,) = Meeting.objects.filter(request__requested=mia).select_related("slot__session")
    other_session = event.sessions.exclude(pk=meeting.slot.session_id).get()
    services.profile_update(
        actor=world.user("member"), participant=mia, data={"sessions": [other_session.pk]}
    )
    stale = selectors.staleness(event)
    assert stale["stale"] and stale["changed"] == [mia]
    assert any("no longer available" in c and "Mia" in c for c in stale["conflicts"])
    client.force_login(world.user("manager"))
    dash = client.get(f"/events/{event.pk}/dashboard/").content.decode()
    assert "The schedule is out of date" in dash and "Mia (Alpha GmbH)" in dash
    assert "no longer available" in dash
    client.force_login(world.user("member"))
    assert (
        "take it into account when they schedule again"
        in client.get(f"/events/{event.pk}/me/").content.decode()
    )
    # scheduling again takes the change into account
    run_schedule(event)
    assert not selectors.staleness(event)["stale"]
    moved = Meeting.objects.filter(request__requested=mia).select_related("slot").first()
    assert moved is None or moved.slot.session_id == other_session.pk


# --- e-mail notices --------------------------------------------------------------------------


def test_request_and_answer_notices(client: Any, world: Any, event: Any, mia: Any) -> None:
    huber = event.participants.get(email="k.huber@steyr-drive.example")
    client.force_login(world.user("member"))
    mail.outbox.clear()
    r = client.post(
        f"/events/{event.pk}/requests/",
        {"requested": huber.pk, "priority": "3", "message": "Sensors for your e-axle?"},
    )
    assert r.status_code == 302
    (msg,) = mail.outbox
    assert msg.to == ["k.huber@steyr-drive.example"]
    assert "Alpha GmbH" in msg.subject and "Sensors for your e-axle?" in msg.body
    assert "must meet" in msg.body and f"http://testserver/events/{event.pk}/me/" in msg.body
    req = mia.sent.get()
    mail.outbox.clear()
    client.force_login(world.user("manager"))
    client.post(f"/events/{event.pk}/requests/{req.pk}/decide/", {"decision": "accept"})
    (msg,) = mail.outbox
    assert msg.to == ["member@example.org"] and "accepted" in msg.subject
    # the same answer again tells nobody anything new
    client.post(f"/events/{event.pk}/requests/{req.pk}/decide/", {"decision": "accept"})
    assert len(mail.outbox) == 1
    client.post(f"/events/{event.pk}/requests/{req.pk}/decide/", {"decision": "decline"})
    assert len(mail.outbox) == 2 and "declined" in mail.outbox[1].subject
    # a bad decision sends nothing
    client.post(f"/events/{event.pk}/requests/{req.pk}/decide/", {"decision": "perhaps"})
    assert len(mail.outbox) == 2


def test_requested_party_without_email_is_skipped(world: Any, event: Any, mia: Any) -> None:
    huber = event.participants.get(email="k.huber@steyr-drive.example")
    Participant.objects.filter(pk=huber.pk).update(email="")
    huber.refresh_from_db()
    mail.outbox.clear()
    req = services.request_create(actor=None, event=event, requester=mia, requested=huber)
    assert mail.outbox == [] and req.pk


def test_publish_mails_every_participant_with_a_meeting(
    client: Any, world: Any, event: Any
) -> None:
    run_schedule(event)
    with_meetings = {
        p for m in Meeting.objects.filter(event=event).select_related("request")
        for p in (m.request.requester_id, m.request.requested_id)
    }  # fmt: skip
    huber = event.participants.get(email="k.huber@steyr-drive.example")
    silent = event.participants.filter(pk__in=with_meetings).exclude(pk=huber.pk).first()
    Participant.objects.filter(pk=silent.pk).update(email="")
    mail.outbox.clear()
    client.force_login(world.user("manager"))
    r = client.post(f"/events/{event.pk}/publish/", follow=True)
    page = r.content.decode()
    assert f"E-mailed {len(with_meetings) - 1} participants their agenda; 1 without" in page
    assert len(mail.outbox) == len(with_meetings) - 1
    assert {m.to[0] for m in mail.outbox} == set(
        event.participants.filter(pk__in=with_meetings).exclude(pk=silent.pk)
        .values_list("email", flat=True)
    )  # fmt: skip
    (msg,) = [m for m in mail.outbox if m.to == [huber.email]]
    assert msg.subject == "Your agenda: Mechatronics Innovation Day"
    items = selectors.published_agenda(huber)
    for item in items:
        assert item.when in msg.body and item.other.organisation_name in msg.body
    ((name, ics, mimetype),) = msg.attachments
    assert name == "agenda.ics" and mimetype == "text/calendar"
    assert ics.count("BEGIN:VEVENT") == len(items) > 0
    entry = AuditEntry.objects.filter(action="events.schedule.notices_sent").last()
    assert entry.changes == {"sent": len(with_meetings) - 1, "without_email": 1, "failed": 0}


def test_republish_tells_what_moved(event: Any) -> None:
    run_schedule(event)
    services.schedule_publish(actor=None, event=event)
    # A published morning meeting of one person must move: they now come in the afternoon only.
    m = (
        Meeting.objects.filter(event=event, slot__session__name="Morning")
        .select_related("request__requester", "slot", "table")
        .first()
    )
    person = m.request.requester
    before = selectors.published_agenda(person)
    person.sessions.set([event.sessions.get(name="Afternoon")])
    run_schedule(event)
    # nothing changes for the participants until the organiser publishes again
    assert [(i.request.pk, i.place) for i in selectors.published_agenda(person)] == [
        (i.request.pk, i.place) for i in before
    ]
    assert selectors.update_pending(person)
    mail.outbox.clear()
    report = services.schedule_publish(actor=None, event=event)
    after = selectors.published_agenda(person)
    assert m.request.pk not in {i.request.pk for i in after if i.start == m.slot.start}
    assert not selectors.update_pending(person)
    (msg,) = [x for x in mail.outbox if x.to == [person.email]]
    assert msg.subject.startswith("Updated agenda")
    other = m.request.requested.organisation_name
    changes = selectors.agenda_changes(before, after)
    assert changes
    if any(old.request.pk == m.request.pk for old, _new in changes.moved):
        assert f"moved: {other}, from" in msg.body
    else:
        assert f"cancelled: {other}" in msg.body
    assert report.notices.sent == len(mail.outbox)
    unchanged = [x for x in mail.outbox if "Your meetings did not change." in x.body]
    assert unchanged  # everybody with a meeting hears of the new version, changed or not


def test_broken_mail_server_never_undoes_the_publication(event: Any) -> None:
    run_schedule(event)
    with override_settings(EMAIL_BACKEND="tests.events.test_self_service.BrokenBackend"):
        report = services.schedule_publish(actor=None, event=event)
        newcomer = services.participant_save(
            actor=None, event=event,
            data={"organisation": "New AG", "person": "Nina", "email": "nina@new.example"},
        )  # fmt: skip
        huber = event.participants.get(email="k.huber@steyr-drive.example")
        req = services.request_create(actor=None, event=event, requester=huber, requested=newcomer)
    assert report.notices.sent == 0 and report.notices.failed > 0
    assert event.published_meetings.count() == event.meetings.count() > 0
    assert event.requests.filter(pk=req.pk).exists()
    entry = AuditEntry.objects.filter(action="events.schedule.notices_sent").last()
    assert entry.changes["failed"] == report.notices.failed


# --- what participants see between a re-schedule and the next publication --------------------


def test_participant_keeps_published_agenda_until_republished(
    client: Any, world: Any, event: Any, mia: Any
) -> None:
    huber = event.participants.get(email="k.huber@steyr-drive.example")
    req = services.request_create(
        actor=None, event=event, requester=huber, requested=mia, priority=3
    )
    services.request_decide(actor=None, request=req, accept=True)
    run_schedule(event)
    services.schedule_publish(actor=None, event=event)
    told = PublishedMeeting.objects.get(request=req)
    # The organiser moves the meeting (a late change) and schedules again without publishing.
    mia.sessions.set(
        [event.sessions.exclude(pk=told.slot.session_id).get()]  # type: ignore[union-attr]
    )
    run_schedule(event)
    draft = Meeting.objects.filter(request=req).first()
    assert draft is None or draft.slot_id != told.slot_id
    client.force_login(world.user("member"))
    page = client.get(f"/events/{event.pk}/me/").content.decode()
    assert "An update is coming" in page
    (item,) = selectors.published_agenda(mia)
    assert item.start == told.start and item.when in page
    ics = client.get(f"/events/{event.pk}/participants/{mia.pk}/agenda.ics").content.decode()
    assert ics.count("BEGIN:VEVENT") == 1
    api = client.get(f"/api/events/{event.pk}/agenda/{mia.pk}").json()
    assert api["update_pending"] and api["meetings"][0]["start"] == told.start.isoformat()
    # the organiser sees the draft, with the move
    client.force_login(world.user("manager"))
    dash = client.get(f"/events/{event.pk}/dashboard/").content.decode()
    assert "Published meetings that moved" in dash or "cancelled" in dash
    services.schedule_publish(actor=None, event=event)
    client.force_login(world.user("member"))
    page = client.get(f"/events/{event.pk}/me/").content.decode()
    assert "An update is coming" not in page
    now = selectors.published_agenda(mia)
    assert [i.start for i in now] == ([draft.slot.start] if draft else [])


def test_declined_meeting_leaves_the_published_agenda(world: Any, event: Any, mia: Any) -> None:
    huber = event.participants.get(email="k.huber@steyr-drive.example")
    req = services.request_create(actor=None, event=event, requester=huber, requested=mia)
    services.request_decide(actor=None, request=req, accept=True)
    run_schedule(event)
    services.schedule_publish(actor=None, event=event)
    assert len(selectors.published_agenda(mia)) == 1
    services.request_decide(actor=world.user("member"), request=req, accept=False)
    assert selectors.published_agenda(mia) == []
    assert not PublishedMeeting.objects.filter(request=req).exists()


# --- API -------------------------------------------------------------------------------------


def test_api_profile_and_registration(client: Any, world: Any, event: Any, mia: Any) -> None:
    member = {"Authorization": f"Bearer {world.tokens['member'][1]}"}
    manager = {"Authorization": f"Bearer {world.tokens['manager'][1]}"}
    me = client.get(f"/api/events/{event.pk}/me", headers=member).json()
    assert me["id"] == mia.pk and me["max_meetings_limit"] == 8 and me["registration_open"]
    morning = event.sessions.get(name="Morning")
    r = client.patch(
        f"/api/events/{event.pk}/me",
        data=json.dumps({"max_meetings": 2, "sessions": [morning.pk]}),
        content_type="application/json",
        headers=member,
    )
    assert r.status_code == 200 and r.json()["max_meetings"] == 2
    assert r.json()["sessions"] == [{"id": morning.pk, "name": "Morning"}]
    assert r.json()["offers"] == "sensors"  # keys left out keep their value
    r = client.patch(
        f"/api/events/{event.pk}/me", data=json.dumps({"max_meetings": 50}),
        content_type="application/json", headers=member,
    )  # fmt: skip
    assert r.status_code == 422 and r.json()["problems"][0]["field"] == "max_meetings"
    assert client.get(f"/api/events/{event.pk}/me", headers=manager).status_code == 404
    r = client.patch(
        f"/api/events/{event.pk}", data=json.dumps({"registration_open": False}),
        content_type="application/json", headers=manager,
    )  # fmt: skip
    assert r.json()["registration_open"] is False
    r = client.patch(
        f"/api/events/{event.pk}/me", data=json.dumps({"offers": "late"}),
        content_type="application/json", headers=member,
    )  # fmt: skip
    assert r.status_code == 422 and r.json()["problems"][0]["field"] == "registration"
    r = client.patch(
        f"/api/events/{event.pk}", data=json.dumps({"registration_open": True}),
        content_type="application/json", headers=member,
    )  # fmt: skip
    assert r.status_code == 404
    run_schedule(event)
    mail.outbox.clear()
    r = client.patch(
        f"/api/events/{event.pk}", data='{"publish": true}', content_type="application/json",
        headers=manager,
    )  # fmt: skip
    emails = r.json()["emails"]
    assert emails == {"sent": len(mail.outbox), "without_email": 0, "failed": 0}
    assert emails["sent"] > 0


# --- admin -----------------------------------------------------------------------------------


def test_admin_is_read_only(client: Any, world: Any, event: Any) -> None:
    run_schedule(event)
    services.schedule_publish(actor=None, event=event)
    client.force_login(world.user("admin"))
    for model in ("event", "session", "slot", "table", "participant", "meetingrequest",
                  "meeting", "publishedmeeting", "schedulerun"):  # fmt: skip
        assert client.get(f"/admin/events/{model}/").status_code == 200, model
        assert client.get(f"/admin/events/{model}/add/").status_code == 403, model
    r = client.get(f"/admin/events/event/{event.pk}/change/")
    assert r.status_code == 200 and "Mechatronics Innovation Day" in r.content.decode()
    r = client.post(f"/admin/events/event/{event.pk}/change/", {"title": "Hijacked"})
    assert r.status_code == 403
    assert (
        client.post(f"/admin/events/event/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    event.refresh_from_db()
    assert event.title == "Mechatronics Innovation Day"


def test_command_line_registration_and_publish(event: Any) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = io.StringIO()
    call_command("events", "registration", str(event.pk), "close", stdout=out)
    event.refresh_from_db()
    assert "registration closed" in out.getvalue() and not event.registration_open
    call_command("events", "registration", str(event.pk), "close", stdout=out)
    assert "(unchanged)" in out.getvalue()
    with pytest.raises(CommandError, match="no schedule to publish"):
        call_command("events", "publish", str(event.pk))
    run_schedule(event)
    mail.outbox.clear()
    out = io.StringIO()
    call_command("events", "publish", str(event.pk), stdout=out)
    assert f"e-mailed {len(mail.outbox)} participants, 0 without" in out.getvalue()
    assert event.published_meetings.count() == event.meetings.count()


def test_line_breaks_in_names_do_not_break_the_mail(event: Any, mia: Any) -> None:
    Participant.objects.filter(pk=mia.pk).update(organisation_name="Alpha\r\nBcc: x@evil.example")
    mia.refresh_from_db()
    huber = event.participants.get(email="k.huber@steyr-drive.example")
    mail.outbox.clear()
    services.request_create(actor=None, event=event, requester=mia, requested=huber)
    (msg,) = mail.outbox
    assert "\n" not in msg.subject and msg.to == [huber.email] and not msg.bcc
    assert msg.subject.startswith("Meeting request from Alpha Bcc: x@evil.example – ")
    assert msg.message()["Bcc"] is None


def test_organiser_changes_and_imports_mark_stale_only_when_availability_changes(
    event: Any,
) -> None:
    from .conftest import DATA

    run_schedule(event)
    data = (DATA / "sample-participants.csv").read_bytes()
    services.participants_import(actor=None, event=event, data=data, filename="p.csv")
    assert selectors.staleness(event)["changed"] == []  # the same file again: nothing changed
    huber = event.participants.get(email="k.huber@steyr-drive.example")
    services.participant_save(
        actor=None, event=event, participant=huber,
        data={"organisation": huber.organisation_name, "person": huber.person,
              "email": huber.email, "role": huber.role, "max_meetings": "1",
              "sessions": "Morning;Afternoon"},
    )  # fmt: skip
    stale = selectors.staleness(event)
    assert stale["changed"] == [huber]
    n = (
        Meeting.objects.filter(request__requester=huber).count()
        + Meeting.objects.filter(request__requested=huber).count()
    )
    assert n > 1 and any("now takes at most 1" in c for c in stale["conflicts"])


def test_nul_characters_are_dropped_not_stored(
    client: Any, world: Any, event: Any, mia: Any
) -> None:
    """PostgreSQL text cannot hold NUL: the invisible character is dropped, never a 500."""
    client.force_login(world.user("member"))
    r = client.post(f"/events/{event.pk}/me/", {"offers": "MEMS\x00 sensors", "max_meetings": "3"})
    assert r.status_code == 302
    mia.refresh_from_db()
    assert mia.offers == "MEMS sensors"
    huber = event.participants.get(email="k.huber@steyr-drive.example")
    r = client.post(
        f"/events/{event.pk}/requests/", {"requested": huber.pk, "message": "hi\x00 there"}
    )
    assert r.status_code == 302 and mia.sent.get().message == "hi there"
