"""Every write of the consortium builder (each audited), and the consortium check.

``actor`` is the person acting; ``None`` is the command line, which names itself.
A build reads the cluster's registry (community organisations that are members of the cluster,
their competences, typical contributions and joint projects), runs the solver
(:mod:`tact.algorithms.consortium`) and stores the alternatives with their reports in a
:class:`BuildRun`. Builds over large registries run as a background job with progress.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tact.accounts.models import ClusterInitiative
from tact.algorithms import consortium as algo
from tact.community.models import Competence, Organisation, Project
from tact.core.datafiles import DataError, Problem
from tact.core.services import audit_record

from . import rules as rules_mod
from . import selectors
from .models import BuildRun, Call

log = logging.getLogger(__name__)
CLI_ACTOR = "tact consortium"
JOB_KIND = "consortium.build"
# Registries up to this size build within the request (well under a second); larger ones run
# as a background job with a progress bar.
INLINE_MAX_ORGANISATIONS = 300
MAX_TOP = 10
MAX_DIFFERENCE = 50  # partners; a larger value can only ever leave one alternative
MIN_TIME, MAX_TIME = 0.5, 120.0


class BuildError(ValueError):
    """Bad build parameters; ``problems`` are (field, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{f}: {m}" for f, m in problems))


def _audit(actor: Any, action: str, object_type: str, object_id: str, changes: Any = None) -> None:
    audit_record(
        actor=actor,
        actor_label="" if actor is not None else CLI_ACTOR,
        action=action,
        object_type=object_type,
        object_id=object_id,
        changes=changes or {},
    )


# --------------------------------------------------------------------------- calls


@transaction.atomic
def call_load(*, actor: Any = None, paths: Sequence[Path] | None = None) -> list[tuple[str, str]]:
    """Load the call files: created, updated or unchanged per call. All or nothing."""
    problems: list[Problem] = []
    loaded = []
    for path in paths or rules_mod.shipped_files():
        try:
            loaded.append(rules_mod.read_call_file(Path(path)))
        except DataError as exc:
            problems += exc.problems
    ids = Counter(d["id"] for d in loaded)
    for cid, n in ids.items():
        if n > 1:
            problems.append(Problem(cid, cid, "id", _("two files define this call")))
    if problems:
        raise DataError(problems)
    results = []
    for data in loaded:
        digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
        existing = Call.objects.filter(pk=data["id"]).first()
        if existing is not None and existing.digest == digest:
            results.append((data["id"], "unchanged"))
            continue
        Call.objects.update_or_create(
            pk=data["id"],
            defaults={
                "version": data["version"],
                "title": data["title"],
                "description": data.get("description", ""),
                "practice": data.get("practice", ""),
                "rules": data["rules"],
                "digest": digest,
                "loaded_at": timezone.now(),
            },
        )
        action = "created" if existing is None else "updated"
        _audit(
            actor,
            f"consortium.call.{action}",
            "consortium.call",
            data["id"],
            {
                "before": None if existing is None else {"version": existing.version},
                "after": {"version": data["version"], "digest": digest},
            },
        )
        results.append((data["id"], action))
    return results


# --------------------------------------------------------------------------- registry


def registry_snapshot(
    cluster: ClusterInitiative,
) -> tuple[list[algo.Candidate], list[algo.Collaboration], dict[str, str]]:
    """The cluster's registry as the solver sees it: candidates, joint-project counts, labels."""
    orgs = list(selectors.registry(cluster).prefetch_related("competence_levels"))
    ids = {o.pk for o in orgs}
    candidates = [
        algo.Candidate(
            str(o.pk),
            o.name,
            o.kind,
            o.region,
            {oc.competence_id: int(oc.level) for oc in o.competence_levels.all()},
            float(o.typical_contribution or 0),
        )
        for o in orgs
    ]
    pairs: Counter[tuple[int, int]] = Counter()
    through = Project.partners.through
    members: dict[int, list[int]] = {}
    for project_id, org_id in through.objects.filter(organisation_id__in=ids).values_list(
        "project_id", "organisation_id"
    ):
        members.setdefault(project_id, []).append(org_id)
    for partners in members.values():
        for a, b in itertools.combinations(sorted(set(partners)), 2):
            pairs[(a, b)] += 1
    collabs = [algo.Collaboration(str(a), str(b), n) for (a, b), n in pairs.items()]
    labels = dict(Competence.objects.values_list("code", "label"))
    return candidates, collabs, labels


def _resolve(
    cluster: ClusterInitiative, names: Sequence[str], field: str
) -> tuple[list[str], list[tuple[str, str]]]:
    """Organisation names or ids -> ids in the cluster's registry; problems name the field."""
    reg = selectors.registry(cluster)
    by_name: dict[str, list[int]] = {}
    for pk, name in reg.values_list("pk", "name"):
        by_name.setdefault(name.strip().casefold(), []).append(pk)
    ids_in = set(itertools.chain.from_iterable(by_name.values()))
    out: list[str] = []
    problems: list[tuple[str, str]] = []
    for i, raw in enumerate(names):
        text = str(raw).strip()
        f = f"{field}[{i}]"
        if text.isdecimal() and len(text) < 20 and int(text) in ids_in:
            out.append(text)
            continue
        found = by_name.get(text.casefold(), [])
        if len(found) == 1:
            out.append(str(found[0]))
        elif len(found) > 1:
            problems.append(
                (
                    f,
                    _("%(name)s: several organisations have this name; give the id")
                    % {"name": text},
                )
            )
        else:
            problems.append(
                (
                    f,
                    _("%(name)s is not in the registry of %(cluster)s")
                    % {"name": text or "''", "cluster": cluster.name},
                )
            )
    return out, problems


def _solver_call(
    call: Call,
    cluster: ClusterInitiative,
    *,
    applicant: str | None,
    competences: Sequence[dict[str, Any]],
    labels: dict[str, str],
) -> algo.Call:
    rules = call.rules
    mandatory, problems = _resolve(cluster, rules.get("mandatory", []), "rules.mandatory")
    flat = [n for pair in rules.get("forbidden_pairs", []) for n in pair]
    pair_ids, more = _resolve(cluster, flat, "rules.forbidden_pairs")
    problems += more
    if problems:
        raise BuildError(problems)
    if applicant:
        mandatory = [applicant, *[m for m in mandatory if m != applicant]]
    pairs = [(pair_ids[i], pair_ids[i + 1]) for i in range(0, len(pair_ids), 2)]
    return rules_mod.to_call(
        rules,
        title=call.title,
        competences=competences,
        labels=labels,
        mandatory=mandatory,
        forbidden_pairs=pairs,
    )


# --------------------------------------------------------------------------- build


def _check_build_params(
    cluster: ClusterInitiative,
    applicant_id: Any,
    competences: Any,
    top: Any,
    time_limit: Any,
    min_difference: Any = 2,
) -> tuple[Organisation | None, list[dict[str, Any]], int, float, int]:
    problems: list[tuple[str, str]] = []
    applicant = None
    if applicant_id not in (None, ""):
        pk = selectors.as_pk(applicant_id)
        applicant = None if pk is None else selectors.registry(cluster).filter(pk=pk).first()
        if applicant is None:
            problems.append(
                ("applicant", _("choose an organisation of the registry of %s") % cluster.name)
            )
    comps: list[dict[str, Any]] = []
    if not isinstance(competences, list):
        problems.append(("competences", _("must be a list of {code, min_level}")))
        competences = []
    known = set(Competence.objects.values_list("code", flat=True))
    seen: set[str] = set()
    for i, rc in enumerate(competences[:50]):
        f = f"competences[{i}]"
        if not isinstance(rc, dict):
            problems.append((f, _("must be an object with code and min_level")))
            continue
        code = rc.get("code")
        level = rc.get("min_level", 1)
        if not isinstance(code, str) or code not in known:
            problems.append((f"{f}.code", _("unknown competence %s") % str(code)[:80]))
            continue
        if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 5:
            problems.append((f"{f}.min_level", _("must be a level from 1 to 5")))
            continue
        if code in seen:
            problems.append((f"{f}.code", _("this competence is listed twice")))
            continue
        seen.add(code)
        comps.append({"code": code, "min_level": level})
    if len(competences) > 50:
        problems.append(("competences", _("at most 50 competences")))
    try:
        top_n = int(top)
        if not 1 <= top_n <= MAX_TOP:
            raise ValueError
    except (TypeError, ValueError):
        problems.append(("top", _("must be a whole number from 1 to %d") % MAX_TOP))
        top_n = 3
    try:
        limit = float(time_limit)
        if not MIN_TIME <= limit <= MAX_TIME:
            raise ValueError
    except (TypeError, ValueError, OverflowError):
        problems.append(
            (
                "time_limit",
                _("must be a number of seconds from %(lo)s to %(hi)s")
                % {"lo": MIN_TIME, "hi": MAX_TIME},
            )
        )
        limit = 10.0
    try:
        if isinstance(min_difference, (bool, float)):
            raise ValueError
        diff = int(min_difference)
        if not 1 <= diff <= MAX_DIFFERENCE:
            raise ValueError
    except (TypeError, ValueError, OverflowError):
        problems.append(
            (
                "min_difference",
                _("must be a whole number of partners from 1 to %d") % MAX_DIFFERENCE,
            )
        )
        diff = 2
    if problems:
        raise BuildError(problems)
    return applicant, comps, top_n, limit, diff


def build_start(
    *,
    actor: Any,
    call: Call,
    cluster: ClusterInitiative,
    applicant_id: Any = None,
    competences: Any = (),
    top: Any = 3,
    time_limit: Any = 10.0,
    min_difference: Any = 2,
    mode: str = "auto",
) -> tuple[BuildRun, Any]:
    """Record a build and run it: inline for small registries, else as a background job.

    ``mode``: ``auto``, ``inline`` or ``defer`` (only record it; the command line then runs it
    with a progress bar). Returns the run and the job (or None).
    """
    from tact.core.jobs import submit_job

    applicant, comps, top_n, limit, diff = _check_build_params(
        cluster,
        applicant_id,
        list(competences) if isinstance(competences, tuple) else competences,
        top,
        time_limit,
        min_difference,
    )
    # resolve the call's named partners now, so a bad name is reported before anything runs
    _solver_call(call, cluster, applicant=None, competences=comps, labels={})
    with transaction.atomic():
        run = BuildRun.objects.create(
            call=call,
            cluster=cluster,
            applicant=applicant,
            applicant_name=applicant.name if applicant else "",
            competences=comps,
            top=top_n,
            time_limit=limit,
            min_difference=diff,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _audit(
            actor,
            "consortium.build.started",
            "consortium.buildrun",
            str(run.pk),
            {
                "call": call.pk,
                "cluster": cluster.pk,
                "applicant": applicant.pk if applicant else None,
                "competences": comps,
                "top": top_n,
                "time_limit": limit,
                "min_difference": diff,
            },
        )
    job = None
    if mode == "defer":
        return run, None
    size = selectors.registry(cluster).count()
    if mode == "inline" or size <= INLINE_MAX_ORGANISATIONS:
        try:
            build_execute(run_id=run.pk)
        except Exception:
            # the run is marked failed and says so on its page; the trace goes to the log
            log.exception("consortium build %s failed", run.pk)
    else:
        job = submit_job(
            kind=JOB_KIND,
            label=_("Consortium for %(call)s (%(cluster)s)")
            % {"call": call.title, "cluster": cluster.name},
            params={"run_id": run.pk},
            user=actor,
            result_url=reverse("consortium:run", args=[run.pk]),
        )
        BuildRun.objects.filter(pk=run.pk).update(job_id=job.pk)
    run.refresh_from_db()
    return run, job


def _consortium_out(c: algo.Consortium) -> dict[str, Any]:
    return {
        "rank": c.rank,
        "objective": c.objective,
        "status": c.status,
        "bound": c.bound,
        "gap": c.gap,
        "eligible": c.report.eligible,
        "members": [
            {
                "id": int(m.candidate.id),
                "name": m.candidate.name,
                "type": m.candidate.type,
                "region": m.candidate.region,
                "budget": m.candidate.budget,
                "roles": [
                    {"kind": r.kind, "message": r.message, "params": r.params} for r in m.roles
                ],
            }
            for m in c.members
        ],
        "breakdown": [
            {"name": t.name, "value": t.value, "points": t.points, "explanation": t.explanation}
            for t in c.breakdown.terms
        ],
        "checks": [_check_out(ch) for ch in c.report.checks],
    }


def _check_out(ch: algo.RuleCheck) -> dict[str, Any]:
    return {
        "key": ch.key,
        "kind": ch.kind,
        "ok": ch.ok,
        "actual": ch.actual,
        "required": ch.required,
        "message": ch.message,
        "params": ch.params,
    }


def build_execute(
    *, run_id: int, progress: Callable[[float, str], None] | None = None
) -> dict[str, Any]:
    """Run a recorded build: solve outside any transaction, store the result in one.

    A build that stops on an error is marked failed (and the error raised again for the job
    runner), so nobody waits on it."""
    run = BuildRun.objects.select_related("call", "cluster", "applicant").get(pk=run_id)
    if run.status != BuildRun.Status.QUEUED:
        raise BuildError([("run", _("this build has already run"))])
    try:
        return _execute(run, progress)
    except BuildError:
        raise
    except Exception:
        _finish(
            run,
            status=BuildRun.Status.FAILED,
            error=_("An unexpected error stopped the build; it is in the server log."),
        )
        raise


def _execute(run: BuildRun, progress: Callable[[float, str], None] | None) -> dict[str, Any]:
    say = progress or (lambda f, m: None)
    say(0.01, _("Reading the registry of %s") % run.cluster.name)
    candidates, collabs, labels = registry_snapshot(run.cluster)
    try:
        call = _solver_call(
            run.call,
            run.cluster,
            applicant=str(run.applicant_id) if run.applicant_id else None,
            competences=run.competences,
            labels=labels,
        )
    except BuildError as exc:
        _finish(run, status=BuildRun.Status.FAILED, error=str(exc))
        raise
    searching = _("Searching among %d organisations") % len(candidates)
    say(0.05, searching)
    result = algo.build(
        call,
        candidates,
        collabs,
        top=run.top,
        time_limit=run.time_limit,
        min_difference=run.min_difference,
        # the solver's own progress notes are English: show a translated one
        progress=lambda f, m: say(0.05 + 0.9 * f, searching),
    )
    alternatives = [_consortium_out(c) for c in result.consortia]
    status = BuildRun.Status.DONE if alternatives else BuildRun.Status.INFEASIBLE
    blockers = [
        {"key": b.key, "code": b.code, "params": b.params, "message": b.message}
        for b in result.blockers
    ]
    if not alternatives and not blockers:
        blockers = [
            {
                "key": "time",
                "code": "no_result",
                "params": {},
                "message": "No eligible consortium was found within the time limit, and none "
                "was proven impossible; try a longer time limit.",
            }
        ]
    _finish(
        run,
        status=status,
        solver_status=result.status,
        objective=alternatives[0]["objective"] if alternatives else None,
        bound=result.bound,
        gap=result.gap,
        alternatives=alternatives,
        blockers=blockers,
        stats=result.stats,
    )
    say(1.0, _("Done"))
    return {
        "url": reverse("consortium:run", args=[run.pk]),
        "message": _("%d alternatives found") % len(alternatives)
        if alternatives
        else _("No eligible consortium"),
        "run_id": run.pk,
    }


def _finish(run: BuildRun, **fields: Any) -> None:
    with transaction.atomic():
        fields["finished_at"] = timezone.now()
        BuildRun.objects.filter(pk=run.pk).update(**fields)
        audit_record(
            actor=run.created_by,
            actor_label="" if run.created_by else CLI_ACTOR,
            action="consortium.build.finished",
            object_type="consortium.buildrun",
            object_id=str(run.pk),
            changes={
                "status": str(fields.get("status")),
                "solver_status": fields.get("solver_status", ""),
                "objective": fields.get("objective"),
                "gap": fields.get("gap"),
            },
        )


# --------------------------------------------------------------------------- check


def parse_members(data: bytes, filename: str) -> list[str]:
    """Organisation names or ids from a CSV/XLSX (column organisation, name or id) or JSON list."""
    from tact.core.tabular import read_rows

    name = filename or "upload"
    if name.lower().endswith(".json"):
        try:
            value = json.load(io.BytesIO(data))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise DataError([Problem(name, "", "", _("not readable JSON: %s") % exc)]) from None
        if isinstance(value, dict):
            value = value.get("organisations")
        if not isinstance(value, list) or not all(
            isinstance(v, str | int) and not isinstance(v, bool) for v in value
        ):
            raise DataError(
                [Problem(name, "", "organisations", _("give a list of organisation names or ids"))]
            )
        return [str(v) for v in value]
    rows = read_rows(data, name)
    out = []
    problems = []
    for row in rows:
        value = row.get("organisation") or row.get("name") or row.get("id")
        if not value:
            problems.append(
                Problem(
                    name, row.record, "organisation", _("empty: give the organisation's name or id")
                )
            )
            continue
        out.append(value)
    if rows and not any(k in rows[0].values for k in ("organisation", "name", "id")):
        raise DataError(
            [Problem(name, _("row 1"), "organisation", _("add a column organisation, name or id"))]
        )
    if problems:
        raise DataError(problems)
    return out


def consortium_check(
    *, call: Call, cluster: ClusterInitiative, organisations: Sequence[str], applicant: str = ""
) -> dict[str, Any]:
    """Check a consortium someone already has, rule by rule (a read: nothing is written)."""
    if not organisations:
        raise BuildError([("organisations", _("list at least one organisation"))])
    if len(organisations) > 200:
        raise BuildError([("organisations", _("at most 200 organisations"))])
    ids, problems = _resolve(cluster, organisations, "organisations")
    app_ids: list[str] = []
    if applicant:
        app_ids, more = _resolve(cluster, [applicant], "applicant")
        problems += [("applicant", m) for _f, m in more]
    if problems:
        raise BuildError(problems)
    candidates, collabs, labels = registry_snapshot(cluster)
    by_id = {c.id: c for c in candidates}
    members = [by_id[i] for i in dict.fromkeys(ids)]
    if app_ids and app_ids[0] not in {m.id for m in members}:
        members.insert(0, by_id[app_ids[0]])
    solver_call = _solver_call(
        call, cluster, applicant=app_ids[0] if app_ids else None, competences=[], labels=labels
    )
    report = algo.check(solver_call, members)
    breakdown = algo.evaluate(solver_call, members, collabs)
    roles = algo.roles(solver_call, members, collabs)
    return {
        "eligible": report.eligible,
        "checks": [_check_out(c) for c in report.checks],
        "members": [
            {
                "id": int(m.candidate.id),
                "name": m.candidate.name,
                "type": m.candidate.type,
                "region": m.candidate.region,
                "budget": m.candidate.budget,
                "roles": [
                    {"kind": r.kind, "message": r.message, "params": r.params} for r in m.roles
                ],
            }
            for m in roles
        ],
        "objective": breakdown.total,
        "breakdown": [
            {"name": t.name, "value": t.value, "points": t.points, "explanation": t.explanation}
            for t in breakdown.terms
        ],
    }
