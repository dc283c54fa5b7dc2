"""API of the assessments: models, your own responses and reports, anonymous aggregates.

A response the caller may not see answers 404. Aggregates never cover fewer than k companies.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from tact.accounts.api import AUTH

from . import selectors, services

router = Router(tags=["assessments"], auth=AUTH)


class ErrorOut(Schema):
    detail: str


@router.get(
    "/models",
    response=list[dict[str, Any]],
    summary="Assessment models",
    url_name="assessments_models",
)
def list_models(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": m.pk,
            "title": m.title,
            "kind": m.kind,
            "version": m.version,
            "definition": m.definition,
        }
        for m in selectors.models()
    ]


def _response_out(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "model": r.respondent.model_id,
        "round": r.round,
        "status": r.status,
        "pseudonym": r.respondent.pseudonym,
    }


@router.get(
    "/responses",
    response=list[dict[str, Any]],
    summary="Your organisation's responses",
    url_name="assessments_responses",
)
def list_responses(request: HttpRequest) -> list[dict[str, Any]]:
    return [_response_out(r) for r in selectors.responses_of(request.auth)]  # type: ignore[attr-defined]


@router.get(
    "/responses/{response_id}",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="One response with its answers, result and peer comparison (audited)",
    url_name="assessments_response",
)
def get_response(request: HttpRequest, response_id: int) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    response = selectors.response_get(user, response_id)
    if response is None:
        return Status(404, {"detail": f"No response with id {response_id} that you may see."})
    services.answers_access_record(actor=user, response=response, purpose="read_by_api")
    peers = selectors.peer_comparison(response) if response.status == "submitted" else {}
    return {
        **_response_out(response),
        "answers": response.answers,
        "result": response.result,
        "peers": peers,
    }


@router.get(
    "/benchmark/{model_id}",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="Aggregates (percentiles, distribution) for any combination of filters",
    url_name="assessments_benchmark",
)
def benchmark(
    request: HttpRequest,
    model_id: str,
    round: str | None = None,
    sector: str | None = None,
    size_class: str | None = None,
    region: str | None = None,
) -> Any:
    model = selectors.model_get(model_id)
    if model is None:
        return Status(404, {"detail": f"No assessment model {model_id!r}."})
    return selectors.benchmark(
        model, {"round": round, "sector": sector, "size_class": size_class, "region": region}
    )
