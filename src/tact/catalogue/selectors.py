"""Reads of the toolbox. Visitors see published practices only."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from tact.core.regions import country_name

from .exports import fact_text
from .facets import NOT_STATED, RANGE_FACETS, bucket_label
from .index import FACETS, CatalogueIndex, get_index, similar_positions
from .models import Field, Objective, Practice, PracticeFact
from .records import vocabulary

SORTS = ("relevance", "field", "title", "cost", "duration", "staff")
MAX_QUERY_LENGTH = 500
MAX_PAGE_SIZE = 100
PRACTICE_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


class QueryError(ValueError):
    """A search parameter has a value the toolbox does not know."""

    def __init__(self, param: str, message: str) -> None:
        self.param = param
        self.message = message
        super().__init__(f"{param}: {message}")


@dataclass(frozen=True)
class PracticeQuery:
    q: str = ""
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20

    def selected(self, facet: str) -> tuple[str, ...]:
        return self.filters.get(facet, ())


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    options: list[FacetOption]


@dataclass
class SearchResult:
    query: PracticeQuery
    total: int
    page: int
    pages: int
    practices: list[Practice]
    facets: list[Facet]
    scores: dict[str, float]

    @property
    def start(self) -> int:
        return 0 if self.total == 0 else (self.page - 1) * self.query.page_size + 1

    @property
    def end(self) -> int:
        return min(self.total, self.page * self.query.page_size)


def facet_labels() -> dict[str, str]:
    return {
        "field": _("Field"),
        "objective": _("Target Board objective"),
        "country": _("Country"),
        "target_group": _("Target group"),
        "format": _("Format"),
        "cost": _("Participant fee"),
        "duration": _("Duration"),
        "staff": _("Staff"),
    }


def facet_vocabulary(facet: str) -> dict[str, str]:
    """Every value a facet may take, with its label (also for values with no practice)."""
    vocab = vocabulary()
    if facet == "field":
        return {f.id: f.name for f in Field.objects.all()}
    if facet == "objective":
        return {o.id: o.name for o in Objective.objects.all()}
    if facet == "country":
        # order_by(): the model's default ordering would otherwise join Field and put its
        # columns into the SELECT DISTINCT, returning one row per practice instead of per country.
        codes = (
            Practice.objects.filter(published=True)
            .order_by()
            .values_list("country", flat=True)
            .distinct()
        )
        return {c: country_name(c) for c in sorted(set(codes)) if c}
    if facet == "target_group":
        return {k: str(v) for k, v in vocab["target_groups"].items()}
    if facet == "format":
        return {k: str(v) for k, v in vocab["formats"].items()}
    buckets = RANGE_FACETS[facet]
    return {
        **{b.id: bucket_label(facet, b.id) for b in buckets},
        NOT_STATED: bucket_label(facet, NOT_STATED),
    }


def parse_query(params: Mapping[str, Any], *, page_size: int | None = None) -> PracticeQuery:
    """Turn request parameters (QueryDict or dict of lists) into a checked query."""

    def getlist(name: str) -> list[str]:
        if hasattr(params, "getlist"):
            raw = params.getlist(name)
        else:
            value = params.get(name)
            raw = value if isinstance(value, list | tuple) else ([] if value is None else [value])
        # "a,b" and repeated parameters both work, so a shared URL stays short.
        return [part.strip() for item in raw for part in str(item).split(",") if part.strip()]

    q = " ".join(getlist("q")) if "q" in params else ""
    if len(q) > MAX_QUERY_LENGTH:
        raise QueryError("q", _("is longer than %(n)d characters") % {"n": MAX_QUERY_LENGTH})
    filters: dict[str, tuple[str, ...]] = {}
    for facet in FACETS:
        chosen = getlist(facet)
        if not chosen:
            continue
        known = facet_vocabulary(facet)
        unknown = [v for v in chosen if v not in known]
        if unknown:
            raise QueryError(
                facet,
                _("unknown value %(value)s; known values: %(known)s")
                % {"value": ", ".join(repr(v) for v in unknown), "known": ", ".join(known)},
            )
        filters[facet] = tuple(dict.fromkeys(chosen))
    sort_values = getlist("sort")
    sort = sort_values[0] if sort_values else ("relevance" if q else "field")
    if sort not in SORTS:
        raise QueryError("sort", _("must be one of %(sorts)s") % {"sorts": ", ".join(SORTS)})
    page = _positive_int(getlist("page"), "page", 1, 10**6)
    size = page_size or _positive_int(
        getlist("page_size"), "page_size", settings.TACT_PAGE_SIZE, MAX_PAGE_SIZE
    )
    return PracticeQuery(q=q.strip(), filters=filters, sort=sort, page=page, page_size=size)


def _positive_int(values: list[str], name: str, default: int, maximum: int) -> int:
    if not values:
        return default
    try:
        number = int(values[0])
    except ValueError:
        raise QueryError(name, _("must be a whole number")) from None
    if not 1 <= number <= maximum:
        raise QueryError(name, _("must be between 1 and %(maximum)d") % {"maximum": maximum})
    return number


def _facet_mask(index: CatalogueIndex, facet: str, values: tuple[str, ...]) -> np.ndarray:
    mask = np.zeros(index.size, dtype=bool)
    for value in values:
        found = index.masks[facet].get(value)
        if found is not None:
            mask |= found
    return mask


def _matching(index: CatalogueIndex, query: PracticeQuery, skip: str | None = None) -> np.ndarray:
    mask = np.ones(index.size, dtype=bool)
    for facet, values in query.filters.items():
        if facet != skip and values:
            mask &= _facet_mask(index, facet, values)
    return mask


def practice_search(query: PracticeQuery, *, all_results: bool = False) -> SearchResult:
    """Filter, rank and count: one call gives a page of practices and every facet's counts."""
    index = get_index()
    filtered = _matching(index, query)
    scores: dict[str, float] = {}
    text_mask = np.ones(index.size, dtype=bool)
    if query.q:
        hits = index.search.search(query.q)
        text_mask = np.zeros(index.size, dtype=bool)
        for hit in hits:
            text_mask[hit.position] = True
            scores[hit.key] = hit.score
    selected = filtered & text_mask
    order = _order(index, query, selected, scores)
    total = len(order)
    pages = max(1, math.ceil(total / query.page_size))
    page = min(query.page, pages)
    chosen = order if all_results else order[(page - 1) * query.page_size : page * query.page_size]
    practices = practices_by_ids([index.ids[i] for i in chosen])
    facets = _facets(index, query, text_mask)
    return SearchResult(
        query=replace(query, page=page),
        total=total,
        page=page,
        pages=pages,
        practices=practices,
        facets=facets,
        scores=scores,
    )


def _order(
    index: CatalogueIndex, query: PracticeQuery, selected: np.ndarray, scores: dict[str, float]
) -> list[int]:
    positions = np.flatnonzero(selected)
    sort = query.sort if (query.sort != "relevance" or query.q) else "field"
    if sort == "relevance":
        relevance = np.array([-scores[index.ids[i]] for i in positions])
        return positions[np.lexsort((positions, relevance))].tolist()
    if sort == "field":
        return positions.tolist()
    keys = index.sort_keys[sort][positions]
    return positions[np.lexsort((positions, keys))].tolist()


def _facets(index: CatalogueIndex, query: PracticeQuery, text_mask: np.ndarray) -> list[Facet]:
    labels = facet_labels()
    facets = []
    for facet in FACETS:
        # Each facet counts as if its own choice were not made, so choices within a facet add up.
        base = _matching(index, query, skip=facet) & text_mask
        chosen = query.selected(facet)
        options = []
        for value, label in facet_vocabulary(facet).items():
            mask = index.masks[facet].get(value)
            count = int(np.count_nonzero(mask & base)) if mask is not None else 0
            if count or value in chosen:
                options.append(FacetOption(value, label, count, value in chosen))
        facets.append(Facet(facet, labels[facet], options))
    return facets


def is_practice_id(value: str) -> bool:
    # Checked before querying: PostgreSQL refuses some strings (NUL) that SQLite accepts.
    return bool(PRACTICE_ID.fullmatch(value))


def practices_by_ids(ids: list[str]) -> list[Practice]:
    """Practices in the given order, with what list and detail pages show."""
    valid = [i for i in ids if is_practice_id(i)]
    found = {p.id: p for p in practice_queryset().filter(id__in=valid)}
    return [found[i] for i in ids if i in found]


def practice_queryset() -> QuerySet[Practice]:
    return (
        Practice.objects.filter(published=True)
        .select_related("field")
        .prefetch_related(
            "clusters",
            "contacts",
            Prefetch("facts", queryset=PracticeFact.objects.order_by("order", "id")),
            Prefetch("objectives", queryset=Objective.objects.select_related("field")),
        )
    )


def practice_get(practice_id: str) -> Practice | None:
    if not is_practice_id(practice_id):
        return None
    return practice_queryset().filter(id=practice_id).first()


def related_practices(practice: Practice, limit: int = 4) -> list[Practice]:
    """Practices close in meaning, preferring ones that share objectives."""
    index = get_index()
    try:
        position = index.ids.index(practice.id)
    except ValueError:
        return []
    similar = similar_positions(index, position, limit)
    return practices_by_ids([index.ids[i] for i in similar])


def objective_list() -> QuerySet[Objective]:
    return Objective.objects.all()


def fields_with_counts() -> list[Field]:
    from django.db.models import Count, Q

    return list(
        Field.objects.annotate(
            practice_count=Count("practices", filter=Q(practices__published=True), distinct=True)
        )
        .prefetch_related("objectives")
        .order_by("order", "id")
    )


def practice_comparison(practices: list[Practice]) -> list[tuple[str, list[str]]]:
    """Rows of the side-by-side comparison: a label and one cell per practice."""
    vocab = vocabulary()
    labels = {
        key: {k: str(v) for k, v in vocab[key].items()} for key in ("formats", "target_groups")
    }
    kinds = {
        "duration": _("Duration"),
        "preparation": _("Preparation"),
        "frequency": _("Frequency"),
        "interval": _("Interval"),
        "staff": _("Staff"),
        "effort": _("Effort"),
        "fee": _("Fees"),
        "cost": _("Costs"),
        "budget": _("Budget"),
        "funding": _("Funding"),
        "participants": _("Participants"),
        "consortium": _("Consortium"),
        "requirement": _("Requirements"),
        "schedule": _("Schedule"),
    }
    records = [p.to_record() for p in practices]
    rows: list[tuple[str, list[str]]] = [
        (_("Field"), [p.field.name for p in practices]),
        (_("Cluster initiative"), [", ".join(c.name for c in p.clusters.all()) for p in practices]),
        (_("Region"), [f"{p.region_name} ({country_name(p.country)})" for p in practices]),
        (_("Summary"), [p.summary for p in practices]),
        (
            _("Format"),
            [", ".join(labels["formats"].get(f, f) for f in p.formats) for p in practices],
        ),
        (
            _("Target groups"),
            [
                ", ".join(labels["target_groups"].get(t, t) for t in p.target_groups)
                for p in practices
            ],
        ),
    ]
    for kind, title in kinds.items():
        cells = [
            "; ".join(f"{f['label']}: {fact_text(f)}" for f in r["facts"] if f["kind"] == kind)
            for r in records
        ]
        if any(cells):
            rows.append((title, [c or "—" for c in cells]))
    rows += [
        (
            _("Funding sources"),
            ["; ".join(f["source"] for f in r["funding_sources"]) or "—" for r in records],
        ),
        (_("Key success factors"), ["; ".join(r["success_factors"]) or "—" for r in records]),
        (_("Challenges"), ["; ".join(r["challenges"]) or "—" for r in records]),
        (
            _("Scope"),
            [
                ", ".join(
                    filter(
                        None,
                        [
                            _("cross-border") if r["scope"]["cross_border"] else "",
                            _("cross-cluster") if r["scope"]["cross_cluster"] else "",
                        ],
                    )
                )
                or _("regional")
                for r in records
            ],
        ),
        (
            _("Contact"),
            ["; ".join(f"{c['person']} ({c['email']})" for c in r["contacts"]) for r in records],
        ),
    ]
    return rows
