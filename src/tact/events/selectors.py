"""Reads about B2B events, always scoped to the caller.

Organisers (managers of the event's cluster, administrators) see everything of their events.
A participant with a login sees the event, the marketplace, their own requests and, once the
schedule is published, their own agenda; nobody else's.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tact.accounts.selectors import clusters_managed_by, user_manages_cluster

from .models import (
    Event,
    Meeting,
    MeetingRequest,
    Participant,
    PublishedMeeting,
    RequestStatus,
    ScheduleRun,
    Slot,
    Table,
)


def _participant_q(user: Any, prefix: str = "") -> Q:
    # Linked by account, or by e-mail for a member of the event's cluster not linked yet.
    return Q(**{f"{prefix}user": user}) | Q(
        **{
            f"{prefix}user__isnull": True,
            f"{prefix}email__iexact": user.email,
            f"{prefix}event__cluster__roles__user": user,
        }
    )


def events_visible_to(user: Any) -> QuerySet[Event]:
    if not user or not user.is_authenticated:
        return Event.objects.none()
    ids = Participant.objects.filter(_participant_q(user)).values("event_id")
    return (
        Event.objects.filter(Q(cluster__in=clusters_managed_by(user)) | Q(pk__in=ids))
        .select_related("cluster")
        .distinct()
    )


def event_get(user: Any, event_id: int) -> Event | None:
    return events_visible_to(user).filter(pk=event_id).first()


def is_organiser(user: Any, event: Event) -> bool:
    return bool(user and user.is_authenticated and user_manages_cluster(user, event.cluster))


def organised_event(user: Any, event_id: int) -> Event | None:
    event = event_get(user, event_id)
    return event if event is not None and is_organiser(user, event) else None


def my_participant(user: Any, event: Event) -> Participant | None:
    if not user or not user.is_authenticated:
        return None
    return event.participants.filter(_participant_q(user, "")).order_by("pk").first()


def participants(event: Event, q: str = "", role: str = "") -> QuerySet[Participant]:
    qs = event.participants.prefetch_related("sessions")
    q = q.replace("\x00", "")  # PostgreSQL text cannot hold NUL; nothing stored contains one
    if q:
        qs = qs.filter(
            Q(organisation_name__icontains=q)
            | Q(person__icontains=q)
            | Q(email__icontains=q)
            | Q(offers__icontains=q)
            | Q(seeks__icontains=q)
        )
    if role:
        qs = qs.filter(role=role)
    return qs


def marketplace(event: Event, q: str = "", role: str = "", side: str = "") -> QuerySet[Participant]:
    """Profiles searchable by what they offer (side=offers) or seek (side=seeks), or both."""
    qs = event.participants.all()
    q = q.replace("\x00", "")
    for word in q.split()[:8]:
        if side == "offers":
            qs = qs.filter(offers__icontains=word)
        elif side == "seeks":
            qs = qs.filter(seeks__icontains=word)
        else:
            qs = qs.filter(
                Q(offers__icontains=word)
                | Q(seeks__icontains=word)
                | Q(organisation_name__icontains=word)
            )
    if role:
        qs = qs.filter(role=role)
    return qs


def requests_visible(user: Any, event: Event) -> QuerySet[MeetingRequest]:
    qs = event.requests.select_related("requester", "requested")
    if is_organiser(user, event):
        return qs
    me = my_participant(user, event)
    if me is None:
        return qs.none()
    return qs.filter(Q(requester=me) | Q(requested=me))


def request_get(user: Any, event: Event, request_id: int) -> MeetingRequest | None:
    return requests_visible(user, event).filter(pk=request_id).first()


def participant_visible(user: Any, event: Event, participant_id: int) -> Participant | None:
    """Organisers: anyone of the event; a participant: themselves."""
    p = event.participants.filter(pk=participant_id).first()
    if p is None:
        return None
    if is_organiser(user, event):
        return p
    me = my_participant(user, event)
    return p if me is not None and me.pk == p.pk else None


@dataclass
class AgendaItem:
    """One meeting of an agenda: from the draft (the scheduler's meetings) or as published."""

    start: dt.datetime
    end: dt.datetime
    table_name: str
    remote: bool
    link: str
    other: Participant
    request: MeetingRequest
    published: bool  # the participants were told about this meeting at this time and place

    @property
    def when(self) -> str:
        return f"{timezone.localtime(self.start):%H:%M}-{timezone.localtime(self.end):%H:%M}"

    @property
    def place(self) -> tuple[dt.datetime, str]:
        return (self.start, self.table_name)


def _other(request: MeetingRequest, participant: Participant) -> Participant:
    return request.requested if request.requester_id == participant.pk else request.requester


def _mine(participant: Participant, prefix: str = "request__") -> Q:
    return Q(**{f"{prefix}requester": participant}) | Q(**{f"{prefix}requested": participant})


def draft_agenda(participant: Participant) -> list[AgendaItem]:
    """The scheduler's current meetings of a participant (organisers only)."""
    qs = (
        Meeting.objects.filter(_mine(participant))
        .select_related("slot", "table", "request__requester", "request__requested")
        .order_by("slot__start", "pk")
    )
    return [
        AgendaItem(m.slot.start, m.slot.end, m.table.name, m.table.remote, m.table.link,
                   _other(m.request, participant), m.request, m.published)
        for m in qs
    ]  # fmt: skip


def _published_item(pm: PublishedMeeting, participant: Participant) -> AgendaItem:
    # A table renamed or given a new video link since: show its current name and link.
    name = pm.table.name if pm.table is not None else pm.table_name
    link = pm.table.link if pm.table is not None else pm.link
    return AgendaItem(pm.start, pm.end, name, pm.remote, link, _other(pm.request, participant),
                      pm.request, True)  # fmt: skip


def published_agenda(participant: Participant) -> list[AgendaItem]:
    """What the participant was told at the last publication (unchanged by later drafts)."""
    qs = (
        PublishedMeeting.objects.filter(_mine(participant))
        .select_related("table", "request__requester", "request__requested")
        .order_by("start", "pk")
    )
    return [_published_item(pm, participant) for pm in qs]


def agenda(participant: Participant, *, published_only: bool) -> list[AgendaItem]:
    return published_agenda(participant) if published_only else draft_agenda(participant)


def published_agendas(event: Event) -> dict[int, list[AgendaItem]]:
    """Every participant's published agenda (participant id -> items), in two queries."""
    people = {p.pk: p for p in event.participants.all()}
    out: dict[int, list[AgendaItem]] = defaultdict(list)
    qs = event.published_meetings.select_related(
        "table", "request__requester", "request__requested"
    ).order_by("start", "pk")
    for pm in qs:
        for pid in (pm.request.requester_id, pm.request.requested_id):
            if pid in people:
                out[pid].append(_published_item(pm, people[pid]))
    return out


@dataclass
class AgendaChanges:
    new: list[AgendaItem]
    moved: list[tuple[AgendaItem, AgendaItem]]  # (before, now)
    cancelled: list[AgendaItem]

    def __bool__(self) -> bool:
        return bool(self.new or self.moved or self.cancelled)


def agenda_changes(before: list[AgendaItem], now: list[AgendaItem]) -> AgendaChanges:
    """What changed for one person between two agendas, meeting by meeting (by request)."""
    old = {i.request.pk: i for i in before}
    new = {i.request.pk: i for i in now}
    return AgendaChanges(
        new=[i for rid, i in new.items() if rid not in old],
        moved=[(old[rid], i) for rid, i in new.items() if rid in old and old[rid].place != i.place],
        cancelled=[i for rid, i in old.items() if rid not in new],
    )


def update_pending(participant: Participant) -> bool:
    """The organisers re-scheduled and the participant's meetings differ from what was published."""
    event = participant.event
    if event.published_at is None:
        return False
    drafted = {
        (m.request_id, m.slot_id, m.table_id) for m in Meeting.objects.filter(_mine(participant))
    }
    told = {
        (pm.request_id, pm.slot_id, pm.table_id)
        for pm in PublishedMeeting.objects.filter(_mine(participant))
    }
    return drafted != told


def slots(event: Event) -> list[Slot]:
    return list(Slot.objects.filter(session__event=event).select_related("session"))


def table_plan(event: Event) -> tuple[list[Slot], list[Table], dict[tuple[int, int], Meeting]]:
    grid = {
        (m.slot_id, m.table_id): m
        for m in event.meetings.select_related("request__requester", "request__requested")
    }
    return slots(event), list(event.tables.all()), grid


def latest_run(event: Event) -> ScheduleRun | None:
    return event.runs.first()


def reason_text(code: str, reason: str, request: MeetingRequest | None) -> str:
    """The scheduler's reason for an unmet request, in the reader's language, with names."""
    who = None
    if request is not None and reason[:2] in ("a ", "b "):
        who = request.requester if reason[0] == "a" else request.requested
    name = str(who) if who else _("one of them")
    texts = {
        "same_participant": _("the same participant on both sides"),
        "unknown_participant": _("a participant is missing"),
        "no_meetings_wanted": _("%(who)s takes no meetings (maximum 0)") % {"who": name},
        "not_available": _("%(who)s is not available in any session") % {"who": name},
        "no_common_slot": _("the two are never available at the same time"),
        "no_tables": _("the event has no tables (or no remote rooms) for this meeting"),
        "maximum_reached": _("%(who)s reached their maximum number of meetings") % {"who": name},
        "no_free_table": _(
            "no common free slot was left with a free table (higher-priority meetings took them)"
        ),
    }
    return texts.get(code, reason)


def meeting_conflicts(event: Event) -> list[str]:
    """Scheduled meetings that no longer fit the participants' current sessions or maximum."""
    people = {p.pk: p for p in event.participants.prefetch_related("sessions")}
    sessions = {pk: {s.pk for s in p.sessions.all()} for pk, p in people.items()}
    count: dict[int, int] = defaultdict(int)
    out: list[str] = []
    meetings = event.meetings.select_related("slot__session", "request")
    for m in meetings.order_by("slot__start", "pk"):
        for pid in (m.request.requester_id, m.request.requested_id):
            count[pid] += 1
            chosen = sessions.get(pid)
            if chosen and m.slot.session_id not in chosen:
                out.append(
                    _("%(who)s is no longer available at %(slot)s (%(session)s)")
                    % {"who": people[pid], "slot": m.slot, "session": m.slot.session.name}
                )
    for pid, n in count.items():
        if pid in people and n > people[pid].max_meetings:
            out.append(
                _("%(who)s has %(n)d meetings but now takes at most %(max)d")
                % {"who": people[pid], "n": n, "max": people[pid].max_meetings}
            )
    return out


def staleness(event: Event) -> dict[str, Any]:
    """Whether the schedule is out of date: availability changed since the last run."""
    run = latest_run(event)
    if run is None:
        return {"stale": False, "changed": [], "conflicts": []}
    changed = list(
        event.participants.filter(availability_changed_at__gt=run.created_at).order_by(
            "organisation_name", "person"
        )
    )
    conflicts = meeting_conflicts(event)
    return {"stale": bool(changed or conflicts), "changed": changed, "conflicts": conflicts}


def dashboard(event: Event) -> dict[str, Any]:
    """Figures for the organiser: requests by status, the last run, unmet requests explained."""
    counts = defaultdict(int)
    for status in event.requests.values_list("status", flat=True):
        counts[status] += 1
    accepted = counts[RequestStatus.ACCEPTED]
    meetings = event.meetings.count()
    unpublished = event.meetings.filter(published=False).count()
    scheduled_requests = event.meetings.values("request_id")
    cancelled = event.published_meetings.exclude(request_id__in=scheduled_requests).count()
    run = latest_run(event)
    out: dict[str, Any] = {
        "pending": counts[RequestStatus.PENDING],
        "accepted": accepted,
        "declined": counts[RequestStatus.DECLINED],
        "meetings": meetings,
        "unpublished": unpublished,
        "cancelled": cancelled,
        "published_count": event.published_meetings.count(),
        **staleness(event),
        "share": round(100 * meetings / accepted, 1) if accepted else None,
        "run": run,
        "unmet": [],
        "gaps": [],
        "moved": [],
    }
    if run is None:
        return out
    f = run.figures
    ub = int(f.get("upper_bound", 0))
    total = int(f.get("total_priority", 0))
    out["gap_pct"] = round(100 * (ub - total) / ub, 1) if ub else 0.0
    ids = [u["request"] for u in f.get("unmet", [])] + [m["request"] for m in f.get("moved", [])]
    reqs = {
        r.pk: r for r in event.requests.filter(pk__in=ids).select_related("requester", "requested")
    }
    out["unmet"] = [
        {"request": reqs.get(u["request"]), "reason": reason_text(u["code"], u["reason"],
                                                                  reqs.get(u["request"]))}
        for u in f.get("unmet", [])
        if u["request"] in reqs
    ]  # fmt: skip
    slot_names = {s.pk: s for s in slots(event)}
    table_names = {t.pk: t for t in event.tables.all()}
    out["moved"] = [
        {
            "request": reqs.get(m["request"]),
            "from": (slot_names.get(m["from"][0]), table_names.get(m["from"][1])),
            "to": (slot_names.get(m["to"][0]), table_names.get(m["to"][1])),
        }
        for m in f.get("moved", [])
    ]
    people = {str(p.pk): p for p in event.participants.all()}
    gaps = f.get("idle_gaps", {})
    out["gaps"] = sorted(
        ((people[pid], g) for pid, g in gaps.items() if pid in people), key=lambda x: -x[1]
    )
    return out
