"""Reads for the publication: what goes into an edition, and the editions themselves.

Editions are public (the published toolbox is); publishing and the live preview are for curators
and administrators.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Max, Prefetch, QuerySet

from tact.accounts.models import Role, RoleAssignment
from tact.accounts.selectors import user_is_admin
from tact.catalogue.exports import fact_text
from tact.catalogue.models import Field, Objective, Practice, PracticeFact
from tact.catalogue.records import methodology, vocabulary
from tact.core.regions import country_name

from .document import (
    ClusterDoc,
    ContactDoc,
    EditionContent,
    FieldDoc,
    PartnerDoc,
    PracticeDoc,
    SourceDoc,
    SurveyDoc,
)
from .models import Edition
from .partners import read_partners


def practices_for_edition() -> QuerySet[Practice]:
    """The practices an edition prints: the published ones, by field and number.

    The one place that decides what is public in the PDF; when the catalogue gets its editorial
    status, only the filter below changes.
    """
    return (
        Practice.objects.filter(published=True, synthetic=False)
        .select_related("field")
        .prefetch_related(
            "clusters",
            "contacts",
            Prefetch("facts", queryset=PracticeFact.objects.order_by("order", "id")),
            Prefetch("objectives", queryset=Objective.objects.order_by("field__order", "order")),
        )
        .order_by("field__order", "number", "id")
    )


def user_may_publish(user: Any) -> bool:
    """Curators (regional contacts) and administrators publish editions and see the preview."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    if user_is_admin(user):
        return True
    return RoleAssignment.objects.filter(user=user, role__in=[Role.CURATOR, Role.ADMIN]).exists()


def edition_content(*, site_url: str = "") -> EditionContent:
    """Everything an edition shows, read from the catalogue and the data files."""
    vocab = vocabulary()
    formats = {k: str(v) for k, v in vocab["formats"].items()}
    groups = {k: str(v) for k, v in vocab["target_groups"].items()}
    by_field: dict[str, list[PracticeDoc]] = {}
    base = site_url.rstrip("/")
    for p in practices_for_edition():
        record_facts = [f.to_record() for f in p.facts.all()]
        place = ", ".join(x for x in (p.region_name, country_name(p.country)) if x)
        funding = tuple(
            " – ".join(str(x) for x in (item.get("source"), item.get("note")) if x)
            if isinstance(item, dict)
            else str(item)
            for item in p.funding_sources
        )
        by_field.setdefault(p.field_id, []).append(
            PracticeDoc(
                id=p.id,
                number=p.number,
                title=p.title,
                summary=p.summary,
                description=p.description,
                clusters=tuple(
                    ClusterDoc(name=c.name, url=c.url, website=c.website) for c in p.clusters.all()
                ),
                contacts=tuple(
                    ContactDoc(
                        person=c.person,
                        organisation=c.organisation,
                        email=c.email,
                        email_valid=c.email_valid,
                    )
                    for c in p.contacts.all()
                ),
                place=place,
                facts=tuple((f["label"], fact_text(f)) for f in record_facts),
                objectives=tuple(o.name for o in p.objectives.all()),
                target_groups=tuple(groups.get(g, g) for g in p.target_groups),
                formats=tuple(formats.get(f, f) for f in p.formats),
                funding=funding,
                success_factors=tuple(str(s) for s in p.success_factors),
                challenges=tuple(str(c) for c in p.challenges),
                web_url=f"{base}{p.get_absolute_url()}" if base else "",
            )
        )
    fields = tuple(
        FieldDoc(
            id=f.id,
            name=f.name,
            colour=f.colour,
            definition=f.definition,
            objectives=tuple((o.name, o.description) for o in f.objectives.all()),
            practices=tuple(by_field.get(f.id, [])),
        )
        for f in Field.objects.prefetch_related("objectives").order_by("order", "id")
    )
    about = methodology()
    survey = about["survey"]
    source = about["publication"]
    partners = read_partners()
    return EditionContent(
        fields=fields,
        survey=SurveyDoc(
            regions=int(survey["regions"]),
            cluster_initiatives=int(survey["cluster_initiatives"]),
            one_pagers=int(survey["one_pagers"]),
            selected=int(survey["selected"]),
            criteria=tuple(survey["selection_criteria"]),
            summary=" ".join(str(survey["summary"]).split()),
        ),
        source=SourceDoc(
            title=str(source["title"]),
            authors=tuple(source["authors"]),
            date=str(source["date"]),
            programme=str(source["programme"]),
            report=" ".join(str(source["report"]).split()),
            target_board=" ".join(str(source["target_board"]).split()),
        ),
        partners=tuple(
            PartnerDoc(name=p.name, country=country_name(p.country), also_known_as=p.also_known_as)
            for p in partners.partners
        ),
        project=partners.project,
        programme=partners.programme,
        site_url=base,
    )


def editions() -> QuerySet[Edition]:
    """Every edition, newest first, without the PDF bytes."""
    return Edition.objects.defer("pdf").select_related("published_by").order_by("-number")


def edition_get(number: int) -> Edition | None:
    return Edition.objects.filter(number=number).first()


def edition_latest() -> Edition | None:
    return Edition.objects.order_by("-number").first()


def edition_next_number() -> int:
    return (Edition.objects.aggregate(n=Max("number"))["n"] or 0) + 1
