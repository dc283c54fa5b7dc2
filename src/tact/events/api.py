"""API of B2B events (mounted at /api/events).

Organisers (managers of the event's cluster, administrators) read and write everything of their
events; a participant with a login reads the event, their own requests and published agenda, and
sends or answers requests in their own name. Anything the caller may not see answers 404.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from tact.accounts.api import AUTH

from . import selectors, services
from .models import Event, MeetingRequest, Participant, RequestStatus

router = Router(tags=["events"], auth=AUTH)


class ErrorOut(Schema):
    detail: str
    problems: list[dict[str, str]] = []


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _base(request: HttpRequest) -> str:
    return settings.TACT_BASE_URL or request.build_absolute_uri("/")


def _not_found(what: str) -> Any:
    return Status(404, {"detail": f"No {what} that you may see."})


def _invalid(exc: services.EventError) -> Any:
    return Status(
        422,
        {
            "detail": str(exc),
            "problems": [{"field": f, "message": str(m)} for f, m in exc.problems],
        },
    )


def _event_out(e: Event, organiser: bool) -> dict[str, Any]:
    return {
        "id": e.pk,
        "title": e.title,
        "date": e.date.isoformat(),
        "venue": e.venue,
        "cluster": e.cluster_id,
        "status": e.status,
        "published_at": e.published_at.isoformat() if e.published_at else None,
        "registration_open": e.registration_open,
        "meeting_minutes": e.meeting_minutes,
        "break_minutes": e.break_minutes,
        "organiser": organiser,
    }


def _participant_out(p: Participant, full: bool) -> dict[str, Any]:
    out = {
        "id": p.pk,
        "organisation": p.organisation_name,
        "person": p.person,
        "role": p.role,
        "attendance": p.attendance,
        "offers": p.offers,
        "seeks": p.seeks,
    }
    if full:
        out.update(
            email=p.email,
            max_meetings=p.max_meetings,
            sessions=[s.name for s in p.sessions.all()],
            has_login=p.user_id is not None,
        )
    return out


def _request_out(r: MeetingRequest) -> dict[str, Any]:
    return {
        "id": r.pk,
        "requester": r.requester_id,
        "requested": r.requested_id,
        "priority": r.priority,
        "message": r.message,
        "status": r.status,
    }


@router.get("/", response=list[dict[str, Any]], summary="Events you organise or take part in",
            url_name="events_list")  # fmt: skip
def list_events(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    return [
        _event_out(e, selectors.is_organiser(user, e))
        for e in selectors.events_visible_to(user).order_by("-date", "pk")
    ]


class EventIn(Schema):
    cluster: int
    title: str = ""
    date: str = ""
    venue: str = ""
    description: str = ""
    meeting_minutes: int | None = None
    break_minutes: int | None = None
    default_max_meetings: int | None = None


@router.post("/", response={201: dict[str, Any], 403: ErrorOut, 422: ErrorOut},
             summary="Create an event (cluster managers)", url_name="events_list")  # fmt: skip
def create_event(request: HttpRequest, payload: EventIn) -> Any:
    from tact.accounts.selectors import clusters_managed_by

    user = _user(request)
    cluster = clusters_managed_by(user).filter(pk=payload.cluster).first()
    if cluster is None:
        return Status(403, {"detail": "You do not manage this cluster."})
    try:
        event = services.event_create(actor=user, cluster=cluster, data=payload.dict())
    except services.EventError as exc:
        return _invalid(exc)
    return Status(201, _event_out(event, True))


@router.get("/{b2b_event_id}", response={200: dict[str, Any], 404: ErrorOut},
            summary="One event with its sessions, slots and tables", url_name="events_event")  # fmt: skip
def get_event(request: HttpRequest, b2b_event_id: int) -> Any:
    user = _user(request)
    event = selectors.event_get(user, b2b_event_id)
    if event is None:
        return _not_found("event")
    organiser = selectors.is_organiser(user, event)
    me = selectors.my_participant(user, event)
    return {
        **_event_out(event, organiser),
        "sessions": [
            {
                "id": s.pk,
                "name": s.name,
                "start": s.start.strftime("%H:%M"),
                "end": s.end.strftime("%H:%M"),
                "slots": [
                    {"id": x.pk, "start": x.start.isoformat(), "end": x.end.isoformat()}
                    for x in s.slots.all()
                ],
            }
            for s in event.sessions.prefetch_related("slots")
        ],
        "tables": [
            {"id": t.pk, "name": t.name, "remote": t.remote, "link": t.link}
            for t in event.tables.all()
        ],
        "me": me.pk if me else None,
    }


class PublishIn(Schema):
    publish: bool = False
    registration_open: bool | None = None


@router.patch("/{b2b_event_id}", response={200: dict[str, Any], 404: ErrorOut, 422: ErrorOut},
              summary="Publish the schedule ({\"publish\": true})", url_name="events_event")  # fmt: skip
def patch_event(request: HttpRequest, b2b_event_id: int, payload: PublishIn) -> Any:
    user = _user(request)
    event = selectors.organised_event(user, b2b_event_id)
    if event is None:
        return _not_found("event you organise")
    if payload.registration_open is not None:
        services.registration_set(actor=user, event=event, open_=payload.registration_open)
    report = None
    if payload.publish:
        try:
            report = services.schedule_publish(
                actor=user,
                event=event,
                base_url=_base(request),
            )
        except services.EventError as exc:
            return _invalid(exc)
    event.refresh_from_db()
    out = {**_event_out(event, True), "newly_published": report.changed if report else 0}
    if report is not None:
        out["cancelled"] = report.cancelled
        out["emails"] = {
            "sent": report.notices.sent,
            "without_email": report.notices.skipped,
            "failed": report.notices.failed,
        }
    return out


@router.get("/{b2b_event_id}/participants", response={200: list[dict[str, Any]], 404: ErrorOut},
            summary="Participants (organisers: everything; participants: the marketplace)",
            url_name="events_participants")  # fmt: skip
def list_participants(request: HttpRequest, b2b_event_id: int, q: str = "", role: str = "") -> Any:
    user = _user(request)
    event = selectors.event_get(user, b2b_event_id)
    if event is None:
        return _not_found("event")
    organiser = selectors.is_organiser(user, event)
    if not organiser and selectors.my_participant(user, event) is None:
        return _not_found("event")
    qs = (
        selectors.participants(event, q[:100], role[:20])
        if organiser
        else selectors.marketplace(event, q[:100], role[:20])
    )
    return [_participant_out(p, organiser) for p in qs]


class ParticipantIn(Schema):
    organisation: str = ""
    person: str = ""
    email: str = ""
    role: str = "other"
    attendance: str = "onsite"
    sessions: list[str] = []
    max_meetings: int | None = None
    offers: str = ""
    seeks: str = ""


@router.post("/{b2b_event_id}/participants",
             response={201: dict[str, Any], 404: ErrorOut, 422: ErrorOut},
             summary="Add a participant (organisers)", url_name="events_participants")  # fmt: skip
def add_participant(request: HttpRequest, b2b_event_id: int, payload: ParticipantIn) -> Any:
    user = _user(request)
    event = selectors.organised_event(user, b2b_event_id)
    if event is None:
        return _not_found("event you organise")
    try:
        p = services.participant_save(actor=user, event=event, data=payload.dict())
    except services.EventError as exc:
        return _invalid(exc)
    return Status(201, _participant_out(p, True))


@router.get("/{b2b_event_id}/import", response={200: dict[str, Any], 404: ErrorOut},
            summary="The columns an import file has", url_name="events_import")  # fmt: skip
def import_columns(request: HttpRequest, b2b_event_id: int) -> Any:
    if selectors.organised_event(_user(request), b2b_event_id) is None:
        return _not_found("event you organise")
    return {
        "participants": list(services.PARTICIPANT_COLUMNS),
        "requests": list(services.REQUEST_COLUMNS),
    }


@router.post("/{b2b_event_id}/import", response={200: dict[str, Any], 404: ErrorOut, 422: Any},
             summary="Import participants or requests from CSV/XLSX (all or nothing)",
             url_name="events_import")  # fmt: skip
def import_file(
    request: HttpRequest,
    b2b_event_id: int,
    kind: str = "participants",
    dry_run: bool = False,
    file: UploadedFile = File(...),  # noqa: B008
) -> Any:
    user = _user(request)
    event = selectors.organised_event(user, b2b_event_id)
    if event is None:
        return _not_found("event you organise")
    if kind not in ("participants", "requests"):
        return Status(422, {"detail": "kind: use participants or requests"})
    fn = services.participants_import if kind == "participants" else services.requests_import
    report = fn(
        actor=user,
        event=event,
        data=file.read(),
        filename=(file.name or "upload")[:200],
        dry_run=dry_run,
    )
    body = {
        "kind": kind,
        "dry_run": dry_run,
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "problems": [
            {"file": p.path, "row": p.record, "field": p.field, "message": p.message}
            for p in report.problems
        ],
    }
    return Status(200 if report.ok else 422, body)


@router.get("/{b2b_event_id}/requests", response={200: list[dict[str, Any]], 404: ErrorOut},
            summary="Meeting requests (participants: their own)", url_name="events_requests")  # fmt: skip
def list_requests(request: HttpRequest, b2b_event_id: int, status: str = "") -> Any:
    user = _user(request)
    event = selectors.event_get(user, b2b_event_id)
    if event is None:
        return _not_found("event")
    qs = selectors.requests_visible(user, event)
    if status in RequestStatus.values:
        qs = qs.filter(status=status)
    return [_request_out(r) for r in qs]


class RequestIn(Schema):
    requested: int
    requester: int | None = None
    priority: int = 2
    message: str = ""


@router.post("/{b2b_event_id}/requests", response={201: dict[str, Any], 403: ErrorOut,
             404: ErrorOut, 422: ErrorOut}, summary="Ask for a meeting",
             url_name="events_requests")  # fmt: skip
def create_request(request: HttpRequest, b2b_event_id: int, payload: RequestIn) -> Any:
    user = _user(request)
    event = selectors.event_get(user, b2b_event_id)
    if event is None:
        return _not_found("event")
    organiser = selectors.is_organiser(user, event)
    me = selectors.my_participant(user, event)
    people = {p.pk: p for p in event.participants.all()}
    requester = people.get(payload.requester or 0) if organiser and payload.requester else me
    requested = people.get(payload.requested)
    if requester is None:
        return _not_found("participant in your name (give requester)")
    if requested is None:
        return _invalid(services.EventError([("requested", "no such participant")]))
    try:
        r = services.request_create(
            actor=user,
            event=event,
            requester=requester,
            requested=requested,
            priority=payload.priority,
            message=payload.message,
            base_url=_base(request),
        )
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc)})
    except services.EventError as exc:
        return _invalid(exc)
    return Status(201, _request_out(r))


@router.get("/{b2b_event_id}/requests/{b2b_request_id}", response={200: dict[str, Any], 404: ErrorOut},
            summary="One request", url_name="events_request")  # fmt: skip
def get_request(request: HttpRequest, b2b_event_id: int, b2b_request_id: int) -> Any:
    user = _user(request)
    event = selectors.event_get(user, b2b_event_id)
    r = selectors.request_get(user, event, b2b_request_id) if event else None
    return _request_out(r) if r else _not_found("request")


class DecisionIn(Schema):
    status: str


@router.patch("/{b2b_event_id}/requests/{b2b_request_id}",
              response={200: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
              summary="Accept or decline ({\"status\": \"accepted\" | \"declined\"})",
              url_name="events_request")  # fmt: skip
def decide_request(
    request: HttpRequest, b2b_event_id: int, b2b_request_id: int, payload: DecisionIn
) -> Any:
    user = _user(request)
    event = selectors.event_get(user, b2b_event_id)
    r = selectors.request_get(user, event, b2b_request_id) if event else None
    if r is None:
        return _not_found("request")
    if payload.status not in ("accepted", "declined"):
        return _invalid(services.EventError([("status", "use accepted or declined")]))
    try:
        services.request_decide(
            actor=user, request=r, accept=payload.status == "accepted", base_url=_base(request)
        )
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc)})
    return _request_out(r)


@router.get("/{b2b_event_id}/schedule", response={200: dict[str, Any], 404: ErrorOut},
            summary="The schedule and its figures (organisers)", url_name="events_schedule")  # fmt: skip
def get_schedule(request: HttpRequest, b2b_event_id: int) -> Any:
    event = selectors.organised_event(_user(request), b2b_event_id)
    if event is None:
        return _not_found("event you organise")
    f = selectors.dashboard(event)
    run = f["run"]
    return {
        "meetings": [
            {
                "request": m.request_id,
                "slot": m.slot_id,
                "table": m.table_id,
                "published": m.published,
            }
            for m in event.meetings.all()
        ],
        "accepted": f["accepted"],
        "scheduled": f["meetings"],
        "share_pct": f["share"],
        "unpublished": f["unpublished"],
        "last_run": None
        if run is None
        else {
            "at": run.created_at.isoformat(),
            "total_priority": run.figures.get("total_priority"),
            "upper_bound": run.figures.get("upper_bound"),
            "gap_pct": f.get("gap_pct"),
            "total_idle_gaps": run.figures.get("total_idle_gaps"),
            "idle_gaps": run.figures.get("idle_gaps", {}),
            "moved": run.figures.get("moved", []),
            "unmet": [{"request": u["request"].pk, "reason": u["reason"]} for u in f["unmet"]],
        },
    }


class ScheduleIn(Schema):
    time_limit: int = 10
    keep_published: bool = True


@router.post("/{b2b_event_id}/schedule", response={202: dict[str, Any], 404: ErrorOut,
             422: ErrorOut}, summary="Start a scheduler run (a background job)",
             url_name="events_schedule")  # fmt: skip
def start_schedule(request: HttpRequest, b2b_event_id: int, payload: ScheduleIn) -> Any:
    user = _user(request)
    event = selectors.organised_event(user, b2b_event_id)
    if event is None:
        return _not_found("event you organise")
    try:
        job = services.schedule_start(
            actor=user, event=event, time_limit=payload.time_limit,
            keep_published=payload.keep_published,
        )  # fmt: skip
    except services.EventError as exc:
        return _invalid(exc)
    return Status(202, {"job": str(job.pk), "status": job.status, "url": f"/jobs/{job.pk}/"})


@router.get("/{b2b_event_id}/agenda/{b2b_participant_id}",
            response={200: dict[str, Any], 404: ErrorOut},
            summary="A participant's agenda (participants: their own, once published)",
            url_name="events_agenda")  # fmt: skip
def get_agenda(request: HttpRequest, b2b_event_id: int, b2b_participant_id: int) -> Any:
    user = _user(request)
    event = selectors.event_get(user, b2b_event_id)
    p = selectors.participant_visible(user, event, b2b_participant_id) if event else None
    if event is None or p is None:
        return _not_found("participant")
    organiser = selectors.is_organiser(user, event)
    items = selectors.agenda(p, published_only=not organiser)
    return {
        "participant": _participant_out(p, organiser),
        "published": event.published_at is not None,
        "update_pending": not organiser and selectors.update_pending(p),
        "meetings": [
            {
                "start": i.start.isoformat(),
                "end": i.end.isoformat(),
                "table": i.table_name,
                "remote": i.remote,
                "link": i.link,
                "with": _participant_out(i.other, False),
                "request": i.request.pk,
                "published": i.published,
            }
            for i in items
        ],
    }


def _profile_out(p: Participant) -> dict[str, Any]:
    event = p.event
    return {
        **_participant_out(p, True),
        "sessions": [{"id": s.pk, "name": s.name} for s in p.sessions.all()],
        "max_meetings_limit": event.default_max_meetings,
        "registration_open": event.registration_open,
        "available_sessions": [{"id": s.pk, "name": s.name} for s in event.sessions.all()],
    }


class ProfileIn(Schema):
    offers: str | None = None
    seeks: str | None = None
    max_meetings: int | None = None
    sessions: list[int] | None = None  # session ids; empty: all sessions


@router.get("/{b2b_event_id}/me", response={200: dict[str, Any], 404: ErrorOut},
            summary="Your own participant profile", url_name="events_me")  # fmt: skip
def get_me(request: HttpRequest, b2b_event_id: int) -> Any:
    user = _user(request)
    event = selectors.event_get(user, b2b_event_id)
    me = selectors.my_participant(user, event) if event else None
    if me is None:
        return _not_found("participant in your name")
    return _profile_out(me)


@router.patch("/{b2b_event_id}/me", response={200: dict[str, Any], 404: ErrorOut, 422: ErrorOut},
              summary="Edit your offers, wishes, sessions and maximum (while registration is "
                      "open)", url_name="events_me")  # fmt: skip
def patch_me(request: HttpRequest, b2b_event_id: int, payload: ProfileIn) -> Any:
    user = _user(request)
    event = selectors.event_get(user, b2b_event_id)
    me = selectors.my_participant(user, event) if event else None
    if me is None:
        return _not_found("participant in your name")
    data = {k: v for k, v in payload.model_dump().items() if v is not None}
    try:
        services.profile_update(actor=user, participant=me, data=data)
    except services.EventError as exc:
        return _invalid(exc)
    me.refresh_from_db()
    return _profile_out(me)
