"""API of the toolbox: list, search and filter practices, details, fields, objectives, export."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field as SchemaField
from ninja import Query, Router, Schema, Status

from . import selectors
from .exports import export_csv, export_json, practice_export_record

router = Router(tags=["catalogue"])


class PracticeFilters(Schema):
    q: str | None = SchemaField(None, description="Search by meaning, e.g. 'staff turnover'.")
    field: list[str] = SchemaField([], description="Field ids, e.g. education.")
    objective: list[str] = SchemaField([], description="Target Board objective ids.")
    country: list[str] = SchemaField([], description="ISO country codes, e.g. AT.")
    target_group: list[str] = SchemaField([], description="Target group ids.")
    format: list[str] = SchemaField([], description="Format ids, e.g. programme.")
    cost: list[str] = SchemaField(
        [], description="Fee ranges: free, under-1000, 1000-5000, over-5000, not-stated."
    )
    duration: list[str] = SchemaField(
        [], description="Duration ranges: day, short, months, long, not-stated."
    )
    staff: list[str] = SchemaField(
        [], description="Staff ranges: one, two-three, four-plus, not-stated."
    )
    sort: Literal["relevance", "field", "title", "cost", "duration", "staff"] | None = None


class Page(Schema):
    page: int = SchemaField(1, ge=1, le=1_000_000)
    page_size: int = SchemaField(20, ge=1, le=selectors.MAX_PAGE_SIZE)


class FactOut(Schema):
    kind: str
    label: str
    value: float | None = None
    min: float | None = None
    max: float | None = None
    unit: str
    per: str | None = None
    approx: bool = False


class ClusterOut(Schema):
    name: str
    website: str


class ContactOut(Schema):
    person: str
    organisation: str
    email: str
    email_valid: bool


class PracticeSummaryOut(Schema):
    id: str
    field: str
    number: int
    title: str
    summary: str
    country: str
    score: float | None = None
    url: str


class PracticeOut(Schema):
    id: str
    field: str
    field_name: str
    number: int
    title: str
    clusters: list[ClusterOut]
    links: list[str]
    region: dict[str, str]
    contacts: list[ContactOut]
    summary: str
    description: str
    formats: list[str]
    target_groups: list[str]
    sectors: list[str]
    objectives: list[str]
    keywords: list[str]
    beneficiaries: list[str]
    activities: list[str]
    facts: list[FactOut]
    funding_sources: list[dict[str, str]]
    success_factors: list[str]
    challenges: list[str]
    scope: dict[str, Any]
    figures: dict[str, float | None]


class FacetOptionOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class FacetOut(Schema):
    name: str
    label: str
    options: list[FacetOptionOut]


class PracticeListOut(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    items: list[PracticeSummaryOut]
    facets: list[FacetOut]


class ObjectiveOut(Schema):
    id: str
    field: str
    name: str
    description: str


class FieldOut(Schema):
    id: str
    name: str
    definition: str
    practice_count: int
    objectives: list[ObjectiveOut]


class ErrorOut(Schema):
    detail: Any


def _params(filters: PracticeFilters, page: Page | None = None) -> dict[str, Any]:
    params: dict[str, Any] = filters.dict(exclude_none=True)
    if page is not None:
        params.update(page.dict())
    return params


@router.get(
    "/practices",
    response={200: PracticeListOut, 422: ErrorOut},
    summary="List and search practices",
)
def list_practices(
    request: HttpRequest, filters: Query[PracticeFilters], page: Query[Page]
) -> dict[str, Any]:
    query = selectors.parse_query(_params(filters, page))
    result = selectors.practice_search(query)
    return {
        "count": result.total,
        "page": result.page,
        "pages": result.pages,
        "page_size": query.page_size,
        "items": [
            {
                "id": p.id,
                "field": p.field_id,
                "number": p.number,
                "title": p.title,
                "summary": p.summary,
                "country": p.country,
                "score": result.scores.get(p.id),
                "url": p.get_absolute_url(),
            }
            for p in result.practices
        ],
        "facets": result.facets,
    }


@router.get(
    "/practices/{practice_id}", response={200: PracticeOut, 404: ErrorOut}, summary="One practice"
)
def get_practice(request: HttpRequest, practice_id: str) -> Any:
    practice = selectors.practice_get(practice_id)
    if practice is None:
        return Status(404, {"detail": f"No practice with id {practice_id!r}."})
    return practice_export_record(practice)


@router.get("/fields", response=list[FieldOut], summary="The five fields with their objectives")
def list_fields(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": f.id,
            "name": f.name,
            "definition": f.definition,
            "practice_count": f.practice_count,
            "objectives": [
                {"id": o.id, "field": f.id, "name": o.name, "description": o.description}
                for o in f.objectives.all()
            ],
        }
        for f in selectors.fields_with_counts()
    ]


@router.get("/objectives", response=list[ObjectiveOut], summary="Target Board objectives")
def list_objectives(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"id": o.id, "field": o.field_id, "name": o.name, "description": o.description}
        for o in selectors.objective_list()
    ]


@router.get(
    "/export",
    response={200: None, 422: ErrorOut},
    summary="Export the selection as JSON or CSV",
    openapi_extra={"responses": {200: {"content": {"application/json": {}, "text/csv": {}}}}},
)
def export(
    request: HttpRequest,
    filters: Query[PracticeFilters],
    output: Literal["json", "csv"] = "json",
) -> HttpResponse:
    query = selectors.parse_query(_params(filters))
    practices = selectors.practice_search(query, all_results=True).practices
    if output == "csv":
        response = HttpResponse(export_csv(practices), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            export_json(practices), content_type="application/json; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="tact-practices.{output}"'
    return response
