"""Every write to mentoring programmes; each leaves an audit entry.

``actor`` is the person acting; ``None`` is the command line, which is trusted and names itself.
Web and API callers are checked here too: only the managers of the programme's cluster (and
administrators) may change it.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from tact.accounts.models import ClusterInitiative, User
from tact.accounts.selectors import user_manages_cluster
from tact.algorithms import mentoring as algo
from tact.core.datafiles import DataError, Problem
from tact.core.jobs import JobError, Progress, submit_job
from tact.core.models import Job
from tact.core.services import audit_record
from tact.core.tabular import read_rows

from . import selectors
from .cycle import cycle_template
from .models import (
    WEIGHT_NAMES,
    MatchRun,
    Method,
    Pair,
    Participant,
    Programme,
    ProgrammeEvent,
    Side,
)
from .profiles import REQUIRED_COLUMNS, ProfileError, ProfileProblem, clean_participant, to_row

CLI_ACTOR = "tact mentoring"
DEFAULT_INLINE_MAX = 200
PROGRAMME_FIELDS = (
    "name", "description", "start_date", "months", "location", "require_common_language",
    "competitors", "excluded_pairs", *(f"weight_{n}" for n in WEIGHT_NAMES),
)  # fmt: skip
PARTICIPANT_FIELDS = (
    "side", "name", "email", "organisation", "function", "seniority", "topics", "languages",
    "gender", "preferred_gender", "location", "availability", "capacity", "ranking", "notes",
)  # fmt: skip


def inline_max() -> int:
    """Matchings of up to this many people run inside the request; larger ones as a job."""
    return int(getattr(settings, "TACT_MENTORING_INLINE_MAX", DEFAULT_INLINE_MAX))


def _require_manager(actor: Any, cluster: ClusterInitiative) -> None:
    if actor is not None and not user_manages_cluster(actor, cluster):
        raise PermissionDenied(_("Only the cluster's managers may change its programmes."))


def _audit(actor: Any, action: str, obj: Any, changes: dict[str, Any] | None = None) -> None:
    audit_record(
        actor=actor,
        actor_label="" if actor is not None else CLI_ACTOR,
        action=action,
        object_type=f"mentoring.{obj._meta.model_name}",
        object_id=str(obj.pk),
        changes=changes or {},
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return value


def _snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: _jsonable(getattr(obj, name)) for name in fields}


# --------------------------------------------------------------------------- programmes


def programme_create(*, actor: Any, cluster: ClusterInitiative, data: dict[str, Any]) -> Programme:
    """``data`` holds the cleaned fields of PROGRAMME_FIELDS (see forms.ProgrammeForm)."""
    _require_manager(actor, cluster)
    values = {k: data[k] for k in PROGRAMME_FIELDS if k in data}
    if Programme.objects.filter(cluster=cluster, name=values.get("name")).exists():
        raise ProfileError(
            [ProfileProblem("name", _("this cluster already has a programme of this name"))]
        )
    try:
        with transaction.atomic():
            programme = Programme.objects.create(
                cluster=cluster,
                created_by=actor if actor is not None and actor.is_authenticated else None,
                **values,
            )
            _audit(
                actor,
                "mentoring.programme.created",
                programme,
                {"after": _snapshot(programme, PROGRAMME_FIELDS)},
            )
    except IntegrityError:
        raise ProfileError(
            [ProfileProblem("name", _("this cluster already has a programme of this name"))]
        ) from None
    return programme


def programme_update(*, actor: Any, programme: Programme, data: dict[str, Any]) -> Programme:
    _require_manager(actor, programme.cluster)
    before = _snapshot(programme, PROGRAMME_FIELDS)
    name = data.get("name", programme.name)
    if (
        Programme.objects.filter(cluster=programme.cluster, name=name)
        .exclude(pk=programme.pk)
        .exists()
    ):
        raise ProfileError(
            [ProfileProblem("name", _("this cluster already has a programme of this name"))]
        )
    for key in PROGRAMME_FIELDS:
        if key in data:
            setattr(programme, key, data[key])
    after = _snapshot(programme, PROGRAMME_FIELDS)
    changes = {
        k: {"before": before[k], "after": after[k]}
        for k in PROGRAMME_FIELDS
        if before[k] != after[k]
    }
    if changes:
        with transaction.atomic():
            programme.save()
            _audit(actor, "mentoring.programme.updated", programme, changes)
    return programme


def programme_delete(*, actor: Any, programme: Programme) -> None:
    _require_manager(actor, programme.cluster)
    with transaction.atomic():
        _audit(
            actor,
            "mentoring.programme.deleted",
            programme,
            {
                "before": _snapshot(programme, PROGRAMME_FIELDS),
                "participants": programme.participants.count(),
            },
        )
        programme.delete()


def programme_publish(*, actor: Any, programme: Programme, published: bool) -> Programme:
    """Show (or hide again) the pairs and dates to the participants themselves."""
    _require_manager(actor, programme.cluster)
    if programme.pairs_published != published:
        with transaction.atomic():
            programme.pairs_published = published
            programme.save(update_fields=["pairs_published", "updated_at"])
            _audit(
                actor,
                "mentoring.programme.published" if published else "mentoring.programme.unpublished",
                programme,
            )
    return programme


# --------------------------------------------------------------------------- the cycle

EVENT_FIELDS = ("kind", "title", "date", "start_time", "end_time", "location", "description")


def events_from_template(
    *, actor: Any, programme: Programme, replace: bool = False
) -> list[ProgrammeEvent]:
    """Add the usual cycle from the programme's start date (replacing the dates it has, if asked)."""
    _require_manager(actor, programme.cluster)
    planned = cycle_template(programme.start_date, programme.months)
    with transaction.atomic():
        removed = 0
        if replace:
            removed, _detail = programme.events.all().delete()
        created = [
            ProgrammeEvent.objects.create(
                programme=programme,
                kind=p.kind,
                title=p.title,
                date=p.date,
                start_time=p.start_time,
                end_time=p.end_time,
                location=programme.location if p.kind != "meeting" else "",
                description=p.description,
            )
            for p in planned
        ]
        _audit(
            actor,
            "mentoring.events.generated",
            programme,
            {
                "created": len(created),
                "removed": removed,
                "start": programme.start_date.isoformat(),
                "months": programme.months,
            },
        )
    return created


def _check_event(data: dict[str, Any]) -> None:
    start, end = data.get("start_time"), data.get("end_time")
    if end is not None and start is None:
        raise ProfileError(
            [ProfileProblem("start_time", _("give a start time when you give an end time"))]
        )
    if start is not None and end is not None and end <= start:
        raise ProfileError([ProfileProblem("end_time", _("must be after the start time"))])


def event_create(*, actor: Any, programme: Programme, data: dict[str, Any]) -> ProgrammeEvent:
    _require_manager(actor, programme.cluster)
    _check_event(data)
    with transaction.atomic():
        event = ProgrammeEvent.objects.create(
            programme=programme, **{k: data[k] for k in EVENT_FIELDS if k in data}
        )
        _audit(actor, "mentoring.event.created", event, {"after": _snapshot(event, EVENT_FIELDS)})
    return event


def event_update(*, actor: Any, event: ProgrammeEvent, data: dict[str, Any]) -> ProgrammeEvent:
    _require_manager(actor, event.programme.cluster)
    _check_event(data)
    before = _snapshot(event, EVENT_FIELDS)
    for key in EVENT_FIELDS:
        if key in data:
            setattr(event, key, data[key])
    after = _snapshot(event, EVENT_FIELDS)
    changes = {
        k: {"before": before[k], "after": after[k]} for k in EVENT_FIELDS if before[k] != after[k]
    }
    if changes:
        with transaction.atomic():
            event.save()
            _audit(actor, "mentoring.event.updated", event, changes)
    return event


def event_delete(*, actor: Any, event: ProgrammeEvent) -> None:
    _require_manager(actor, event.programme.cluster)
    with transaction.atomic():
        _audit(actor, "mentoring.event.deleted", event, {"before": _snapshot(event, EVENT_FIELDS)})
        event.delete()


# --------------------------------------------------------------------------- participants


def _side_change_problem(participant: Participant, new_side: str) -> ProfileProblem | None:
    if participant.side == new_side:
        return None
    if (
        Pair.objects.filter(mentor=participant).exists()
        or Pair.objects.filter(mentee=participant).exists()
    ):
        return ProfileProblem(
            "side",
            _("%(name)s is in a pair as %(side)s: remove the pair before changing the side")
            % {"name": participant.name, "side": participant.get_side_display()},
        )
    return None


def participant_create(*, actor: Any, programme: Programme, data: dict[str, Any]) -> Participant:
    """Create a profile from raw values (checked here)."""
    _require_manager(actor, programme.cluster)
    clean = clean_participant(data)
    if programme.participants.filter(email=clean["email"]).exists():
        raise ProfileError(
            [
                ProfileProblem(
                    "email", _("this programme already has a profile with this e-mail address")
                )
            ]
        )
    try:
        with transaction.atomic():
            participant = Participant.objects.create(programme=programme, **clean)
            _audit(actor, "mentoring.participant.created", participant, {"after": clean})
    except IntegrityError:
        raise ProfileError(
            [
                ProfileProblem(
                    "email", _("this programme already has a profile with this e-mail address")
                )
            ]
        ) from None
    return participant


def participant_update(
    *, actor: Any, participant: Participant, data: dict[str, Any]
) -> Participant:
    _require_manager(actor, participant.programme.cluster)
    clean = clean_participant(data)
    if (
        participant.programme.participants.filter(email=clean["email"])
        .exclude(pk=participant.pk)
        .exists()
    ):
        raise ProfileError(
            [
                ProfileProblem(
                    "email", _("this programme already has a profile with this e-mail address")
                )
            ]
        )
    problem = _side_change_problem(participant, clean["side"])
    if problem:
        raise ProfileError([problem])
    before = _snapshot(participant, PARTICIPANT_FIELDS)
    changes = {
        k: {"before": before[k], "after": clean[k]}
        for k in PARTICIPANT_FIELDS
        if before[k] != clean[k]
    }
    if changes:
        with transaction.atomic():
            for key, value in clean.items():
                setattr(participant, key, value)
            participant.save()
            _audit(actor, "mentoring.participant.updated", participant, changes)
    return participant


def participant_delete(*, actor: Any, participant: Participant) -> None:
    _require_manager(actor, participant.programme.cluster)
    with transaction.atomic():
        for pair in Pair.objects.filter(mentor=participant).select_related("mentee"):
            _free(
                pair.mentee,
                _("their mentor %(name)s was removed from the programme")
                % {"name": participant.name},
            )
        pair = Pair.objects.filter(mentee=participant).select_related("mentor").first()
        _audit(
            actor,
            "mentoring.participant.deleted",
            participant,
            {"before": _snapshot(participant, PARTICIPANT_FIELDS)},
        )
        participant.delete()
        if pair is not None:
            _free_mentor_if_alone(
                pair.mentor,
                _("their mentee %(name)s was removed from the programme")
                % {"name": participant.name},
            )


@dataclass
class ImportRow:
    number: int
    email: str
    name: str
    side: str
    action: str  # create, update, unchanged, or "" when the row has problems


@dataclass
class ImportReport:
    filename: str
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    applied: bool = False

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def ok(self) -> bool:
        return not self.problems


def participants_import(
    *, actor: Any, programme: Programme, data: bytes, filename: str, dry_run: bool
) -> ImportReport:
    """Create or update profiles from a CSV/XLSX file, all or nothing.

    Each row is matched to an existing profile by e-mail address (updated) or creates one.
    Profiles not in the file stay as they are. Every bad row is reported; when there is any
    problem, or on a dry run, nothing is written.
    """
    _require_manager(actor, programme.cluster)
    report = ImportReport(filename=filename)
    try:
        rows = read_rows(data, filename, required=REQUIRED_COLUMNS)
    except DataError as exc:
        report.problems = list(exc.problems)
        return report
    if not rows:
        report.problems.append(
            Problem(filename, "", "", _("the file has a header but no profile rows"))
        )
        return report
    existing = {p.email: p for p in programme.participants.all()}
    planned: list[tuple[Participant | None, dict[str, Any]]] = []
    first_row: dict[str, int] = {}
    sides: dict[str, str] = {e: p.side for e, p in existing.items()}
    cleaned_rows: list[tuple[int, dict[str, Any]]] = []
    for row in rows:
        # Columns the file does not have keep their current values (a file of rankings only
        # changes the rankings); new profiles get the defaults.
        current_row = existing.get(row.get("email").strip().lower())
        values = {**(to_row(current_row) if current_row else {}), **row.values}
        try:
            clean = clean_participant(values)
        except ProfileError as exc:
            report.problems += [
                Problem(filename, row.record, p.field, p.message) for p in exc.problems
            ]
            report.rows.append(
                ImportRow(row.number, row.get("email"), row.get("name"), row.get("side"), "")
            )
            continue
        email = clean["email"]
        if email in first_row:
            report.problems.append(
                Problem(
                    filename,
                    row.record,
                    "email",
                    _("%(email)s is already on row %(n)d")
                    % {"email": email, "n": first_row[email]},
                )
            )
            report.rows.append(ImportRow(row.number, email, clean["name"], clean["side"], ""))
            continue
        first_row[email] = row.number
        sides[email] = clean["side"]
        cleaned_rows.append((row.number, clean))
    for number, clean in cleaned_rows:
        record = _("row %(n)d") % {"n": number}
        email = clean["email"]
        current = existing.get(email)
        problem = _side_change_problem(current, clean["side"]) if current else None
        if problem:
            report.problems.append(Problem(filename, record, problem.field, problem.message))
        other = Side.MENTEE if clean["side"] == Side.MENTOR else Side.MENTOR
        strangers = [a for a in clean["ranking"] if sides.get(a) != other]
        if strangers:
            report.problems.append(
                Problem(
                    filename,
                    record,
                    "ranking",
                    _("not a %(side)s of this programme or this file: %(who)s")
                    % {"side": Side(other).label, "who": ", ".join(strangers[:5])},
                )
            )
        if current is None:
            action = "create"
        elif any(getattr(current, k) != clean[k] for k in PARTICIPANT_FIELDS):
            action = "update"
        else:
            action = "unchanged"
        report.rows.append(
            ImportRow(
                number, email, clean["name"], clean["side"], "" if problem or strangers else action
            )
        )
        planned.append((current, clean))
    report.rows.sort(key=lambda r: r.number)
    if report.problems or dry_run:
        return report
    with transaction.atomic():
        for current, clean in planned:
            if current is None:
                participant = Participant.objects.create(programme=programme, **clean)
                _audit(
                    actor,
                    "mentoring.participant.created",
                    participant,
                    {"after": clean, "file": filename},
                )
            else:
                before = _snapshot(current, PARTICIPANT_FIELDS)
                changes = {
                    k: {"before": before[k], "after": clean[k]}
                    for k in PARTICIPANT_FIELDS
                    if before[k] != clean[k]
                }
                if changes:
                    for key, value in clean.items():
                        setattr(current, key, value)
                    current.save()
                    _audit(
                        actor,
                        "mentoring.participant.updated",
                        current,
                        {**changes, "file": filename},
                    )
        _audit(
            actor,
            "mentoring.participants.imported",
            programme,
            {
                "file": filename,
                "created": report.count("create"),
                "updated": report.count("update"),
                "unchanged": report.count("unchanged"),
            },
        )
    report.applied = True
    return report


# --------------------------------------------------------------------------- matching


@dataclass
class MatchStarted:
    """Either the finished result (small programmes, run inline) or the job that runs it."""

    result: dict[str, Any] | None = None
    job: Job | None = None


def method_check(programme: Programme, method: str) -> None:
    """Refuse a method that cannot work for the programme, saying why."""
    if method not in Method.values:
        raise ProfileError([ProfileProblem("method", _("use optimal or stable"))])
    if method == Method.STABLE and not programme.participants.exclude(ranking=[]).exists():
        raise ProfileError(
            [
                ProfileProblem(
                    "method",
                    _(
                        "stable matching needs rankings, and nobody in this programme has "
                        "ranked the other side yet: import a ranking column, or use the "
                        "optimal method"
                    ),
                )
            ]
        )


def programme_match(
    *, actor: Any, programme: Programme, method: str = Method.OPTIMAL, keep_locked: bool = True
) -> MatchStarted:
    """Match the programme: inline when it has at most ``inline_max()`` people, else as a job."""
    _require_manager(actor, programme.cluster)
    method_check(programme, method)
    params = {
        "programme_id": programme.pk,
        "method": method,
        "keep_locked": bool(keep_locked),
        "actor_id": actor.pk if actor is not None and actor.is_authenticated else None,
    }
    if programme.participants.count() <= inline_max():
        try:
            return MatchStarted(result=match_run(_Quiet(), **params))
        except JobError as exc:
            raise ProfileError([ProfileProblem("method", str(exc))]) from None
    job = submit_job(
        kind="mentoring.match",
        label=_("Matching %(name)s") % {"name": programme.name},
        params=params,
        user=actor,
        result_url=reverse("mentoring:pairs", args=[programme.pk]),
    )
    return MatchStarted(job=job)


class _Quiet:
    def progress(self, fraction: float, message: str = "") -> None:
        return None


def match_run(
    ctx: Progress, *, programme_id: int, method: str, keep_locked: bool, actor_id: int | None
) -> dict[str, Any]:
    """The matching itself (inline, in the job worker, or on the command line)."""
    programme = Programme.objects.select_related("cluster").filter(pk=programme_id).first()
    if programme is None:
        raise JobError(_("The programme no longer exists."))
    actor = User.objects.filter(pk=actor_id).first() if actor_id is not None else None
    started = time.perf_counter()
    people = list(programme.participants.all())
    ctx.progress(0.05, _("Reading %(n)d profiles") % {"n": len(people)})
    by_id = {str(p.pk): p for p in people}
    locked_rows = list(programme.pairs.filter(locked=True)) if keep_locked else []
    locked = tuple((str(p.mentor_id), str(p.mentee_id)) for p in locked_rows)
    names = selectors.spellings(people)
    mentors = [selectors.person(p, names) for p in people if p.side == Side.MENTOR]
    mentees = [selectors.person(p, names) for p in people if p.side == Side.MENTEE]
    rules = selectors.rules(programme, people, locked)
    weights = selectors.weights(programme)
    ctx.progress(
        0.2, _("Scoring %(m)d mentors × %(e)d mentees") % {"m": len(mentors), "e": len(mentees)}
    )
    if method == Method.STABLE:
        by_email = {p.email: str(p.pk) for p in people}

        def prefs(side: str) -> dict[str, list[str]]:
            return {
                str(p.pk): [by_email[a] for a in p.ranking if a in by_email]
                for p in people
                if p.side == side
            }

        result = algo.match_stable(
            mentors, mentees, rules, weights, prefs(Side.MENTOR), prefs(Side.MENTEE)
        )
    else:
        result = algo.match(mentors, mentees, rules, weights)
    ctx.progress(0.8, _("Saving %(n)d pairs") % {"n": len(result.pairs)})
    seconds = time.perf_counter() - started
    source = Pair.Source.STABLE if method == Method.STABLE else Pair.Source.OPTIMAL
    with transaction.atomic():
        # One writer at a time per programme: a second "Match" waits for the first to finish,
        # then replaces its pairs (instead of colliding with them).
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        if keep_locked:
            now_locked = set(
                programme.pairs.filter(locked=True).values_list("mentor_id", "mentee_id")
            )
            if now_locked != {(p.mentor_id, p.mentee_id) for p in locked_rows}:
                raise JobError(
                    _("Pairs were locked, unlocked or set by hand while matching; match again.")
                )
            programme.pairs.filter(locked=False).delete()
        else:
            programme.pairs.all().delete()
        Pair.objects.bulk_create(
            [
                Pair(
                    programme=programme,
                    mentor=by_id[p.mentor_id],
                    mentee=by_id[p.mentee_id],
                    percent=p.percent,
                    reasons=list(p.reasons),
                    concerns=list(p.concerns),
                    source=source,
                )
                for p in result.pairs
                if not p.locked
            ]
        )
        reasons = {u.person_id: u.reason for u in result.unmatched}
        changed = []
        for pid, participant in by_id.items():
            reason = reasons.get(pid, "")[:300]
            if participant.unmatched_reason != reason:
                participant.unmatched_reason = reason
                changed.append(participant)
        Participant.objects.bulk_update(changed, ["unmatched_reason"])
        n_pairs = len(result.pairs)
        run = MatchRun.objects.create(
            programme=programme,
            method=method,
            keep_locked=keep_locked,
            pairs=n_pairs,
            locked=len(locked),
            unmatched=len(result.unmatched),
            total=result.total,
            mean_percent=result.total / n_pairs if n_pairs else 0.0,
            seconds=seconds,
            settings_used={
                "weights": programme.weights(),
                "require_common_language": programme.require_common_language,
                "competitors": programme.competitors,
                "excluded_pairs": programme.excluded_pairs,
            },
            started_by=actor,
        )
        _audit(actor, "mentoring.programme.matched", programme, run.summary())
    ctx.progress(1.0, _("Done"))
    return {
        **run.summary(),
        "url": reverse("mentoring:pairs", args=[programme.pk]),
        "message": _("%(pairs)d pairs, %(unmatched)d people unmatched")
        % {"pairs": n_pairs, "unmatched": len(result.unmatched)},
    }


# --------------------------------------------------------------------------- pairs by hand


class PairWarning(Exception):
    """A manual pair breaks hard rules; the organiser may confirm and save it anyway."""

    def __init__(self, breaks: list[str]) -> None:
        self.breaks = breaks
        super().__init__("; ".join(breaks))


def pair_breaks(programme: Programme, mentor: Participant, mentee: Participant) -> list[str]:
    """The hard rules a pair would break, counting the mentor's capacity."""
    people = [mentor, mentee]
    names = selectors.spellings(people)
    found = list(
        algo.hard_rule_breaks(
            selectors.person(mentor, names),
            selectors.person(mentee, names),
            selectors.rules(programme, people),
        )
    )
    taken = Pair.objects.filter(mentor=mentor).exclude(mentee=mentee).count()
    if taken >= mentor.capacity:
        found.append(
            _("the mentor takes %(cap)d mentee(s) and already has %(n)d")
            % {"cap": mentor.capacity, "n": taken}
        )
    return found


def _free(participant: Participant, reason: str) -> None:
    participant.unmatched_reason = reason[:300]
    participant.save(update_fields=["unmatched_reason"])


def _free_mentor_if_alone(mentor: Participant, reason: str) -> None:
    if not Pair.objects.filter(mentor=mentor).exists():
        _free(mentor, reason)


def pair_create(
    *,
    actor: Any,
    programme: Programme,
    mentor: Participant,
    mentee: Participant,
    confirm: bool = False,
    lock: bool = True,
) -> Pair:
    """Pair two people by hand (replacing the mentee's current pair). Locked by default, so a
    re-match keeps it. Raises PairWarning when it breaks a hard rule and ``confirm`` is not set."""
    _require_manager(actor, programme.cluster)
    if mentor.programme_id != programme.pk or mentee.programme_id != programme.pk:
        raise ProfileError(
            [ProfileProblem("mentor", _("both people must belong to this programme"))]
        )
    if mentor.side != Side.MENTOR:
        raise ProfileError(
            [
                ProfileProblem(
                    "mentor", _("%(name)s is a mentee, not a mentor") % {"name": mentor.name}
                )
            ]
        )
    if mentee.side != Side.MENTEE:
        raise ProfileError(
            [
                ProfileProblem(
                    "mentee", _("%(name)s is a mentor, not a mentee") % {"name": mentee.name}
                )
            ]
        )
    breaks = pair_breaks(programme, mentor, mentee)
    names = selectors.spellings([mentor, mentee])
    if breaks and not confirm:
        raise PairWarning(breaks)
    score = algo.score_pair(
        selectors.person(mentor, names),
        selectors.person(mentee, names),
        selectors.weights(programme),
    )
    with transaction.atomic():
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        old = Pair.objects.filter(mentee=mentee).select_related("mentor").first()
        if old is not None:
            _audit(
                actor,
                "mentoring.pair.replaced",
                old,
                {"mentor": old.mentor.email, "mentee": mentee.email},
            )
            old_mentor = old.mentor
            old.delete()
            if old_mentor.pk != mentor.pk:
                _free_mentor_if_alone(
                    old_mentor, _("their mentee was paired with another mentor by hand")
                )
        pair = Pair.objects.create(
            programme=programme,
            mentor=mentor,
            mentee=mentee,
            percent=score.percent,
            reasons=list(score.reasons),
            concerns=list(score.concerns),
            warnings=breaks,
            locked=lock,
            source=Pair.Source.MANUAL,
        )
        for person in (mentor, mentee):
            if person.unmatched_reason:
                _free(person, "")
        _audit(
            actor,
            "mentoring.pair.created",
            pair,
            {"mentor": mentor.email, "mentee": mentee.email, "warnings": breaks, "locked": lock},
        )
    return pair


def pair_set_locked(*, actor: Any, pair: Pair, locked: bool) -> Pair:
    _require_manager(actor, pair.programme.cluster)
    if pair.locked != locked:
        with transaction.atomic():
            pair.locked = locked
            pair.save(update_fields=["locked"])
            _audit(actor, "mentoring.pair.locked" if locked else "mentoring.pair.unlocked", pair)
    return pair


def pair_delete(*, actor: Any, pair: Pair) -> None:
    _require_manager(actor, pair.programme.cluster)
    with transaction.atomic():
        _audit(
            actor,
            "mentoring.pair.deleted",
            pair,
            {"mentor": pair.mentor.email, "mentee": pair.mentee.email},
        )
        mentor, mentee = pair.mentor, pair.mentee
        pair.delete()
        _free(mentee, _("taken out of their pair by the organiser"))
        _free_mentor_if_alone(mentor, _("taken out of their pair by the organiser"))
