"""Reads of the community registry, always scoped to the caller.

Who sees what:

- an administrator sees and edits the whole registry;
- a cluster's manager sees and edits the organisations that are members of the cluster (with
  their people, competences and joint projects);
- a cluster's members see the same registry read-only, and may keep the competence profile of
  their own organisation (the registry entry linked to their member account) up to date;
- nobody else sees any of it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from tact.accounts.models import ClusterInitiative, Role, RoleAssignment
from tact.accounts.selectors import clusters_managed_by, user_is_admin
from tact.algorithms import partners as algo

from .models import (
    Competence,
    Organisation,
    OrganisationCompetence,
    OrganisationType,
    PendingImport,
    Person,
    Project,
    SavedSearch,
)
from .regions import TILES, tile_for

Caller = Any
# A checked file waits this long for its import.
PENDING_EXPIRES = timedelta(hours=1)


def clusters_visible_to(user: Caller) -> QuerySet[ClusterInitiative]:
    """Clusters whose registry the caller reads: as member or manager (admins: all)."""
    if user_is_admin(user):
        return ClusterInitiative.objects.all()
    if not user or not user.is_authenticated:
        return ClusterInitiative.objects.none()
    return ClusterInitiative.objects.filter(
        roles__user=user, roles__role__in=[Role.MEMBER, Role.MANAGER]
    ).distinct()


def clusters_editable_by(user: Caller) -> QuerySet[ClusterInitiative]:
    return clusters_managed_by(user)


def can_read(user: Caller) -> bool:
    return clusters_visible_to(user).exists()


def organisations_visible_to(user: Caller) -> QuerySet[Organisation]:
    if user_is_admin(user):
        return Organisation.objects.all()
    clusters = clusters_visible_to(user)
    return Organisation.objects.filter(
        pk__in=Organisation.objects.filter(clusters__in=clusters).values("pk")
    )


def organisations_editable_by(user: Caller) -> QuerySet[Organisation]:
    if user_is_admin(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(
        pk__in=Organisation.objects.filter(clusters__in=clusters_managed_by(user)).values("pk")
    )


def organisation_get(user: Caller, org_id: int) -> Organisation | None:
    return organisations_visible_to(user).filter(pk=org_id).first()


def can_edit(user: Caller, org: Organisation) -> bool:
    return organisations_editable_by(user).filter(pk=org.pk).exists()


def can_edit_competences(user: Caller, org: Organisation) -> bool:
    """Managers and admins; and the members of the organisation's linked member account."""
    if can_edit(user, org):
        return True
    if not user or not user.is_authenticated or org.account_id is None:
        return False
    return RoleAssignment.objects.filter(
        user=user, role=Role.MEMBER, organisation_id=org.account_id
    ).exists()


def organisation_search(
    user: Caller,
    *,
    q: str = "",
    competence: str = "",
    min_level: int = 1,
    kind: str = "",
    region: str = "",
    cluster: int | None = None,
) -> QuerySet[Organisation]:
    qs = organisations_visible_to(user)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(description__icontains=q))
    if competence:
        qs = qs.filter(
            pk__in=OrganisationCompetence.objects.filter(
                competence_id=competence, level__gte=min_level
            ).values("organisation_id")
        )
    if kind:
        qs = qs.filter(kind=kind)
    if region:
        qs = qs.filter(region__istartswith=region)
    if cluster is not None:
        qs = qs.filter(pk__in=Organisation.objects.filter(clusters=cluster).values("pk"))
    return qs.order_by("name")


def competences() -> QuerySet[Competence]:
    return Competence.objects.all()


def competence_get(code: str) -> Competence | None:
    return Competence.objects.filter(pk=code).first()


def competences_with_counts(user: Caller) -> QuerySet[Competence]:
    visible = organisations_visible_to(user).values("pk")
    return Competence.objects.annotate(
        holders_count=Count("holders", filter=Q(holders__organisation__in=visible))
    )


def people_visible_to(user: Caller) -> QuerySet[Person]:
    return Person.objects.filter(organisation__in=organisations_visible_to(user).values("pk"))


def person_get(user: Caller, person_id: int) -> Person | None:
    return people_visible_to(user).select_related("organisation").filter(pk=person_id).first()


def projects_visible_to(user: Caller) -> QuerySet[Project]:
    visible = organisations_visible_to(user).values("pk")
    return Project.objects.filter(
        pk__in=Project.objects.filter(partners__in=visible).values("pk")
    ).order_by("-year", "title")


def project_get(user: Caller, project_id: int) -> Project | None:
    return projects_visible_to(user).filter(pk=project_id).first()


def project_editable(user: Caller, project: Project) -> bool:
    return (
        user_is_admin(user)
        or project.partners.filter(pk__in=organisations_editable_by(user).values("pk")).exists()
    )


def region_counts(user: Caller, cluster: int | None = None) -> dict[str, Any]:
    """Members per tile of the Alpine tile map, and those outside it."""
    qs = organisation_search(user, cluster=cluster)
    per_code = Counter(qs.values_list("region", flat=True))
    tiles: Counter[str] = Counter()
    outside: Counter[str] = Counter()
    for code, n in per_code.items():
        tile = tile_for(code)
        if tile is None:
            outside[code] += n
        else:
            tiles[tile.code] += n
    top = max(tiles.values(), default=0)
    return {
        "tiles": [
            {
                "tile": t,
                "count": tiles.get(t.code, 0),
                "share": tiles.get(t.code, 0) / top if top else 0,
            }
            for t in TILES
        ],
        "outside": sorted(outside.items()),
        "total": sum(per_code.values()),
    }


def network(
    user: Caller,
    *,
    mode: str = "competences",
    q: str = "",
    competence: str = "",
    min_level: int = 1,
    kind: str = "",
    region: str = "",
    cluster: int | None = None,
    limit: int = 400,
) -> dict[str, Any]:
    """Nodes and edges for the network view (cytoscape's element format, plain data).

    ``competences``: organisations and the competences they hold (bipartite, edge = level).
    ``projects``: organisations linked by joint projects (edge weight = number of projects).
    """
    orgs = list(
        organisation_search(
            user,
            q=q,
            competence=competence,
            min_level=min_level,
            kind=kind,
            region=region,
            cluster=cluster,
        ).values("pk", "name", "kind", "region", "synthetic")[:limit]
    )
    ids = {o["pk"] for o in orgs}
    nodes: list[dict[str, Any]] = [
        {
            "data": {
                "id": f"o{o['pk']}",
                "label": o["name"],
                "type": "organisation",
                "kind": o["kind"],
                "kind_label": str(OrganisationType(o["kind"]).label)
                if o["kind"] in OrganisationType.values
                else o["kind"],
                "region": o["region"],
                "synthetic": o["synthetic"],
                "org": o["pk"],
            }
        }
        for o in orgs
    ]
    edges: list[dict[str, Any]] = []
    if mode == "projects":
        pairs: Counter[tuple[int, int]] = Counter()
        by_project: dict[int, list[int]] = defaultdict(list)
        through = Project.partners.through.objects.filter(organisation_id__in=ids)
        for project_id, org_id in through.values_list("project_id", "organisation_id"):
            by_project[project_id].append(org_id)
        for members in by_project.values():
            members.sort()
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    pairs[(a, b)] += 1
        edges = [
            {"data": {"id": f"p{a}-{b}", "source": f"o{a}", "target": f"o{b}", "weight": n}}
            for (a, b), n in sorted(pairs.items())
        ]
    else:
        levels = OrganisationCompetence.objects.filter(organisation_id__in=ids)
        if competence:
            levels = levels.filter(competence_id=competence)
        held: set[str] = set()
        for org_id, code, level in levels.values_list("organisation_id", "competence_id", "level"):
            held.add(code)
            edges.append(
                {
                    "data": {
                        "id": f"l{org_id}-{code}",
                        "source": f"o{org_id}",
                        "target": f"c:{code}",
                        "weight": level,
                    }
                }
            )
        for c in Competence.objects.filter(pk__in=held).values("code", "label", "group"):
            nodes.append(
                {
                    "data": {
                        "id": f"c:{c['code']}",
                        "label": c["label"],
                        "type": "competence",
                        "group": c["group"],
                        "code": c["code"],
                    }
                }
            )
    return {
        "mode": mode,
        "nodes": nodes,
        "edges": edges,
        "truncated": len(orgs) >= limit,
    }


def candidates(user: Caller) -> list[algo.Candidate]:
    """The caller's visible registry as candidates for the partner search."""
    return _candidates(organisations_visible_to(user))


def candidates_all() -> list[algo.Candidate]:
    """The whole registry (the trusted command line)."""
    return _candidates(Organisation.objects.all())


def _candidates(qs: QuerySet[Organisation]) -> list[algo.Candidate]:
    orgs = list(qs.values("pk", "name", "kind", "region"))
    ids = [o["pk"] for o in orgs]
    levels: dict[int, dict[str, int]] = defaultdict(dict)
    for org_id, code, level in OrganisationCompetence.objects.filter(
        organisation_id__in=ids
    ).values_list("organisation_id", "competence_id", "level"):
        levels[org_id][code] = level
    by_project: dict[int, list[int]] = defaultdict(list)
    for project_id, org_id in Project.partners.through.objects.filter(
        project_id__in=Project.partners.through.objects.filter(organisation_id__in=ids).values(
            "project_id"
        )
    ).values_list("project_id", "organisation_id"):
        by_project[project_id].append(org_id)
    partners: dict[int, Counter[int]] = defaultdict(Counter)
    projects: Counter[int] = Counter()
    for members in by_project.values():
        for a in members:
            projects[a] += 1
            for b in members:
                if a != b:
                    partners[a][b] += 1
    return [
        algo.Candidate(
            id=o["pk"],
            name=o["name"],
            kind=o["kind"],
            region=o["region"],
            levels=levels.get(o["pk"], {}),
            partners=dict(partners.get(o["pk"], {})),
            projects=projects.get(o["pk"], 0),
        )
        for o in orgs
    ]


def own_organisations(user: Caller) -> QuerySet[Organisation]:
    """Registry entries of the caller's own member organisations (for 'known partners')."""
    if not user or not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        account__roles__user=user, account__roles__role=Role.MEMBER
    ).distinct()


def saved_searches(user: Caller) -> QuerySet[SavedSearch]:
    if not user or not user.is_authenticated:
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(user=user)


def saved_search_get(user: Caller, search_id: int) -> SavedSearch | None:
    return saved_searches(user).filter(pk=search_id).first()


def pending_import_get(user: Caller, pending_id: Any) -> PendingImport | None:
    """The caller's own checked file, while it is kept (an hour after its dry run)."""
    if not user or not user.is_authenticated:
        return None
    return (
        PendingImport.objects.select_related("cluster")
        .filter(
            pk=pending_id,
            owner=user,
            created_at__gte=timezone.now() - PENDING_EXPIRES,
        )
        .first()
    )


def people_filter(qs: QuerySet[Person], q: str) -> QuerySet[Person]:
    """Each word of ``q`` must match the name, function, e-mail, organisation or a language."""
    for word in q.split()[:8]:
        match = (
            Q(name__icontains=word)
            | Q(function__icontains=word)
            | Q(organisation__name__icontains=word)
            | Q(email__icontains=word)
        )
        if len(word) <= 10 and word.isalpha():
            # languages is a JSON list of codes: ["de", "en"]
            match |= Q(languages__icontains=f'"{word.lower()}"')
        qs = qs.filter(match)
    return qs


def people_search(user: Caller, *, q: str = "", cluster: int | None = None) -> QuerySet[Person]:
    """People of the registry the caller sees, optionally of one cluster's organisations."""
    qs = Person.objects.filter(organisation__in=organisations_visible_to(user).values("pk"))
    if cluster is not None:
        qs = qs.filter(organisation__in=Organisation.objects.filter(clusters=cluster).values("pk"))
    qs = people_filter(qs, q)
    return qs.select_related("organisation").order_by("organisation__name", "name")
