"""Pages of the curation workflow. Thin: parse, call a selector or a service, render.

Everything scoped: a one-pager or a campaign the caller may not see answers 404; an action the
caller may not take answers 403 with the reason.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tact.accounts.models import ClusterInitiative, Role, RoleAssignment
from tact.accounts.selectors import regions_visible_to
from tact.catalogue.exports import fact_text
from tact.catalogue.models import Field, Objective
from tact.catalogue.selectors import practice_get
from tact.core.jobs import submit_job

from . import content, exchange, selectors, services
from .models import Campaign, Invitation, OnePager, State


def _post(request: HttpRequest, key: str, default: str = "") -> str:
    """A form value without NUL characters, which no database stores."""
    return str(request.POST.get(key, default)).replace("\x00", "")


def _base_url(request: HttpRequest) -> str:
    return settings.TACT_BASE_URL or request.build_absolute_uri("/")


def _campaign_or_404(request: HttpRequest, campaign_id: int) -> Campaign:
    campaign = selectors.campaign_for_curator(request.user, campaign_id)
    if campaign is None:
        raise Http404(_("There is no campaign with this id that you may see."))
    return campaign


def _one_pager_or_404(request: HttpRequest, one_pager_id: int) -> OnePager:
    one_pager = selectors.one_pager_get(request.user, one_pager_id)
    if one_pager is None:
        raise Http404(_("There is no one-pager with this id that you may see."))
    return one_pager


def _names() -> dict[str, dict[str, str]]:
    return {
        "fields": {f.id: f.name for f in Field.objects.all()},
        "objectives": {o.id: o.name for o in Objective.objects.all()},
    }


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    mine = selectors.one_pagers_visible_to(user).filter(
        cluster__in=ClusterInitiative.objects.filter(roles__user=user, roles__role=Role.MANAGER)
    )
    to_review = selectors.one_pagers_visible_to(user).filter(reviewers=user, state=State.IN_REVIEW)
    return render(
        request,
        "curation/home.html",
        {
            "campaigns": selectors.campaigns_curated_by(user).prefetch_related("regions"),
            "is_curator": selectors.is_curator(user),
            "mine": mine.order_by("-updated_at"),
            "to_review": to_review.order_by("campaign", "reference"),
        },
    )


def _default_invitations(regions: Any) -> str:
    """Every cluster of the regions with its managers' e-mails, one line each."""
    lines = []
    for cluster in ClusterInitiative.objects.filter(region__in=regions).order_by("name"):
        emails = RoleAssignment.objects.filter(cluster=cluster, role=Role.MANAGER).values_list(
            "user__email", flat=True
        )
        for email in emails:
            lines.append(f"{cluster.name} | {email}")
    return "\n".join(lines)


def _parse_invitations(text: str) -> tuple[list[tuple[ClusterInitiative, str]], list[str]]:
    found: list[tuple[ClusterInitiative, str]] = []
    errors = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if "|" not in line:
            errors.append(
                _("line %(n)d: write the cluster's name, a | and the manager's e-mail")
                % {"n": number}
            )
            continue
        name, email = (part.strip() for part in line.rsplit("|", 1))
        cluster = ClusterInitiative.objects.filter(name__iexact=name).first()
        if cluster is None:
            errors.append(
                _("line %(n)d: no cluster initiative is called %(name)r")
                % {"n": number, "name": name}
            )
            continue
        found.append((cluster, email))
    return found, errors


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    if not selectors.is_curator(request.user):
        raise PermissionDenied(_("Only regional contacts (curators) run survey campaigns."))
    regions = regions_visible_to(request.user)
    values: dict[str, Any] = {
        "name": "",
        "deadline": (dt.date.today() + dt.timedelta(days=42)).isoformat(),
        "introduction": "",
        "regions": [str(r.pk) for r in regions],
        "invitations": _default_invitations(regions),
    }
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = {
            "name": _post(request, "name", "")[:200],
            "deadline": _post(request, "deadline", "")[:20],
            "introduction": _post(request, "introduction", "")[:5000],
            "regions": request.POST.getlist("regions"),
            "invitations": _post(request, "invitations", "")[:50000],
        }
        chosen = [r for r in regions if str(r.pk) in values["regions"]]
        try:
            deadline = dt.date.fromisoformat(values["deadline"])
        except ValueError:
            errors["deadline"] = _("give the deadline as a date (YYYY-MM-DD)")
            deadline = None
        invitations, problems = _parse_invitations(values["invitations"])
        if problems:
            errors["invitations"] = "; ".join(problems)
        if not errors and deadline is not None:
            try:
                campaign = services.campaign_create(
                    actor=request.user,
                    name=values["name"],
                    regions=chosen,
                    deadline=deadline,
                    introduction=values["introduction"],
                    invitations=invitations,
                    base_url=_base_url(request),
                )
            except services.CurationError as exc:
                errors[exc.field or "form"] = exc.message
            else:
                messages.success(
                    request,
                    ngettext(
                        "Campaign created; %(n)d personal link was sent.",
                        "Campaign created; %(n)d personal links were sent.",
                        len(invitations),
                    )
                    % {"n": len(invitations)},
                )
                return redirect("curation:campaign", campaign_id=campaign.pk)
        status = 422
    return render(
        request,
        "curation/campaign_form.html",
        {"values": values, "errors": errors, "regions": regions},
        status=status,
    )


@login_required
@require_GET
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign_or_404(request, campaign_id)
    rows = selectors.campaign_status(campaign)
    return render(
        request,
        "curation/campaign.html",
        {
            "campaign": campaign,
            "rows": rows,
            "counts": selectors.state_counts(campaign),
            "states": State,
            "pending": sum(1 for r in rows if r["state"] in PENDING),
            "edition": selectors.edition_outdated(campaign),
        },
    )


PENDING = (State.DRAFT, State.REVISION_REQUESTED)


def _parse_deadline(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def campaign_close(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Ask for confirmation (GET), then close the campaign (POST)."""
    campaign = _campaign_or_404(request, campaign_id)
    if request.method == "POST":
        try:
            services.campaign_close(actor=request.user, campaign=campaign)
        except services.NotAllowed as exc:
            raise PermissionDenied(exc.message) from None
        except services.CurationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _(
                    "The campaign is closed. The personal links now say so; you can reopen it "
                    "with a new deadline."
                ),
            )
        return redirect("curation:campaign", campaign_id=campaign.pk)
    if not campaign.is_open:
        messages.info(request, _("The campaign is already closed."))
        return redirect("curation:campaign", campaign_id=campaign.pk)
    rows = selectors.campaign_status(campaign)
    return render(
        request,
        "curation/campaign_close.html",
        {"campaign": campaign, "pending": [r for r in rows if r["state"] in PENDING]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_reopen(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Reopen a closed campaign with a new deadline (a form, then POST)."""
    campaign = _campaign_or_404(request, campaign_id)
    if campaign.is_open and request.method == "GET":
        messages.info(request, _("The campaign is open."))
        return redirect("curation:campaign", campaign_id=campaign.pk)
    suggested = max(campaign.deadline, timezone.localdate())
    if suggested < dt.date.max - dt.timedelta(days=14):
        suggested += dt.timedelta(days=14)
    value = suggested.isoformat()
    error = ""
    status = 200
    if request.method == "POST":
        value = _post(request, "deadline", "")[:20]
        deadline = _parse_deadline(value)
        if deadline is None:
            error = _("deadline: give the new deadline as a date (YYYY-MM-DD)")
        else:
            try:
                services.campaign_reopen(actor=request.user, campaign=campaign, deadline=deadline)
            except services.NotAllowed as exc:
                raise PermissionDenied(exc.message) from None
            except services.CurationError as exc:
                error = f"{exc.field}: {exc.message}" if exc.field else exc.message
            else:
                messages.success(
                    request,
                    _("The campaign is open again until %(date)s.")
                    % {"date": deadline.isoformat()},
                )
                return redirect("curation:campaign", campaign_id=campaign.pk)
        status = 422
    return render(
        request,
        "curation/campaign_reopen.html",
        {"campaign": campaign, "deadline": value, "error": error, "today": timezone.localdate()},
        status=status,
    )


@login_required
@require_POST
def campaign_remind(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign_or_404(request, campaign_id)
    try:
        sent = services.invitations_remind(
            actor=request.user, campaign=campaign, base_url=_base_url(request)
        )
    except services.CurationError as exc:
        messages.error(request, exc.message)
    else:
        if sent:
            messages.success(
                request,
                ngettext(
                    "%(n)d reminder sent, to %(to)s.",
                    "%(n)d reminders sent, to %(to)s.",
                    len(sent),
                )
                % {"n": len(sent), "to": ", ".join(sent)},
            )
        else:
            messages.info(
                request, _("No reminder sent: every invited manager has submitted a one-pager.")
            )
    return redirect("curation:campaign", campaign_id=campaign.pk)


@login_required
@require_POST
def campaign_invite(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign_or_404(request, campaign_id)
    invitations, problems = _parse_invitations(_post(request, "invitations", "")[:50000])
    if problems:
        messages.error(request, "; ".join(problems))
    for cluster, email in invitations:
        try:
            services.invitation_add(
                actor=request.user,
                campaign=campaign,
                cluster=cluster,
                email=email,
                base_url=_base_url(request),
            )
        except services.CurationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(c)s invited.") % {"c": cluster.name})
    return redirect("curation:campaign", campaign_id=campaign.pk)


@login_required
@require_GET
def ranking(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign_or_404(request, campaign_id)
    names = _names()
    rows = []
    for rank, item in enumerate(selectors.ranking(campaign), start=1):
        scores = item.scores or {}
        suggestion = scores.get("suggestion") or {}
        uniqueness = scores.get("uniqueness") or {}
        rows.append(
            {
                "rank": rank,
                "item": item,
                "overall": (scores.get("overall") or {}),
                "completeness": (scores.get("completeness") or {}),
                "soundness": (scores.get("soundness") or {}),
                "uniqueness": uniqueness,
                "duplicates": uniqueness.get("near_duplicates") or [],
                "field": names["fields"].get(suggestion.get("field", ""), ""),
                "field_id": suggestion.get("field", ""),
                "field_confidence": suggestion.get("confidence"),
                "objectives": [
                    (names["objectives"].get(o["objective"], o["objective"]), o["confidence"])
                    for o in suggestion.get("objectives", [])
                ],
                "reviews": len(item.reviews.all()),
            }
        )
    return render(request, "curation/ranking.html", {"campaign": campaign, "rows": rows})


@login_required
@require_POST
def campaign_score(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign_or_404(request, campaign_id)
    job = submit_job(
        kind="curation.score",
        label=_("Score the one-pagers of %(c)s") % {"c": campaign.name},
        params={"campaign_id": campaign.pk, "actor_id": request.user.pk},
        user=request.user,
        result_url=reverse("curation:ranking", args=[campaign.pk]),
    )
    return redirect("core:job_detail", job_id=job.pk)


@login_required
@require_POST
def campaign_select(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign_or_404(request, campaign_id)
    try:
        ids = [int(v) for v in request.POST.getlist("selected")]
        services.selection_set(actor=request.user, campaign=campaign, selected=ids)
    except ValueError:
        messages.error(request, _("selected: not a one-pager id"))
    except services.CurationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext("%(n)d one-pager selected.", "%(n)d one-pagers selected.", len(ids))
            % {"n": len(ids)},
        )
    return redirect("curation:ranking", campaign_id=campaign.pk)


@login_required
@require_GET
def campaign_export(request: HttpRequest, campaign_id: int, fmt: str) -> HttpResponse:
    campaign = _campaign_or_404(request, campaign_id)
    if fmt not in exchange.FORMATS:
        raise Http404(_("Unknown format."))
    body, content_type = exchange.export_one_pagers(campaign, fmt)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.pk}.{fmt}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def campaign_import(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign_or_404(request, campaign_id)
    report = None
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        dry_run = _post(request, "dry_run") == "yes"
        if upload is None:
            report = exchange.ImportReport(
                problems=[exchange.problem("", "", "file", _("choose a file"))]
            )
        elif upload.size and upload.size > exchange.MAX_BYTES:
            report = exchange.ImportReport(
                problems=[exchange.problem(upload.name, "", "file", _("the file is too large"))]
            )
        else:
            report = exchange.import_one_pagers(
                actor=request.user,
                campaign=campaign,
                data=upload.read(),
                filename=upload.name or "upload",
                dry_run=dry_run,
            )
        status = 422 if report.problems else 200
    return render(
        request,
        "curation/import.html",
        {"campaign": campaign, "report": report},
        status=status,
    )


# --- one-pagers ---------------------------------------------------------------------------------


def _form_context(
    one_pager: OnePager, data: dict[str, Any], errors: dict[str, list[str]]
) -> dict[str, Any]:
    values = content.form_values(data)
    flat: dict[str, str] = {}
    for key, found in errors.items():
        match = re.fullmatch(r"facts\[(\d+)\]\.?(\w*)", key)
        if match:
            index = int(match.group(1)) - 1
            if 0 <= index < len(values["facts"]):
                values["facts"][index][1].setdefault("errors", []).extend(
                    f"{match.group(2) or _('fact')}: {m}" for m in found
                )
                continue
        flat[key.replace(".", "_")] = "; ".join(found)
    options = content.choices()
    values["choice_groups"] = [
        (key, content.LABELS[key], options[key], values[key]) for key in content.CHOICE_LISTS
    ]
    values["line_groups"] = [(k, content.LABELS[k], values[k]) for k in content.LINE_LISTS]
    return {
        "one_pager": one_pager,
        "v": values,
        "errors": flat,
        "choices": options,
        "labels": content.LABELS,
    }


def _edit(
    request: HttpRequest,
    one_pager: OnePager,
    *,
    invitation: Invitation | None,
    action_url: str,
) -> HttpResponse:
    actor = request.user if request.user.is_authenticated else None
    data = dict(one_pager.data)
    errors: dict[str, list[str]] = {}
    conflict = None
    status = 200
    if request.method == "POST":
        data = content.from_form(request.POST)
        try:
            expected = int(_post(request, "version", ""))
        except ValueError:
            expected = -1
        try:
            one_pager = services.one_pager_save(
                actor=actor,
                one_pager=one_pager,
                data=data,
                expected_version=expected,
                invitation=invitation,
                note=_post(request, "note", "")[:300],
            )
            if _post(request, "action") == "submit":
                services.one_pager_transition(
                    actor=actor, one_pager=one_pager, to=State.SUBMITTED, invitation=invitation
                )
                messages.success(request, _("Thank you: the one-pager is submitted."))
            else:
                messages.success(
                    request, _("Draft saved (version %(v)d).") % {"v": one_pager.version}
                )
            return redirect(action_url)
        except services.EditConflict as exc:
            conflict = exc
            one_pager = exc.one_pager
            status = 409
        except services.InvalidOnePager as exc:
            errors = exc.problems
            one_pager.refresh_from_db()
            status = 422
        except services.NotAllowed as exc:
            raise PermissionDenied(exc.message) from None
        except services.CurationError as exc:
            errors = {exc.field or "form": [exc.message]}
            status = 422
    else:
        if not services.may_edit(actor, one_pager, invitation):
            closed = not one_pager.campaign.is_open and one_pager.state == State.DRAFT
            return render(
                request,
                "curation/form_closed.html",
                {"one_pager": one_pager, "invitation": invitation, "closed": closed},
            )
        errors = content.problems(one_pager.data) if one_pager.version > 1 else {}
    context = _form_context(one_pager, data, errors)
    context.update(
        {
            "conflict": conflict,
            "invitation": invitation,
            "action_url": action_url,
            "can_submit": one_pager.state in (State.DRAFT, State.REVISION_REQUESTED),
            "comments": one_pager.comments.all(),
        }
    )
    return render(request, "curation/form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def form_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """The personal link: the one-pager of one cluster initiative, no login needed."""
    invitation = selectors.invitation_by_token(token)
    one_pager = selectors.one_pager_of_invitation(invitation) if invitation else None
    if invitation is None or one_pager is None:
        raise Http404(_("This link is not valid. Ask your regional contact for a new one."))
    services.invitation_opened(invitation=invitation)
    return _edit(
        request,
        one_pager,
        invitation=invitation,
        action_url=reverse("curation:form", args=[token]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def one_pager_edit(request: HttpRequest, one_pager_id: int) -> HttpResponse:
    one_pager = _one_pager_or_404(request, one_pager_id)
    return _edit(
        request,
        one_pager,
        invitation=None,
        action_url=reverse("curation:one_pager_edit", args=[one_pager.pk]),
    )


@login_required
@require_GET
def one_pager_detail(request: HttpRequest, one_pager_id: int) -> HttpResponse:
    one_pager = _one_pager_or_404(request, one_pager_id)
    roles = services.roles_of(request.user, one_pager)
    data = content.normalise(one_pager.data)
    own_review = one_pager.reviews.filter(reviewer=request.user).first()
    return render(
        request,
        "curation/one_pager.html",
        {
            "one_pager": one_pager,
            "data": data,
            "roles": roles,
            "transitions": [
                (s, State(s).label) for s in services.allowed_transitions(request.user, one_pager)
            ],
            "can_edit": services.may_edit(request.user, one_pager),
            "is_curator": "curator" in roles or "admin" in roles,
            "is_reviewer": "reviewer" in roles,
            "own_review": own_review,
            "rubric": [(c.key, content.RUBRIC_LABELS[c.key]) for c in content.RUBRIC],
            "scale": range(content.SCALE[0], content.SCALE[1] + 1),
            "reviews": one_pager.reviews.select_related("reviewer"),
            "candidates": selectors.reviewer_candidates(one_pager.campaign),
            "versions": one_pager.versions.all()[:50],
            "comments": one_pager.comments.all(),
            "names": _names(),
            "fields": Field.objects.all(),
            "problems": content.problems(one_pager.data),
            "facts": [_fact_line(f) for f in data["facts"]],
        },
    )


def _fact_line(fact: Any) -> str:
    """'Fee for members: 450 EUR per company', or the fact as typed when it is not valid yet."""
    if not isinstance(fact, dict):
        return str(fact)
    try:
        return f"{fact.get('label', '')}: {fact_text(fact)}"
    except (ValueError, TypeError, KeyError):
        figures = " ".join(str(fact.get(k, "")) for k in ("value", "min", "max", "unit", "per"))
        return f"{fact.get('label', '')}: {' '.join(figures.split())}"


def _after(request: HttpRequest, one_pager: OnePager) -> HttpResponse:
    return redirect("curation:one_pager", one_pager_id=one_pager.pk)


@login_required
@require_POST
def one_pager_transition(request: HttpRequest, one_pager_id: int) -> HttpResponse:
    one_pager = _one_pager_or_404(request, one_pager_id)
    to = _post(request, "to", "")[:30]
    try:
        services.one_pager_transition(
            actor=request.user,
            one_pager=one_pager,
            to=to,
            comment=_post(request, "comment", "")[:5000],
            base_url=_base_url(request),
        )
    except services.NotAllowed as exc:
        raise PermissionDenied(exc.message) from None
    except services.CurationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The one-pager is now: %(s)s.") % {"s": State(to).label})
    return _after(request, one_pager)


@login_required
@require_POST
def one_pager_comment(request: HttpRequest, one_pager_id: int) -> HttpResponse:
    one_pager = _one_pager_or_404(request, one_pager_id)
    try:
        services.comment_add(
            actor=request.user, one_pager=one_pager, text=_post(request, "text", "")
        )
    except services.CurationError as exc:
        messages.error(request, exc.message)
    return _after(request, one_pager)


@login_required
@require_POST
def one_pager_review(request: HttpRequest, one_pager_id: int) -> HttpResponse:
    one_pager = _one_pager_or_404(request, one_pager_id)
    try:
        services.review_save(
            actor=request.user,  # type: ignore[arg-type]
            one_pager=one_pager,
            ratings=request.POST,
            note=_post(request, "note", "")[:5000],
        )
    except services.NotAllowed as exc:
        raise PermissionDenied(exc.message) from None
    except services.CurationError as exc:
        messages.error(request, f"{exc.field}: {exc.message}" if exc.field else exc.message)
    else:
        messages.success(request, _("Your rating is saved."))
    return _after(request, one_pager)


@login_required
@require_POST
def one_pager_reviewers(request: HttpRequest, one_pager_id: int) -> HttpResponse:
    one_pager = _one_pager_or_404(request, one_pager_id)
    candidates = selectors.reviewer_candidates(one_pager.campaign)
    chosen = [u for u in candidates if str(u.pk) in request.POST.getlist("reviewers")]
    try:
        services.reviewers_assign(actor=request.user, one_pager=one_pager, reviewers=chosen)  # type: ignore[arg-type]
    except services.NotAllowed as exc:
        raise PermissionDenied(exc.message) from None
    except services.CurationError as exc:
        messages.error(request, exc.message)
    return _after(request, one_pager)


@login_required
@require_POST
def one_pager_field(request: HttpRequest, one_pager_id: int) -> HttpResponse:
    one_pager = _one_pager_or_404(request, one_pager_id)
    try:
        services.one_pager_set_field(
            actor=request.user,  # type: ignore[arg-type]
            one_pager=one_pager,
            field_id=_post(request, "field", "")[:40],
        )
    except services.NotAllowed as exc:
        raise PermissionDenied(exc.message) from None
    except services.CurationError as exc:
        messages.error(request, exc.message)
    return _after(request, one_pager)


@login_required
@require_GET
def version_diff(request: HttpRequest, one_pager_id: int, version_id: int) -> HttpResponse:
    one_pager = _one_pager_or_404(request, one_pager_id)
    version = one_pager.versions.filter(pk=version_id).first()
    if version is None:
        raise Http404(_("There is no such version."))
    previous = (
        one_pager.versions.filter(conflict=False, number__lt=version.number)
        .order_by("-number", "-id")
        .first()
    )
    if version.conflict:
        # A refused save is compared with what was saved instead.
        previous = (
            one_pager.versions.filter(conflict=False, number__gt=version.number)
            .order_by("number", "id")
            .first()
            or previous
        )
    before = previous.data if previous else {}
    names = (
        _("version %(n)d") % {"n": previous.number} if previous else _("empty"),
        _("version %(n)d") % {"n": version.number},
    )
    return render(
        request,
        "curation/diff.html",
        {
            "one_pager": one_pager,
            "version": version,
            "previous": previous,
            "diff": content.diff(before, version.data, names=names).splitlines(),
        },
    )


@login_required
@require_GET
def compare(request: HttpRequest, one_pager_id: int) -> HttpResponse:
    """A one-pager side by side with a near-duplicate (another one-pager or a practice)."""
    one_pager = _one_pager_or_404(request, one_pager_id)
    other_key = request.GET.get("with", "")[:100]
    kind, _sep, ident = other_key.partition(":")
    other: dict[str, Any] | None = None
    title = ""
    if kind == "onepager" and ident.isdigit():
        found = selectors.one_pager_get(request.user, int(ident))
        if found is not None:
            other = content.normalise(found.data)
            title = f"{found.reference}: {found.title}"
    elif kind == "practice":
        practice = practice_get(ident)
        if practice is not None:
            other = practice.to_record()
            title = f"{practice.id}: {practice.title}"
    if other is None and not other_key:
        # Nothing chosen yet: offer the nearest one-pagers and practices of the last scoring.
        nearest = (one_pager.scores or {}).get("uniqueness", {}).get("nearest", [])
        return render(
            request,
            "curation/compare.html",
            {"one_pager": one_pager, "title": "", "rows": [], "nearest": nearest},
        )
    if other is None:
        raise Http404(_("Nothing to compare with: use ?with=onepager:<id> or ?with=practice:<id>."))
    mine = content.normalise(one_pager.data)
    keys = ["title", "summary", "description", "activities", "success_factors", "facts"]
    rows = [(content.LABELS[k], _show(mine.get(k)), _show(other.get(k))) for k in keys]
    return render(
        request,
        "curation/compare.html",
        {"one_pager": one_pager, "title": title, "rows": rows},
    )


def _show(value: Any) -> str:
    if isinstance(value, list):
        parts = []
        for item in value:
            if isinstance(item, dict):
                parts.append(", ".join(f"{k}: {v}" for k, v in item.items() if v not in ("", None)))
            else:
                parts.append(str(item))
        return "\n".join(parts)
    return "" if value is None else str(value)
