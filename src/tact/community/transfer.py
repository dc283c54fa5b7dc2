"""Import and export of the registry as CSV or XLSX: organisations, people, joint projects.

An import reads the whole file and checks every row before it writes anything; any bad row means
nothing is written (one transaction), and the report names each bad row, column and reason.
A dry run stops after the checks. Rows are upserted: organisations by name and country, people by
name within their organisation, projects by title and year.

Organisations a manager may not edit (they belong to other clusters only) are *linked*: they
join the manager's cluster, their data stays as it is.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tact.accounts.models import ClusterInitiative
from tact.core.datafiles import DataError, Problem
from tact.core.jobs import Progress
from tact.core.services import audit_record
from tact.core.tabular import Row, read_rows, write_rows

from . import selectors
from .models import (
    Competence,
    Organisation,
    OrganisationCompetence,
    OrganisationType,
    Person,
    Project,
    SizeClass,
)
from .regions import region_country
from .services import account_autolink

KINDS = ("organisations", "people", "projects")
COLUMNS: dict[str, tuple[str, ...]] = {
    "organisations": (
        "name", "country", "type", "region", "size_class", "sectors", "website",
        "typical_contribution", "competences", "clusters", "description", "synthetic",
    ),
    "people": ("name", "organisation", "country", "function", "email", "languages"),
    "projects": ("title", "year", "partners", "description"),
}  # fmt: skip
REQUIRED: dict[str, tuple[str, ...]] = {
    "organisations": ("name", "country", "type", "region"),
    "people": ("name", "organisation"),
    "projects": ("title", "year", "partners"),
}
PARTNER = re.compile(r"^(?P<name>.*?)\s*\((?P<country>[A-Za-z]{2})\)$")
TRUE = {"true", "yes", "1", "x", "ja", "oui", "si", "sì"}
FALSE = {"false", "no", "0", "", "nein", "non"}


@dataclass
class Planned:
    row: int
    action: str  # create, update, link
    label: str
    apply: Any = None  # callable doing the write


@dataclass
class ImportReport:
    kind: str
    filename: str
    dry_run: bool
    rows: int = 0
    planned: list[Planned] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    applied: bool = False

    def counts(self) -> dict[str, int]:
        out = {"create": 0, "update": 0, "link": 0}
        for p in self.planned:
            out[p.action] = out.get(p.action, 0) + 1
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file": self.filename,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "applied": self.applied,
            "counts": self.counts(),
            "planned": [{"row": p.row, "action": p.action, "name": p.label} for p in self.planned],
            "problems": [
                {"file": p.path, "row": p.record, "field": p.field, "message": p.message}
                for p in self.problems
            ],
        }


def detect_kind(rows_header: set[str]) -> str:
    if "title" in rows_header:
        return "projects"
    if "organisation" in rows_header:
        return "people"
    return "organisations"


def _kind_value(text: str) -> str | None:
    key = text.strip().lower()
    for value, label in OrganisationType.choices:
        if key in (value, str(label).lower()):
            return str(value)
    aliases = {"research institute": "research", "large company": "large", "company": "sme",
               "public": "public", "uni": "university", "cluster organisation": "cluster"}  # fmt: skip
    return aliases.get(key)


def _size_value(text: str) -> str | None:
    key = text.strip().lower()
    if not key:
        return ""
    for value, label in SizeClass.choices:
        if key == value or key == str(label).lower():
            return str(value)
    return None


# 120000, 120 000, 120'000, 120.000 or 120,000 (thousands separators only: no cents)
AMOUNT = re.compile(r"^\d+$|^\d{1,3}([ '’.,]\d{3})+$")


def _website(text: str) -> str:
    """'www.example.org' -> 'https://www.example.org' (people leave the scheme out)."""
    text = text.strip()
    if text and "://" not in text and "." in text and " " not in text:
        return "https://" + text
    return text


def _split(text: str) -> list[str]:
    return [t.strip() for t in re.split(r"[;\n]", text) if t.strip()]


class _Checker:
    def __init__(self, filename: str, progress: Progress | None = None, total: int = 0) -> None:
        self.filename = filename
        self.problems: list[Problem] = []
        self.progress = progress
        self.total = max(1, total)
        self.done = 0

    def tick(self) -> None:
        """One more row checked: the first half of the progress bar."""
        self.done += 1
        if self.progress is not None and (self.done % 50 == 0 or self.done == self.total):
            self.progress(
                0.5 * self.done / self.total,
                _("Checking row %(n)d of %(t)d") % {"n": self.done, "t": self.total},
            )

    def bad(self, row: Row, column: str, message: str) -> None:
        self.problems.append(Problem(self.filename, row.record, column, message))


def _validation(check: _Checker, row: Row, exc: ValidationError, columns: dict[str, str]) -> None:
    # A column already reported for this row keeps its own, clearer message.
    reported = {p.field for p in check.problems if p.record == row.record}
    for f, msgs in exc.message_dict.items():
        column = columns.get(f, f)
        if column not in reported:
            check.bad(row, column, " ".join(str(m) for m in msgs))


def registry_import(
    *,
    actor: Any,
    data: bytes,
    filename: str,
    cluster: ClusterInitiative | None = None,
    kind: str = "auto",
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Check the file and, unless ``dry_run`` or a row is bad, write it all in one transaction.

    ``progress`` (a job's context or the command line's bar) hears how far the check and the
    writing are.
    """
    if (
        actor is not None
        and cluster is not None
        and not selectors.clusters_editable_by(actor).filter(pk=cluster.pk).exists()
    ):
        raise PermissionDenied(_("Only the cluster's managers import into its registry."))
    try:
        rows = read_rows(data, filename)
    except DataError as exc:
        report = ImportReport(kind if kind in KINDS else "organisations", filename, dry_run)
        report.problems = list(exc.problems)
        return report
    header = set(rows[0].values) if rows else set()
    if kind == "auto":
        kind = detect_kind(header)
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    report = ImportReport(kind, filename, dry_run, rows=len(rows))
    tell = progress.progress if progress is not None else None
    check = _Checker(filename, tell, len(rows))
    for column in REQUIRED[kind]:
        if rows and column not in header:
            check.problems.append(
                Problem(filename, _("row 1"), column, _("required column missing from the header"))
            )
    if not rows:
        check.problems.append(Problem(filename, "", "", _("the file has no data rows")))
    if not check.problems:
        planner = {"organisations": _plan_organisations, "people": _plan_people,
                   "projects": _plan_projects}[kind]  # fmt: skip
        report.planned = planner(actor, rows, check, cluster)
    report.problems = check.problems
    if report.problems or dry_run:
        return report
    with transaction.atomic():
        _apply_all(report.planned, tell)
        audit_record(
            actor=actor,
            action="community.imported",
            object_type="community.import",
            object_id=filename[:100],
            changes={"kind": kind, **report.counts(), "cluster": cluster.pk if cluster else None},
            actor_label="" if actor is not None else "tact community",
        )
    report.applied = True
    return report


def _apply_all(planned: list[Planned], tell: Any, start: float = 0.5, span: float = 0.5) -> None:
    """Write the planned rows (the caller holds the transaction), telling how far it got."""
    total = max(1, len(planned))
    for i, item in enumerate(planned, start=1):
        item.apply()
        if tell is not None and (i % 50 == 0 or i == total):
            tell(
                start + span * i / total,
                _("Writing row %(n)d of %(t)d") % {"n": i, "t": total},
            )


def rows_apply(
    *,
    actor: Any,
    kind: str,
    rows: list[Row],
    filename: str,
    cluster: ClusterInitiative | None,
    tell: Any = None,
    start: float = 0.0,
    span: float = 1.0,
) -> int:
    """Check and write rows made by code (the sample); DataError if one is bad.

    ``tell(fraction, message)`` hears the progress, mapped into ``start .. start + span``.
    """
    check = _Checker(filename)
    planner = {"organisations": _plan_organisations, "people": _plan_people,
               "projects": _plan_projects}[kind]  # fmt: skip
    planned = planner(actor, rows, check, cluster)
    if check.problems:
        raise DataError(check.problems)
    if tell is not None:
        tell(start + span / 2, _("%(kind)s checked") % {"kind": kind})
    with transaction.atomic():
        _apply_all(planned, tell, start + span / 2, span / 2)
    return len(planned)


def _clusters_by_name(actor: Any) -> dict[str, ClusterInitiative]:
    qs = ClusterInitiative.objects.all() if actor is None else selectors.clusters_editable_by(actor)
    return {c.name.casefold(): c for c in qs}


def _competence_codes() -> dict[str, str]:
    return dict(Competence.objects.values_list("code", "label"))


def _plan_organisations(
    actor: Any, rows: list[Row], check: _Checker, cluster: ClusterInitiative | None
) -> list[Planned]:
    clusters = _clusters_by_name(actor)
    codes = _competence_codes()
    editable = (
        None
        if actor is None
        else set(selectors.organisations_editable_by(actor).values_list("pk", flat=True))
    )
    existing = {(o.name.casefold(), o.country): o for o in Organisation.objects.all()}
    seen: dict[tuple[str, str], int] = {}
    planned: list[Planned] = []
    columns = {"kind": "type"}
    for row in rows:
        check.tick()
        before = len(check.problems)
        name = row.get("name")
        country = row.get("country").upper()
        if not name:
            check.bad(row, "name", _("the name is missing"))
        key = (name.casefold(), country)
        if name and key in seen:
            check.bad(row, "name", _("the same organisation as row %(n)d") % {"n": seen[key]})
        seen[key] = row.number
        kind = _kind_value(row.get("type"))
        if kind is None:
            check.bad(
                row,
                "type",
                _("%(v)r is not a type; use one of %(all)s")
                % {"v": row.get("type"), "all": ", ".join(OrganisationType.values)},
            )
        size = _size_value(row.get("size_class"))
        if size is None:
            check.bad(
                row,
                "size_class",
                _("%(v)r is not a size class; use micro, small, medium, large or leave it empty")
                % {"v": row.get("size_class")},
            )
        contribution: int | None = None
        raw_contribution = re.sub(r"\s*(EUR|€)$", "", row.get("typical_contribution"), flags=re.I)
        if raw_contribution:
            if AMOUNT.match(raw_contribution) and len(raw_contribution) < 16:
                contribution = int(re.sub(r"\D", "", raw_contribution))
            else:
                check.bad(row, "typical_contribution", _("a whole number of euros, e.g. 120000"))
        synthetic_raw = row.get("synthetic").strip().lower()
        if synthetic_raw not in TRUE | FALSE:
            check.bad(row, "synthetic", _("yes or no"))
        member_of: list[ClusterInitiative] = [cluster] if cluster else []
        for cname in _split(row.get("clusters")):
            c = clusters.get(cname.casefold())
            if c is None:
                check.bad(
                    row,
                    "clusters",
                    _("%(c)r is not a cluster you manage") % {"c": cname}
                    if actor is not None
                    else _("there is no cluster %(c)r") % {"c": cname},
                )
            elif c not in member_of:
                member_of.append(c)
        if actor is not None and not member_of:
            check.bad(
                row, "clusters", _("no cluster: choose one for the import or fill the column")
            )
        levels: list[tuple[str, int, str]] = []
        text = row.get("competences")
        for item in _split(text):
            code, _sep, rest = item.partition(":")
            code = code.strip().lower()
            level_text, _sep2, evidence = rest.partition(":")
            if code not in codes:
                close = difflib.get_close_matches(code, list(codes), n=2)
                hint = (_(" (did you mean %(c)s?)") % {"c": " or ".join(close)}) if close else ""
                check.bad(row, "competences", _("unknown competence %(c)r") % {"c": code} + hint)
                continue
            level_text = level_text.strip()
            if not (level_text.isdigit() and 1 <= int(level_text) <= 5):
                check.bad(
                    row,
                    "competences",
                    _("%(c)s: the level %(l)r is not a whole number from 1 to 5")
                    % {"c": code, "l": level_text},
                )
                continue
            levels.append((code, int(level_text), evidence.strip()[:500]))
        region = row.get("region").upper()
        if region and country and region_country(region) != country and "region" in row.values:
            check.bad(
                row,
                "region",
                _("%(r)s is not a NUTS region of %(c)s (a NUTS code starts with the country)")
                % {"r": region, "c": country},
            )
        org = existing.get(key)
        values = {
            "name": name,
            "country": country,
            "kind": kind or "",
            "region": row.get("region").upper(),
            "size_class": size or "",
            "sectors": _split(row.get("sectors").replace(",", ";")),
            "website": _website(row.get("website")),
            "description": row.get("description"),
            "typical_contribution": contribution,
            "synthetic": synthetic_raw in TRUE,
        }
        # A column missing from the file leaves that field as it is.
        values = {k: v for k, v in values.items() if columns.get(k, k) in row.values}
        candidate = Organisation(pk=org.pk if org else None, **values)
        try:
            candidate.full_clean(
                exclude=["clusters", "competences", "account"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            _validation(check, row, exc, columns)
        if len(check.problems) > before:
            continue
        if org is not None and editable is not None and org.pk not in editable:
            planned.append(Planned(row.number, "link", name, _linker(actor, org, member_of)))
        else:
            planned.append(
                Planned(
                    row.number,
                    "update" if org else "create",
                    name,
                    _org_writer(actor, org, values, member_of, levels, bool(text.strip())),
                )
            )
    return planned


def _linker(actor: Any, org: Organisation, clusters: list[ClusterInitiative]) -> Any:
    def apply() -> None:
        org.clusters.add(*clusters)
        _audit(actor, "community.organisation_linked", org, {"clusters": [c.pk for c in clusters]})

    return apply


def _org_writer(
    actor: Any,
    org: Organisation | None,
    values: dict[str, Any],
    clusters: list[ClusterInitiative],
    levels: list[tuple[str, int, str]],
    replace_levels: bool,
) -> Any:
    def apply() -> None:
        target = org or Organisation()
        for k, v in values.items():
            setattr(target, k, v)
        target.save()
        if clusters:
            target.clusters.add(*clusters)
        account_autolink(target)
        if replace_levels:
            OrganisationCompetence.objects.filter(organisation=target).exclude(
                competence_id__in=[c for c, _l, _e in levels]
            ).delete()
            for code, level, evidence in levels:
                OrganisationCompetence.objects.update_or_create(
                    organisation=target,
                    competence_id=code,
                    defaults={"level": level, "evidence": evidence},
                )
        _audit(
            actor,
            "community.organisation_imported",
            target,
            {"created": org is None, "competences": [f"{c}:{lv}" for c, lv, _e in levels]},
        )

    return apply


def _audit(actor: Any, action: str, obj: Any, changes: dict[str, Any]) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type=f"community.{type(obj).__name__.lower()}",
        object_id=str(obj.pk),
        changes=changes,
        actor_label="" if actor is not None else "tact community",
    )


def _org_index(
    actor: Any,
) -> tuple[dict[tuple[str, str], Organisation], dict[str, list[Organisation]]]:
    qs = Organisation.objects.all() if actor is None else selectors.organisations_visible_to(actor)
    by_key: dict[tuple[str, str], Organisation] = {}
    by_name: dict[str, list[Organisation]] = {}
    for o in qs:
        by_key[(o.name.casefold(), o.country)] = o
        by_name.setdefault(o.name.casefold(), []).append(o)
    return by_key, by_name


def _find_org(
    text: str,
    country: str,
    by_key: dict[tuple[str, str], Organisation],
    by_name: dict[str, list[Organisation]],
) -> tuple[Organisation | None, str]:
    m = PARTNER.match(text)
    if m and not country:
        text, country = m.group("name"), m.group("country").upper()
    if country:
        org = by_key.get((text.casefold(), country.upper()))
        return org, "" if org else _("no organisation %(o)r in %(c)s in the registry you see") % {
            "o": text,
            "c": country.upper(),
        }
    found = by_name.get(text.casefold(), [])
    if len(found) == 1:
        return found[0], ""
    if not found:
        return None, _("no organisation %(o)r in the registry you see") % {"o": text}
    return None, _("%(o)r exists in several countries: add the country, e.g. %(o)s (%(c)s)") % {
        "o": text,
        "c": found[0].country,
    }


def _plan_people(
    actor: Any, rows: list[Row], check: _Checker, cluster: ClusterInitiative | None
) -> list[Planned]:
    by_key, by_name = _org_index(actor)
    editable = (
        None
        if actor is None
        else set(selectors.organisations_editable_by(actor).values_list("pk", flat=True))
    )
    seen: dict[tuple[int, str], int] = {}
    planned: list[Planned] = []
    for row in rows:
        check.tick()
        before = len(check.problems)
        org, why = _find_org(row.get("organisation"), row.get("country"), by_key, by_name)
        if org is None:
            check.bad(row, "organisation", why or _("the organisation is missing"))
            continue
        if editable is not None and org.pk not in editable:
            check.bad(row, "organisation", _("%(o)s is not in a cluster you manage") % {"o": org})
            continue
        name = row.get("name")
        key = (org.pk, name.casefold())
        if key in seen:
            check.bad(row, "name", _("the same person as row %(n)d") % {"n": seen[key]})
        seen[key] = row.number
        languages = [x.lower() for x in _split(row.get("languages").replace(",", ";"))]
        person = Person.objects.filter(organisation=org, name__iexact=name).first()
        values = {
            "name": name,
            "function": row.get("function"),
            "email": row.get("email"),
            "languages": languages,
        }
        candidate = Person(pk=person.pk if person else None, organisation=org, **values)
        try:
            candidate.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            _validation(check, row, exc, {})
        if any(len(x) > 10 for x in languages):
            check.bad(row, "languages", _("language codes such as de; fr; it; en"))
        if len(check.problems) > before:
            continue

        def apply(
            person: Person | None = person, org: Organisation = org, values: dict[str, Any] = values
        ) -> None:
            target = person or Person(organisation=org)
            for k, v in values.items():
                setattr(target, k, v)
            target.save()
            _audit(actor, "community.person_imported", target, {"organisation": org.pk})

        planned.append(Planned(row.number, "update" if person else "create", name, apply))
    return planned


def _plan_projects(
    actor: Any, rows: list[Row], check: _Checker, cluster: ClusterInitiative | None
) -> list[Planned]:
    by_key, by_name = _org_index(actor)
    editable = (
        None
        if actor is None
        else set(selectors.organisations_editable_by(actor).values_list("pk", flat=True))
    )
    seen: dict[tuple[str, int], int] = {}
    planned: list[Planned] = []
    for row in rows:
        check.tick()
        before = len(check.problems)
        title = row.get("title")
        year_text = row.get("year")
        year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else None
        if year is None:
            check.bad(row, "year", _("a year such as 2021"))
        partners: list[Organisation] = []
        for text in _split(row.get("partners")):
            org, why = _find_org(text, "", by_key, by_name)
            if org is None:
                check.bad(row, "partners", why)
            elif org not in partners:
                partners.append(org)
        if len(partners) < 2 and len(check.problems) == before:
            check.bad(row, "partners", _("a joint project has at least two partners"))
        if editable is not None and partners and not any(p.pk in editable for p in partners):
            check.bad(row, "partners", _("at least one partner must be from a cluster you manage"))
        candidate = Project(title=title, year=year or 2000, description=row.get("description"))
        try:
            candidate.full_clean()
        except ValidationError as exc:
            _validation(check, row, exc, {})
        if year is not None:
            key = (title.casefold(), year)
            if key in seen:
                check.bad(row, "title", _("the same project as row %(n)d") % {"n": seen[key]})
            seen[key] = row.number
        if len(check.problems) > before or year is None:
            continue
        project = Project.objects.filter(title__iexact=title, year=year).first()
        if (
            project is not None
            and actor is not None
            and not selectors.project_editable(actor, project)
        ):
            check.bad(row, "title", _("this project exists and is not one of your clusters'"))
            continue

        def apply(
            project: Project | None = project,
            title: str = title,
            year: int = year,
            description: str = row.get("description"),
            partners: list[Organisation] = partners,
        ) -> None:
            target = project or Project()
            target.title, target.year, target.description = title, year, description
            target.save()
            keep = []
            if project is not None and actor is not None:
                visible = set(
                    selectors.organisations_visible_to(actor).values_list("pk", flat=True)
                )
                keep = [
                    pk for pk in project.partners.values_list("pk", flat=True) if pk not in visible
                ]
            target.partners.set([p.pk for p in partners] + keep)
            _audit(
                actor, "community.project_imported", target, {"partners": [p.pk for p in partners]}
            )

        planned.append(Planned(row.number, "update" if project else "create", title, apply))
    return planned


# Export -----------------------------------------------------------------------------------


def _org_rows(qs: Any, clusters_visible: set[int] | None) -> list[dict[str, Any]]:
    rows = []
    for o in qs.prefetch_related("clusters", "competence_levels"):
        rows.append(
            {
                "name": o.name,
                "country": o.country,
                "type": o.kind,
                "region": o.region,
                "size_class": o.size_class,
                "sectors": "; ".join(o.sectors or []),
                "website": o.website,
                "typical_contribution": o.typical_contribution,
                "competences": "; ".join(
                    f"{lv.competence_id}:{lv.level}"
                    + (f":{lv.evidence.replace(';', ',')}" if lv.evidence else "")
                    for lv in sorted(o.competence_levels.all(), key=lambda x: x.competence_id)
                ),
                "clusters": "; ".join(
                    c.name
                    for c in o.clusters.all()
                    if clusters_visible is None or c.pk in clusters_visible
                ),
                "description": o.description,
                "synthetic": "yes" if o.synthetic else "no",
            }
        )
    return rows


def registry_export(
    *, actor: Any, kind: str, fmt: str, cluster: ClusterInitiative | None = None, q: str = ""
) -> bytes:
    """The registry the actor sees (optionally one cluster's part) in the import's columns.

    ``q`` narrows people as the people page does (name, function, organisation, language).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    orgs = (
        Organisation.objects.all() if actor is None else selectors.organisations_visible_to(actor)
    )
    if cluster is not None:
        orgs = orgs.filter(pk__in=Organisation.objects.filter(clusters=cluster).values("pk"))
    clusters_visible = (
        None
        if actor is None
        else set(selectors.clusters_visible_to(actor).values_list("pk", flat=True))
    )
    if kind == "organisations":
        rows = _org_rows(orgs.order_by("name", "country"), clusters_visible)
    elif kind == "people":
        rows = [
            {
                "name": p.name,
                "organisation": p.organisation.name,
                "country": p.organisation.country,
                "function": p.function,
                "email": p.email,
                "languages": "; ".join(p.languages or []),
            }
            for p in selectors.people_filter(
                Person.objects.filter(organisation__in=orgs.values("pk")), q
            )
            .select_related("organisation")
            .order_by("organisation__name", "name")
        ]
    else:
        ids = set(orgs.values_list("pk", flat=True))
        rows = []
        for p in (
            Project.objects.filter(partners__in=ids)
            .distinct()
            .prefetch_related("partners")
            .order_by("-year", "title")
        ):
            rows.append(
                {
                    "title": p.title,
                    "year": p.year,
                    "partners": "; ".join(
                        f"{o.name} ({o.country})"
                        for o in sorted(p.partners.all(), key=lambda o: o.name)
                        if o.pk in ids
                    ),
                    "description": p.description,
                }
            )
    return write_rows(COLUMNS[kind], [_printable(r) for r in rows], fmt)


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _printable(row: dict[str, Any]) -> dict[str, Any]:
    # Control characters (pasted in from other systems) cannot be stored in an XLSX cell.
    return {k: CONTROL.sub("", v) if isinstance(v, str) else v for k, v in row.items()}


def template_rows(kind: str, fmt: str) -> bytes:
    """An empty sheet with the right columns and one example row, for people to fill in."""
    examples = {
        "organisations": {
            "name": "Example Präzision GmbH", "country": "AT", "type": "sme", "region": "AT31",
            "size_class": "small", "sectors": "mechatronics; automotive",
            "website": "https://example.org", "typical_contribution": 120000,
            "competences": "cnc-machining:4; additive-manufacturing:3:EOS M 290 since 2019",
            "clusters": "", "description": "", "synthetic": "no",
        },
        "people": {"name": "Anna Muster", "organisation": "Example Präzision GmbH",
                   "country": "AT", "function": "CTO", "email": "anna@example.org",
                   "languages": "de; en"},
        "projects": {"title": "Lightweight gripper", "year": 2023,
                     "partners": "Example Präzision GmbH (AT); Another AG (CH)", "description": ""},
    }  # fmt: skip
    return write_rows(COLUMNS[kind], [examples[kind]], fmt)
