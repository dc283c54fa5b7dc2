"""API of the mentoring app (mounted at /api/mentoring).

Every endpoint needs a token or a session. A programme the caller does not manage answers 404
(its existence is not revealed); bad input answers 422 naming the field (or the file's row and
column); a manual pair that breaks a hard rule answers 409 with the rules it breaks unless
``confirm`` is true. Matching larger than the inline limit answers 202 with the job to poll.
"""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field as SchemaField
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from tact.accounts.api import AUTH
from tact.accounts.models import ClusterInitiative
from tact.accounts.selectors import clusters_managed_by
from tact.core.tabular import CONTENT_TYPES, write_rows

from . import exports, selectors, services
from .forms import MAX_UPLOAD, EventForm, ProgrammeForm
from .models import WEIGHT_NAMES, Method, Pair, Participant, Programme, ProgrammeEvent
from .profiles import ProfileError, ProfileProblem, to_row

router = Router(tags=["mentoring"], auth=AUTH)


class ErrorOut(Schema):
    detail: Any


class ProgrammeIn(Schema):
    cluster: Any = SchemaField(None, description="Id of the cluster initiative (on create).")
    name: Any = None
    description: Any = None
    start_date: Any = SchemaField(None, description="YYYY-MM-DD")
    months: Any = None
    location: Any = None
    require_common_language: Any = None
    competitors: Any = SchemaField(None, description='[["Org A", "Org B"], ...]')
    excluded_pairs: Any = SchemaField(None, description='[["mentor e-mail", "mentee e-mail"], ...]')
    weights: Any = SchemaField(None, description="{topics, seniority, language, gender, ...}: 0–10")


class EventIn(Schema):
    kind: Any = None
    title: Any = None
    date: Any = None
    start_time: Any = None
    end_time: Any = None
    location: Any = None
    description: Any = None


class ParticipantIn(Schema):
    side: Any = SchemaField(None, description="mentor or mentee")
    name: Any = None
    email: Any = None
    organisation: Any = None
    function: Any = None
    seniority: Any = SchemaField(None, description="1–5 or junior … executive")
    topics: Any = SchemaField(None, description="A list, or text separated by semicolons.")
    languages: Any = SchemaField(None, description="ISO codes.")
    gender: Any = SchemaField(None, description="f, m, d or empty")
    preferred_gender: Any = None
    location: Any = None
    availability: Any = SchemaField(None, description="Half-days: mon-am … fri-pm.")
    capacity: Any = SchemaField(None, description="Mentors: how many mentees (default 1).")
    ranking: Any = SchemaField(None, description="E-mail addresses of the other side, best first.")
    notes: Any = None


class ConflictOut(Schema):
    detail: Any
    breaks: list[str]


class PairIn(Schema):
    mentor: int
    mentee: int
    lock: bool = True
    confirm: bool = SchemaField(False, description="Save even if the pair breaks a hard rule.")


class LockIn(Schema):
    locked: bool | None = None


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _problems(
    problems: list[ProfileProblem] | list[tuple[str, str]], where: str = "body"
) -> Status:
    items = [(p.field, p.message) if isinstance(p, ProfileProblem) else p for p in problems]
    return Status(
        422,
        {"detail": [{"loc": [where, f], "msg": str(m), "type": "value_error"} for f, m in items]},
    )


def _form_problems(form: Any) -> Status:
    return _problems(
        [
            (f if f != "__all__" else "body", " ".join(str(e) for e in errs))
            for f, errs in form.errors.items()
        ]
    )


def _not_found(what: str = "programme") -> Status:
    return Status(404, {"detail": _("No %(what)s with this id that you may see.") % {"what": what}})


def _programme_out(p: Programme) -> dict[str, Any]:
    return {
        "id": p.pk,
        "cluster_id": p.cluster_id,
        "name": p.name,
        "description": p.description,
        "start_date": p.start_date.isoformat(),
        "months": p.months,
        "location": p.location,
        "require_common_language": p.require_common_language,
        "competitors": p.competitors,
        "excluded_pairs": p.excluded_pairs,
        "weights": p.weights(),
        "pairs_published": p.pairs_published,
        "url": p.get_absolute_url(),
    }


def _participant_out(p: Participant) -> dict[str, Any]:
    return {"id": p.pk, **to_row(p), "unmatched_reason": p.unmatched_reason}


def _pair_out(p: Pair) -> dict[str, Any]:
    return {
        "id": p.pk,
        "mentor": {
            "id": p.mentor_id,
            "name": p.mentor.name,
            "email": p.mentor.email,
            "organisation": p.mentor.organisation,
        },
        "mentee": {
            "id": p.mentee_id,
            "name": p.mentee.name,
            "email": p.mentee.email,
            "organisation": p.mentee.organisation,
        },
        "percent": round(p.percent, 2),
        "reasons": p.reasons,
        "concerns": p.concerns,
        "rule_warnings": p.warnings,
        "locked": p.locked,
        "source": p.source,
    }


def _event_out(e: ProgrammeEvent) -> dict[str, Any]:
    return {
        "id": e.pk,
        "kind": e.kind,
        "title": e.title,
        "date": e.date.isoformat(),
        "start_time": e.start_time.isoformat(timespec="minutes") if e.start_time else None,
        "end_time": e.end_time.isoformat(timespec="minutes") if e.end_time else None,
        "location": e.location,
        "description": e.description,
    }


def _lines(value: Any, field: str) -> str | ProfileProblem:
    """[[a, b], ...] -> 'a | b' lines for the form."""
    if value is None:
        return ""
    if not isinstance(value, list) or not all(
        isinstance(v, list) and len(v) == 2 and all(isinstance(x, str) for x in v) for v in value
    ):
        return ProfileProblem(field, _("give a list of pairs of two strings"))
    return "\n".join(f"{a} | {b}" for a, b in value)


def _scalar(value: Any) -> str:
    if value is None or isinstance(value, (list, dict)):
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    return str(value)


def _programme_form(
    payload: ProgrammeIn, base: dict[str, Any], clusters: Any, editing: bool
) -> ProgrammeForm | Status:
    body = payload.dict(exclude_unset=True)
    data = {**base}
    problems: list[ProfileProblem] = []
    for key in ("name", "description", "start_date", "months", "location", "cluster"):
        if key in body:
            data[key] = _scalar(body[key])
    if "require_common_language" in body:
        data["require_common_language"] = "on" if body["require_common_language"] is True else ""
    for key in ("competitors", "excluded_pairs"):
        if key in body:
            lines = _lines(body[key], key)
            if isinstance(lines, ProfileProblem):
                problems.append(lines)
            else:
                data[key] = lines
    if "weights" in body:
        weights = body["weights"]
        if not isinstance(weights, dict) or set(weights) - set(WEIGHT_NAMES):
            problems.append(
                ProfileProblem(
                    "weights",
                    _("an object with keys among %(keys)s") % {"keys": ", ".join(WEIGHT_NAMES)},
                )
            )
        else:
            for name, value in weights.items():
                data[f"weight_{name}"] = _scalar(value)
    if problems:
        return _problems(problems)
    return ProgrammeForm(data, clusters=clusters, editing=editing)


def _form_base(programme: Programme | None) -> dict[str, Any]:
    if programme is None:
        base = {
            f"weight_{n}": str(Programme._meta.get_field(f"weight_{n}").default)
            for n in WEIGHT_NAMES
        }
        return {**base, "months": "9"}
    from .forms import programme_initial

    initial = programme_initial(programme)
    return {k: ("on" if v is True else "" if v is False else str(v)) for k, v in initial.items()}


# --------------------------------------------------------------------------- programmes


@router.get(
    "/programmes",
    response=list[dict[str, Any]],
    summary="Programmes you run",
    url_name="mentoring_programmes",
)
def list_programmes(request: HttpRequest) -> list[dict[str, Any]]:
    return [_programme_out(p) for p in selectors.programmes_managed_by(_user(request))]


@router.post(
    "/programmes",
    response={201: dict[str, Any], 403: ErrorOut, 422: ErrorOut},
    summary="Create a programme",
    url_name="mentoring_programmes",
)
def create_programme(request: HttpRequest, payload: ProgrammeIn) -> Any:
    user = _user(request)
    clusters = clusters_managed_by(user)
    if not clusters.exists():
        return Status(403, {"detail": _("Only cluster managers run mentoring programmes.")})
    base = _form_base(None)
    if payload.cluster is None and clusters.count() == 1:
        base["cluster"] = str(clusters.first().pk)  # type: ignore[union-attr]
    form = _programme_form(payload, base, clusters, editing=False)
    if isinstance(form, Status):
        return form
    if not form.is_valid():
        return _form_problems(form)
    cluster: ClusterInitiative = form.cleaned_data["cluster"]
    try:
        programme = services.programme_create(actor=user, cluster=cluster, data=form.values())
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc)})
    except ProfileError as exc:
        return _problems(exc.problems)
    return Status(201, _programme_out(programme))


@router.get(
    "/programmes/{programme_id}",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="One programme",
    url_name="mentoring_programme",
)
def get_programme(request: HttpRequest, programme_id: int) -> Any:
    programme = selectors.programme_get(_user(request), programme_id)
    if programme is None:
        return _not_found()
    out = _programme_out(programme)
    run = selectors.last_run(programme)
    out["last_run"] = run.summary() if run else None
    out["events"] = [_event_out(e) for e in selectors.events(programme)]
    return out


@router.patch(
    "/programmes/{programme_id}",
    response={200: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Change a programme (only the fields given)",
    url_name="mentoring_programme",
)
def update_programme(request: HttpRequest, programme_id: int, payload: ProgrammeIn) -> Any:
    user = _user(request)
    programme = selectors.programme_get(user, programme_id)
    if programme is None:
        return _not_found()
    form = _programme_form(payload, _form_base(programme), clusters_managed_by(user), editing=True)
    if isinstance(form, Status):
        return form
    if not form.is_valid():
        return _form_problems(form)
    try:
        programme = services.programme_update(actor=user, programme=programme, data=form.values())
    except ProfileError as exc:
        return _problems(exc.problems)
    return _programme_out(programme)


@router.delete(
    "/programmes/{programme_id}",
    response={204: None, 404: ErrorOut},
    summary="Delete a programme with its profiles, pairs and dates",
    url_name="mentoring_programme",
)
def delete_programme(request: HttpRequest, programme_id: int) -> Any:
    user = _user(request)
    programme = selectors.programme_get(user, programme_id)
    if programme is None:
        return _not_found()
    services.programme_delete(actor=user, programme=programme)
    return Status(204, None)


@router.post(
    "/programmes/{programme_id}/publish",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="Show (published=true) or hide the pairs from participants",
    url_name="mentoring_publish",
)
def publish(request: HttpRequest, programme_id: int, published: bool = True) -> Any:
    user = _user(request)
    programme = selectors.programme_get(user, programme_id)
    if programme is None:
        return _not_found()
    services.programme_publish(actor=user, programme=programme, published=published)
    return _programme_out(programme)


# --------------------------------------------------------------------------- dates


@router.get(
    "/programmes/{programme_id}/events",
    response={200: list[dict[str, Any]], 404: ErrorOut},
    summary="The programme's dates",
    url_name="mentoring_events",
)
def list_events(request: HttpRequest, programme_id: int) -> Any:
    programme = selectors.programme_get(_user(request), programme_id)
    if programme is None:
        return _not_found()
    return [_event_out(e) for e in selectors.events(programme)]


def _event_form(payload: EventIn, base: dict[str, Any]) -> EventForm:
    body = payload.dict(exclude_unset=True)
    data = {**base, **{k: _scalar(v) for k, v in body.items()}}
    return EventForm(data)


@router.post(
    "/programmes/{programme_id}/events",
    response={201: dict[str, Any], 404: ErrorOut, 422: ErrorOut},
    summary="Add a date",
    url_name="mentoring_events",
)
def create_event(request: HttpRequest, programme_id: int, payload: EventIn) -> Any:
    user = _user(request)
    programme = selectors.programme_get(user, programme_id)
    if programme is None:
        return _not_found()
    form = _event_form(payload, {})
    if not form.is_valid():
        return _form_problems(form)
    try:
        event = services.event_create(actor=user, programme=programme, data=form.cleaned_data)
    except ProfileError as exc:
        return _problems(exc.problems)
    return Status(201, _event_out(event))


@router.post(
    "/programmes/{programme_id}/events/template",
    response={201: list[dict[str, Any]], 404: ErrorOut},
    summary="Generate the usual cycle from the start date (replace=true drops the current dates)",
    url_name="mentoring_events_template",
)
def events_template(request: HttpRequest, programme_id: int, replace: bool = False) -> Any:
    user = _user(request)
    programme = selectors.programme_get(user, programme_id)
    if programme is None:
        return _not_found()
    created = services.events_from_template(actor=user, programme=programme, replace=replace)
    return Status(201, [_event_out(e) for e in created])


@router.patch(
    "/programmes/{programme_id}/events/{event_id}",
    response={200: dict[str, Any], 404: ErrorOut, 422: ErrorOut},
    summary="Change a date",
    url_name="mentoring_event",
)
def update_event(request: HttpRequest, programme_id: int, event_id: int, payload: EventIn) -> Any:
    user = _user(request)
    programme = selectors.programme_get(user, programme_id)
    event = selectors.event_get(programme, event_id) if programme else None
    if event is None:
        return _not_found("date")
    base = {k: _scalar(v) for k, v in _event_out(event).items() if k != "id"}
    form = _event_form(payload, base)
    if not form.is_valid():
        return _form_problems(form)
    try:
        event = services.event_update(actor=user, event=event, data=form.cleaned_data)
    except ProfileError as exc:
        return _problems(exc.problems)
    return _event_out(event)


@router.delete(
    "/programmes/{programme_id}/events/{event_id}",
    response={204: None, 404: ErrorOut},
    summary="Delete a date",
    url_name="mentoring_event",
)
def delete_event(request: HttpRequest, programme_id: int, event_id: int) -> Any:
    user = _user(request)
    programme = selectors.programme_get(user, programme_id)
    event = selectors.event_get(programme, event_id) if programme else None
    if event is None:
        return _not_found("date")
    services.event_delete(actor=user, event=event)
    return Status(204, None)


@router.get(
    "/programmes/{programme_id}/calendar",
    response={200: None, 404: ErrorOut},
    summary="The dates as iCalendar (managers; participants once the pairs are published)",
    openapi_extra={"responses": {200: {"content": {"text/calendar": {}}}}},
    url_name="mentoring_calendar",
)
def calendar(request: HttpRequest, programme_id: int) -> Any:
    programme = selectors.programme_for_calendar(_user(request), programme_id)
    if programme is None:
        return _not_found()
    return HttpResponse(
        exports.programme_ics(programme), content_type="text/calendar; charset=utf-8"
    )


# --------------------------------------------------------------------------- profiles


@router.get(
    "/programmes/{programme_id}/participants",
    response={200: list[dict[str, Any]], 404: ErrorOut},
    summary="Profiles",
    url_name="mentoring_participants",
)
def list_participants(
    request: HttpRequest, programme_id: int, side: Literal["mentor", "mentee"] | None = None
) -> Any:
    programme = selectors.programme_get(_user(request), programme_id)
    if programme is None:
        return _not_found()
    return [_participant_out(p) for p in selectors.participants(programme, side)]


@router.post(
    "/programmes/{programme_id}/participants",
    response={201: dict[str, Any], 404: ErrorOut, 422: ErrorOut},
    summary="Add a profile (the fields of an import row)",
    url_name="mentoring_participants",
)
def create_participant(request: HttpRequest, programme_id: int, payload: ParticipantIn) -> Any:
    user = _user(request)
    programme = selectors.programme_get(user, programme_id)
    if programme is None:
        return _not_found()
    try:
        participant = services.participant_create(
            actor=user, programme=programme, data=payload.dict()
        )
    except ProfileError as exc:
        return _problems(exc.problems)
    return Status(201, _participant_out(participant))


@router.get(
    "/programmes/{programme_id}/participants/{participant_id}",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="One profile",
    url_name="mentoring_participant",
)
def get_participant(request: HttpRequest, programme_id: int, participant_id: int) -> Any:
    programme = selectors.programme_get(_user(request), programme_id)
    participant = selectors.participant_get(programme, participant_id) if programme else None
    return _participant_out(participant) if participant else _not_found("profile")


@router.put(
    "/programmes/{programme_id}/participants/{participant_id}",
    response={200: dict[str, Any], 404: ErrorOut, 422: ErrorOut},
    summary="Replace a profile",
    url_name="mentoring_participant",
)
def update_participant(
    request: HttpRequest, programme_id: int, participant_id: int, payload: ParticipantIn
) -> Any:
    user = _user(request)
    programme = selectors.programme_get(user, programme_id)
    participant = selectors.participant_get(programme, participant_id) if programme else None
    if participant is None:
        return _not_found("profile")
    try:
        participant = services.participant_update(
            actor=user, participant=participant, data=payload.dict()
        )
    except ProfileError as exc:
        return _problems(exc.problems)
    return _participant_out(participant)


@router.delete(
    "/programmes/{programme_id}/participants/{participant_id}",
    response={204: None, 404: ErrorOut},
    summary="Delete a profile (and its pairs)",
    url_name="mentoring_participant",
)
def delete_participant(request: HttpRequest, programme_id: int, participant_id: int) -> Any:
    user = _user(request)
    programme = selectors.programme_get(user, programme_id)
    participant = selectors.participant_get(programme, participant_id) if programme else None
    if participant is None:
        return _not_found("profile")
    services.participant_delete(actor=user, participant=participant)
    return Status(204, None)


@router.post(
    "/programmes/{programme_id}/import",
    response={200: dict[str, Any], 404: ErrorOut, 422: ErrorOut},
    summary="Import profiles from CSV/XLSX (dry_run=true only checks); all or nothing",
    url_name="mentoring_import",
)
def import_participants(
    request: HttpRequest,
    programme_id: int,
    dry_run: bool = False,
    file: UploadedFile | None = File(None),  # noqa: B008 (ninja declares parameters so)
) -> Any:
    user = _user(request)
    programme = selectors.programme_get(user, programme_id)
    if programme is None:
        return _not_found()
    if file is None:
        return _problems([("file", _("upload a CSV or XLSX file as the multipart field 'file'"))])
    if file.size is not None and file.size > MAX_UPLOAD:
        return _problems([("file", _("the file is larger than 5 MB"))])
    report = services.participants_import(
        actor=user,
        programme=programme,
        data=file.read(),
        filename=file.name or "upload.csv",
        dry_run=dry_run,
    )
    body = {
        "applied": report.applied,
        "dry_run": dry_run,
        "created": report.count("create"),
        "updated": report.count("update"),
        "unchanged": report.count("unchanged"),
        "rows": [
            {
                "row": r.number,
                "email": r.email,
                "name": r.name,
                "side": r.side,
                "action": r.action or "refused",
            }
            for r in report.rows
        ],
        "problems": [
            {"file": p.path, "row": p.record, "field": p.field, "message": p.message}
            for p in report.problems
        ],
    }
    return body if report.ok else Status(422, {"detail": body["problems"], **body})


# --------------------------------------------------------------------------- matching and pairs


@router.post(
    "/programmes/{programme_id}/match",
    response={200: dict[str, Any], 202: dict[str, Any], 404: ErrorOut, 422: ErrorOut},
    summary="Match the programme (inline when small; 202 with a job to poll when large)",
    url_name="mentoring_match",
)
def match(
    request: HttpRequest,
    programme_id: int,
    method: Literal["optimal", "stable"] = Method.OPTIMAL,  # type: ignore[assignment]
    keep_locked: bool = True,
) -> Any:
    user = _user(request)
    programme = selectors.programme_get(user, programme_id)
    if programme is None:
        return _not_found()
    try:
        started = services.programme_match(
            actor=user, programme=programme, method=method, keep_locked=keep_locked
        )
    except ProfileError as exc:
        return _problems(exc.problems, where="query")
    if started.job is not None:
        job = started.job
        body = {
            "job": str(job.pk),
            "status": job.status,
            "status_url": reverse("core:job_status", args=[job.pk]) + "?format=json",
            "result": job.result or None,
            "error": job.error or None,
        }
        return body if job.finished else Status(202, body)
    return started.result


@router.get(
    "/programmes/{programme_id}/pairs",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="Pairs with match percentage, reasons and concerns; the unmatched with the reason",
    url_name="mentoring_pairs",
)
def list_pairs(request: HttpRequest, programme_id: int) -> Any:
    programme = selectors.programme_get(_user(request), programme_id)
    if programme is None:
        return _not_found()
    run = selectors.last_run(programme)
    return {
        "last_run": run.summary() if run else None,
        "pairs": [_pair_out(p) for p in selectors.pairs(programme)],
        "unmatched": [
            {
                "id": p.pk,
                "side": p.side,
                "name": p.name,
                "email": p.email,
                "reason": p.unmatched_reason or _("not matched yet"),
            }
            for p in selectors.unmatched(programme)
        ],
    }


@router.post(
    "/programmes/{programme_id}/pairs",
    response={201: dict[str, Any], 404: ErrorOut, 409: ConflictOut, 422: ErrorOut},
    summary="Pair two people by hand (409 with the broken rules unless confirm is true)",
    url_name="mentoring_pairs",
)
def create_pair(request: HttpRequest, programme_id: int, payload: PairIn) -> Any:
    user = _user(request)
    programme = selectors.programme_get(user, programme_id)
    if programme is None:
        return _not_found()
    mentor = selectors.participant_get(programme, payload.mentor)
    mentee = selectors.participant_get(programme, payload.mentee)
    if mentor is None or mentee is None:
        return _problems(
            [("mentor" if mentor is None else "mentee", _("no such profile in this programme"))]
        )
    try:
        pair = services.pair_create(
            actor=user,
            programme=programme,
            mentor=mentor,
            mentee=mentee,
            confirm=payload.confirm,
            lock=payload.lock,
        )
    except services.PairWarning as warning:
        return Status(
            409,
            {
                "detail": _("the pair breaks hard rules; send confirm=true to save it anyway"),
                "breaks": warning.breaks,
            },
        )
    except ProfileError as exc:
        return _problems(exc.problems)
    return Status(201, _pair_out(pair))


@router.get(
    "/programmes/{programme_id}/pairs/{pair_id}",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="One pair",
    url_name="mentoring_pair",
)
def get_pair(request: HttpRequest, programme_id: int, pair_id: int) -> Any:
    programme = selectors.programme_get(_user(request), programme_id)
    pair = selectors.pair_get(programme, pair_id) if programme else None
    return _pair_out(pair) if pair else _not_found("pair")


@router.patch(
    "/programmes/{programme_id}/pairs/{pair_id}",
    response={200: dict[str, Any], 404: ErrorOut, 422: ErrorOut},
    summary="Lock or unlock a pair",
    url_name="mentoring_pair",
)
def update_pair(request: HttpRequest, programme_id: int, pair_id: int, payload: LockIn) -> Any:
    user = _user(request)
    programme = selectors.programme_get(user, programme_id)
    pair = selectors.pair_get(programme, pair_id) if programme else None
    if pair is None:
        return _not_found("pair")
    if payload.locked is None:
        return _problems([("locked", _("give true or false"))])
    pair = services.pair_set_locked(actor=user, pair=pair, locked=payload.locked)
    return _pair_out(pair)


@router.delete(
    "/programmes/{programme_id}/pairs/{pair_id}",
    response={204: None, 404: ErrorOut},
    summary="Dissolve a pair",
    url_name="mentoring_pair",
)
def delete_pair(request: HttpRequest, programme_id: int, pair_id: int) -> Any:
    user = _user(request)
    programme = selectors.programme_get(user, programme_id)
    pair = selectors.pair_get(programme, pair_id) if programme else None
    if pair is None:
        return _not_found("pair")
    services.pair_delete(actor=user, pair=pair)
    return Status(204, None)


@router.get(
    "/programmes/{programme_id}/export",
    response={200: None, 404: ErrorOut},
    summary="The pairs (or what=unmatched) as CSV or XLSX",
    openapi_extra={"responses": {200: {"content": {"text/csv": {}, CONTENT_TYPES["xlsx"]: {}}}}},
    url_name="mentoring_export",
)
def export(
    request: HttpRequest,
    programme_id: int,
    format: Literal["csv", "xlsx"] = "csv",
    what: Literal["pairs", "unmatched"] = "pairs",
) -> Any:
    programme = selectors.programme_get(_user(request), programme_id)
    if programme is None:
        return _not_found()
    if what == "unmatched":
        data = write_rows(exports.UNMATCHED_COLUMNS, exports.unmatched_rows(programme), format)
    else:
        data = write_rows(exports.PAIR_COLUMNS, exports.pair_rows(programme), format)
    response = HttpResponse(data, content_type=CONTENT_TYPES[format])
    response["Content-Disposition"] = (
        f'attachment; filename="programme-{programme.pk}-{what}.{format}"'
    )
    return response


@router.get(
    "/me",
    response=list[dict[str, Any]],
    summary="Programmes you take part in, with your pair once published",
    url_name="mentoring_mine",
)
def mine(request: HttpRequest) -> list[dict[str, Any]]:
    out = []
    for participant in selectors.participations_of(_user(request)):
        programme = participant.programme
        published = programme.pairs_published
        out.append(
            {
                "programme": {
                    "id": programme.pk,
                    "name": programme.name,
                    "cluster": programme.cluster.name,
                    "start_date": programme.start_date.isoformat(),
                    "months": programme.months,
                },
                "side": participant.side,
                "published": published,
                "pairs": [_pair_out(p) for p in selectors.partners_of(participant)]
                if published
                else [],
                "unmatched_reason": participant.unmatched_reason if published else "",
                "events": [_event_out(e) for e in selectors.events(programme)] if published else [],
            }
        )
    return out
