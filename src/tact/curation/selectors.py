"""Reads of campaigns and one-pagers, always scoped to what the caller may see.

- Administrators see everything.
- A curator (regional contact) sees the campaigns that cover one of their regions, and all their
  one-pagers; reviewers are curators assigned to a one-pager.
- A cluster manager sees the one-pagers of the clusters they manage (not the ranked table).
- A personal link opens its own one-pager only.
"""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.db.models import Q, QuerySet

from tact.accounts.models import Role, User
from tact.accounts.selectors import clusters_managed_by, user_is_admin
from tact.catalogue.models import Practice
from tact.publication.selectors import edition_latest

from .models import Campaign, Invitation, OnePager, State

Caller = Any
TOKEN_SALT = "tact.curation.invitation"


def _curated_region_ids(user: Caller) -> list[int]:
    if not user or not user.is_authenticated:
        return []
    return list(
        user.roles.filter(role=Role.CURATOR, region__isnull=False).values_list(
            "region_id", flat=True
        )
    )


def is_curator(user: Caller) -> bool:
    return user_is_admin(user) or bool(_curated_region_ids(user))


def campaigns_curated_by(user: Caller) -> QuerySet[Campaign]:
    if user_is_admin(user):
        return Campaign.objects.all()
    regions = _curated_region_ids(user)
    if not regions:
        return Campaign.objects.none()
    return Campaign.objects.filter(regions__in=regions).distinct()


def campaign_for_curator(user: Caller, campaign_id: int) -> Campaign | None:
    return campaigns_curated_by(user).filter(pk=campaign_id).first()


def one_pagers_visible_to(user: Caller) -> QuerySet[OnePager]:
    base = OnePager.objects.select_related("campaign", "cluster", "cluster__region")
    if user_is_admin(user):
        return base
    if not user or not user.is_authenticated:
        return base.none()
    return base.filter(
        Q(campaign__in=campaigns_curated_by(user))
        | Q(cluster__in=clusters_managed_by(user))
        | Q(reviewers=user)
    ).distinct()


def one_pager_get(user: Caller, one_pager_id: int) -> OnePager | None:
    return one_pagers_visible_to(user).filter(pk=one_pager_id).first()


def roles_on(user: Caller, one_pager: OnePager) -> set[str]:
    """What the caller is for this one-pager: admin, curator, reviewer, manager (any of them)."""
    roles: set[str] = set()
    if not user or not user.is_authenticated:
        return roles
    if user_is_admin(user):
        roles.add("admin")
    if campaigns_curated_by(user).filter(pk=one_pager.campaign_id).exists():
        roles.add("curator")
    if one_pager.reviewers.filter(pk=user.pk).exists():
        roles.add("reviewer")
    if clusters_managed_by(user).filter(pk=one_pager.cluster_id).exists():
        roles.add("manager")
    return roles


def reviewer_candidates(campaign: Campaign) -> QuerySet[User]:
    """Curators of the campaign's regions, and administrators."""
    return (
        User.objects.filter(
            Q(roles__role=Role.CURATOR, roles__region__in=campaign.regions.all())
            | Q(is_superuser=True),
            is_active=True,
        )
        .distinct()
        .order_by("email")
    )


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a personal link belongs to; None for a bad or revoked link."""
    if not isinstance(token, str) or len(token) > 200:
        return None
    try:
        secret = signing.Signer(salt=TOKEN_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Invitation.objects.select_related("campaign", "cluster").filter(secret=secret).first()


def one_pager_of_invitation(invitation: Invitation) -> OnePager | None:
    return invitation.one_pagers.order_by("-id").first()


def campaign_status(campaign: Campaign) -> list[dict[str, Any]]:
    """One row per invited cluster initiative: its one-pager's state and the reminders sent."""
    rows = []
    for invitation in campaign.invitations.select_related("cluster").order_by("cluster__name"):
        one_pager = one_pager_of_invitation(invitation)
        rows.append(
            {
                "invitation": invitation,
                "cluster": invitation.cluster,
                "email": invitation.email,
                "one_pager": one_pager,
                "state": one_pager.state if one_pager else State.DRAFT,
                "state_label": one_pager.get_state_display() if one_pager else "",
                "opened": invitation.opened_at is not None,
                "reminders": invitation.reminders,
                "last_reminded": invitation.last_reminded_at,
            }
        )
    return rows


def state_counts(campaign: Campaign) -> dict[str, int]:
    counts = {s.value: 0 for s in State}
    for state in campaign.one_pagers.values_list("state", flat=True):
        counts[state] += 1
    return counts


SCORED_STATES = (
    State.SUBMITTED,
    State.IN_REVIEW,
    State.REVISION_REQUESTED,
    State.VALIDATED,
    State.PUBLISHED,
)


def ranking(campaign: Campaign) -> list[OnePager]:
    """The campaign's submitted one-pagers, best overall score first (unscored last)."""
    items = list(
        campaign.one_pagers.filter(state__in=SCORED_STATES)
        .select_related("cluster")
        .prefetch_related("reviews", "reviewers")
    )
    items.sort(key=lambda o: (o.score is None, -(o.score or 0.0), o.reference))
    return items


def edition_outdated(campaign: Campaign) -> dict[str, Any] | None:
    """Whether the toolbox PDF lags behind what this campaign published.

    Counts the campaign's published practices that the latest edition does not carry, or that
    were (re-)published after it was made, and its withdrawn practices the edition still prints.
    None when the PDF is up to date with the campaign (or the campaign published nothing).
    """
    ids = set(campaign.one_pagers.exclude(practice_id="").values_list("practice_id", flat=True))
    if not ids:
        return None
    practices = list(Practice.objects.filter(pk__in=ids).only("id", "published", "published_at"))
    edition = edition_latest()
    printed = set(edition.practice_ids or []) if edition is not None else set()
    new = [
        p.id
        for p in practices
        if p.published
        and (
            p.id not in printed
            or (
                edition is not None
                and p.published_at is not None
                and p.published_at > edition.published_at
            )
        )
    ]
    withdrawn = [p.id for p in practices if not p.published and p.id in printed]
    if not new and not withdrawn:
        return None
    return {
        "edition": edition,
        "published": sorted(new),
        "withdrawn": sorted(withdrawn),
    }
