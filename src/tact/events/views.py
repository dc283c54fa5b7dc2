"""B2B event pages. Thin: parse, call a selector or a service, render.

Organiser pages answer 404 to anyone who does not manage the event's cluster; participant pages
show only the caller's own profile, requests and agenda.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tact.accounts.selectors import clusters_managed_by
from tact.core.tabular import CONTENT_TYPES, write_rows

from . import selectors, services
from .models import PRIORITIES, Attendance, Event, ParticipantRole, RequestStatus
from .outputs import agenda_ics as _agenda_ics

MAX_UPLOAD = 5 * 1024 * 1024


def _event(request: HttpRequest, b2b_event_id: int) -> Event:
    event = selectors.event_get(request.user, b2b_event_id)
    if event is None:
        raise Http404(_("There is no event with this id that you may see."))
    return event


def _organised(request: HttpRequest, b2b_event_id: int) -> Event:
    event = selectors.organised_event(request.user, b2b_event_id)
    if event is None:
        raise Http404(_("There is no event with this id that you organise."))
    return event


def _base_url(request: HttpRequest) -> str:
    return settings.TACT_BASE_URL or request.build_absolute_uri("/")


def _int(raw: Any) -> int | None:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return value if 0 < value < 2**31 else None


def _form(request: HttpRequest, keys: list[str]) -> dict[str, Any]:
    return {k: request.POST.get(k, "")[:6000] for k in keys}


EVENT_KEYS = ["title", "date", "description", "venue", "meeting_minutes", "break_minutes",
              "default_max_meetings"]  # fmt: skip
PARTICIPANT_KEYS = ["organisation", "person", "email", "role", "attendance", "max_meetings",
                    "offers", "seeks"]  # fmt: skip


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    events = selectors.events_visible_to(request.user)
    return render(
        request,
        "events/list.html",
        {"events": events, "can_create": clusters_managed_by(request.user).exists()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    clusters = list(clusters_managed_by(request.user))
    if not clusters:
        raise PermissionDenied(_("Only cluster managers organise events."))
    data: dict[str, Any] = {"meeting_minutes": 20, "break_minutes": 5, "default_max_meetings": 8,
                            "cluster": str(clusters[0].pk)}  # fmt: skip
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        data = _form(request, [*EVENT_KEYS, "cluster"])
        cluster = next((c for c in clusters if str(c.pk) == data["cluster"]), None)
        if cluster is None:
            errors["cluster"] = _("Choose one of your clusters.")
        else:
            try:
                event = services.event_create(actor=request.user, cluster=cluster, data=data)
                messages.success(request, _("Event created. Now add its sessions and tables."))
                return redirect("events:detail", b2b_event_id=event.pk)
            except services.EventError as exc:
                errors.update(dict(exc.problems))
        status = 422
    return render(
        request,
        "events/event_form.html",
        {"data": data, "errors": errors, "clusters": clusters, "event": None},
        status=status,
    )


@login_required
@require_GET
def detail(request: HttpRequest, b2b_event_id: int) -> HttpResponse:
    event = _event(request, b2b_event_id)
    if not selectors.is_organiser(request.user, event):
        return redirect("events:me", b2b_event_id=event.pk)
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "sessions": event.sessions.prefetch_related("slots"),
            "tables": event.tables.all(),
            "figures": selectors.dashboard(event),
            "participant_count": event.participants.count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, b2b_event_id: int) -> HttpResponse:
    event = _organised(request, b2b_event_id)
    data = {k: getattr(event, k) for k in EVENT_KEYS}
    data["date"] = event.date.isoformat()
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        data = _form(request, EVENT_KEYS)
        try:
            dropped = services.event_update(actor=request.user, event=event, data=data)
            messages.success(request, _("Saved."))
            if dropped:
                messages.warning(
                    request,
                    _("New slot times: %(n)d scheduled meetings were removed; schedule again.")
                    % {"n": dropped},
                )
            return redirect("events:detail", b2b_event_id=event.pk)
        except services.EventError as exc:
            errors.update(dict(exc.problems))
            status = 422
    return render(
        request,
        "events/event_form.html",
        {"data": data, "errors": errors, "event": event},
        status=status,
    )


@login_required
@require_POST
def session_add(request: HttpRequest, b2b_event_id: int) -> HttpResponse:
    event = _organised(request, b2b_event_id)
    try:
        session = services.session_add(
            actor=request.user, event=event, data=_form(request, ["name", "start", "end"])
        )
        messages.success(
            request, _("Session added with %(n)d slots.") % {"n": session.slots.count()}
        )
    except services.EventError as exc:
        for f, m in exc.problems:
            messages.error(request, f"{f}: {m}")
    return redirect("events:detail", b2b_event_id=event.pk)


@login_required
@require_POST
def session_delete(request: HttpRequest, b2b_event_id: int, b2b_session_id: int) -> HttpResponse:
    event = _organised(request, b2b_event_id)
    session = event.sessions.filter(pk=b2b_session_id).first()
    if session is None:
        raise Http404(_("No such session."))
    dropped = services.session_delete(actor=request.user, session=session)
    messages.success(request, _("Session removed (%(n)d meetings with it).") % {"n": dropped})
    return redirect("events:detail", b2b_event_id=event.pk)


@login_required
@require_POST
def tables_add(request: HttpRequest, b2b_event_id: int) -> HttpResponse:
    event = _organised(request, b2b_event_id)
    try:
        made = services.tables_add(
            actor=request.user,
            event=event,
            count=request.POST.get("count", "")[:10],
            remote=request.POST.get("remote") == "1",
            link=request.POST.get("link", "")[:200],
        )
        messages.success(request, _("%(n)d added.") % {"n": len(made)})
    except services.EventError as exc:
        for f, m in exc.problems:
            messages.error(request, f"{f}: {m}")
    return redirect("events:detail", b2b_event_id=event.pk)


@login_required
@require_POST
def table_edit(request: HttpRequest, b2b_event_id: int, b2b_table_id: int) -> HttpResponse:
    event = _organised(request, b2b_event_id)
    table = event.tables.filter(pk=b2b_table_id).first()
    if table is None:
        raise Http404(_("No such table."))
    if request.POST.get("delete"):
        dropped = services.table_delete(actor=request.user, table=table)
        messages.success(request, _("Removed (%(n)d meetings with it).") % {"n": dropped})
    else:
        try:
            services.table_update(
                actor=request.user,
                table=table,
                name=request.POST.get("name", table.name)[:200],
                link=request.POST.get("link", table.link)[:300],
            )
            messages.success(request, _("Saved."))
        except services.EventError as exc:
            for f, m in exc.problems:
                messages.error(request, f"{f}: {m}")
    return redirect("events:detail", b2b_event_id=event.pk)


@login_required
@require_GET
def participants(request: HttpRequest, b2b_event_id: int) -> HttpResponse:
    event = _organised(request, b2b_event_id)
    q = request.GET.get("q", "")[:100]
    role = request.GET.get("role", "")
    role = role if role in ParticipantRole.values else ""
    return render(
        request,
        "events/participants.html",
        {
            "event": event,
            "participants": selectors.participants(event, q, role),
            "q": q,
            "role": role,
            "roles": ParticipantRole.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def participant_edit(
    request: HttpRequest, b2b_event_id: int, b2b_participant_id: int | None = None
) -> HttpResponse:
    """Organisers add or edit anyone; a participant edits their own offers and wishes."""
    event = _event(request, b2b_event_id)
    organiser = selectors.is_organiser(request.user, event)
    if not organiser:
        # A participant edits their own profile on their own page.
        me = selectors.my_participant(request.user, event)
        if me is None or b2b_participant_id != me.pk:
            raise Http404(_("No such participant that you may edit."))
        return redirect("events:me", b2b_event_id=event.pk)
    participant = None
    if b2b_participant_id is not None:
        participant = selectors.participant_visible(request.user, event, b2b_participant_id)
        if participant is None:
            raise Http404(_("No such participant that you may edit."))
    elif not organiser:
        raise Http404(_("There is no event with this id that you organise."))
    if participant is not None:
        data: dict[str, Any] = {
            "organisation": participant.organisation_name,
            "person": participant.person,
            "email": participant.email,
            "role": participant.role,
            "attendance": participant.attendance,
            "max_meetings": participant.max_meetings,
            "offers": participant.offers,
            "seeks": participant.seeks,
        }
        chosen = [str(s.pk) for s in participant.sessions.all()]
    else:
        data = {"max_meetings": event.default_max_meetings, "attendance": "onsite"}
        chosen = []
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        data = _form(request, PARTICIPANT_KEYS)
        chosen = [v[:12] for v in request.POST.getlist("sessions")[:50]]
        data["sessions"] = chosen
        try:
            services.participant_save(
                actor=request.user, event=event, data=data, participant=participant
            )
            messages.success(request, _("Saved."))
            return redirect("events:participants", b2b_event_id=event.pk)
        except services.EventError as exc:
            errors.update(dict(exc.problems))
            status = 422
    return render(
        request,
        "events/participant_form.html",
        {
            "event": event,
            "participant": participant,
            "organiser": organiser,
            "data": data,
            "chosen": chosen,
            "errors": errors,
            "roles": ParticipantRole.choices,
            "attendances": Attendance.choices,
            "sessions": event.sessions.all(),
        },
        status=status,
    )


@login_required
@require_POST
def participant_delete(
    request: HttpRequest, b2b_event_id: int, b2b_participant_id: int
) -> HttpResponse:
    event = _organised(request, b2b_event_id)
    participant = event.participants.filter(pk=b2b_participant_id).first()
    if participant is None:
        raise Http404(_("No such participant."))
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm the removal."))
        return redirect(
            "events:participant_edit", b2b_event_id=event.pk, b2b_participant_id=participant.pk
        )
    services.participant_delete(actor=request.user, participant=participant)
    messages.success(request, _("Participant removed with their requests and meetings."))
    return redirect("events:participants", b2b_event_id=event.pk)


@login_required
@require_http_methods(["GET", "POST"])
def import_file(request: HttpRequest, b2b_event_id: int) -> HttpResponse:
    event = _organised(request, b2b_event_id)
    kind = request.POST.get("kind") or request.GET.get("kind") or "participants"
    if kind not in ("participants", "requests"):
        kind = "participants"
    report = None
    error = ""
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose a CSV or XLSX file.")
            status = 422
        elif upload.size is not None and upload.size > MAX_UPLOAD:
            error = _("The file is larger than 5 MB.")
            status = 422
        else:
            fn = (
                services.participants_import if kind == "participants" else services.requests_import
            )
            report = fn(
                actor=request.user,
                event=event,
                data=upload.read(),
                filename=(upload.name or "upload")[:200],
                dry_run=request.POST.get("dry_run") == "1",
            )
            status = 200 if report.ok else 422
            if report.ok and not report.dry_run:
                messages.success(
                    request,
                    _("Imported: %(c)d new, %(u)d updated.")
                    % {"c": report.created, "u": report.updated},
                )
    columns = services.PARTICIPANT_COLUMNS if kind == "participants" else services.REQUEST_COLUMNS
    return render(
        request,
        "events/import.html",
        {"event": event, "kind": kind, "report": report, "error": error, "columns": columns},
        status=status,
    )


@login_required
@require_GET
def marketplace(request: HttpRequest, b2b_event_id: int) -> HttpResponse:
    event = _event(request, b2b_event_id)
    organiser = selectors.is_organiser(request.user, event)
    me = selectors.my_participant(request.user, event)
    if not organiser and me is None:
        raise Http404(_("There is no event with this id that you may see."))
    q = request.GET.get("q", "")[:100]
    role = request.GET.get("role", "")
    role = role if role in ParticipantRole.values else ""
    side = request.GET.get("side", "")
    side = side if side in ("offers", "seeks") else ""
    asked: set[int] = set()
    if me is not None:
        asked.update(event.requests.filter(requester=me).values_list("requested", flat=True))
        asked.update(event.requests.filter(requested=me).values_list("requester", flat=True))
    return render(
        request,
        "events/marketplace.html",
        {
            "event": event,
            "me": me,
            "organiser": organiser,
            "profiles": selectors.marketplace(event, q, role, side),
            "q": q,
            "role": role,
            "side": side,
            "roles": ParticipantRole.choices,
            "asked": asked,
            "priorities": PRIORITIES.items(),
            "everyone": event.participants.all() if organiser else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest, b2b_event_id: int) -> HttpResponse:
    event = _event(request, b2b_event_id)
    organiser = selectors.is_organiser(request.user, event)
    me = selectors.my_participant(request.user, event)
    if not organiser and me is None:
        raise Http404(_("There is no event with this id that you may see."))
    status = 200
    if request.method == "POST":
        people = {p.pk: p for p in event.participants.all()}
        requester = me
        if organiser and request.POST.get("requester"):
            requester = people.get(_int(request.POST.get("requester")) or 0)
        requested = people.get(_int(request.POST.get("requested")) or 0)
        if requester is None or requested is None:
            messages.error(request, _("Choose who asks and whom to meet."))
            status = 422
        else:
            try:
                services.request_create(
                    actor=request.user,
                    event=event,
                    requester=requester,
                    requested=requested,
                    priority=request.POST.get("priority", "2")[:5],
                    message=request.POST.get("message", "")[:600],
                    base_url=_base_url(request),
                )
                messages.success(
                    request, _("Request sent to %(who)s.") % {"who": requested.organisation_name}
                )
                return redirect("events:requests", b2b_event_id=event.pk)
            except services.EventError as exc:
                for f, m in exc.problems:
                    messages.error(request, f"{f}: {m}")
                status = 422
    state = request.GET.get("status", "")
    qs = selectors.requests_visible(request.user, event)
    if state in RequestStatus.values:
        qs = qs.filter(status=state)
    return render(
        request,
        "events/requests.html",
        {
            "event": event,
            "me": me,
            "organiser": organiser,
            "requests": qs,
            "status": state,
            "statuses": RequestStatus.choices,
        },
        status=status,
    )


@login_required
@require_POST
def request_decide(request: HttpRequest, b2b_event_id: int, b2b_request_id: int) -> HttpResponse:
    event = _event(request, b2b_event_id)
    req = selectors.request_get(request.user, event, b2b_request_id)
    if req is None:
        raise Http404(_("No such request that you may see."))
    decision = request.POST.get("decision")
    if decision not in ("accept", "decline", "withdraw"):
        messages.error(request, _("decision: choose accept, decline or withdraw"))
        return redirect("events:requests", b2b_event_id=event.pk)
    if decision == "withdraw":
        services.request_withdraw(actor=request.user, request=req)
        messages.success(request, _("Request withdrawn."))
    else:
        services.request_decide(
            actor=request.user,
            request=req,
            accept=decision == "accept",
            base_url=_base_url(request),
        )
        messages.success(request, _("Request %(s)s.") % {"s": req.get_status_display()})
    target = "events:me" if request.POST.get("next_page") == "me" else "events:requests"
    return redirect(target, b2b_event_id=event.pk)


@login_required
@require_POST
def schedule(request: HttpRequest, b2b_event_id: int) -> HttpResponse:
    event = _organised(request, b2b_event_id)
    try:
        job = services.schedule_start(
            actor=request.user,
            event=event,
            time_limit=request.POST.get("time_limit", "10")[:5] or "10",
            keep_published=request.POST.get("keep_published", "1") == "1",
        )
    except services.EventError as exc:
        for f, m in exc.problems:
            messages.error(request, f"{f}: {m}")
        return redirect("events:detail", b2b_event_id=event.pk)
    return redirect("core:job_detail", job_id=job.pk)


@login_required
@require_POST
def publish(request: HttpRequest, b2b_event_id: int) -> HttpResponse:
    event = _organised(request, b2b_event_id)
    try:
        report = services.schedule_publish(
            actor=request.user, event=event, base_url=_base_url(request)
        )
    except services.EventError as exc:
        for f, m in exc.problems:
            messages.error(request, f"{f}: {m}")
        return redirect("events:dashboard", b2b_event_id=event.pk)
    messages.success(
        request,
        _("Published: %(n)d new or changed meetings are now visible, %(c)d cancelled.")
        % {"n": report.changed, "c": report.cancelled},
    )
    n = report.notices
    messages.info(
        request,
        _("E-mailed %(sent)d participants their agenda; %(skipped)d without an e-mail address "
          "skipped.") % {"sent": n.sent, "skipped": n.skipped},
    )  # fmt: skip
    if n.failed:
        messages.warning(
            request,
            _("%(n)d e-mails could not be sent: check the mail server settings.") % {"n": n.failed},
        )
    return redirect("events:dashboard", b2b_event_id=event.pk)


@login_required
@require_POST
def registration(request: HttpRequest, b2b_event_id: int) -> HttpResponse:
    """Open or close registration (participants editing their own profile)."""
    event = _organised(request, b2b_event_id)
    value = request.POST.get("open")
    if value not in ("0", "1"):
        messages.error(request, _("open: use 1 to open or 0 to close registration"))
        return redirect("events:detail", b2b_event_id=event.pk)
    services.registration_set(actor=request.user, event=event, open_=value == "1")
    messages.success(
        request,
        _("Registration is open: participants may edit their profile.")
        if value == "1"
        else _("Registration is closed: participants can no longer edit their profile."),
    )
    return redirect("events:detail", b2b_event_id=event.pk)


@login_required
@require_GET
def dashboard(request: HttpRequest, b2b_event_id: int) -> HttpResponse:
    event = _organised(request, b2b_event_id)
    return render(
        request, "events/dashboard.html", {"event": event, "f": selectors.dashboard(event)}
    )


@login_required
@require_GET
def table_plan(request: HttpRequest, b2b_event_id: int) -> HttpResponse:
    event = _organised(request, b2b_event_id)
    slots, tables, grid = selectors.table_plan(event)
    rows = [(s, [grid.get((s.pk, t.pk)) for t in tables]) for s in slots]
    return render(
        request, "events/table_plan.html", {"event": event, "tables": tables, "rows": rows}
    )


@login_required
@require_http_methods(["GET", "POST"])
def me(request: HttpRequest, b2b_event_id: int) -> HttpResponse:
    """A participant's own page: requests to answer, their profile, their published agenda."""
    event = _event(request, b2b_event_id)
    participant = selectors.my_participant(request.user, event)
    if participant is None:
        if selectors.is_organiser(request.user, event):
            return redirect("events:detail", b2b_event_id=event.pk)
        raise Http404(_("You do not take part in this event."))
    data: dict[str, Any] = {
        "offers": participant.offers,
        "seeks": participant.seeks,
        "max_meetings": participant.max_meetings,
    }
    chosen = [str(s.pk) for s in participant.sessions.all()]
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        data = _form(request, ["offers", "seeks", "max_meetings"])
        chosen = [v[:12] for v in request.POST.getlist("sessions")[:50]]
        try:
            services.profile_update(
                actor=request.user, participant=participant, data={**data, "sessions": chosen}
            )
            messages.success(request, _("Your profile is saved."))
            return redirect("events:me", b2b_event_id=event.pk)
        except services.EventError as exc:
            errors.update(dict(exc.problems))
            status = 422
    reqs = selectors.requests_visible(request.user, event).filter(
        requested=participant, status=RequestStatus.PENDING
    )
    run = selectors.latest_run(event)
    changed_since = bool(
        run is not None
        and participant.availability_changed_at is not None
        and participant.availability_changed_at > run.created_at
    )
    return render(
        request,
        "events/me.html",
        {
            "event": event,
            "me": participant,
            "incoming": reqs,
            "published": event.published_at is not None,
            "items": selectors.agenda(participant, published_only=True),
            "update_pending": selectors.update_pending(participant),
            "changed_since": changed_since,
            "data": data,
            "chosen": chosen,
            "errors": errors,
            "sessions": event.sessions.all(),
            "max_limit": event.default_max_meetings,
        },
        status=status,
    )


def _agenda_participant(request: HttpRequest, b2b_event_id: int, b2b_participant_id: int) -> Any:
    event = _event(request, b2b_event_id)
    participant = selectors.participant_visible(request.user, event, b2b_participant_id)
    if participant is None:
        raise Http404(_("No such participant that you may see."))
    organiser = selectors.is_organiser(request.user, event)
    # Participants see what was published; organisers also the draft.
    items = selectors.agenda(participant, published_only=not organiser)
    return event, participant, organiser, items


@login_required
@require_GET
def agenda(request: HttpRequest, b2b_event_id: int, b2b_participant_id: int) -> HttpResponse:
    event, participant, organiser, items = _agenda_participant(
        request, b2b_event_id, b2b_participant_id
    )
    return render(
        request,
        "events/agenda.html",
        {
            "event": event,
            "p": participant,
            "organiser": organiser,
            "items": items,
            "published": event.published_at is not None,
            "update_pending": not organiser and selectors.update_pending(participant),
        },
    )


@login_required
@require_GET
def agenda_ics(request: HttpRequest, b2b_event_id: int, b2b_participant_id: int) -> HttpResponse:
    event, participant, _org, items = _agenda_participant(request, b2b_event_id, b2b_participant_id)
    body = _agenda_ics(event, participant, items)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    name = slugify(f"{event.title}-{participant.person}") or "agenda"
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    return response


@login_required
@require_GET
def agendas_print(request: HttpRequest, b2b_event_id: int) -> HttpResponse:
    """Every participant's agenda, one per printed page, for the welcome desk."""
    event = _organised(request, b2b_event_id)
    people = [
        (p, selectors.agenda(p, published_only=False))
        for p in event.participants.order_by("organisation_name", "person")
    ]
    return render(request, "events/agendas_print.html", {"event": event, "people": people})


SCHEDULE_COLUMNS = ["start", "end", "session", "table", "remote", "video_link", "organisation_a",
                    "person_a", "email_a", "organisation_b", "person_b", "email_b", "priority",
                    "published"]  # fmt: skip


@login_required
@require_GET
def schedule_export(request: HttpRequest, b2b_event_id: int, b2b_format: str) -> HttpResponse:
    fmt = b2b_format
    """All meetings as a spreadsheet (CSV or XLSX), in local time."""
    event = _organised(request, b2b_event_id)
    if fmt not in CONTENT_TYPES:
        raise Http404(_("Use schedule.csv or schedule.xlsx."))
    rows = []
    for m in event.meetings.select_related(
        "slot__session", "table", "request__requester", "request__requested"
    ):
        a, b = m.request.requester, m.request.requested
        rows.append(
            {
                "start": timezone.localtime(m.slot.start).strftime("%Y-%m-%d %H:%M"),
                "end": timezone.localtime(m.slot.end).strftime("%H:%M"),
                "session": m.slot.session.name,
                "table": m.table.name,
                "remote": "yes" if m.table.remote else "no",
                "video_link": m.table.link if m.table.remote else "",
                "organisation_a": a.organisation_name,
                "person_a": a.person,
                "email_a": a.email,
                "organisation_b": b.organisation_name,
                "person_b": b.person,
                "email_b": b.email,
                "priority": m.request.priority,
                "published": "yes" if m.published else "no",
            }
        )
    response = HttpResponse(
        write_rows(SCHEDULE_COLUMNS, rows, fmt), content_type=CONTENT_TYPES[fmt]
    )
    name = slugify(event.title) or "event"
    response["Content-Disposition"] = f'attachment; filename="{name}-schedule.{fmt}"'
    return response
