"""Background jobs of the curation workflow (registered through tact.core.jobs)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tact.accounts.models import User
from tact.core.jobs import JobError, register_job

from . import services
from .models import Campaign


@register_job("curation.score")
def score_campaign(ctx: Any, *, campaign_id: int, actor_id: int | None = None) -> dict[str, Any]:
    """Score a campaign's one-pagers: embeddings, similarities, classifier, ranked table."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        raise JobError(_("the campaign no longer exists"))
    actor = User.objects.filter(pk=actor_id).first() if actor_id is not None else None
    if actor_id is not None and actor is None:
        raise JobError(_("the account that started the job no longer exists"))
    try:
        report = services.campaign_score(actor=actor, campaign=campaign, progress=ctx)
    except services.CurationError as exc:
        raise JobError(exc.message) from None
    result: dict[str, Any] = {
        "url": reverse("curation:ranking", args=[campaign.pk]),
        "message": ngettext("%(n)d one-pager scored.", "%(n)d one-pagers scored.", report.scored)
        % {"n": report.scored},
        "scored": report.scored,
    }
    if report.classifier is not None:
        result["classifier"] = {
            "examples": report.classifier.examples,
            "field_accuracy": report.classifier.field_accuracy,
            "objective_recall": report.classifier.objective_recall,
        }
    return result
