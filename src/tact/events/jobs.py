"""The scheduler run as a background job (web) or in the caller's process (``tact events``).

The solver itself knows nothing of progress; it runs in a thread while this function reports the
share of its time limit used, so the page shows a moving bar and the command line a progress bar.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from tact.accounts.models import User
from tact.algorithms import b2b
from tact.core.jobs import JobError, Progress, register_job

from .models import Event, RequestStatus, Slot


def build_problem(
    event: Event, *, keep_published: bool
) -> tuple[b2b.Event, list[b2b.Participant], list[b2b.Request], list[b2b.Pinned], dict[str, Any]]:
    """The event in the scheduler's terms, and the maps back to database rows."""
    slots = list(Slot.objects.filter(session__event=event).order_by("start", "pk"))
    slot_index = {s.pk: i for i, s in enumerate(slots)}
    by_session: dict[int, set[int]] = defaultdict(set)
    for i, s in enumerate(slots):
        by_session[s.session_id].add(i)
    all_slots = frozenset(range(len(slots)))
    tables = [t for t in event.tables.all() if not t.remote]
    rooms = [t for t in event.tables.all() if t.remote]
    table_index = {t.pk: i for i, t in enumerate(tables)}
    room_index = {t.pk: i for i, t in enumerate(rooms)}
    people = []
    remote: dict[int, bool] = {}
    for p in event.participants.prefetch_related("sessions"):
        chosen = [s.pk for s in p.sessions.all()]
        available = frozenset().union(*(by_session[pk] for pk in chosen)) if chosen else all_slots
        people.append(b2b.Participant(str(p.pk), frozenset(available), p.max_meetings))
        remote[p.pk] = p.remote
    requests = [
        b2b.Request(
            str(r.pk),
            str(r.requester_id),
            str(r.requested_id),
            r.priority,
            remote=remote[r.requester_id] or remote[r.requested_id],
        )
        for r in event.requests.filter(status=RequestStatus.ACCEPTED).order_by("pk")
    ]
    pins = []
    if keep_published:
        # Pin each meeting where the participants were last told it is, if still possible.
        accepted = {int(r.id): r.remote for r in requests}
        for pm in event.published_meetings.select_related("table"):
            if pm.slot_id is None or pm.table is None or pm.request_id not in accepted:
                continue
            if pm.table.remote != accepted[pm.request_id]:
                continue  # attendance changed: an on-site meeting now needs a remote room
            index = room_index if pm.table.remote else table_index
            if pm.slot_id in slot_index and pm.table_id in index:
                pins.append(
                    b2b.Pinned(str(pm.request_id), slot_index[pm.slot_id], index[pm.table_id])
                )
    maps = {"slots": [s.pk for s in slots], "tables": [t.pk for t in tables],
            "rooms": [t.pk for t in rooms]}  # fmt: skip
    return b2b.Event(len(slots), len(tables), len(rooms)), people, requests, pins, maps


def _solve_with_progress(
    ctx: Progress, limit: float, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> b2b.Schedule:
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = b2b.schedule(*args, **kwargs)
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    started = time.monotonic()
    thread.start()
    while thread.is_alive():
        thread.join(0.5)
        used = min(1.0, (time.monotonic() - started) / max(limit, 0.1))
        ctx.progress(0.1 + 0.8 * used, _("Searching for the best schedule"))
    if "error" in box:
        raise box["error"]
    result: b2b.Schedule = box["result"]
    return result


@register_job("events.schedule")
def schedule_event(
    ctx: Progress,
    *,
    event_id: int,
    time_limit: int = 10,
    keep_published: bool = True,
    user_id: int | None = None,
) -> dict[str, Any]:
    from . import services

    event = Event.objects.filter(pk=event_id).select_related("cluster").first()
    if event is None:
        raise JobError(_("The event no longer exists."))
    actor = User.objects.filter(pk=user_id).first() if user_id else None
    ctx.progress(0.02, _("Reading participants and requests"))
    ev, people, requests, pins, maps = build_problem(event, keep_published=keep_published)
    if ev.slots == 0:
        raise JobError(_("The event has no time slots: add a session first."))
    ctx.progress(0.1, _("Searching for the best schedule"))
    result = _solve_with_progress(
        ctx,
        float(time_limit),
        (ev, people, requests, pins),
        {"time_limit_s": float(time_limit), "num_workers": 2},
    )
    ctx.progress(0.92, _("Saving the meetings"))
    remote = {r.id: r.remote for r in requests}
    placements = {
        int(m.request_id): (
            maps["slots"][m.slot],
            (maps["rooms"] if remote[m.request_id] else maps["tables"])[m.table],
        )
        for m in result.meetings
    }
    figures = {
        "accepted": len(requests),
        "scheduled": len(result.meetings),
        "total_priority": result.total_priority,
        "upper_bound": result.upper_bound,
        "optimal": result.optimal,
        "total_idle_gaps": result.total_idle_gaps,
        "idle_gaps": {pid: g for pid, g in result.idle_gaps.items() if g},
        "unmet": [
            {"request": int(u.request_id), "code": u.code, "reason": u.reason} for u in result.unmet
        ],
        "pins": len(pins),
        "moved_pins": [int(r) for r in result.moved_pins],
        "method": result.stats.get("method", ""),
        "seconds": round(float(result.stats.get("wall_s", 0.0)), 2),
        "time_limit": time_limit,
    }
    run = services.schedule_apply(
        actor=actor,
        event=event,
        placements=placements,
        figures=figures,
        keep_published=keep_published,
    )
    ctx.progress(1.0, _("Done"))
    return {
        "url": reverse("events:dashboard", args=[event.pk]),
        "message": _("%(n)d of %(m)d accepted requests scheduled")
        % {"n": len(result.meetings), "m": len(requests)},
        "run": run.pk,
        "scheduled": len(result.meetings),
        "accepted": len(requests),
        "moved": len(run.figures["moved"]),
    }
