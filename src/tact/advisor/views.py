"""Advisor pages: profiles, recommendations, gap analysis and service plans.

Thin: parse, call a selector or a service, render. A profile the user may not see is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tact.accounts.selectors import clusters_managed_by
from tact.algorithms import advisor as algo
from tact.catalogue.selectors import is_practice_id
from tact.core.svg import polar, ring_sector, wedge_angles

from . import selectors, services
from .forms import LimitsForm, ProfileForm, form_field_for, initial_from
from .models import ClusterProfile
from .profiles import ProfileError

DEFAULT_TOP = 25  # explained on the page; ?top=N (up to 500) shows more
FACTOR_LABELS = {
    "objectives": gettext_lazy("Objective fit"),
    "complementarity": gettext_lazy("Complementarity"),
    "target_groups": gettext_lazy("Target groups"),
    "resources": gettext_lazy("Resources"),
    "sector": gettext_lazy("Sector"),
    "stage": gettext_lazy("Stage"),
    "scope": gettext_lazy("Scope"),
}


def _profile_or_404(request: HttpRequest, profile_id: int) -> ClusterProfile:
    profile = selectors.profile_get(request.user, profile_id)
    if profile is None:
        raise Http404(_("There is no profile with this id that you may see."))
    return profile


@login_required
@require_GET
def profile_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "advisor/profile_list.html",
        {
            "profiles": selectors.profiles_visible_to(request.user),
            "can_create": clusters_managed_by(request.user).exists(),
        },
    )


def _apply_errors(form: ProfileForm, exc: ProfileError) -> None:
    for problem in exc.problems:
        target = form_field_for(problem.field)
        if target not in form.fields:
            form.add_error(None, str(problem))
        else:
            form.add_error(target, problem.message)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest, profile_id: int | None = None) -> HttpResponse:
    profile = _profile_or_404(request, profile_id) if profile_id is not None else None
    clusters = clusters_managed_by(request.user)
    if not clusters.exists():
        raise PermissionDenied(_("Only cluster managers can create profiles."))
    if request.method == "POST":
        form = ProfileForm(request.POST, clusters=clusters)
        if form.is_valid():
            try:
                if profile is None:
                    profile = services.profile_create(
                        actor=request.user,
                        cluster=form.cleaned_data["cluster"],
                        data=form.to_record(),
                    )
                    messages.success(request, _("The profile was created."))
                else:
                    if form.cleaned_data["cluster"] != profile.cluster:
                        form.add_error("cluster", _("A profile cannot move to another cluster."))
                        raise ProfileError([])
                    services.profile_update(
                        actor=request.user, profile=profile, data=form.to_record()
                    )
                    messages.success(request, _("The profile was saved."))
                return redirect(profile.get_absolute_url())
            except ProfileError as exc:
                _apply_errors(form, exc)
        status = 422
    else:
        initial = initial_from(profile) if profile else {"stage": "growing"}
        if profile is None and clusters.count() == 1:
            initial["cluster"] = clusters.first()
        form = ProfileForm(initial=initial, clusters=clusters)
        status = 200
    return render(
        request, "advisor/profile_form.html", {"form": form, "profile": profile}, status=status
    )


@login_required
@require_http_methods(["POST"])
def profile_delete(request: HttpRequest, profile_id: int) -> HttpResponse:
    profile = _profile_or_404(request, profile_id)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that the profile should be deleted."))
        return redirect("advisor:edit", profile_id=profile.pk)
    services.profile_delete(actor=request.user, profile=profile)
    messages.success(request, _("The profile was deleted."))
    return redirect("advisor:list")


@login_required
@require_GET
def recommendations(request: HttpRequest, profile_id: int) -> HttpResponse:
    profile = _profile_or_404(request, profile_id)
    form = LimitsForm(request.GET or None)
    limits = algo.Limits()
    top = DEFAULT_TOP
    status = 200
    if form.is_bound:
        if form.is_valid():
            d = form.cleaned_data
            top = d.get("top") or DEFAULT_TOP
            limits = algo.Limits(
                max_cost_eur=d.get("max_cost"),
                max_staff=d.get("max_staff"),
                fields=tuple(d["field"]),
            )
        else:
            status = 422
    ranking = selectors.recommendations(profile, limits, top=top)
    return render(
        request,
        "advisor/recommendations.html",
        {
            "profile": profile,
            "form": form,
            "ranking": ranking,
            "factor_labels": FACTOR_LABELS,
            "weights": [(FACTOR_LABELS[k], v) for k, v in algo.WEIGHTS.items()],
            "field_names": selectors.toolbox().field_names,
        },
        status=status,
    )


def coverage_board(analysis: algo.GapAnalysis, fields: list[Any]) -> list[dict[str, Any]]:
    """Target-board picture: a ring of fields, each split into its objectives.

    The catalogue's home page draws the fields as wedges; here each wedge is divided into one
    sector per objective, filled when a current service covers it, outlined in red when it is a
    gap you gave a priority, and pale when you gave it none.
    """
    cx = cy = 200
    outer, inner, label_r = 180, 70, 192
    rows = {o.objective.id: o for o in analysis.objectives}
    out = []
    for i, field in enumerate(fields):
        start, end = wedge_angles(i, len(fields))
        span = end - start
        objectives = list(field.objectives.all())
        cells = []
        for j, objective in enumerate(objectives):
            a0 = start + span * j / len(objectives)
            a1 = start + span * (j + 1) / len(objectives)
            row = rows.get(objective.id)
            # Radius grows with priority, so what matters most is what stands out.
            prio = row.priority if row else 0
            radius = inner + (outer - inner) * (0.55 + 0.15 * prio)
            cells.append(
                {
                    "objective": objective,
                    "row": row,
                    "path": ring_sector(cx, cy, inner, radius, a0, a1),
                    "state": "covered" if row and row.covered else "gap" if prio else "none",
                }
            )
        x, y = polar(cx, cy, label_r, (start + end) / 2)
        out.append({"field": field, "cells": cells, "x": f"{x:.1f}", "y": f"{y:.1f}"})
    return out


@login_required
@require_GET
def gaps(request: HttpRequest, profile_id: int) -> HttpResponse:
    profile = _profile_or_404(request, profile_id)
    analysis = selectors.gap_analysis(profile)
    fields = selectors.fields_with_objectives()
    coverage = {f.field: f for f in analysis.fields}
    return render(
        request,
        "advisor/gaps.html",
        {
            "profile": profile,
            "analysis": analysis,
            "board": coverage_board(analysis, fields),
            "fields": [(f, coverage.get(f.id)) for f in fields],
            "titles": selectors.practice_titles(),
            "coverage_pct": None if analysis.coverage is None else round(100 * analysis.coverage),
        },
    )


@login_required
@require_GET
def plan(request: HttpRequest, profile_id: int, practice_id: str) -> HttpResponse:
    profile = _profile_or_404(request, profile_id)
    found = selectors.service_plan(profile, practice_id) if is_practice_id(practice_id) else None
    if found is None:
        raise Http404(_("There is no practice with this id."))
    if request.GET.get("format") == "markdown":
        response = HttpResponse(
            algo.plan_markdown(found), content_type="text/markdown; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="plan-{practice_id}.md"'
        return response
    return render(
        request,
        "advisor/plan.html",
        {
            "profile": profile,
            "plan": found,
            "phases": [
                (
                    ph,
                    algo.month_label(ph.start_month),
                    algo.month_label(max(ph.end_month - 1e-6, ph.start_month)),
                )
                for ph in found.phases
            ],
            "milestones": [(m, m.label) for m in found.milestones],
            "budget_pct": None if found.budget_share is None else round(100 * found.budget_share),
        },
    )
