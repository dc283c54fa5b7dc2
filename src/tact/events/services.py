"""Every write to B2B events; each leaves an audit entry.

``actor`` is the person acting; ``None`` is the command line. Organisers are the managers of the
event's cluster (and administrators); a participant with a login acts for themselves only.
Bad input raises :class:`EventError` (field, message pairs) or a ``DataError`` for files, and
changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tact.accounts.models import ClusterInitiative, Organisation, User
from tact.accounts.selectors import user_manages_cluster
from tact.core.datafiles import DataError, Problem
from tact.core.jobs import submit_job
from tact.core.services import audit_record
from tact.core.tabular import read_rows

from . import notices
from .models import (
    PRIORITIES,
    Attendance,
    Event,
    EventStatus,
    Meeting,
    MeetingRequest,
    Participant,
    ParticipantRole,
    PublishedMeeting,
    RequestStatus,
    ScheduleRun,
    Session,
    Slot,
    Table,
    slot_times,
)

CLI_ACTOR = "tact events"
MAX_TABLES = 1000
MAX_TIME_LIMIT = 600


class EventError(ValueError):
    """Bad input; ``problems`` are (field, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{f}: {m}" for f, m in problems))


def _audit(actor: Any, action: str, obj: Any, changes: dict[str, Any] | None = None) -> None:
    audit_record(
        actor=actor,
        actor_label="" if actor is not None else CLI_ACTOR,
        action=f"events.{action}",
        object_type=f"events.{type(obj).__name__.lower()}",
        object_id=str(obj.pk),
        changes=changes or {},
    )


def is_organiser(actor: Any, event: Event) -> bool:
    """The command line (actor None) organises everything; else managers of the cluster."""
    return actor is None or user_manages_cluster(actor, event.cluster)


def _require_organiser(actor: Any, event: Event) -> None:
    if not is_organiser(actor, event):
        raise PermissionDenied(_("Only the event's organisers may do this."))


# --- cleaning ------------------------------------------------------------------------------


def _no_nul(value: str) -> str:
    """NUL characters are invisible and PostgreSQL text cannot hold them: drop them."""
    return value.replace("\x00", "")


def _text(data: dict[str, Any], key: str, limit: int, problems: list[tuple[str, str]]) -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems.append((key, _("must be text")))
        return ""
    value = _no_nul(value).strip()
    if len(value) > limit:
        problems.append((key, _("at most %(n)d characters") % {"n": limit}))
    return value[:limit]


def _int(
    data: dict[str, Any], key: str, lo: int, hi: int, default: int, problems: list[tuple[str, str]]
) -> int:
    value = data.get(key, "")
    if value is None or value == "":
        return default
    try:
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValueError
        number = int(str(value).strip()) if not isinstance(value, (int, float)) else int(value)
    except (ValueError, OverflowError):
        problems.append((key, _("give a whole number")))
        return default
    if not lo <= number <= hi:
        problems.append((key, _("give a number from %(lo)d to %(hi)d") % {"lo": lo, "hi": hi}))
        return default
    return number


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def _time(value: Any) -> dt.time | None:
    if isinstance(value, dt.time):
        return value
    text = str(value or "").strip()
    if not re.fullmatch(r"\d{1,2}:\d{2}", text):
        return None
    h, m = (int(x) for x in text.split(":"))
    if h > 23 or m > 59:
        return None
    return dt.time(h, m)


def clean_event(data: dict[str, Any]) -> dict[str, Any]:
    problems: list[tuple[str, str]] = []
    title = _text(data, "title", 200, problems)
    if not title:
        problems.append(("title", _("give the event a title")))
    day = _date(data.get("date"))
    if day is None:
        problems.append(("date", _("give a date as YYYY-MM-DD")))
    out = {
        "title": title,
        "date": day,
        "description": _text(data, "description", 5000, problems),
        "venue": _text(data, "venue", 300, problems),
        "meeting_minutes": _int(data, "meeting_minutes", 5, 240, 20, problems),
        "break_minutes": _int(data, "break_minutes", 0, 120, 5, problems),
        "default_max_meetings": _int(data, "default_max_meetings", 0, 100, 8, problems),
    }
    if problems:
        raise EventError(problems)
    return out


# --- events, sessions, tables --------------------------------------------------------------


@transaction.atomic
def event_create(*, actor: Any, cluster: ClusterInitiative, data: dict[str, Any]) -> Event:
    if actor is not None and not user_manages_cluster(actor, cluster):
        raise PermissionDenied(_("Only the cluster's managers create its events."))
    values = clean_event(data)
    event = Event.objects.create(
        cluster=cluster, created_by=actor if actor is not None else None, **values
    )
    _audit(actor, "event.created", event, {"title": event.title, "cluster": cluster.pk})
    return event


@transaction.atomic
def event_update(*, actor: Any, event: Event, data: dict[str, Any]) -> int:
    """Change the event's settings; returns how many meetings were dropped by new slot times."""
    _require_organiser(actor, event)
    values = clean_event(data)
    retime = (
        values["meeting_minutes"] != event.meeting_minutes
        or values["break_minutes"] != event.break_minutes
        or values["date"] != event.date
    )
    before = {k: str(getattr(event, k)) for k in values}
    for key, value in values.items():
        setattr(event, key, value)
    event.save()
    dropped = _regenerate_slots(event) if retime else 0
    _audit(actor, "event.updated", event, {"before": before, "dropped_meetings": dropped})
    return dropped


@transaction.atomic
def registration_set(*, actor: Any, event: Event, open_: bool) -> bool:
    """Open or close registration: while open, participants with a login edit their profile.

    Returns whether anything changed."""
    _require_organiser(actor, event)
    open_ = bool(open_)
    if event.registration_open == open_:
        return False
    event.registration_open = open_
    event.save(update_fields=["registration_open"])
    _audit(actor, "registration.opened" if open_ else "registration.closed", event,
           {"registration_open": open_})  # fmt: skip
    return True


def _regenerate_slots(event: Event, sessions: list[Session] | None = None) -> int:
    dropped = 0
    for session in sessions if sessions is not None else list(event.sessions.all()):
        dropped += Meeting.objects.filter(slot__session=session).count()
        session.slots.all().delete()
        Slot.objects.bulk_create(
            Slot(session=session, start=a, end=b)
            for a, b in slot_times(
                event.date, session.start, session.end, event.meeting_minutes, event.break_minutes
            )
        )
    return dropped


@transaction.atomic
def session_add(*, actor: Any, event: Event, data: dict[str, Any]) -> Session:
    _require_organiser(actor, event)
    problems: list[tuple[str, str]] = []
    name = _text(data, "name", 100, problems) or _("Session")
    start, end = _time(data.get("start")), _time(data.get("end"))
    if start is None:
        problems.append(("start", _("give a time as HH:MM")))
    if end is None:
        problems.append(("end", _("give a time as HH:MM")))
    if start is not None and end is not None:
        if end <= start:
            problems.append(("end", _("the session must end after it starts")))
        else:
            for other in event.sessions.all():
                if start < other.end and other.start < end:
                    problems.append(("start", _("overlaps session %(s)s") % {"s": other}))
    if problems:
        raise EventError(problems)
    assert start is not None and end is not None
    session = Session.objects.create(event=event, name=name, start=start, end=end)
    _regenerate_slots(event, [session])
    if not session.slots.exists():
        raise EventError([("end", _("too short for one meeting of this event's length"))])
    _audit(actor, "session.added", session, {"event": event.pk, "name": name})
    return session


@transaction.atomic
def session_delete(*, actor: Any, session: Session) -> int:
    _require_organiser(actor, session.event)
    dropped = Meeting.objects.filter(slot__session=session).count()
    _audit(actor, "session.deleted", session, {"name": session.name, "dropped": dropped})
    session.delete()
    return dropped


@transaction.atomic
def tables_add(
    *, actor: Any, event: Event, count: Any, remote: bool = False, link: str = ""
) -> list[Table]:
    """Add ``count`` numbered tables (or remote rooms, all with the given video link)."""
    _require_organiser(actor, event)
    problems: list[tuple[str, str]] = []
    n = _int({"count": count}, "count", 1, MAX_TABLES, 0, problems)
    link = _no_nul(link or "").strip()
    if link:
        try:
            URLValidator(schemes=["https", "http"])(link)
        except ValidationError:
            problems.append(("link", _("give a web address starting with https://")))
    if event.tables.count() + n > MAX_TABLES:
        problems.append(("count", _("at most %(n)d tables per event") % {"n": MAX_TABLES}))
    if problems:
        raise EventError(problems)
    label = _("Remote room") if remote else _("Table")
    names = set(event.tables.values_list("name", flat=True))
    position = event.tables.filter(remote=remote).count()
    made: list[Table] = []
    number = 1
    while len(made) < n:
        name = f"{label} {number}"
        number += 1
        if name in names:
            continue
        position += 1
        made.append(
            Table.objects.create(
                event=event, name=name, remote=remote, link=link, position=position
            )
        )
    _audit(actor, "tables.added", event, {"count": n, "remote": remote})
    return made


@transaction.atomic
def table_update(*, actor: Any, table: Table, name: str, link: str) -> Table:
    _require_organiser(actor, table.event)
    problems: list[tuple[str, str]] = []
    name = _no_nul(name or "").strip()[:100]
    if not name:
        problems.append(("name", _("give the table a name")))
    elif table.event.tables.filter(name=name).exclude(pk=table.pk).exists():
        problems.append(("name", _("another table has this name")))
    link = _no_nul(link or "").strip()
    if link:
        try:
            URLValidator(schemes=["https", "http"])(link)
        except ValidationError:
            problems.append(("link", _("give a web address starting with https://")))
    if problems:
        raise EventError(problems)
    table.name, table.link = name, link[:200]
    table.save()
    _audit(actor, "table.updated", table, {"name": name})
    return table


@transaction.atomic
def table_delete(*, actor: Any, table: Table) -> int:
    _require_organiser(actor, table.event)
    dropped = table.meetings.count()
    _audit(actor, "table.deleted", table, {"name": table.name, "dropped": dropped})
    table.delete()
    return dropped


# --- participants --------------------------------------------------------------------------


def _choice(value: str, choices: type[Any], aliases: dict[str, str] | None = None) -> str | None:
    key = re.sub(r"[^a-z0-9]+", "", (value or "").lower())
    if aliases and key in aliases:
        return aliases[key]
    for v, label in choices.choices:
        if key in (re.sub(r"[^a-z0-9]+", "", v), re.sub(r"[^a-z0-9]+", "", str(label).lower())):
            return str(v)
    return None


ROLE_ALIASES = {"university": "research", "rto": "research", "vc": "investor", "sme": "supplier"}
ATTENDANCE_ALIASES = {"virtual": "remote", "online": "remote", "onsite": "onsite", "site": "onsite"}


def clean_participant(
    event: Event, data: dict[str, Any], sessions: dict[str, Session]
) -> tuple[dict[str, Any], list[Session] | None, list[tuple[str, str]]]:
    """Values for a participant, the sessions they attend (None: all) and the problems."""
    problems: list[tuple[str, str]] = []
    out: dict[str, Any] = {
        "organisation_name": _text(data, "organisation", 200, problems),
        "person": _text(data, "person", 200, problems),
        "email": _text(data, "email", 254, problems).lower(),
        "offers": _text(data, "offers", 3000, problems),
        "seeks": _text(data, "seeks", 3000, problems),
        "max_meetings": _int(data, "max_meetings", 0, 100, event.default_max_meetings, problems),
    }
    if not out["organisation_name"]:
        problems.append(("organisation", _("required")))
    if not out["person"]:
        problems.append(("person", _("required")))
    try:
        validate_email(out["email"])
    except ValidationError:
        problems.append(("email", _("not a valid e-mail address")))
    role_raw = str(data.get("role") or "other")
    role = _choice(role_raw, ParticipantRole, ROLE_ALIASES)
    if role is None:
        known = ", ".join(str(v) for v in ParticipantRole.values)
        problems.append(
            ("role", _("unknown role %(r)r; use one of %(k)s") % {"r": role_raw[:40], "k": known})
        )
    out["role"] = role or ParticipantRole.OTHER
    att_raw = str(data.get("attendance") or "onsite")
    attendance = _choice(att_raw, Attendance, ATTENDANCE_ALIASES)
    if attendance is None:
        problems.append(("attendance", _("use onsite or remote")))
    out["attendance"] = attendance or Attendance.ONSITE
    chosen: list[Session] | None = None
    raw = data.get("sessions")
    names = raw if isinstance(raw, list) else re.split(r"[;,|]", str(raw or ""))
    names = [str(n).strip() for n in names if str(n).strip()]
    if names and not any(n.lower() == "all" for n in names):
        chosen = []
        for name in names:
            session = sessions.get(name.lower())
            if session is None:
                known = ", ".join(s.name for s in sessions.values()) or _("none yet")
                problems.append(
                    (
                        "sessions",
                        _("no session %(s)r (sessions: %(k)s)") % {"s": name[:50], "k": known},
                    )
                )
            else:
                chosen.append(session)
    return out, chosen, problems


def _sessions_by_name(event: Event) -> dict[str, Session]:
    out: dict[str, Session] = {}
    for s in event.sessions.all():
        out.setdefault(s.name.lower(), s)
        out.setdefault(str(s.pk), s)
    return out


def _link_user(event: Event, email: str) -> tuple[User | None, Organisation | None]:
    """The account of a member of the event's cluster with this e-mail, and their organisation."""
    user = User.objects.filter(
        email__iexact=email, is_active=True, roles__cluster=event.cluster
    ).first()
    if user is None:
        return None, None
    role = user.roles.filter(cluster=event.cluster, organisation__isnull=False).first()
    return user, (role.organisation if role else None)


def _availability(p: Participant) -> tuple[Any, ...]:
    """What the scheduler reads of a participant: a change makes the last schedule stale."""
    return (sorted(s.pk for s in p.sessions.all()) if p.pk else [], p.max_meetings, p.attendance)


def _is_self(actor: Any, event: Event, participant: Participant) -> bool:
    from .selectors import my_participant

    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    me = my_participant(actor, event)
    return me is not None and me.pk == participant.pk


@transaction.atomic
def profile_update(*, actor: Any, participant: Participant, data: dict[str, Any]) -> Participant:
    """A participant with a login edits their own profile (``/events/<id>/me/``)."""
    event = participant.event
    if not _is_self(actor, event, participant):
        raise PermissionDenied(_("You may only edit your own profile."))
    if participant.user_id is None:  # matched by e-mail: link the account from now on
        participant.user = actor
    return _profile_save(actor=actor, event=event, participant=participant, data=data)


def _profile_save(
    *, actor: Any, event: Event, participant: Participant, data: dict[str, Any]
) -> Participant:
    """A participant edits their own profile: offers, wishes, sessions and maximum of meetings.

    Keys missing from ``data`` keep their value. Only while registration is open; the maximum
    stays within the organiser's default for the event.
    """
    if not event.registration_open:
        raise EventError(
            [("registration", _("Registration is closed: ask the organisers to change your "
                                 "profile."))]
        )  # fmt: skip
    problems: list[tuple[str, str]] = []
    before = {
        "offers": participant.offers,
        "seeks": participant.seeks,
        "max_meetings": participant.max_meetings,
        "sessions": sorted(s.name for s in participant.sessions.all()),
    }
    old_availability = _availability(participant)
    offers = _text(data, "offers", 3000, problems) if "offers" in data else participant.offers
    seeks = _text(data, "seeks", 3000, problems) if "seeks" in data else participant.seeks
    limit = event.default_max_meetings
    maximum = participant.max_meetings
    if "max_meetings" in data:
        maximum = _int(data, "max_meetings", 0, limit, -1, problems)
        if data.get("max_meetings") in (None, ""):
            problems.append(("max_meetings", _("give a number from 0 to %(hi)d") % {"hi": limit}))
    chosen: list[Session] | None = None
    if "sessions" in data:
        raw = data.get("sessions")
        if not isinstance(raw, list):
            raw = [x for x in re.split(r"[;,|]", str(raw or "")) if x.strip()]
        by_key = {str(s.pk): s for s in event.sessions.all()}
        chosen = []
        for value in raw[:50]:
            session = by_key.get(str(value).strip())
            if session is None:
                problems.append(
                    ("sessions", _("no session %(s)r in this event") % {"s": str(value)[:50]})
                )
            elif session not in chosen:
                chosen.append(session)
    if problems:
        raise EventError(problems)
    participant.offers, participant.seeks, participant.max_meetings = offers, seeks, maximum
    if chosen is not None:
        participant.sessions.set(chosen)
    changed_availability = _availability(participant) != old_availability
    if changed_availability:
        participant.availability_changed_at = timezone.now()
    participant.save()
    after = {
        "offers": participant.offers,
        "seeks": participant.seeks,
        "max_meetings": participant.max_meetings,
        "sessions": sorted(s.name for s in participant.sessions.all()),
    }
    _audit(
        actor,
        "participant.profile_updated",
        participant,
        {
            "before": {k: v for k, v in before.items() if after[k] != v},
            "after": {k: v for k, v in after.items() if before[k] != v},
            "availability_changed": changed_availability,
        },
    )
    return participant


@transaction.atomic
def participant_save(
    *, actor: Any, event: Event, data: dict[str, Any], participant: Participant | None = None
) -> Participant:
    """Create or update a participant. A participant may edit their own profile (not the rest)."""
    own = participant is not None and _is_self(actor, event, participant)
    if not is_organiser(actor, event):
        if not own:
            raise PermissionDenied(_("Only the event's organisers may do this."))
        assert participant is not None
        return _profile_save(actor=actor, event=event, participant=participant, data=data)
    values, chosen, problems = clean_participant(event, data, _sessions_by_name(event))
    clash = event.participants.filter(email=values["email"])
    if participant is not None:
        clash = clash.exclude(pk=participant.pk)
    if values["email"] and clash.exists():
        problems.append(("email", _("another participant has this e-mail address")))
    if problems:
        raise EventError(problems)
    created = participant is None
    if participant is None:
        participant = Participant(event=event)
    old_availability = _availability(participant)
    for key, value in values.items():
        setattr(participant, key, value)
    if participant.user_id is None or created:
        participant.user, org = _link_user(event, participant.email)
        participant.organisation = participant.organisation or org
    participant.save()
    participant.sessions.set(chosen or [])
    if not created and _availability(participant) != old_availability:
        participant.availability_changed_at = timezone.now()
        participant.save(update_fields=["availability_changed_at"])
    _audit(
        actor,
        "participant.created" if created else "participant.updated",
        participant,
        {"email": participant.email},
    )
    return participant


@transaction.atomic
def participant_delete(*, actor: Any, participant: Participant) -> None:
    _require_organiser(actor, participant.event)
    _audit(actor, "participant.deleted", participant, {"email": participant.email})
    participant.delete()


# --- imports -------------------------------------------------------------------------------


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


PARTICIPANT_COLUMNS = (
    "organisation",
    "person",
    "email",
    "role",
    "attendance",
    "sessions",
    "max_meetings",
    "offers",
    "seeks",
)
REQUEST_COLUMNS = ("requester_email", "requested_email", "priority", "status", "message")


class _DryRun(Exception):
    pass


def participants_import(
    *, actor: Any, event: Event, data: bytes, filename: str, dry_run: bool = False
) -> ImportReport:
    """Add or update (by e-mail) the participants of a CSV/XLSX file: every row or none."""
    _require_organiser(actor, event)
    report = ImportReport("participants", dry_run)
    try:
        rows = read_rows(data, filename, required=("organisation", "person", "email"))
    except DataError as exc:
        report.problems = exc.problems
        return report
    report.rows = len(rows)
    sessions = _sessions_by_name(event)
    seen: dict[str, int] = {}
    cleaned = []
    for row in rows:
        values, chosen, problems = clean_participant(event, dict(row.values), sessions)
        email = values["email"]
        if email and email in seen:
            problems.append(("email", _("also in row %(n)d") % {"n": seen[email]}))
        seen.setdefault(email, row.number)
        report.problems += [Problem(filename, row.record, f, m) for f, m in problems]
        cleaned.append((values, chosen))
    if report.problems:
        return report
    existing = {p.email: p for p in event.participants.all()}
    try:
        with transaction.atomic():
            for values, chosen in cleaned:
                current = existing.get(values["email"])
                p = current or Participant(event=event)
                old_availability = _availability(p)
                for key, value in values.items():
                    setattr(p, key, value)
                if p.user_id is None:
                    p.user, org = _link_user(event, p.email)
                    p.organisation = p.organisation or org
                p.save()
                p.sessions.set(chosen or [])
                if current is not None and _availability(p) != old_availability:
                    p.availability_changed_at = timezone.now()
                    p.save(update_fields=["availability_changed_at"])
                if current is None:
                    report.created += 1
                else:
                    report.updated += 1
            _audit(
                actor,
                "participants.imported",
                event,
                {"file": filename[:200], "created": report.created, "updated": report.updated},
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _status(value: str) -> str | None:
    key = (value or "").strip().lower()
    if not key:
        return RequestStatus.PENDING
    aliases = {"yes": "accepted", "accept": "accepted", "no": "declined", "decline": "declined"}
    key = aliases.get(key, key)
    return key if key in RequestStatus.values else None


def requests_import(
    *, actor: Any, event: Event, data: bytes, filename: str, dry_run: bool = False
) -> ImportReport:
    """Add or update (by pair) meeting requests named by the participants' e-mail addresses."""
    _require_organiser(actor, event)
    report = ImportReport("requests", dry_run)
    try:
        rows = read_rows(data, filename, required=("requester_email", "requested_email"))
    except DataError as exc:
        report.problems = exc.problems
        return report
    report.rows = len(rows)
    people = {p.email: p for p in event.participants.all()}
    seen: dict[tuple[int, int], int] = {}
    cleaned = []
    for row in rows:
        problems: list[tuple[str, str]] = []
        a = people.get(row.get("requester_email").lower())
        b = people.get(row.get("requested_email").lower())
        for key, who in (("requester_email", a), ("requested_email", b)):
            if who is None:
                problems.append((key, _("no participant of this event has this e-mail address")))
        if a is not None and a == b:
            problems.append(("requested_email", _("a participant cannot request themselves")))
        priority = _int(dict(row.values), "priority", 1, 3, 2, problems)
        status = _status(row.get("status"))
        if status is None:
            problems.append(("status", _("use pending, accepted or declined")))
        message = _no_nul(row.get("message"))[:500]
        if a is not None and b is not None:
            pair = (min(a.pk, b.pk), max(a.pk, b.pk))
            if pair in seen:
                problems.append(
                    ("requested_email", _("same pair as row %(n)d") % {"n": seen[pair]})
                )
            seen.setdefault(pair, row.number)
        report.problems += [Problem(filename, row.record, f, m) for f, m in problems]
        cleaned.append((a, b, priority, status, message))
    if report.problems:
        return report
    try:
        with transaction.atomic():
            for a, b, priority, status, message in cleaned:
                current = MeetingRequest.objects.filter(
                    event=event, requester__in=[a, b], requested__in=[a, b]
                ).first()
                req = current or MeetingRequest(event=event, requester=a, requested=b)
                req.priority, req.status = priority, status
                req.message = message or req.message
                if status != RequestStatus.PENDING:
                    req.decided_at = timezone.now()
                    req.decided_by = actor if actor is not None else None
                req.save()
                if status == RequestStatus.DECLINED:
                    Meeting.objects.filter(request=req).delete()
                    PublishedMeeting.objects.filter(request=req).delete()
                report.created += current is None
                report.updated += current is not None
            _audit(
                actor,
                "requests.imported",
                event,
                {"file": filename[:200], "created": report.created, "updated": report.updated},
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


# --- requests ------------------------------------------------------------------------------


def request_create(
    *,
    actor: Any,
    event: Event,
    requester: Participant,
    requested: Participant,
    priority: Any = 2,
    message: str = "",
    base_url: str = "",
) -> MeetingRequest:
    """A participant asks to meet another (the organiser may ask for anyone).

    Once saved, the requested participant gets an e-mail (if they have an address)."""
    req = _request_create(
        actor=actor,
        event=event,
        requester=requester,
        requested=requested,
        priority=priority,
        message=message,
    )
    notices.request_arrived(req, base_url=base_url)
    return req


@transaction.atomic
def _request_create(
    *,
    actor: Any,
    event: Event,
    requester: Participant,
    requested: Participant,
    priority: Any,
    message: str,
) -> MeetingRequest:
    organiser = is_organiser(actor, event)
    if not organiser and (actor is None or requester.user_id != actor.pk):
        raise PermissionDenied(_("You may only send requests in your own name."))
    problems: list[tuple[str, str]] = []
    if requester.event_id != event.pk or requested.event_id != event.pk:
        problems.append(("requested", _("both must take part in this event")))
    if requester.pk == requested.pk:
        problems.append(("requested", _("choose somebody else than yourself")))
    prio = _int({"priority": priority}, "priority", 1, 3, 2, problems)
    message = _no_nul(message or "").strip()
    if len(message) > 500:
        problems.append(("message", _("at most %(n)d characters") % {"n": 500}))
    if MeetingRequest.objects.filter(
        requester__in=[requester, requested], requested__in=[requester, requested]
    ).exists():
        problems.append(("requested", _("there is already a request between these two")))
    if problems:
        raise EventError(problems)
    req = MeetingRequest.objects.create(
        event=event, requester=requester, requested=requested, priority=prio, message=message
    )
    _audit(actor, "request.created", req, {"priority": prio})
    return req


def request_decide(
    *, actor: Any, request: MeetingRequest, accept: bool, base_url: str = ""
) -> MeetingRequest:
    """The requested participant (or an organiser) accepts or declines; the requester is told
    by e-mail when the answer changes."""
    before = request.status
    _request_decide(actor=actor, request=request, accept=accept)
    if request.status != before:
        notices.request_decided(request, base_url=base_url)
    return request


@transaction.atomic
def _request_decide(*, actor: Any, request: MeetingRequest, accept: bool) -> MeetingRequest:
    event = request.event
    if not is_organiser(actor, event) and (actor is None or request.requested.user_id != actor.pk):
        raise PermissionDenied(_("Only the requested participant or an organiser decides."))
    before = request.status
    request.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    request.decided_at = timezone.now()
    request.decided_by = actor if actor is not None and actor.is_authenticated else None
    request.save()
    dropped = 0
    if not accept:
        dropped, _d = Meeting.objects.filter(request=request).delete()
        # A declined meeting leaves the published agendas too: it will not take place.
        PublishedMeeting.objects.filter(request=request).delete()
    _audit(
        actor,
        "request.decided",
        request,
        {"before": before, "after": request.status, "dropped_meeting": bool(dropped)},
    )
    return request


@transaction.atomic
def request_withdraw(*, actor: Any, request: MeetingRequest) -> None:
    """The requester (or an organiser) takes a request back, with its meeting if any."""
    if not is_organiser(actor, request.event) and (
        actor is None or request.requester.user_id != actor.pk
    ):
        raise PermissionDenied(_("Only the requester or an organiser withdraws a request."))
    _audit(actor, "request.withdrawn", request, {"status": request.status})
    request.delete()


# --- scheduling and publishing -------------------------------------------------------------


def schedule_start(
    *, actor: Any, event: Event, time_limit: Any = 10, keep_published: bool = True
) -> Any:
    """Queue a scheduler run (a background job); returns the job."""
    _require_organiser(actor, event)
    problems: list[tuple[str, str]] = []
    limit = _int({"time_limit": time_limit}, "time_limit", 1, MAX_TIME_LIMIT, 10, problems)
    if problems:
        raise EventError(problems)
    if not Slot.objects.filter(session__event=event).exists():
        raise EventError([("sessions", _("add a session with time slots first"))])
    if not event.tables.exists():
        raise EventError([("tables", _("add tables (or remote rooms) first"))])
    _audit(actor, "schedule.started", event, {"time_limit": limit, "keep": keep_published})
    return submit_job(
        kind="events.schedule",
        label=_("Schedule %(event)s") % {"event": event.title},
        params={
            "event_id": event.pk,
            "time_limit": limit,
            "keep_published": bool(keep_published),
            "user_id": getattr(actor, "pk", None),
        },
        user=actor,
        result_url=reverse("events:dashboard", args=[event.pk]),
    )


@transaction.atomic
def schedule_apply(
    *,
    actor: Any,
    event: Event,
    placements: dict[int, tuple[int, int]],
    figures: dict[str, Any],
    keep_published: bool,
) -> ScheduleRun:
    """Replace the event's meetings by ``placements`` (request id -> (slot id, table id)).

    Meetings that stay where they were keep their published mark; the rest are unpublished
    changes until the organiser publishes again. Requests or slots that changed while the
    solver ran are left out (and counted), never half-written.
    """
    Event.objects.select_for_update().filter(pk=event.pk).first()
    told = {pm.request_id: (pm.slot_id, pm.table_id) for pm in event.published_meetings.all()}
    valid_requests = set(
        event.requests.filter(status=RequestStatus.ACCEPTED).values_list("pk", flat=True)
    )
    valid_slots = set(Slot.objects.filter(session__event=event).values_list("pk", flat=True))
    valid_tables = set(event.tables.values_list("pk", flat=True))
    event.meetings.all().delete()
    stale = 0
    new: list[Meeting] = []
    moved = []
    placed: set[int] = set()
    for rid, (slot_id, table_id) in placements.items():
        if rid not in valid_requests or slot_id not in valid_slots or table_id not in valid_tables:
            stale += 1
            continue
        placed.add(rid)
        before = told.get(rid)
        same = before == (slot_id, table_id)
        new.append(
            Meeting(event=event, request_id=rid, slot_id=slot_id, table_id=table_id, published=same)
        )
        if before is not None and not same:
            moved.append({"request": rid, "from": list(before), "to": [slot_id, table_id]})
    Meeting.objects.bulk_create(new)
    dropped = [rid for rid in told if rid not in placed]
    figures = {
        **figures,
        "moved": moved,
        "dropped_published": dropped,
        "stale": stale,
    }
    run = ScheduleRun.objects.create(
        event=event,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        keep_published=keep_published,
        figures=figures,
    )
    if event.status == EventStatus.DRAFT:
        event.status = EventStatus.SCHEDULED
        event.save(update_fields=["status"])
    _audit(
        actor,
        "schedule.applied",
        event,
        {"meetings": len(new), "moved": len(moved), "dropped_published": len(dropped)},
    )
    return run


@dataclass
class PublishReport:
    """What publishing did: meetings that became visible, and the e-mails sent."""

    changed: int = 0  # meetings new or moved since the last publication
    cancelled: int = 0  # published meetings no longer in the schedule
    notices: notices.NoticeReport = field(default_factory=lambda: notices.NoticeReport())


def schedule_publish(*, actor: Any, event: Event, base_url: str = "") -> PublishReport:
    """Tell the participants: the current meetings become everyone's published agenda, and each
    participant with a meeting (or a cancelled one) gets an e-mail with their agenda, what changed
    and a calendar file. Participants without an e-mail address are skipped and counted."""
    update = event.published_at is not None
    report, before, now = _publish(actor=actor, event=event)
    report.notices = notices.schedule_published(
        event, before, now, update=update, base_url=base_url
    )
    _audit(
        actor,
        "schedule.notices_sent",
        event,
        {
            "sent": report.notices.sent,
            "without_email": report.notices.skipped,
            "failed": report.notices.failed,
        },
    )
    return report


@transaction.atomic
def _publish(*, actor: Any, event: Event) -> tuple[PublishReport, dict[int, Any], dict[int, Any]]:
    from . import selectors

    _require_organiser(actor, event)
    Event.objects.select_for_update().filter(pk=event.pk).first()
    if not event.meetings.exists() and not event.published_meetings.exists():
        raise EventError([("schedule", _("there is no schedule to publish: press Schedule first"))])
    before = selectors.published_agendas(event)
    now = timezone.now()
    scheduled = {m.request_id for m in event.meetings.all()}
    cancelled = event.published_meetings.exclude(request_id__in=scheduled).count()
    changed = event.meetings.filter(published=False).count()
    event.published_meetings.all().delete()
    PublishedMeeting.objects.bulk_create(
        PublishedMeeting(
            event=event,
            request_id=m.request_id,
            slot=m.slot,
            table=m.table,
            start=m.slot.start,
            end=m.slot.end,
            table_name=m.table.name,
            remote=m.table.remote,
            link=m.table.link,
            published_at=now,
        )
        for m in event.meetings.select_related("slot", "table")
    )
    event.meetings.filter(published=False).update(published=True)
    event.status = EventStatus.PUBLISHED
    event.published_at = now
    event.save(update_fields=["status", "published_at"])
    _audit(actor, "schedule.published", event, {"changed_meetings": changed,
                                                "cancelled_meetings": cancelled})  # fmt: skip
    return (
        PublishReport(changed=changed, cancelled=cancelled),
        before,
        selectors.published_agendas(event),
    )


def priority_label(priority: int) -> str:
    return str(PRIORITIES.get(priority, priority))
