"""Mentoring pages: programmes, their cycle, profiles, import, matching, pairs and exports.

Thin: parse, call a selector or a service, render. A programme the caller does not manage is a
404 (its existence is not revealed); participants see only their own pair on "My mentoring".
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tact.accounts.selectors import clusters_managed_by
from tact.core.tabular import CONTENT_TYPES, write_rows

from . import exports, selectors, services
from .forms import (
    EventForm,
    ImportForm,
    MatchForm,
    PairForm,
    ParticipantForm,
    ProgrammeForm,
    participant_initial,
    programme_initial,
    slot_label,
)
from .models import WEIGHT_LABELS, Method, Participant, Programme, Side
from .profiles import ProfileError

SAMPLE_FILE = "sample_profiles.csv"


def _programme_or_404(request: HttpRequest, programme_id: int) -> Programme:
    programme = selectors.programme_get(request.user, programme_id)
    if programme is None:
        raise Http404(_("There is no programme with this id that you may see."))
    return programme


def _apply_errors(form: Any, exc: ProfileError) -> None:
    for problem in exc.problems:
        if problem.field in form.fields:
            form.add_error(problem.field, problem.message)
        else:
            form.add_error(None, str(problem))


def _download(data: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _slug(programme: Programme) -> str:
    return slugify(programme.name)[:60] or f"programme-{programme.pk}"


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    participations = []
    for participant in selectors.participations_of(request.user):
        published = participant.programme.pairs_published
        participations.append(
            {
                "participant": participant,
                "programme": participant.programme,
                "pairs": selectors.partners_of(participant) if published else [],
                "published": published,
                "events": list(selectors.events(participant.programme)) if published else [],
            }
        )
    return render(
        request,
        "mentoring/home.html",
        {
            "programmes": selectors.programmes_managed_by(request.user),
            "can_create": clusters_managed_by(request.user).exists(),
            "participations": participations,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, programme_id: int | None = None) -> HttpResponse:
    programme = _programme_or_404(request, programme_id) if programme_id is not None else None
    clusters = clusters_managed_by(request.user)
    if not clusters.exists():
        raise PermissionDenied(_("Only cluster managers run mentoring programmes."))
    editing = programme is not None
    status = 200
    if request.method == "POST":
        form = ProgrammeForm(request.POST, clusters=clusters, editing=editing)
        if form.is_valid():
            try:
                if programme is None:
                    programme = services.programme_create(
                        actor=request.user,
                        cluster=form.cleaned_data["cluster"],
                        data=form.values(),
                    )
                    messages.success(
                        request,
                        _("The programme was created. Generate its dates, then add profiles."),
                    )
                else:
                    services.programme_update(
                        actor=request.user, programme=programme, data=form.values()
                    )
                    messages.success(request, _("The programme was saved."))
                return redirect(programme.get_absolute_url())
            except ProfileError as exc:
                _apply_errors(form, exc)
        status = 422
    else:
        initial = programme_initial(programme) if programme else {}
        if programme is None and clusters.count() == 1:
            initial["cluster"] = clusters.first()
        form = ProgrammeForm(initial=initial, clusters=clusters, editing=editing)
    return render(
        request,
        "mentoring/programme_form.html",
        {"form": form, "programme": programme},
        status=status,
    )


@login_required
@require_GET
def programme(request: HttpRequest, programme_id: int) -> HttpResponse:
    prog = _programme_or_404(request, programme_id)
    people = selectors.participants(prog)
    return render(
        request,
        "mentoring/programme.html",
        {
            "programme": prog,
            "tab": "overview",
            "n_mentors": people.filter(side=Side.MENTOR).count(),
            "n_mentees": people.filter(side=Side.MENTEE).count(),
            "n_ranked": people.exclude(ranking=[]).count(),
            "n_pairs": prog.pairs.count(),
            "events": selectors.events(prog),
            "run": selectors.last_run(prog),
            "match_form": MatchForm(),
            "weights": [(WEIGHT_LABELS[k], v) for k, v in prog.weights().items()],
            "unknown_exclusions": selectors.unknown_exclusions(prog),
            "inline_max": services.inline_max(),
        },
    )


@login_required
@require_POST
def programme_delete(request: HttpRequest, programme_id: int) -> HttpResponse:
    prog = _programme_or_404(request, programme_id)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that the programme should be deleted."))
        return redirect("mentoring:edit", programme_id=prog.pk)
    services.programme_delete(actor=request.user, programme=prog)
    messages.success(request, _("The programme and all its profiles and pairs were deleted."))
    return redirect("mentoring:home")


@login_required
@require_POST
def publish(request: HttpRequest, programme_id: int) -> HttpResponse:
    prog = _programme_or_404(request, programme_id)
    published = request.POST.get("published") == "yes"
    services.programme_publish(actor=request.user, programme=prog, published=published)
    if published:
        messages.success(request, _("Participants now see their pair and the dates."))
    else:
        messages.success(request, _("The pairs are hidden from participants again."))
    return redirect("mentoring:pairs", programme_id=prog.pk)


# --------------------------------------------------------------------------- the cycle


@login_required
@require_http_methods(["GET", "POST"])
def events(request: HttpRequest, programme_id: int) -> HttpResponse:
    prog = _programme_or_404(request, programme_id)
    status = 200
    if request.method == "POST":
        form = EventForm(request.POST)
        if form.is_valid():
            try:
                services.event_create(actor=request.user, programme=prog, data=form.cleaned_data)
                messages.success(request, _("The date was added."))
                return redirect("mentoring:events", programme_id=prog.pk)
            except ProfileError as exc:
                _apply_errors(form, exc)
        status = 422
    else:
        form = EventForm(initial={"kind": "other", "location": prog.location})
    return render(
        request,
        "mentoring/events.html",
        {"programme": prog, "tab": "events", "events": selectors.events(prog), "form": form},
        status=status,
    )


@login_required
@require_POST
def events_template(request: HttpRequest, programme_id: int) -> HttpResponse:
    prog = _programme_or_404(request, programme_id)
    replace = request.POST.get("replace") == "yes"
    created = services.events_from_template(actor=request.user, programme=prog, replace=replace)
    messages.success(
        request,
        _("%(n)d dates were generated from %(start)s; edit any of them below.")
        % {"n": len(created), "start": prog.start_date.isoformat()},
    )
    return redirect("mentoring:events", programme_id=prog.pk)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, programme_id: int, event_id: int) -> HttpResponse:
    prog = _programme_or_404(request, programme_id)
    event = selectors.event_get(prog, event_id)
    if event is None:
        raise Http404(_("There is no such date in this programme."))
    status = 200
    if request.method == "POST":
        form = EventForm(request.POST, instance=None)
        if form.is_valid():
            try:
                services.event_update(actor=request.user, event=event, data=form.cleaned_data)
                messages.success(request, _("The date was saved."))
                return redirect("mentoring:events", programme_id=prog.pk)
            except ProfileError as exc:
                _apply_errors(form, exc)
        status = 422
    else:
        form = EventForm(instance=event)
    return render(
        request,
        "mentoring/event_form.html",
        {"programme": prog, "tab": "events", "event": event, "form": form},
        status=status,
    )


@login_required
@require_POST
def event_delete(request: HttpRequest, programme_id: int, event_id: int) -> HttpResponse:
    prog = _programme_or_404(request, programme_id)
    event = selectors.event_get(prog, event_id)
    if event is None:
        raise Http404(_("There is no such date in this programme."))
    services.event_delete(actor=request.user, event=event)
    messages.success(request, _("The date was deleted."))
    return redirect("mentoring:events", programme_id=prog.pk)


@login_required
@require_GET
def ics(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The programme's dates for a calendar: its managers and (once published) its participants."""
    prog = selectors.programme_for_calendar(request.user, programme_id)
    if prog is None:
        raise Http404(_("There is no programme with this id that you may see."))
    return _download(
        exports.programme_ics(prog), "text/calendar; charset=utf-8", f"{_slug(prog)}.ics"
    )


# --------------------------------------------------------------------------- profiles


@login_required
@require_GET
def participants(request: HttpRequest, programme_id: int) -> HttpResponse:
    prog = _programme_or_404(request, programme_id)
    if request.GET.get("format") in ("csv", "xlsx"):
        fmt = request.GET["format"]
        return _download(
            write_rows(exports.profile_columns(), exports.profile_rows(prog), fmt),
            CONTENT_TYPES[fmt],
            f"{_slug(prog)}-profiles.{fmt}",
        )
    return render(
        request,
        "mentoring/participants.html",
        {
            "programme": prog,
            "tab": "participants",
            "mentors": selectors.participants(prog, Side.MENTOR),
            "mentees": selectors.participants(prog, Side.MENTEE),
            "slot_label": slot_label,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def participant_edit(
    request: HttpRequest, programme_id: int, participant_id: int | None = None
) -> HttpResponse:
    prog = _programme_or_404(request, programme_id)
    participant: Participant | None = None
    if participant_id is not None:
        participant = selectors.participant_get(prog, participant_id)
        if participant is None:
            raise Http404(_("There is no such profile in this programme."))
    status = 200
    if request.method == "POST":
        form = ParticipantForm(request.POST)
        if form.is_valid():
            try:
                if participant is None:
                    services.participant_create(
                        actor=request.user, programme=prog, data=form.values()
                    )
                    messages.success(request, _("The profile was added."))
                else:
                    services.participant_update(
                        actor=request.user, participant=participant, data=form.values()
                    )
                    messages.success(request, _("The profile was saved."))
                return redirect("mentoring:participants", programme_id=prog.pk)
            except ProfileError as exc:
                _apply_errors(form, exc)
        status = 422
    else:
        initial = participant_initial(participant) if participant else {"side": Side.MENTEE}
        form = ParticipantForm(initial=initial)
    return render(
        request,
        "mentoring/participant_form.html",
        {"programme": prog, "tab": "participants", "participant": participant, "form": form},
        status=status,
    )


@login_required
@require_POST
def participant_delete(
    request: HttpRequest, programme_id: int, participant_id: int
) -> HttpResponse:
    prog = _programme_or_404(request, programme_id)
    participant = selectors.participant_get(prog, participant_id)
    if participant is None:
        raise Http404(_("There is no such profile in this programme."))
    services.participant_delete(actor=request.user, participant=participant)
    messages.success(request, _("The profile was deleted."))
    return redirect("mentoring:participants", programme_id=prog.pk)


@login_required
@require_http_methods(["GET", "POST"])
def import_profiles(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Upload -> dry run listing every bad row -> import the same file (carried in the form)."""
    prog = _programme_or_404(request, programme_id)
    report = None
    carried = ""
    filename = ""
    status = 200
    form = ImportForm()
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        data: bytes | None = None
        if form.is_valid():
            upload = form.cleaned_data.get("file")
            if upload is not None:
                data, filename = upload.read(), upload.name or "upload.csv"
            elif request.POST.get("content"):
                try:
                    data = base64.b64decode(request.POST["content"], validate=True)
                except (binascii.Error, ValueError):
                    data = None
                filename = request.POST.get("filename", "")[:200] or "upload.csv"
            if data is None:
                form.add_error("file", _("Choose a CSV or XLSX file."))
        if data is not None and len(data) > 5 * 1024 * 1024:
            form.add_error("file", _("The file is larger than 5 MB."))
            data = None
        if data is not None:
            commit = request.POST.get("action") == "import"
            report = services.participants_import(
                actor=request.user, programme=prog, data=data, filename=filename, dry_run=not commit
            )
            if report.applied:
                messages.success(
                    request,
                    _("Imported %(file)s: %(c)d created, %(u)d updated, %(s)d unchanged.")
                    % {
                        "file": filename,
                        "c": report.count("create"),
                        "u": report.count("update"),
                        "s": report.count("unchanged"),
                    },
                )
                return redirect("mentoring:participants", programme_id=prog.pk)
            if report.ok:
                carried = base64.b64encode(data).decode("ascii")
            else:
                status = 422
        else:
            status = 422
    return render(
        request,
        "mentoring/import.html",
        {
            "programme": prog,
            "tab": "participants",
            "form": form,
            "report": report,
            "carried": carried,
            "filename": filename,
            "columns": exports.profile_columns(),
        },
        status=status,
    )


@login_required
@require_GET
def sample_file(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The synthetic sample profiles: a template to fill in."""
    _programme_or_404(request, programme_id)
    from importlib.resources import files

    data = (files("tact.mentoring") / "data" / SAMPLE_FILE).read_bytes()
    return _download(data, CONTENT_TYPES["csv"], SAMPLE_FILE)


# --------------------------------------------------------------------------- matching and pairs


@login_required
@require_POST
def match(request: HttpRequest, programme_id: int) -> HttpResponse:
    prog = _programme_or_404(request, programme_id)
    form = MatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the optimal or the stable method."))
        return redirect("mentoring:programme", programme_id=prog.pk)
    try:
        started = services.programme_match(
            actor=request.user,
            programme=prog,
            method=form.cleaned_data["method"],
            keep_locked=form.cleaned_data["keep_locked"],
        )
    except ProfileError as exc:
        messages.error(request, "; ".join(p.message for p in exc.problems))
        return redirect("mentoring:pairs", programme_id=prog.pk)
    if started.job is not None and not started.job.finished:
        return redirect("core:job_detail", job_id=started.job.pk)
    if started.job is not None and started.job.error:
        messages.error(request, started.job.error)
    elif started.job is not None:
        messages.success(request, started.job.message)
    elif started.result is not None:
        messages.success(request, started.result["message"])
    return redirect("mentoring:pairs", programme_id=prog.pk)


@login_required
@require_GET
def pairs(request: HttpRequest, programme_id: int) -> HttpResponse:
    prog = _programme_or_404(request, programme_id)
    run = selectors.last_run(prog)
    return render(
        request,
        "mentoring/pairs.html",
        {
            "programme": prog,
            "tab": "pairs",
            "pairs": selectors.pairs(prog),
            "unmatched": selectors.unmatched(prog),
            "run": run,
            "stale": selectors.changed_since(prog, run) if run else None,
            "match_form": MatchForm(),
            "methods": Method,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def pair_create(request: HttpRequest, programme_id: int) -> HttpResponse:
    prog = _programme_or_404(request, programme_id)
    breaks: list[str] = []
    status = 200
    if request.method == "POST":
        form = PairForm(request.POST, programme=prog)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.pair_create(
                    actor=request.user,
                    programme=prog,
                    mentor=d["mentor"],
                    mentee=d["mentee"],
                    confirm=bool(d.get("confirm")),
                    lock=bool(d.get("lock")),
                )
                messages.success(request, _("The pair was saved."))
                return redirect("mentoring:pairs", programme_id=prog.pk)
            except services.PairWarning as warning:
                breaks = warning.breaks
                data = request.POST.copy()
                data["confirm"] = "on"
                form = PairForm(data, programme=prog)
                form.is_valid()
            except ProfileError as exc:
                _apply_errors(form, exc)
        status = 422
    else:
        initial: dict[str, Any] = {}
        for key in ("mentor", "mentee"):
            pk = selectors.participant_get(prog, request.GET.get(key))
            if pk is not None:
                initial[key] = pk
        form = PairForm(initial=initial, programme=prog)
    return render(
        request,
        "mentoring/pair_form.html",
        {"programme": prog, "tab": "pairs", "form": form, "breaks": breaks},
        status=status,
    )


@login_required
@require_POST
def pair_lock(request: HttpRequest, programme_id: int, pair_id: int) -> HttpResponse:
    prog = _programme_or_404(request, programme_id)
    pair = selectors.pair_get(prog, pair_id)
    if pair is None:
        raise Http404(_("There is no such pair in this programme."))
    services.pair_set_locked(
        actor=request.user, pair=pair, locked=request.POST.get("locked") == "yes"
    )
    return redirect(f"{prog.get_absolute_url()}pairs/#pair-{pair.pk}")


@login_required
@require_POST
def pair_delete(request: HttpRequest, programme_id: int, pair_id: int) -> HttpResponse:
    prog = _programme_or_404(request, programme_id)
    pair = selectors.pair_get(prog, pair_id)
    if pair is None:
        raise Http404(_("There is no such pair in this programme."))
    services.pair_delete(actor=request.user, pair=pair)
    messages.success(request, _("The pair was dissolved; both people are listed as unmatched."))
    return redirect("mentoring:pairs", programme_id=prog.pk)


@login_required
@require_GET
def export(request: HttpRequest, programme_id: int) -> HttpResponse:
    prog = _programme_or_404(request, programme_id)
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        return HttpResponse(
            _("Unknown format %(f)r: use csv or xlsx.") % {"f": fmt[:20]},
            status=422,
            content_type="text/plain; charset=utf-8",
        )
    what = request.GET.get("what", "pairs")
    if what == "unmatched":
        data = write_rows(exports.UNMATCHED_COLUMNS, exports.unmatched_rows(prog), fmt)
    else:
        data = write_rows(exports.PAIR_COLUMNS, exports.pair_rows(prog), fmt)
        what = "pairs"
    return _download(data, CONTENT_TYPES[fmt], f"{_slug(prog)}-{what}.{fmt}")


@login_required
@require_GET
def letters(request: HttpRequest, programme_id: int) -> HttpResponse:
    """One printable page per pair, addressed to both, with the programme's dates."""
    prog = _programme_or_404(request, programme_id)
    return render(
        request,
        "mentoring/letters.html",
        {
            "programme": prog,
            "pairs": selectors.pairs(prog),
            "events": [e for e in selectors.events(prog) if e.kind != "meeting"],
            "meetings": sum(1 for e in selectors.events(prog) if e.kind == "meeting"),
        },
    )
