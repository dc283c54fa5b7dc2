"""Every write to the community registry; each leaves an audit entry.

``actor`` is the person acting; ``None`` is the command line, which is trusted. Permission checks
follow tact.community.selectors: managers (and administrators) write their clusters' registry,
members may keep their own organisation's competences.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tact.accounts.models import ClusterInitiative
from tact.accounts.models import Organisation as MemberAccount
from tact.core.datafiles import DataError, Problem
from tact.core.services import audit_record

from . import selectors
from .models import (
    Competence,
    Organisation,
    OrganisationCompetence,
    Person,
    Project,
    SavedSearch,
)
from .regions import region_country

VOCABULARY = Path(__file__).parent / "data" / "competences.yaml"
CLI_ACTOR = "tact community"
ORG_FIELDS = (
    "name", "kind", "region", "country", "size_class", "sectors", "website", "description",
    "typical_contribution", "synthetic",
)  # fmt: skip


class RegistryError(Exception):
    """Input refused; ``problems`` are (field, message) pairs. Nothing was written."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{f}: {m}" for f, m in problems))


def _audit(actor: Any, action: str, obj: Any, changes: dict[str, Any] | None = None) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type=f"community.{type(obj).__name__.lower()}",
        object_id=str(obj.pk),
        changes=changes or {},
        actor_label="" if actor is not None else CLI_ACTOR,
    )


def _validation_problems(exc: ValidationError) -> list[tuple[str, str]]:
    if hasattr(exc, "error_dict"):
        return [(f, " ".join(str(m) for m in msgs)) for f, msgs in exc.message_dict.items()]
    return [("", " ".join(exc.messages))]


def _require_manager_of(actor: Any, clusters: list[ClusterInitiative]) -> None:
    if actor is None:
        return
    managed = set(selectors.clusters_editable_by(actor).values_list("pk", flat=True))
    if any(c.pk not in managed for c in clusters):
        raise PermissionDenied(_("Only a cluster's managers change its registry."))


def _require_edit(actor: Any, org: Organisation) -> None:
    if actor is not None and not selectors.can_edit(actor, org):
        raise PermissionDenied(_("Only the managers of the organisation's clusters change it."))


# The vocabulary ---------------------------------------------------------------------------


def vocabulary_read(path: Path = VOCABULARY) -> list[dict[str, str]]:
    name = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DataError([Problem(name, "", "", _("unreadable: %(e)s") % {"e": exc})]) from None
    problems: list[Problem] = []
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    if not isinstance(data, dict) or not isinstance(data.get("groups"), list):
        raise DataError([Problem(name, "", "groups", _("expected a list of groups"))])
    for g, group in enumerate(data["groups"], start=1):
        gname = str(group.get("name", "")).strip() if isinstance(group, dict) else ""
        if not gname:
            problems.append(Problem(name, f"group {g}", "name", _("missing")))
            continue
        for c, comp in enumerate(group.get("competences") or [], start=1):
            where = f"{gname} #{c}"
            if not isinstance(comp, dict):
                problems.append(Problem(name, where, "", _("expected code and label")))
                continue
            code, label = str(comp.get("code", "")), str(comp.get("label", "")).strip()
            if not code or slugify(code) != code:
                problems.append(
                    Problem(name, where, "code", _("%(c)r is not a lower-case slug") % {"c": code})
                )
            elif code in seen:
                problems.append(
                    Problem(name, where, "code", _("%(c)r appears twice") % {"c": code})
                )
            if not label:
                problems.append(Problem(name, where, "label", _("missing")))
            seen.add(code)
            out.append(
                {
                    "code": code,
                    "label": label,
                    "group": gname,
                    "description": str(comp.get("description", "")),
                }
            )
    if problems:
        raise DataError(problems)
    return out


def vocabulary_load(*, actor: Any = None, path: Path = VOCABULARY) -> dict[str, int]:
    """Create or update the shipped competences; idempotent. Free tags are left alone."""
    entries = vocabulary_read(path)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        for e in entries:
            comp = Competence.objects.filter(pk=e["code"]).first()
            values = {
                "label": e["label"],
                "group": e["group"],
                "description": e["description"],
                "controlled": True,
            }
            if comp is None:
                comp = Competence.objects.create(code=e["code"], **values)
                counts["created"] += 1
            elif any(getattr(comp, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(comp, k, v)
                comp.save()
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
        if counts["created"] or counts["updated"]:
            audit_record(
                actor=actor,
                action="community.vocabulary_loaded",
                object_type="community.competence",
                object_id=path.name,
                changes=counts,
                actor_label="" if actor is not None else CLI_ACTOR,
            )
    return counts


def competence_create(
    *, actor: Any, label: str, code: str = "", group: str = "", description: str = ""
) -> Competence:
    """A free tag, for a competence the vocabulary lacks."""
    if actor is not None and not selectors.clusters_editable_by(actor).exists():
        raise PermissionDenied(_("Only cluster managers add competences."))
    label = (label or "").strip()[:200]
    code = slugify(code or label)[:80]
    problems = []
    if not label:
        problems.append(("label", _("give the competence a name")))
    if not code:
        problems.append(("code", _("a code of letters, digits and hyphens")))
    elif Competence.objects.filter(pk=code).exists():
        problems.append(("code", _("%(c)r exists already") % {"c": code}))
    if problems:
        raise RegistryError(problems)
    comp = Competence.objects.create(
        code=code, label=label, group=(group or "").strip()[:100] or _("Free tags"),
        description=(description or "")[:5000], controlled=False,
    )  # fmt: skip
    _audit(actor, "community.competence_created", comp, {"label": label})
    return comp


# Organisations ----------------------------------------------------------------------------


def account_autolink(organisation: Organisation) -> None:
    """Link the registry entry to the member account of the same name in one of its clusters,
    so that the account's members keep its competences; an existing link is kept."""
    if organisation.account_id is not None:
        return
    account = (
        MemberAccount.objects.filter(
            cluster__in=organisation.clusters.all(), name__iexact=organisation.name
        )
        .order_by("pk")
        .first()
    )
    if account is not None:
        Organisation.objects.filter(pk=organisation.pk).update(account=account)
        organisation.account = account


def organisation_save(
    *,
    actor: Any,
    data: dict[str, Any],
    clusters: list[ClusterInitiative] | None = None,
    organisation: Organisation | None = None,
) -> Organisation:
    """Create (``organisation`` None) or update an organisation; ``clusters`` are added.

    ``data["account"]`` (a member account of one of the actor's clusters, or None) sets the
    member account whose members keep the competence profile; without it, a member account of
    the same name is linked.
    """
    clusters = clusters or []
    if "account" in data:
        account = data["account"]
        if (
            account is not None
            and actor is not None
            and not selectors.clusters_editable_by(actor).filter(pk=account.cluster_id).exists()
        ):
            raise RegistryError([("account", _("a member account of a cluster you manage"))])
    if organisation is None:
        if actor is not None and not clusters:
            raise RegistryError([("clusters", _("choose the cluster the organisation joins"))])
        _require_manager_of(actor, clusters)
        org = Organisation()
    else:
        _require_edit(actor, organisation)
        _require_manager_of(actor, clusters)
        org = organisation
    before = {f: getattr(org, f) for f in ORG_FIELDS} if org.pk else {}
    for f in ORG_FIELDS:
        if f in data:
            setattr(org, f, data[f])
    problems: list[tuple[str, str]] = []
    try:
        org.full_clean(exclude=["clusters", "competences"])
    except ValidationError as exc:
        problems = _validation_problems(exc)
    if (
        not any(f == "region" for f, _m in problems)
        and org.region
        and org.country
        and region_country(org.region) != org.country
    ):
        problems.append(
            (
                "region",
                _("%(r)s is not a NUTS region of %(c)s (a NUTS code starts with the country)")
                % {"r": org.region, "c": org.country},
            )
        )
    if problems:
        raise RegistryError(problems)
    try:
        with transaction.atomic():
            org.save()
            if clusters:
                org.clusters.add(*clusters)
            if "account" in data:
                org.account = data["account"]
                org.save(update_fields=["account"])
            if org.account_id is None:
                account_autolink(org)
            after = {f: getattr(org, f) for f in ORG_FIELDS}
            changes = {f: after[f] for f in ORG_FIELDS if before.get(f) != after[f]}
            if clusters:
                changes["clusters"] = [c.name for c in clusters]
            changes["account"] = org.account_id
            _audit(
                actor,
                "community.organisation_updated" if before else "community.organisation_created",
                org,
                changes,
            )
    except IntegrityError:
        raise RegistryError(
            [("name", _("an organisation of this name exists in this country already"))]
        ) from None
    return org


def organisation_clusters_set(
    *, actor: Any, organisation: Organisation, clusters: list[ClusterInitiative]
) -> None:
    """Set the organisation's memberships among the clusters the actor manages (administrators:
    all of them); memberships in other clusters stay. At least one membership remains."""
    _require_edit(actor, organisation)
    editable = (
        None
        if actor is None or selectors.user_is_admin(actor)
        else set(selectors.clusters_editable_by(actor).values_list("pk", flat=True))
    )
    _require_manager_of(actor, clusters)
    current = list(organisation.clusters.all())
    kept = [c for c in current if editable is not None and c.pk not in editable]
    wanted = {c.pk: c for c in [*kept, *clusters]}
    if not wanted:
        raise RegistryError([("clusters", _("an organisation belongs to at least one cluster"))])
    if set(wanted) == {c.pk for c in current}:
        return
    with transaction.atomic():
        organisation.clusters.set(list(wanted.values()))
        _audit(
            actor,
            "community.organisation_clusters_set",
            organisation,
            {
                "before": sorted(c.pk for c in current),
                "after": sorted(wanted),
            },
        )


def organisation_delete(*, actor: Any, organisation: Organisation) -> bool:
    """Remove it from the actor's clusters; delete it when no other cluster holds it.

    Returns True when the organisation itself was deleted.
    """
    _require_edit(actor, organisation)
    with transaction.atomic():
        if actor is not None and not selectors.user_is_admin(actor):
            mine = selectors.clusters_editable_by(actor)
            organisation.clusters.remove(*mine)
            if organisation.clusters.exists():
                _audit(actor, "community.organisation_left", organisation)
                return False
        _audit(actor, "community.organisation_deleted", organisation, {"name": organisation.name})
        organisation.delete()
    return True


def competence_level_set(
    *,
    actor: Any,
    organisation: Organisation,
    competence: Competence,
    level: int,
    evidence: str = "",
) -> OrganisationCompetence:
    if actor is not None and not selectors.can_edit_competences(actor, organisation):
        raise PermissionDenied(_("You may not change this organisation's competences."))
    if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 5:
        raise RegistryError([("level", _("a whole number from 1 (basic) to 5 (leading)"))])
    evidence = (evidence or "").strip()
    if len(evidence) > 500:
        raise RegistryError([("evidence", _("at most 500 characters"))])
    with transaction.atomic():
        item, _created = OrganisationCompetence.objects.update_or_create(
            organisation=organisation,
            competence=competence,
            defaults={"level": level, "evidence": evidence},
        )
        _audit(
            actor,
            "community.competence_set",
            organisation,
            {"competence": competence.code, "level": level, "evidence": evidence},
        )
    return item


def competence_level_remove(
    *, actor: Any, organisation: Organisation, competence: Competence
) -> None:
    if actor is not None and not selectors.can_edit_competences(actor, organisation):
        raise PermissionDenied(_("You may not change this organisation's competences."))
    with transaction.atomic():
        OrganisationCompetence.objects.filter(
            organisation=organisation, competence=competence
        ).delete()
        _audit(actor, "community.competence_removed", organisation, {"competence": competence.code})


# People -----------------------------------------------------------------------------------


PERSON_FIELDS = ("name", "function", "email", "languages")


def person_save(
    *, actor: Any, organisation: Organisation, data: dict[str, Any], person: Person | None = None
) -> Person:
    _require_edit(actor, organisation)
    if person is not None:
        _require_edit(actor, person.organisation)
    p = person or Person()
    p.organisation = organisation
    for f in PERSON_FIELDS:
        if f in data:
            setattr(p, f, data[f])
    try:
        p.full_clean()
    except ValidationError as exc:
        raise RegistryError(_validation_problems(exc)) from None
    with transaction.atomic():
        created = p.pk is None
        p.save()
        _audit(
            actor,
            "community.person_created" if created else "community.person_updated",
            p,
            {f: getattr(p, f) for f in PERSON_FIELDS} | {"organisation": organisation.pk},
        )
    return p


def person_delete(*, actor: Any, person: Person) -> None:
    _require_edit(actor, person.organisation)
    with transaction.atomic():
        _audit(actor, "community.person_deleted", person, {"name": person.name})
        person.delete()


# Joint projects ---------------------------------------------------------------------------


def project_save(
    *,
    actor: Any,
    title: str,
    year: int,
    partners: list[Organisation],
    description: str = "",
    project: Project | None = None,
) -> Project:
    """``partners`` replace the partners the actor may see; partners hidden from them stay."""
    visible = (
        set(selectors.organisations_visible_to(actor).values_list("pk", flat=True))
        if actor is not None
        else None
    )
    if actor is not None:
        editable = set(selectors.organisations_editable_by(actor).values_list("pk", flat=True))
        if project is not None and not selectors.project_editable(actor, project):
            raise PermissionDenied(_("Only the managers of a partner's cluster change a project."))
        if visible is not None and any(p.pk not in visible for p in partners):
            raise PermissionDenied(_("You may only name partners from your clusters' registry."))
        if not any(p.pk in editable for p in partners):
            raise RegistryError(
                [("partners", _("at least one partner must be from a cluster you manage"))]
            )
    p = project or Project()
    p.title = (title or "").strip()
    p.year = year
    p.description = description or ""
    problems: list[tuple[str, str]] = []
    try:
        p.full_clean()
    except ValidationError as exc:
        problems = _validation_problems(exc)
    hidden: list[int] = []
    if project is not None and visible is not None:
        hidden = [pk for pk in project.partners.values_list("pk", flat=True) if pk not in visible]
    if len({o.pk for o in partners}) + len(hidden) < 2:
        problems.append(("partners", _("a joint project has at least two partners")))
    if problems:
        raise RegistryError(problems)
    with transaction.atomic():
        created = p.pk is None
        p.save()
        p.partners.set([o.pk for o in partners] + hidden)
        _audit(
            actor,
            "community.project_created" if created else "community.project_updated",
            p,
            {"title": p.title, "year": p.year, "partners": sorted(o.pk for o in partners)},
        )
    return p


def project_delete(*, actor: Any, project: Project) -> None:
    if actor is not None and not selectors.project_editable(actor, project):
        raise PermissionDenied(_("Only the managers of a partner's cluster change a project."))
    with transaction.atomic():
        _audit(actor, "community.project_deleted", project, {"title": project.title})
        project.delete()


# Saved searches ---------------------------------------------------------------------------


def saved_search_save(*, actor: Any, name: str, need: dict[str, Any]) -> SavedSearch:
    """Save (or overwrite, by name) a cleaned need for the actor."""
    name = (name or "").strip()
    if not name or len(name) > 200 or any(ord(ch) < 32 for ch in name):
        raise RegistryError(
            [
                (
                    "name",
                    _(
                        "give the search a name of at most 200 characters, without control characters"
                    ),
                )
            ]
        )
    with transaction.atomic():
        search, _created = SavedSearch.objects.update_or_create(
            user=actor, name=name, defaults={"need": need}
        )
        _audit(actor, "community.search_saved", search, {"name": name, "need": need})
    return search


def saved_search_delete(*, actor: Any, search: SavedSearch) -> None:
    if search.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("This search is not yours."))
    with transaction.atomic():
        _audit(actor, "community.search_deleted", search, {"name": search.name})
        search.delete()
