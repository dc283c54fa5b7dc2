"""Pages of the community registry: search, organisations, people, joint projects, competences,
import and export, the network and region views, the partner search. Thin: parse, call a
selector or a service, render. Who may do what: see tact.community.selectors.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tact.algorithms import partners as algo
from tact.core.tabular import CONTENT_TYPES

from . import forms, needs, selectors, services, transfer
from . import pending as pending_imports
from .models import Competence, Organisation, OrganisationType, Person, Project
from .regions import region_name

MAX_UPLOAD = 10 * 1024 * 1024
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _reader(request: HttpRequest) -> None:
    if not selectors.can_read(request.user):
        raise PermissionDenied(
            _("The registry is for the members and managers of a cluster initiative.")
        )


def _manager(request: HttpRequest) -> None:
    if not selectors.clusters_editable_by(request.user).exists():
        raise PermissionDenied(_("Only cluster managers change the registry."))


def _org_or_404(request: HttpRequest, org_id: int) -> Organisation:
    org = selectors.organisation_get(request.user, org_id)
    if org is None:
        raise Http404(_("There is no organisation with this id in the registry you see."))
    return org


def _editable_org_or_404(request: HttpRequest, org_id: int) -> Organisation:
    org = _org_or_404(request, org_id)
    if not selectors.can_edit(request.user, org):
        raise PermissionDenied(_("Only the managers of the organisation's clusters change it."))
    return org


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return default
    return max(low, min(high, number))


def search_params(data: Any) -> dict[str, Any]:
    """Filters from a query string; anything unusable is dropped (and reported by the page)."""
    code = str(data.get("competence", "") or "")[:80].strip().lower()
    kind = str(data.get("kind", "") or "")
    region = str(data.get("region", "") or "").strip().upper()[:5]
    cluster = data.get("cluster", "")
    return {
        "q": CONTROL.sub("", str(data.get("q", "") or ""))[:100].strip(),
        "competence": code
        if needs.CODE.match(code) and Competence.objects.filter(pk=code).exists()
        else "",
        "min_level": _int(data.get("min_level"), 1, 1, 5),
        "kind": kind if kind in OrganisationType.values else "",
        "region": region if region.isalnum() else "",
        "cluster": int(cluster) if str(cluster).isdigit() and len(str(cluster)) < 10 else None,
    }


def _common(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "clusters": selectors.clusters_visible_to(user),
        "managed": selectors.clusters_editable_by(user),
        "is_manager": selectors.clusters_editable_by(user).exists(),
        "kinds": OrganisationType.choices,
        "all_competences": selectors.competences(),
    }


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    _reader(request)
    params = search_params(request.GET)
    qs = selectors.organisation_search(request.user, **params)
    page = Paginator(qs.prefetch_related("competence_levels__competence"), 25).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "community/home.html",
        {
            **_common(request),
            "params": params,
            "page": page,
            "query": query.urlencode(),
            "total": qs.count(),
            "synthetic": qs.filter(synthetic=True).count(),
            "ignored": [
                k for k in ("competence", "kind", "region") if request.GET.get(k) and not params[k]
            ],
        },
    )


@login_required
@require_GET
def organisation(request: HttpRequest, org_id: int) -> HttpResponse:
    _reader(request)
    org = _org_or_404(request, org_id)
    visible = selectors.organisations_visible_to(request.user).values_list("pk", flat=True)
    return render(
        request,
        "community/organisation.html",
        {
            **_common(request),
            "org": org,
            "region_name": region_name(org.region),
            "levels": org.competence_levels.select_related("competence"),
            "people": org.people.all(),
            "projects": org.projects.prefetch_related("partners"),
            "visible_ids": set(visible),
            "org_clusters": org.clusters.filter(
                pk__in=selectors.clusters_visible_to(request.user).values("pk")
            ),
            "can_edit": selectors.can_edit(request.user, org),
            "can_edit_competences": selectors.can_edit_competences(request.user, org),
            "level_form": forms.CompetenceLevelForm(),
        },
    )


def _organisation_form(request: HttpRequest, org: Organisation | None) -> HttpResponse:
    clusters = selectors.clusters_editable_by(request.user)
    status = 200
    if request.method == "POST":
        form = forms.OrganisationForm(request.POST, clusters=clusters)
        if form.is_valid():
            try:
                saved = services.organisation_save(
                    actor=request.user,
                    data=form.data_for_service(),
                    clusters=list(form.cleaned_data["clusters"]),
                    organisation=org,
                )
                messages.success(request, _("The organisation is saved."))
                return redirect("community:organisation", org_id=saved.pk)
            except services.RegistryError as exc:
                for field, message in exc.problems:
                    form.add_error(field if field in form.fields else None, message)
        status = 422
    else:
        initial = forms.OrganisationForm.initial_from(org) if org else {}
        if org is None and clusters.count() == 1:
            initial["clusters"] = list(clusters)
        form = forms.OrganisationForm(initial=initial, clusters=clusters)
    return render(
        request,
        "community/organisation_form.html",
        {"form": form, "org": org},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_new(request: HttpRequest) -> HttpResponse:
    _manager(request)
    return _organisation_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, org_id: int) -> HttpResponse:
    return _organisation_form(request, _editable_org_or_404(request, org_id))


@login_required
@require_POST
def organisation_delete(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _editable_org_or_404(request, org_id)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm the removal."))
        return redirect("community:organisation", org_id=org.pk)
    name = org.name
    deleted = services.organisation_delete(actor=request.user, organisation=org)
    messages.success(
        request,
        _("%(n)s is deleted from the registry.") % {"n": name}
        if deleted
        else _("%(n)s has left your clusters; other clusters keep it.") % {"n": name},
    )
    return redirect("community:home")


@login_required
@require_POST
def competence_set(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _org_or_404(request, org_id)
    if not selectors.can_edit_competences(request.user, org):
        raise PermissionDenied(_("You may not change this organisation's competences."))
    form = forms.CompetenceLevelForm(request.POST)
    if form.is_valid():
        try:
            services.competence_level_set(
                actor=request.user,
                organisation=org,
                competence=form.cleaned_data["competence"],
                level=form.cleaned_data["level"],
                evidence=form.cleaned_data["evidence"],
            )
            messages.success(request, _("The competence is saved."))
            return redirect("community:organisation", org_id=org.pk)
        except services.RegistryError as exc:
            for field, message in exc.problems:
                form.add_error(field if field in form.fields else None, message)
    messages.error(
        request,
        _("The competence was not saved: %(e)s")
        % {"e": "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())},
    )
    return redirect("community:organisation", org_id=org.pk)


@login_required
@require_POST
def competence_remove(request: HttpRequest, org_id: int, code: str) -> HttpResponse:
    org = _org_or_404(request, org_id)
    if not selectors.can_edit_competences(request.user, org):
        raise PermissionDenied(_("You may not change this organisation's competences."))
    competence = selectors.competence_get(code)
    if competence is None:
        raise Http404(_("There is no such competence."))
    services.competence_level_remove(actor=request.user, organisation=org, competence=competence)
    messages.success(request, _("The competence is removed."))
    return redirect("community:organisation", org_id=org.pk)


def _person_form(request: HttpRequest, org: Organisation, person: Person | None) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = forms.PersonForm(request.POST)
        if form.is_valid():
            try:
                services.person_save(
                    actor=request.user, organisation=org, data=form.cleaned_data, person=person
                )
                messages.success(request, _("The person is saved."))
                return redirect("community:organisation", org_id=org.pk)
            except services.RegistryError as exc:
                for field, message in exc.problems:
                    form.add_error(field if field in form.fields else None, message)
        status = 422
    else:
        initial = (
            {
                "name": person.name,
                "function": person.function,
                "email": person.email,
                "languages": "; ".join(person.languages or []),
            }
            if person
            else {}
        )
        form = forms.PersonForm(initial=initial)
    return render(
        request,
        "community/person_form.html",
        {"form": form, "org": org, "person": person},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_new(request: HttpRequest, org_id: int) -> HttpResponse:
    return _person_form(request, _editable_org_or_404(request, org_id), None)


def _person_or_404(request: HttpRequest, person_id: int) -> Person:
    person = selectors.person_get(request.user, person_id)
    if person is None:
        raise Http404(_("There is no person with this id in the registry you see."))
    if not selectors.can_edit(request.user, person.organisation):
        raise PermissionDenied(_("Only the managers of the organisation's clusters change it."))
    return person


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person_or_404(request, person_id)
    return _person_form(request, person.organisation, person)


@login_required
@require_POST
def person_delete(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person_or_404(request, person_id)
    org_id = person.organisation_id
    services.person_delete(actor=request.user, person=person)
    messages.success(request, _("The person is removed."))
    return redirect("community:organisation", org_id=org_id)


@login_required
@require_GET
def projects(request: HttpRequest) -> HttpResponse:
    _reader(request)
    qs = selectors.projects_visible_to(request.user).prefetch_related("partners")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "community/projects.html",
        {
            **_common(request),
            "page": page,
            "visible_ids": set(
                selectors.organisations_visible_to(request.user).values_list("pk", flat=True)
            ),
        },
    )


def _project_form(request: HttpRequest, project: Project | None) -> HttpResponse:
    orgs = selectors.organisations_visible_to(request.user).order_by("name")
    status = 200
    if request.method == "POST":
        form = forms.ProjectForm(request.POST, organisations=orgs)
        if form.is_valid():
            try:
                saved = services.project_save(
                    actor=request.user,
                    title=form.cleaned_data["title"],
                    year=form.cleaned_data["year"],
                    description=form.cleaned_data["description"],
                    partners=list(form.cleaned_data["partners"]),
                    project=project,
                )
                messages.success(request, _("The project is saved."))
                return redirect("community:project_edit", project_id=saved.pk)
            except services.RegistryError as exc:
                for field, message in exc.problems:
                    form.add_error(field if field in form.fields else None, message)
        status = 422
    else:
        initial: dict[str, Any] = {}
        if project is not None:
            initial = {
                "title": project.title,
                "year": project.year,
                "description": project.description,
                "partners": list(project.partners.filter(pk__in=orgs.values("pk"))),
            }
        elif request.GET.get("with", "").isdigit():
            initial = {"partners": list(orgs.filter(pk=int(request.GET["with"])))}
        form = forms.ProjectForm(initial=initial, organisations=orgs)
    return render(
        request, "community/project_form.html", {"form": form, "project": project}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request: HttpRequest) -> HttpResponse:
    _manager(request)
    return _project_form(request, None)


def _project_or_404(request: HttpRequest, project_id: int) -> Project:
    project = selectors.project_get(request.user, project_id)
    if project is None:
        raise Http404(_("There is no project with this id that you see."))
    if not selectors.project_editable(request.user, project):
        raise PermissionDenied(_("Only the managers of a partner's cluster change a project."))
    return project


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    return _project_form(request, _project_or_404(request, project_id))


@login_required
@require_POST
def project_delete(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project_or_404(request, project_id)
    services.project_delete(actor=request.user, project=project)
    messages.success(request, _("The project is deleted."))
    return redirect("community:projects")


@login_required
@require_http_methods(["GET", "POST"])
def competences(request: HttpRequest) -> HttpResponse:
    _reader(request)
    form = forms.CompetenceForm()
    status = 200
    if request.method == "POST":
        _manager(request)
        form = forms.CompetenceForm(request.POST)
        if form.is_valid():
            try:
                comp = services.competence_create(actor=request.user, **form.cleaned_data)
                messages.success(request, _("The free tag %(c)s is added.") % {"c": comp.code})
                return redirect("community:competences")
            except services.RegistryError as exc:
                for field, message in exc.problems:
                    form.add_error(field if field in form.fields else None, message)
        status = 422
    return render(
        request,
        "community/competences.html",
        {
            **_common(request),
            "items": selectors.competences_with_counts(request.user),
            "form": form,
        },
        status=status,
    )


def _import_page(
    request: HttpRequest,
    *,
    form: Any = None,
    report: Any = None,
    pending: Any = None,
    status: int = 200,
    sample_form: Any = None,
) -> HttpResponse:
    clusters = selectors.clusters_editable_by(request.user)
    if form is None:
        form = forms.ImportForm(
            clusters=clusters, initial={"cluster": clusters.first() if clusters else None}
        )
    if sample_form is None:
        sample_form = forms.SampleForm(
            clusters=clusters,
            prefix="sample",
            initial={"cluster": clusters.first() if clusters else None},
        )
    return render(
        request,
        "community/import.html",
        {
            **_common(request),
            "form": form,
            "report": report,
            "pending": pending,
            "background_rows": pending_imports.BACKGROUND_ROWS,
            "sample_form": sample_form,
            "columns": transfer.COLUMNS,
        },
        status=status,
    )


def _started(request: HttpRequest, started: pending_imports.Started) -> HttpResponse | None:
    """Where to go after an import started: the job page, or the registry; None: problems."""
    if started.job is not None:
        messages.info(
            request,
            _("The import runs in the background; this page shows how far it is."),
        )
        return redirect("core:job_detail", job_id=started.job.pk)
    report = started.report
    if report is not None and report.applied:
        messages.success(request, pending_imports.imported_message(report))
        return redirect("community:home")
    return None


@login_required
@require_http_methods(["GET", "POST"])
def import_(request: HttpRequest) -> HttpResponse:
    """Upload -> dry run (every bad row listed) -> "Import these N rows": the kept file."""
    _manager(request)
    clusters = selectors.clusters_editable_by(request.user)
    if request.method != "POST":
        return _import_page(request)
    form = forms.ImportForm(request.POST, request.FILES, clusters=clusters)
    if not form.is_valid():
        return _import_page(request, form=form, status=422)
    upload = form.cleaned_data["file"]
    if upload.size > MAX_UPLOAD:
        form.add_error("file", _("The file is larger than 10 MB."))
        return _import_page(request, form=form, status=422)
    report, pending = pending_imports.import_check(
        actor=request.user,
        data=upload.read(),
        filename=CONTROL.sub("", upload.name or "")[:200] or "upload",
        cluster=form.cleaned_data["cluster"],
        kind=form.cleaned_data["kind"],
    )
    if pending is None:
        return _import_page(request, form=form, report=report, status=422)
    if request.POST.get("action") == "import":
        # "Check and import": the checked file goes straight on to its import.
        started = pending_imports.import_confirm(actor=request.user, pending=pending)
        done = _started(request, started)
        if done is not None:
            return done
        return _import_page(request, form=form, report=started.report, status=422)
    return _import_page(request, form=form, report=report, pending=pending)


@login_required
@require_POST
def import_confirm(request: HttpRequest, pending_id: Any) -> HttpResponse:
    """Import the file the dry run checked (kept on the server for an hour)."""
    _manager(request)
    pending = selectors.pending_import_get(request.user, pending_id)
    if pending is None:
        messages.error(
            request,
            _(
                "This checked file is no longer kept: it was imported already, it expired an "
                "hour after its check, or somebody else checked it. Upload the file again."
            ),
        )
        return _import_page(request, status=404)
    started = pending_imports.import_confirm(actor=request.user, pending=pending)
    done = _started(request, started)
    if done is not None:
        return done
    # The registry changed since the check: the rows that no longer fit are listed.
    return _import_page(request, report=started.report, status=422)


@login_required
@require_POST
def sample(request: HttpRequest) -> HttpResponse:
    """Fill a cluster's registry with the synthetic sample (a background job)."""
    _manager(request)
    clusters = selectors.clusters_editable_by(request.user)
    form = forms.SampleForm(request.POST, clusters=clusters, prefix="sample")
    if not form.is_valid():
        return _import_page(request, sample_form=form, status=422)
    job = pending_imports.sample_start(
        actor=request.user,
        cluster=form.cleaned_data["cluster"],
        organisations=form.cleaned_data["organisations"],
        seed=form.cleaned_data["seed"],
    )
    return redirect("core:job_detail", job_id=job.pk)


@login_required
@require_GET
def people(request: HttpRequest) -> HttpResponse:
    """Everybody in the registry the caller sees: search by name, function, organisation,
    language; export the same selection."""
    _reader(request)
    q = CONTROL.sub("", str(request.GET.get("q", "") or ""))[:100].strip()
    raw = str(request.GET.get("cluster", "") or "")
    cluster = None
    if raw:
        cluster = (
            selectors.clusters_visible_to(request.user)
            .filter(pk=int(raw) if raw.isdigit() and len(raw) < 10 else -1)
            .first()
        )
    qs = selectors.people_search(request.user, q=q, cluster=cluster.pk if cluster else None)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = {"q": q, **({"cluster": str(cluster.pk)} if cluster else {})}
    return render(
        request,
        "community/people.html",
        {
            **_common(request),
            "tab": "people",
            "q": q,
            "cluster": cluster,
            "cluster_ignored": bool(raw) and cluster is None,
            "page": page,
            "total": qs.count(),
            "query": urlencode(query),
            "editable_ids": set(
                selectors.organisations_editable_by(request.user).values_list("pk", flat=True)
            ),
        },
    )


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    _manager(request)
    kind = request.GET.get("kind", "organisations")
    fmt = request.GET.get("format", "xlsx")
    if kind not in transfer.KINDS or fmt not in CONTENT_TYPES:
        return HttpResponse(
            _("kind: organisations, people or projects; format: csv or xlsx"),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    out = HttpResponse(transfer.template_rows(kind, fmt), content_type=CONTENT_TYPES[fmt])
    out["Content-Disposition"] = f'attachment; filename="{kind}-template.{fmt}"'
    return out


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    _reader(request)
    kind = request.GET.get("kind", "organisations")
    fmt = request.GET.get("format", "csv")
    if kind not in transfer.KINDS or fmt not in CONTENT_TYPES:
        return HttpResponse(
            _("kind: organisations, people or projects; format: csv or xlsx"),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    cluster = None
    raw = request.GET.get("cluster", "")
    if raw:
        cluster = (
            selectors.clusters_visible_to(request.user)
            .filter(pk=int(raw) if raw.isdigit() and len(raw) < 10 else -1)
            .first()
        )
        if cluster is None:
            raise Http404(_("There is no cluster with this id whose registry you see."))
    q = CONTROL.sub("", str(request.GET.get("q", "") or ""))[:100].strip()
    body = transfer.registry_export(
        actor=request.user, kind=kind, fmt=fmt, cluster=cluster, q=q if kind == "people" else ""
    )
    out = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    out["Content-Disposition"] = f'attachment; filename="community-{kind}.{fmt}"'
    return out


@login_required
@require_GET
def network(request: HttpRequest) -> HttpResponse:
    _reader(request)
    params = search_params(request.GET)
    mode = "projects" if request.GET.get("mode") == "projects" else "competences"
    query = request.GET.copy()
    return render(
        request,
        "community/network.html",
        {
            **_common(request),
            "params": params,
            "mode": mode,
            "query": query.urlencode(),
            "i18n": {
                "organisation": _("Organisation"),
                "competence": _("Competence"),
                "open": _("Open the organisation"),
                "holders": _("Organisations with this competence"),
                "links": _("links"),
                "nodes": _("nodes"),
                "truncated": _("Only the first 400 organisations are drawn: narrow the filters."),
                "empty": _("Nothing to draw for these filters."),
                "synthetic": _("synthetic sample"),
                "region": _("Region"),
                "level": _("level"),
                "projects": _("joint projects"),
                "failed": _("The network could not be loaded."),
            },
        },
    )


@login_required
@require_GET
def network_json(request: HttpRequest) -> JsonResponse:
    _reader(request)
    params = search_params(request.GET)
    mode = "projects" if request.GET.get("mode") == "projects" else "competences"
    return JsonResponse(selectors.network(request.user, mode=mode, **params))


@login_required
@require_GET
def regions(request: HttpRequest) -> HttpResponse:
    _reader(request)
    params = search_params(request.GET)
    data = selectors.region_counts(request.user, cluster=params["cluster"])
    cell, gap = 96, 6
    tiles = [
        {
            **t,
            "x": t["tile"].col * (cell + gap),
            "y": t["tile"].row * (cell + gap),
            "opacity": 0.12 + 0.88 * t["share"] if t["count"] else 0,
        }
        for t in data["tiles"]
    ]
    return render(
        request,
        "community/regions.html",
        {
            **_common(request),
            "params": params,
            "tiles": tiles,
            "cell": cell,
            "width": 9 * (cell + gap),
            "height": 4 * (cell + gap),
            "outside": data["outside"],
            "total": data["total"],
        },
    )


def _run_search(request: HttpRequest, need: dict[str, Any]) -> list[dict[str, Any]]:
    known = frozenset(selectors.own_organisations(request.user).values_list("pk", flat=True))
    ranked = algo.rank(needs.to_algo(need, known), selectors.candidates(request.user), limit=50)
    orgs = Organisation.objects.in_bulk([r.id for r in ranked])
    labels = dict(Competence.objects.values_list("code", "label"))
    return [
        {
            "result": r,
            "org": orgs[r.id],
            "reasons": needs.reasons(r, labels, orgs[r.id].region),
        }
        for r in ranked
    ]


def _partners_page(
    request: HttpRequest, data: dict[str, Any], saved: Any = None, status: int = 200
) -> HttpResponse:
    results = None
    problems: list[tuple[str, str]] = []
    need = None
    if any(data.get(k) for k in ("competences", "regions", "kinds")):
        try:
            need = needs.clean_need(data)
            results = _run_search(request, need)
        except needs.NeedError as exc:
            problems = exc.problems
            status = 422
    return render(
        request,
        "community/partners.html",
        {
            **_common(request),
            "data": data,
            "need": need,
            "results": results,
            "problems": problems,
            "saved": saved,
            "searches": selectors.saved_searches(request.user),
        },
        status=status,
    )


def _need_data(source: Any) -> dict[str, Any]:
    return {
        "competences": str(source.get("competences", "") or "")[:2000],
        "regions": str(source.get("regions", "") or "")[:400],
        "kinds": [k for k in source.getlist("kinds")][:10],
        "regions_only": source.get("regions_only", "") == "on",
    }


@login_required
@require_GET
def partners(request: HttpRequest) -> HttpResponse:
    _reader(request)
    return _partners_page(request, _need_data(request.GET))


@login_required
@require_POST
def search_save(request: HttpRequest) -> HttpResponse:
    _reader(request)
    data = _need_data(request.POST)
    try:
        need = needs.clean_need(data)
        search = services.saved_search_save(
            actor=request.user, name=request.POST.get("name", "")[:300], need=need
        )
    except (needs.NeedError, services.RegistryError) as exc:
        for field, message in exc.problems:
            messages.error(request, f"{field}: {message}")
        return _partners_page(request, data, status=422)
    messages.success(request, _("The search is saved as “%(n)s”.") % {"n": search.name})
    return redirect("community:search_run", search_id=search.pk)


@login_required
@require_GET
def search_run(request: HttpRequest, search_id: int) -> HttpResponse:
    search = selectors.saved_search_get(request.user, search_id)
    if search is None:
        raise Http404(_("There is no saved search of yours with this id."))
    need = search.need or {}
    data = {
        "competences": needs.need_text(need),
        "regions": " ".join(need.get("regions", [])),
        "kinds": need.get("kinds", []),
        "regions_only": need.get("regions_only", False),
    }
    return _partners_page(request, data, saved=search)


@login_required
@require_POST
def search_delete(request: HttpRequest, search_id: int) -> HttpResponse:
    search = selectors.saved_search_get(request.user, search_id)
    if search is None:
        raise Http404(_("There is no saved search of yours with this id."))
    services.saved_search_delete(actor=request.user, search=search)
    messages.success(request, _("The saved search is deleted."))
    return redirect("community:partners")
