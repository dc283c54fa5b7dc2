"""Every write to assessments; each leaves an audit entry (reads of answers too).

``actor`` is the person acting; ``None`` is the command line, which names itself.
Audit entries name the respondent by pseudonym only, never the organisation.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tact.accounts.models import Organisation
from tact.algorithms import assessment as algo
from tact.core.services import audit_record

from . import definitions, reports
from .models import (
    SECTORS,
    SIZE_CLASSES,
    AssessmentInvitation,
    AssessmentModel,
    Figure,
    Respondent,
    RespondentLink,
    Response,
    Status,
)
from .selectors import member_organisations

CLI_ACTOR = "tact assessments"


def _audit(actor: Any, action: str, object_type: str, object_id: str, changes: Any = None) -> None:
    audit_record(
        actor=actor,
        actor_label="" if actor is not None else CLI_ACTOR,
        action=action,
        object_type=object_type,
        object_id=object_id,
        changes=changes or {},
    )


def current_round(model: AssessmentModel, *, year: int | None = None) -> str:
    year = year or timezone.now().year
    return algo.round_label(year, int(model.definition.get("round_years", 1)))


@transaction.atomic
def model_load(*, actor: Any = None, paths: list[Path] | None = None) -> list[tuple[str, str]]:
    """Load the model files: created, updated or unchanged. All or nothing."""
    problems: list[definitions.Problem] = []
    loaded = []
    for path in paths or definitions.shipped_files():
        try:
            loaded.append(definitions.read(path))
        except definitions.DefinitionError as exc:
            problems += exc.problems
    if problems:
        raise definitions.DefinitionError(problems)
    results = []
    for data in loaded:
        digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
        existing = AssessmentModel.objects.filter(pk=data["id"]).first()
        if existing is not None and existing.digest == digest:
            results.append((data["id"], "unchanged"))
            continue
        AssessmentModel.objects.update_or_create(
            pk=data["id"],
            defaults={
                "version": data["version"],
                "kind": data["kind"],
                "title": data["title"],
                "definition": data,
                "digest": digest,
                "loaded_at": timezone.now(),
            },
        )
        action = "created" if existing is None else "updated"
        _audit(
            actor,
            f"assessments.model.{action}",
            "assessments.assessmentmodel",
            data["id"],
            {
                "before": None if existing is None else {"version": existing.version},
                "after": {"version": data["version"], "digest": digest},
            },
        )
        results.append((data["id"], action))
    return results


class ResponseError(ValueError):
    """Bad input for a response; ``problems`` are (field, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{f}: {m}" for f, m in problems))


def _check_profile(sector: str, size_class: str, region: str) -> None:
    problems = []
    if sector not in SECTORS:
        problems.append(("sector", _("choose one of: %s") % ", ".join(SECTORS)))
    if size_class not in SIZE_CLASSES:
        problems.append(("size_class", _("choose one of: %s") % ", ".join(SIZE_CLASSES)))
    if not region or len(region) > 10 or not region.isalnum():
        problems.append(("region", _("give a NUTS code such as AT31")))
    if problems:
        raise ResponseError(problems)


@transaction.atomic
def response_start(
    *,
    actor: Any,
    organisation: Organisation,
    model: AssessmentModel,
    sector: str,
    size_class: str,
    region: str,
) -> Response:
    """The organisation's response of the current round: resumed if it exists, else started."""
    if actor is not None and not member_organisations(actor).filter(pk=organisation.pk).exists():
        raise PermissionDenied(_("Only the organisation's members answer for it."))
    region = (region or "").strip().upper()
    _check_profile(sector, size_class, region)
    link = RespondentLink.objects.filter(organisation=organisation, model=model).first()
    if link is None:
        respondent = Respondent.objects.create(
            model=model,
            sector=sector,
            size_class=size_class,
            region=region,
            cluster=organisation.cluster,
        )
        RespondentLink.objects.create(respondent=respondent, organisation=organisation, model=model)
        _audit(
            actor,
            "assessments.respondent.created",
            "assessments.respondent",
            respondent.pseudonym,
            {"before": None, "after": {"model": model.pk}},
        )
    else:
        respondent = link.respondent
        if (respondent.sector, respondent.size_class, respondent.region) != (
            sector,
            size_class,
            region,
        ):
            respondent.sector, respondent.size_class, respondent.region = (
                sector,
                size_class,
                region,
            )
            respondent.save(update_fields=["sector", "size_class", "region"])
    response, created = Response.objects.get_or_create(
        respondent=respondent, round=current_round(model)
    )
    if created:
        _audit(
            actor,
            "assessments.response.started",
            "assessments.response",
            f"{respondent.pseudonym}/{response.round}",
        )
    return response


def _owned(actor: Any, response: Response) -> None:
    from .selectors import responses_of

    if actor is not None and not responses_of(actor).filter(pk=response.pk).exists():
        raise PermissionDenied(_("Only the organisation's members answer for it."))


@transaction.atomic
def response_save(
    *, actor: Any, response: Response, answers: dict[str, Any], submit: bool = False
) -> Response:
    """Store answers (a draft may be incomplete); on submit, compute the result and figures."""
    _owned(actor, response)
    model = response.respondent.model
    definition = model.definition
    if model.kind == "maturity":
        try:
            cleaned = reports.clean_maturity_answers(definition, answers)
        except algo.AnswerError as exc:
            raise ResponseError([(exc.item, exc.message)]) from None
    else:
        allowed = set(algo.HR_INPUTS)
        unknown = sorted(set(answers) - allowed)
        if unknown:
            raise ResponseError([(name, _("unknown field")) for name in unknown])
        # Drafts keep what was typed (checked on submit); NUL cannot be stored in PostgreSQL.
        cleaned = {
            k: v.replace("\x00", "") if isinstance(v, str) else v
            for k, v in answers.items()
            if v not in (None, "")
        }
    response.answers = cleaned
    response.updated_at = timezone.now()
    if submit:
        _finish(response)
    response.save()
    _audit(
        actor,
        "assessments.response.submitted" if submit else "assessments.response.saved",
        "assessments.response",
        f"{response.respondent.pseudonym}/{response.round}",
    )
    return response


def _finish(response: Response) -> None:
    respondent = response.respondent
    model = respondent.model
    if model.kind == "maturity":
        result = reports.maturity_result(model.definition, response.answers)
        missing = result["missing"]
        if missing:
            raise ResponseError(
                [(m, _("answer this question (or mark it not relevant)")) for m in missing]
            )
        if result["overall"] is None:
            raise ResponseError([("answers", _("at least one question must be relevant"))])
        metrics = reports.maturity_metrics(result)
    else:
        try:
            result = reports.hr_result(response.answers)
        except algo.PlausibilityError as exc:
            raise ResponseError([(p.field, p.message) for p in exc.problems]) from None
        metrics = reports.hr_metrics(result)
    response.result = result
    response.status = Status.SUBMITTED
    response.submitted_at = timezone.now()
    response.save()
    response.figures.all().delete()
    Figure.objects.bulk_create(
        Figure(
            response=response,
            model=model,
            round=response.round,
            metric=metric,
            value=value,
            sector=respondent.sector,
            size_class=respondent.size_class,
            region=respondent.region,
            cluster_id=respondent.cluster_id,
        )
        for metric, value in metrics.items()
    )


def answers_access_record(*, actor: Any, response: Response, purpose: str) -> None:
    """Every read of a company's answers leaves a trace (viewed, exported, reported)."""
    _audit(
        actor,
        f"assessments.response.{purpose}",
        "assessments.response",
        f"{response.respondent.pseudonym}/{response.round}",
    )


@transaction.atomic
def respondent_delete(*, actor: Any, respondent: Respondent) -> None:
    """Delete every answer and figure of a respondent and the link to its organisation."""
    from .selectors import respondents_of

    if actor is not None and not respondents_of(actor).filter(pk=respondent.pk).exists():
        raise PermissionDenied(_("Only the organisation's members may delete its answers."))
    pseudonym = respondent.pseudonym
    rounds = list(respondent.responses.values_list("round", flat=True))
    respondent.delete()
    _audit(
        actor,
        "assessments.respondent.deleted",
        "assessments.respondent",
        pseudonym,
        {"before": {"rounds": rounds}, "after": None},
    )


def invitation_create(
    *, actor: Any, model: AssessmentModel, organisation: Organisation, round: str | None = None
) -> tuple[AssessmentInvitation, bool]:
    invitation, created = AssessmentInvitation.objects.get_or_create(
        model=model, organisation=organisation, round=round or current_round(model)
    )
    if created:
        _audit(
            actor,
            "assessments.invitation.created",
            "accounts.organisation",
            str(organisation.pk),
            {"before": None, "after": {"model": model.pk, "round": invitation.round}},
        )
    return invitation, created
