"""API of the curation workflow (mounted at /api/curation by tact.api.api).

Campaigns and their ranked tables are for the campaign's regional contacts (and administrators);
one-pagers for whoever may see them (see selectors). Something the caller may not see answers
404; a move the caller may not make answers 403 with the reason; bad input 422 naming the field;
a save over a newer version 409 with both versions.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any, Literal, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext
from ninja import Field as SchemaField
from ninja import Router, Schema, Status
from pydantic import ValidationError

from tact.accounts.api import AUTH
from tact.accounts.models import ClusterInitiative, Region, User
from tact.accounts.selectors import user_is_admin
from tact.core.jobs import submit_job
from tact.core.models import Job

from . import content, exchange, selectors, services
from .models import Campaign, OnePager

router = Router(tags=["curation"], auth=AUTH)
SchemaT = TypeVar("SchemaT", bound=Schema)


class ErrorOut(Schema):
    detail: Any


class InvitationIn(Schema):
    cluster: str = SchemaField(..., max_length=200, description="Name of the cluster initiative")
    email: str = SchemaField(..., max_length=254)


class CampaignIn(Schema):
    name: str = SchemaField(..., max_length=200)
    regions: list[str] = SchemaField(..., description="NUTS codes, e.g. AT31", max_length=50)
    deadline: dt.date
    introduction: str = SchemaField("", max_length=5000)
    invitations: list[InvitationIn] = SchemaField([], max_length=500)


class SelectionIn(Schema):
    selected: list[int] = SchemaField(..., max_length=10_000)


class OnePagerIn(Schema):
    version: int = SchemaField(..., ge=0, le=10**9, description="The version you edited")
    one_pager: dict[str, Any]
    note: str = SchemaField("", max_length=300)


class TransitionIn(Schema):
    to: str = SchemaField(..., max_length=30)
    comment: str = SchemaField("", max_length=5000)


class ReviewIn(Schema):
    ratings: dict[str, int]
    note: str = SchemaField("", max_length=5000)


class ReviewersIn(Schema):
    emails: list[str] = SchemaField(..., max_length=50)


def _body(request: HttpRequest, schema: type[SchemaT]) -> SchemaT | Status:
    """The JSON body, read only after the caller was found allowed (so a refused caller learns
    nothing from validation errors)."""
    try:
        raw = json.loads(request.body or b"{}")
    except ValueError as exc:
        return Status(422, {"detail": [{"loc": ["body"], "msg": f"not valid JSON: {exc}"}]})
    try:
        # NUL characters and NaN cannot be stored (PostgreSQL, JSON): cleaned before anything.
        return schema.model_validate(content.clean(raw))
    except ValidationError as exc:
        return Status(
            422,
            {
                "detail": [
                    {"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"]}
                    for e in exc.errors(include_url=False, include_input=False)
                ]
            },
        )


def _documented(schema: type[Schema]) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema.model_json_schema()}},
        }
    }


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined, no-any-return]


def _campaign_out(campaign: Campaign) -> dict[str, Any]:
    return {
        "id": campaign.pk,
        "name": campaign.name,
        "regions": [r.code for r in campaign.regions.all()],
        "deadline": campaign.deadline.isoformat(),
        "open": campaign.is_open,
        "closed_at": campaign.closed_at.isoformat() if campaign.closed_at else None,
        "states": selectors.state_counts(campaign),
    }


def _one_pager_out(one_pager: OnePager, *, full: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": one_pager.pk,
        "reference": one_pager.reference,
        "campaign": one_pager.campaign_id,
        "cluster": one_pager.cluster.name,
        "title": one_pager.title,
        "state": one_pager.state,
        "version": one_pager.version,
        "selected": one_pager.selected,
        "practice": one_pager.practice_id or None,
        "score": one_pager.score,
    }
    if full:
        out["one_pager"] = content.normalise(one_pager.data)
        out["scores"] = one_pager.scores
        out["problems"] = content.problems(one_pager.data)
    return out


def _error(exc: services.CurationError) -> Status:
    if isinstance(exc, services.NotAllowed):
        return Status(403, {"detail": exc.message})
    if isinstance(exc, services.InvalidOnePager):
        return Status(422, {"detail": exc.message, "problems": exc.problems})
    loc = ["body", exc.field] if exc.field else ["body"]
    return Status(422, {"detail": [{"loc": loc, "msg": exc.message}]})


def _campaign(request: HttpRequest, campaign_id: int) -> Campaign | None:
    return selectors.campaign_for_curator(_user(request), campaign_id)


def _missing(kind: str, ident: Any) -> Status:
    return Status(404, {"detail": f"No {kind} with id {ident!r} that you may see."})


@router.get(
    "/campaigns",
    response=list[dict[str, Any]],
    summary="Campaigns you run as a regional contact",
    url_name="curation_campaigns",
)
def list_campaigns(request: HttpRequest) -> list[dict[str, Any]]:
    campaigns = selectors.campaigns_curated_by(_user(request)).prefetch_related("regions")
    return [_campaign_out(c) for c in campaigns]


@router.post(
    "/campaigns",
    response={201: dict[str, Any], 403: ErrorOut, 422: ErrorOut},
    summary="Start a campaign; every invited manager gets a personal link by e-mail",
    url_name="curation_campaign_create",
    openapi_extra=_documented(CampaignIn),
)
def create_campaign(request: HttpRequest) -> Any:
    user = _user(request)
    if not selectors.is_curator(user):
        return Status(403, {"detail": "Only regional contacts (curators) run survey campaigns."})
    body = _body(request, CampaignIn)
    if isinstance(body, Status):
        return body
    regions = list(Region.objects.filter(code__in=body.regions))
    unknown = sorted(set(body.regions) - {r.code for r in regions})
    if unknown:
        return Status(
            422,
            {"detail": [{"loc": ["body", "regions"], "msg": f"unknown regions: {unknown}"}]},
        )
    invitations = []
    for index, item in enumerate(body.invitations):
        cluster = ClusterInitiative.objects.filter(name__iexact=item.cluster.strip()).first()
        if cluster is None:
            return Status(
                422,
                {
                    "detail": [
                        {
                            "loc": ["body", "invitations", index, "cluster"],
                            "msg": f"no cluster initiative is called {item.cluster!r}",
                        }
                    ]
                },
            )
        invitations.append((cluster, item.email))
    try:
        campaign = services.campaign_create(
            actor=user,
            name=body.name,
            regions=regions,
            deadline=body.deadline,
            introduction=body.introduction,
            invitations=invitations,
            base_url=settings.TACT_BASE_URL or request.build_absolute_uri("/"),
        )
    except services.CurationError as exc:
        return _error(exc)
    return Status(201, _campaign_out(campaign))


@router.get(
    "/campaigns/{campaign_id}",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="A campaign with the status of each invited cluster initiative",
    url_name="curation_campaign",
)
def get_campaign(request: HttpRequest, campaign_id: int) -> Any:
    campaign = _campaign(request, campaign_id)
    if campaign is None:
        return _missing("campaign", campaign_id)
    return {
        **_campaign_out(campaign),
        "clusters": [
            {
                "cluster": row["cluster"].name,
                "email": row["email"],
                "state": row["state"],
                "one_pager": row["one_pager"].pk if row["one_pager"] else None,
                "opened": row["opened"],
                "reminders": row["reminders"],
                "last_reminded": row["last_reminded"].isoformat() if row["last_reminded"] else None,
            }
            for row in selectors.campaign_status(campaign)
        ],
    }


@router.post(
    "/campaigns/{campaign_id}/reminders",
    response={200: dict[str, Any], 404: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Remind every manager who has not submitted",
    url_name="curation_remind",
)
def remind(request: HttpRequest, campaign_id: int) -> Any:
    campaign = _campaign(request, campaign_id)
    if campaign is None:
        return _missing("campaign", campaign_id)
    try:
        sent = services.invitations_remind(
            actor=_user(request),
            campaign=campaign,
            base_url=settings.TACT_BASE_URL or request.build_absolute_uri("/"),
        )
    except services.CurationError as exc:
        return _error(exc)
    return {"sent": sent}


def _job_out(job: Job) -> dict[str, Any]:
    result = job.result if isinstance(job.result, dict) else {}
    return {
        "job": str(job.pk),
        "kind": job.kind,
        "status": job.status,
        "progress": job.progress,
        "message": job.message,
        "error": job.error or None,
        "status_url": reverse("api:curation_job", kwargs={"job": str(job.pk)}),
        "page_url": reverse("core:job_detail", args=[job.pk]),
        "result_url": job.result_url or None,
        "result": result or None,
    }


@router.post(
    "/campaigns/{campaign_id}/score",
    response={200: dict[str, Any], 202: dict[str, Any], 404: ErrorOut, 403: ErrorOut},
    summary="Score every submitted one-pager again (a background job)",
    description=(
        "Starts the same background job as the web page's *Score* button. While the job waits "
        "or runs the answer is **202** with `job`, `status` (`queued` or `running`) and "
        "`status_url` (`GET /api/curation/jobs/{job}`) to poll; `page_url` is its progress page "
        "in the browser. When the server runs jobs at once (`TACT_JOBS_MODE=immediate`) the job "
        "has finished when the answer comes: **200** with the same body, `status` `done` and "
        "`result` (`scored`, `classifier`), or `failed` with `error`."
    ),
    url_name="curation_score",
)
def score(request: HttpRequest, campaign_id: int) -> Any:
    campaign = _campaign(request, campaign_id)
    if campaign is None:
        return _missing("campaign", campaign_id)
    user = _user(request)
    job = submit_job(
        kind="curation.score",
        label=gettext("Score the one-pagers of %(c)s") % {"c": campaign.name},
        params={"campaign_id": campaign.pk, "actor_id": user.pk},
        user=user,
        result_url=reverse("curation:ranking", args=[campaign.pk]),
    )
    body = _job_out(job)
    return body if job.status in (Job.Status.DONE, Job.Status.FAILED) else Status(202, body)


@router.get(
    "/jobs/{job}",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="A curation job you started: its status, progress and, once done, its result",
    url_name="curation_job",
)
def job_status(request: HttpRequest, job: str) -> Any:
    user = _user(request)
    try:
        key = uuid.UUID(str(job)[:100])
    except ValueError:
        return _missing("job", job)
    jobs = Job.objects.filter(pk=key, kind__startswith="curation.")
    if not user_is_admin(user):
        jobs = jobs.filter(owner=user)
    found = jobs.first()
    if found is None:
        return _missing("job", job)
    return _job_out(found)


class ReopenIn(Schema):
    deadline: dt.date = SchemaField(..., description="The new deadline, today or later")


@router.post(
    "/campaigns/{campaign_id}/close",
    response={200: dict[str, Any], 404: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Close the campaign: personal links stop saving, reminders stop",
    url_name="curation_close",
)
def close(request: HttpRequest, campaign_id: int) -> Any:
    campaign = _campaign(request, campaign_id)
    if campaign is None:
        return _missing("campaign", campaign_id)
    try:
        services.campaign_close(actor=_user(request), campaign=campaign)
    except services.CurationError as exc:
        return _error(exc)
    return _campaign_out(campaign)


@router.post(
    "/campaigns/{campaign_id}/reopen",
    response={200: dict[str, Any], 404: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Reopen a closed campaign with a new deadline",
    url_name="curation_reopen",
    openapi_extra=_documented(ReopenIn),
)
def reopen(request: HttpRequest, campaign_id: int) -> Any:
    campaign = _campaign(request, campaign_id)
    if campaign is None:
        return _missing("campaign", campaign_id)
    body = _body(request, ReopenIn)
    if isinstance(body, Status):
        return body
    try:
        services.campaign_reopen(actor=_user(request), campaign=campaign, deadline=body.deadline)
    except services.CurationError as exc:
        return _error(exc)
    return _campaign_out(campaign)


@router.get(
    "/campaigns/{campaign_id}/ranking",
    response={200: list[dict[str, Any]], 404: ErrorOut},
    summary="The ranked table: submitted one-pagers, best overall score first",
    url_name="curation_ranking",
)
def ranking(request: HttpRequest, campaign_id: int) -> Any:
    campaign = _campaign(request, campaign_id)
    if campaign is None:
        return _missing("campaign", campaign_id)
    return [
        {"rank": rank, **_one_pager_out(o, full=False), "scores": o.scores}
        for rank, o in enumerate(selectors.ranking(campaign), start=1)
    ]


@router.put(
    "/campaigns/{campaign_id}/selection",
    response={200: dict[str, Any], 404: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Select exactly these one-pagers for publication",
    url_name="curation_selection",
    openapi_extra=_documented(SelectionIn),
)
def select(request: HttpRequest, campaign_id: int) -> Any:
    campaign = _campaign(request, campaign_id)
    if campaign is None:
        return _missing("campaign", campaign_id)
    body = _body(request, SelectionIn)
    if isinstance(body, Status):
        return body
    try:
        chosen = services.selection_set(
            actor=_user(request), campaign=campaign, selected=body.selected
        )
    except services.CurationError as exc:
        return _error(exc)
    return {"selected": [o.pk for o in chosen]}


@router.get(
    "/campaigns/{campaign_id}/export",
    response={200: None, 404: ErrorOut},
    summary="The campaign's one-pagers with their scores as JSON, CSV or XLSX",
    url_name="curation_export",
)
def export(
    request: HttpRequest, campaign_id: int, output: Literal["json", "csv", "xlsx"] = "json"
) -> Any:
    campaign = _campaign(request, campaign_id)
    if campaign is None:
        return _missing("campaign", campaign_id)
    body, content_type = exchange.export_one_pagers(campaign, output)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.pk}.{output}"'
    return response


@router.post(
    "/campaigns/{campaign_id}/import",
    response={200: dict[str, Any], 404: ErrorOut, 403: ErrorOut, 422: dict[str, Any]},
    summary="Import one-pagers (JSON, CSV, XLSX); all or nothing, dry_run only checks",
    url_name="curation_import",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                }
            },
        }
    },
)
def import_file(request: HttpRequest, campaign_id: int, dry_run: bool = False) -> Any:
    campaign = _campaign(request, campaign_id)
    if campaign is None:
        return _missing("campaign", campaign_id)
    file = request.FILES.get("file")
    if file is None:
        return Status(
            422,
            {"detail": "send the file as multipart/form-data in the field 'file'", "problems": []},
        )
    if file.size and file.size > exchange.MAX_BYTES:
        return Status(422, {"detail": "the file is too large", "problems": []})
    try:
        report = exchange.import_one_pagers(
            actor=_user(request),
            campaign=campaign,
            data=file.read(),
            filename=file.name or "upload",
            dry_run=dry_run,
        )
    except services.CurationError as exc:
        return _error(exc)
    out = {
        "dry_run": report.dry_run,
        "created": report.created,
        "updated": report.updated,
        "problems": [
            {"file": p.path, "record": p.record, "field": p.field, "message": p.message}
            for p in report.problems
        ],
    }
    return Status(422, out) if report.problems else out


@router.get(
    "/one-pagers",
    response=list[dict[str, Any]],
    summary="One-pagers you may see",
    url_name="curation_one_pagers",
)
def list_one_pagers(request: HttpRequest) -> list[dict[str, Any]]:
    items = selectors.one_pagers_visible_to(_user(request)).order_by("campaign", "reference")
    return [_one_pager_out(o, full=False) for o in items[:1000]]


@router.get(
    "/one-pagers/{one_pager_id}",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="One one-pager with its content, scores and problems",
    url_name="curation_one_pager",
)
def get_one_pager(request: HttpRequest, one_pager_id: int) -> Any:
    one_pager = selectors.one_pager_get(_user(request), one_pager_id)
    if one_pager is None:
        return _missing("one-pager", one_pager_id)
    return {
        **_one_pager_out(one_pager),
        "transitions": services.allowed_transitions(_user(request), one_pager),
    }


@router.put(
    "/one-pagers/{one_pager_id}",
    response={
        200: dict[str, Any],
        403: ErrorOut,
        404: ErrorOut,
        409: dict[str, Any],
        422: ErrorOut,
    },
    summary="Save the content; 409 with both versions if someone saved since your version",
    url_name="curation_one_pager_save",
    openapi_extra=_documented(OnePagerIn),
)
def save_one_pager(request: HttpRequest, one_pager_id: int) -> Any:
    one_pager = selectors.one_pager_get(_user(request), one_pager_id)
    if one_pager is None:
        return _missing("one-pager", one_pager_id)
    if not services.may_edit(_user(request), one_pager):
        if services.closed_to(services.roles_of(_user(request), one_pager), one_pager):
            return Status(
                403,
                {"detail": "The campaign is closed: drafts can no longer be saved or submitted."},
            )
        return Status(
            403,
            {"detail": f"A one-pager in the state {one_pager.state} cannot be edited by you."},
        )
    body = _body(request, OnePagerIn)
    if isinstance(body, Status):
        return body
    try:
        saved = services.one_pager_save(
            actor=_user(request),
            one_pager=one_pager,
            data=body.one_pager,
            expected_version=body.version,
            note=body.note,
        )
    except services.EditConflict as exc:
        return Status(
            409,
            {
                "detail": exc.message,
                "saved": {"version": exc.one_pager.version, "one_pager": exc.one_pager.data},
                "yours": {"version": body.version, "one_pager": exc.mine, "kept_as": exc.kept.pk},
                "diff": exc.diff,
            },
        )
    except services.CurationError as exc:
        return _error(exc)
    return _one_pager_out(saved)


@router.post(
    "/one-pagers/{one_pager_id}/transitions",
    response={200: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Move a one-pager along the editorial workflow",
    url_name="curation_transition",
    openapi_extra=_documented(TransitionIn),
)
def transition(request: HttpRequest, one_pager_id: int) -> Any:
    one_pager = selectors.one_pager_get(_user(request), one_pager_id)
    if one_pager is None:
        return _missing("one-pager", one_pager_id)
    body = _body(request, TransitionIn)
    if isinstance(body, Status):
        return body
    try:
        moved = services.one_pager_transition(
            actor=_user(request),
            one_pager=one_pager,
            to=body.to,
            comment=body.comment,
            base_url=settings.TACT_BASE_URL or request.build_absolute_uri("/"),
        )
    except services.CurationError as exc:
        return _error(exc)
    return _one_pager_out(moved, full=False)


@router.post(
    "/one-pagers/{one_pager_id}/reviews",
    response={200: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Your rubric ratings (1-5 per criterion) as an assigned reviewer",
    url_name="curation_review",
    openapi_extra=_documented(ReviewIn),
)
def review(request: HttpRequest, one_pager_id: int) -> Any:
    one_pager = selectors.one_pager_get(_user(request), one_pager_id)
    if one_pager is None:
        return _missing("one-pager", one_pager_id)
    if not one_pager.reviewers.filter(pk=_user(request).pk).exists():
        return Status(403, {"detail": "Only the reviewers assigned to this one-pager rate it."})
    body = _body(request, ReviewIn)
    if isinstance(body, Status):
        return body
    try:
        saved = services.review_save(
            actor=_user(request), one_pager=one_pager, ratings=body.ratings, note=body.note
        )
    except services.CurationError as exc:
        return _error(exc)
    one_pager.refresh_from_db()
    return {"ratings": saved.ratings, "soundness": one_pager.scores.get("soundness")}


@router.post(
    "/one-pagers/{one_pager_id}/reviewers",
    response={200: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Assign curators of the campaign's regions as reviewers",
    url_name="curation_reviewers",
    openapi_extra=_documented(ReviewersIn),
)
def reviewers(request: HttpRequest, one_pager_id: int) -> Any:
    one_pager = selectors.one_pager_get(_user(request), one_pager_id)
    if one_pager is None:
        return _missing("one-pager", one_pager_id)
    if not services.may(_user(request), one_pager, {"curator"}):
        return Status(403, {"detail": "Only the campaign's regional contacts assign reviewers."})
    body = _body(request, ReviewersIn)
    if isinstance(body, Status):
        return body
    emails = [e.strip().lower() for e in body.emails]
    users = list(User.objects.filter(email__in=emails))
    unknown = sorted(set(emails) - {u.email for u in users})
    if unknown:
        return Status(
            422, {"detail": [{"loc": ["body", "emails"], "msg": f"no account for {unknown}"}]}
        )
    try:
        services.reviewers_assign(actor=_user(request), one_pager=one_pager, reviewers=users)
    except services.CurationError as exc:
        return _error(exc)
    return {"reviewers": [u.email for u in one_pager.reviewers.all()]}


@router.get(
    "/one-pagers/{one_pager_id}/versions",
    response={200: list[dict[str, Any]], 404: ErrorOut},
    summary="Version history with the differences to the version before",
    url_name="curation_versions",
)
def versions(request: HttpRequest, one_pager_id: int) -> Any:
    one_pager = selectors.one_pager_get(_user(request), one_pager_id)
    if one_pager is None:
        return _missing("one-pager", one_pager_id)
    history = list(one_pager.versions.order_by("number", "id"))
    out = []
    previous: dict[str, Any] = {}
    for version in history:
        out.append(
            {
                "id": version.pk,
                "version": version.number,
                "conflict": version.conflict,
                "state": version.state,
                "author": version.author_label,
                "note": version.note,
                "created_at": version.created_at.isoformat(),
                "diff": content.diff(
                    previous, version.data, names=("before", f"version {version.number}")
                ),
            }
        )
        if not version.conflict:
            previous = version.data
    return out
