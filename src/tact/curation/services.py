"""Every write of the curation workflow. Keyword-only, each one audited.

Permissions are checked here, not only in the views, so the API, the command line and the pages
obey the same transition table (``TRANSITIONS``). ``actor=None`` is the command line (the system).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tact.accounts.models import ClusterInitiative, Region, User
from tact.accounts.selectors import user_is_admin
from tact.algorithms import curation as algo
from tact.algorithms.embedding import default_encoder
from tact.algorithms.search import SearchDocument, document_text, embed_documents
from tact.catalogue import services as catalogue_services
from tact.catalogue.index import practice_document
from tact.catalogue.models import Practice
from tact.catalogue.records import email_is_valid, vocabulary
from tact.core.services import audit_record

from . import content, selectors
from .models import Campaign, Comment, Invitation, OnePager, Review, State, Version

S = State
# Who may move a one-pager from one state to another. Administrators may make every move listed.
# "manager": the manager of the one-pager's cluster, or whoever holds its personal link.
# "curator": a curator of one of the campaign's regions.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (S.DRAFT, S.SUBMITTED): frozenset({"manager"}),
    (S.REVISION_REQUESTED, S.SUBMITTED): frozenset({"manager"}),
    (S.SUBMITTED, S.IN_REVIEW): frozenset({"curator"}),
    (S.SUBMITTED, S.REVISION_REQUESTED): frozenset({"curator"}),
    (S.IN_REVIEW, S.REVISION_REQUESTED): frozenset({"curator"}),
    (S.IN_REVIEW, S.VALIDATED): frozenset({"manager"}),
    (S.VALIDATED, S.REVISION_REQUESTED): frozenset({"curator"}),
    (S.VALIDATED, S.PUBLISHED): frozenset({"curator"}),
    (S.PUBLISHED, S.WITHDRAWN): frozenset({"curator"}),
    (S.WITHDRAWN, S.PUBLISHED): frozenset({"curator"}),
    (S.WITHDRAWN, S.DRAFT): frozenset({"manager", "curator"}),
    **{
        (state, S.WITHDRAWN): frozenset({"manager", "curator"})
        for state in (S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.REVISION_REQUESTED, S.VALIDATED)
    },
}
# Who may change the content in each state.
EDITORS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({"manager"}),
    S.REVISION_REQUESTED: frozenset({"manager"}),
    S.SUBMITTED: frozenset({"curator", "reviewer"}),
    S.IN_REVIEW: frozenset({"curator", "reviewer"}),
}
NEEDS_COMMENT = {S.REVISION_REQUESTED}
MIN_REVIEWERS = 2
# A survey round runs for weeks or months; a deadline further ahead is a typing error.
MAX_DEADLINE_DAYS = 730


class CurationError(Exception):
    """A request the workflow refuses; ``message`` says why, ``field`` names the input."""

    def __init__(self, message: str, field: str = "") -> None:
        self.message = message
        self.field = field
        super().__init__(f"{field}: {message}" if field else message)


class NotAllowed(CurationError):
    pass


class InvalidOnePager(CurationError):
    def __init__(self, problems: dict[str, list[str]]) -> None:
        self.problems = problems
        summary = "; ".join(f"{k}: {', '.join(v)}" for k, v in problems.items())
        super().__init__(_("the one-pager has problems: %(p)s") % {"p": summary})


class EditConflict(CurationError):
    """Someone saved the one-pager after the editor opened it. Both versions are kept."""

    def __init__(self, one_pager: OnePager, mine: dict[str, Any], kept: Version) -> None:
        self.one_pager = one_pager
        self.mine = mine
        self.kept = kept
        self.diff = content.diff(
            one_pager.data,
            mine,
            names=(_("saved version %(v)d") % {"v": one_pager.version}, _("your version")),
        )
        super().__init__(
            _(
                "Someone else saved this one-pager (now version %(v)d) while you were editing "
                "version %(mine)d. Your changes were not saved over theirs; they are kept as a "
                "separate version. Compare both below and save again."
            )
            % {"v": one_pager.version, "mine": kept.number}
        )


def _label(actor: Any, invitation: Invitation | None = None) -> str:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return str(actor)
    if invitation is not None:
        return _("%(email)s (personal link)") % {"email": invitation.email}
    return "tact curation"


def _audit(actor: Any, action: str, obj: Any, changes: dict[str, Any], label: str = "") -> None:
    kind = "curation.campaign" if isinstance(obj, Campaign) else "curation.onepager"
    audit_record(
        actor=actor,
        actor_label=label or ("" if actor is not None else "tact curation"),
        action=action,
        object_type=kind,
        object_id=str(obj.pk),
        changes=changes,
    )


def roles_of(actor: Any, one_pager: OnePager, invitation: Invitation | None = None) -> set[str]:
    """The caller's roles on a one-pager. A personal link makes its holder the manager of that
    one one-pager and nothing else; ``actor=None`` without a link is the command line."""
    if invitation is not None:
        authenticated = actor is not None and getattr(actor, "is_authenticated", False)
        roles = selectors.roles_on(actor, one_pager) if authenticated else set()
        if one_pager.invitation_id == invitation.pk:
            roles.add("manager")
        return roles
    if actor is None:
        return {"admin"}
    return selectors.roles_on(actor, one_pager)


def _allowed(roles: set[str], who: frozenset[str]) -> bool:
    return "admin" in roles or bool(roles & who)


def may(actor: Any, one_pager: OnePager, who: frozenset[str] | set[str]) -> bool:
    """Whether the caller holds one of these roles on the one-pager (administrators always)."""
    return _allowed(roles_of(actor, one_pager), frozenset(who))


def closed_to(roles: set[str], one_pager: OnePager) -> bool:
    """Whether a closed campaign keeps this caller from filling in a draft: closing ends new
    submissions (for the personal link and a logged-in manager alike). A revision the regional
    contact asked for can still be answered; administrators and the command line may do all."""
    return not one_pager.campaign.is_open and one_pager.state == S.DRAFT and "admin" not in roles


def may_edit(actor: Any, one_pager: OnePager, invitation: Invitation | None = None) -> bool:
    roles = roles_of(actor, one_pager, invitation)
    return _allowed(roles, EDITORS.get(one_pager.state, frozenset())) and not closed_to(
        roles, one_pager
    )


# --- campaigns and invitations ------------------------------------------------------------------


def invitation_link(invitation: Invitation, base_url: str) -> str:
    token = signing.Signer(salt=selectors.TOKEN_SALT).sign(invitation.secret)
    return base_url.rstrip("/") + reverse("curation:form", args=[token])


def _next_reference(campaign: Campaign, cluster: ClusterInitiative) -> str:
    region = cluster.region.code if cluster.region else "XX"
    n = campaign.one_pagers.count() + 1
    while True:
        reference = f"{campaign.created_at:%Y}-{region}-{n:03d}"
        if not campaign.one_pagers.filter(reference=reference).exists():
            return reference
        n += 1


def _send_invitation(
    invitation: Invitation, base_url: str, *, reminder: bool, revision: bool = False
) -> None:
    campaign = invitation.campaign
    subject = (
        _("Reminder: your good practice for %(campaign)s")
        if reminder
        else _("Share a good practice of %(cluster)s: %(campaign)s")
    ) % {"campaign": campaign.name, "cluster": invitation.cluster.name}
    body = _(
        'Dear cluster manager of %(cluster)s,\n\n%(intro)s\n\nFor the survey "%(campaign)s", '
        "please describe one service of "
        "your cluster initiative on the one-pager behind this personal link. You can save a "
        "draft and come back as often as you like until %(deadline)s:\n\n%(link)s\n\n"
        "The link is yours alone; do not forward it."
    ) % {
        "cluster": invitation.cluster.name,
        "campaign": campaign.name,
        "intro": campaign.introduction
        or _("The regional contact collects good practices of cluster services for the toolbox."),
        "deadline": campaign.deadline.isoformat(),
        "link": invitation_link(invitation, base_url),
    }
    if revision:
        body = (
            _(
                "The regional contact asked you to revise your one-pager; it counts once you "
                "submit it again."
            )
            + "\n\n"
            + body
        )
    send_mail(subject, body, None, [invitation.email])


def _check_cluster_in_regions(cluster: ClusterInitiative, regions: Sequence[Region]) -> None:
    if cluster.region_id not in {r.pk for r in regions}:
        raise CurationError(
            _("%(cluster)s does not lie in the campaign's regions (%(regions)s)")
            % {"cluster": cluster.name, "regions": ", ".join(r.code for r in regions)},
            "invitations",
        )


def campaign_create(
    *,
    actor: User | None,
    name: str,
    regions: Sequence[Region],
    deadline: dt.date,
    introduction: str = "",
    invitations: Sequence[tuple[ClusterInitiative, str]] = (),
    base_url: str = "",
) -> Campaign:
    """A survey campaign with an invitation and a draft one-pager per cluster initiative."""
    name = name.strip()
    if not name:
        raise CurationError(_("a campaign needs a name"), "name")
    if not regions:
        raise CurationError(_("choose at least one region"), "regions")
    if actor is not None and not user_is_admin(actor):
        own = set(selectors._curated_region_ids(actor))
        foreign = [r.code for r in regions if r.pk not in own]
        if foreign:
            raise NotAllowed(
                _("you are not the regional contact of %(r)s") % {"r": ", ".join(foreign)},
                "regions",
            )
    if deadline < timezone.localdate():
        raise CurationError(_("the deadline lies in the past"), "deadline")
    _check_deadline_not_too_far(deadline)
    for cluster, email in invitations:
        _check_cluster_in_regions(cluster, regions)
        if not email_is_valid(email):
            raise CurationError(
                _("%(email)r is not a valid e-mail address") % {"email": email}, "invitations"
            )
    with transaction.atomic():
        campaign = Campaign.objects.create(
            name=name[:200],
            deadline=deadline,
            introduction=introduction.strip(),
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        campaign.regions.set(regions)
        _audit(
            actor,
            "campaign.created",
            campaign,
            {
                "name": campaign.name,
                "regions": [r.code for r in regions],
                "deadline": deadline.isoformat(),
            },
        )
        for cluster, email in invitations:
            invitation_add(
                actor=actor, campaign=campaign, cluster=cluster, email=email, base_url=base_url
            )
    return campaign


def invitation_add(
    *,
    actor: User | None,
    campaign: Campaign,
    cluster: ClusterInitiative,
    email: str,
    base_url: str = "",
) -> Invitation:
    """Invite one cluster initiative: a personal link by e-mail and a draft one-pager."""
    email = email.strip().lower()
    if actor is not None and selectors.campaign_for_curator(actor, campaign.pk) is None:
        raise NotAllowed(_("only the campaign's regional contacts invite clusters"))
    if not campaign.is_open:
        raise CurationError(
            _("the campaign is closed: reopen it to invite more cluster initiatives")
        )
    _check_cluster_in_regions(cluster, list(campaign.regions.all()))
    if not email_is_valid(email):
        raise CurationError(
            _("%(email)r is not a valid e-mail address") % {"email": email}, "email"
        )
    if campaign.invitations.filter(cluster=cluster, email=email).exists():
        raise CurationError(
            _("%(cluster)s is already invited with %(email)s")
            % {"cluster": cluster.name, "email": email},
            "email",
        )
    with transaction.atomic():
        invitation = Invitation.objects.create(
            campaign=campaign, cluster=cluster, email=email, secret=secrets.token_urlsafe(24)
        )
        data = content.empty()
        data["clusters"] = [{"name": cluster.name, "website": cluster.website}]
        if cluster.region:
            data["region"] = {
                "country": cluster.region.country,
                "nuts": cluster.region.code,
                "name": cluster.region.name,
            }
        one_pager = OnePager.objects.create(
            campaign=campaign,
            cluster=cluster,
            invitation=invitation,
            reference=_next_reference(campaign, cluster),
            data=data,
        )
        Version.objects.create(
            one_pager=one_pager,
            number=1,
            data=data,
            state=one_pager.state,
            author_label=_label(actor),
            note=_("created by the invitation"),
        )
        _audit(actor, "invitation.created", campaign, {"cluster": cluster.name, "email": email})
    if base_url:
        _send_invitation(invitation, base_url, reminder=False)
        Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
    return invitation


def invitations_remind(*, actor: User | None, campaign: Campaign, base_url: str) -> list[str]:
    """Remind every manager whose one-pager is not submitted yet; returns the addresses."""
    if actor is not None and selectors.campaign_for_curator(actor, campaign.pk) is None:
        raise NotAllowed(_("only the campaign's regional contacts send reminders"))
    if not campaign.is_open:
        raise CurationError(_("the campaign is closed"))
    sent = []
    for row in selectors.campaign_status(campaign):
        if row["state"] not in (S.DRAFT, S.REVISION_REQUESTED):
            continue
        invitation = row["invitation"]
        _send_invitation(
            invitation, base_url, reminder=True, revision=row["state"] == S.REVISION_REQUESTED
        )
        Invitation.objects.filter(pk=invitation.pk).update(
            reminders=F("reminders") + 1, last_reminded_at=timezone.now()
        )
        sent.append(invitation.email)
    _audit(actor, "campaign.reminded", campaign, {"to": sent})
    return sent


def campaign_close(*, actor: User | None, campaign: Campaign) -> Campaign:
    """End the survey: personal links say the campaign is closed and no longer save; reminders
    and new invitations stop. Review, selection and publication go on. Closing twice is refused."""
    if actor is not None and selectors.campaign_for_curator(actor, campaign.pk) is None:
        raise NotAllowed(_("only the campaign's regional contacts close it"))
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.closed_at is not None:
            raise CurationError(
                _("the campaign was already closed on %(date)s")
                % {"date": timezone.localtime(locked.closed_at).strftime("%Y-%m-%d %H:%M")}
            )
        locked.closed_at = timezone.now()
        locked.save(update_fields=["closed_at"])
        pending = sum(
            1
            for row in selectors.campaign_status(locked)
            if row["state"] in (S.DRAFT, S.REVISION_REQUESTED)
        )
        _audit(
            actor,
            "campaign.closed",
            locked,
            {"deadline": locked.deadline.isoformat(), "not_submitted": pending},
        )
    campaign.closed_at = locked.closed_at
    return campaign


def _check_deadline_not_too_far(deadline: dt.date) -> None:
    if deadline > timezone.localdate() + dt.timedelta(days=MAX_DEADLINE_DAYS):
        raise CurationError(
            _("the deadline %(date)s lies more than %(n)d days ahead")
            % {"date": deadline.isoformat(), "n": MAX_DEADLINE_DAYS},
            "deadline",
        )


def campaign_reopen(*, actor: User | None, campaign: Campaign, deadline: dt.date) -> Campaign:
    """Open a closed campaign again with a new deadline (today or later): the personal links
    work again and reminders can be sent."""
    if actor is not None and selectors.campaign_for_curator(actor, campaign.pk) is None:
        raise NotAllowed(_("only the campaign's regional contacts reopen it"))
    if not isinstance(deadline, dt.date):
        raise CurationError(_("give the new deadline as a date (YYYY-MM-DD)"), "deadline")
    if deadline < timezone.localdate():
        raise CurationError(
            _("the new deadline %(date)s lies in the past") % {"date": deadline.isoformat()},
            "deadline",
        )
    _check_deadline_not_too_far(deadline)
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.closed_at is None:
            raise CurationError(_("the campaign is open: only a closed campaign is reopened"))
        before = {
            "deadline": locked.deadline.isoformat(),
            "closed_at": locked.closed_at.isoformat(),
        }
        locked.closed_at = None
        locked.deadline = deadline
        locked.save(update_fields=["closed_at", "deadline"])
        _audit(
            actor,
            "campaign.reopened",
            locked,
            {
                "deadline": [before["deadline"], deadline.isoformat()],
                "closed_at": before["closed_at"],
            },
        )
    campaign.closed_at = None
    campaign.deadline = deadline
    return campaign


def invitation_opened(*, invitation: Invitation) -> None:
    if invitation.opened_at is None:
        Invitation.objects.filter(pk=invitation.pk, opened_at=None).update(opened_at=timezone.now())


# --- editing, comments, transitions -------------------------------------------------------------


def one_pager_save(
    *,
    actor: Any,
    one_pager: OnePager,
    data: Mapping[str, Any],
    expected_version: int,
    invitation: Invitation | None = None,
    note: str = "",
) -> OnePager:
    """Save new content if nobody saved since ``expected_version``; otherwise EditConflict.

    On a conflict the refused content is kept as a version marked as a conflict, so nothing
    typed is lost, and the error carries both versions and their difference.
    """
    roles = roles_of(actor, one_pager, invitation)
    if not _allowed(roles, EDITORS.get(one_pager.state, frozenset())):
        raise NotAllowed(
            _("a one-pager in the state %(state)s cannot be edited by you")
            % {"state": one_pager.get_state_display()}
        )
    if closed_to(roles, one_pager):
        raise NotAllowed(_("the campaign is closed: drafts can no longer be saved or submitted"))
    new = content.normalise(data)
    label = _label(actor, invitation)
    author = actor if actor is not None and actor.is_authenticated else None
    with transaction.atomic():
        before = OnePager.objects.select_for_update().get(pk=one_pager.pk)
        if before.version == expected_version:
            OnePager.objects.filter(pk=one_pager.pk).update(
                data=new, version=F("version") + 1, updated_at=timezone.now()
            )
            saved = OnePager.objects.get(pk=one_pager.pk)
            Version.objects.create(
                one_pager=saved,
                number=saved.version,
                data=new,
                state=saved.state,
                author=author,
                author_label=label,
                note=note[:300],
            )
            _audit(
                actor,
                "onepager.saved",
                saved,
                {"version": saved.version, "changed": content.changed_keys(before.data, new)},
                label,
            )
            return saved
        kept = Version.objects.create(
            one_pager=before,
            # A missing or made-up version number is kept as 0: the content matters, not it.
            number=expected_version if 0 <= expected_version <= before.version else 0,
            data=new,
            state=before.state,
            author=author,
            author_label=label,
            note=_("refused: saved over by version %(v)d") % {"v": before.version},
            conflict=True,
        )
        _audit(
            actor,
            "onepager.conflict",
            before,
            {"expected": expected_version, "current": before.version},
            label,
        )
    raise EditConflict(before, new, kept)


def comment_add(
    *, actor: Any, one_pager: OnePager, text: str, invitation: Invitation | None = None
) -> Comment:
    text = text.strip()
    if not text:
        raise CurationError(_("the comment is empty"), "text")
    roles = roles_of(actor, one_pager, invitation)
    if not roles:
        raise NotAllowed(_("you may not comment on this one-pager"))
    label = _label(actor, invitation)
    comment = Comment.objects.create(
        one_pager=one_pager,
        author=actor if actor is not None and actor.is_authenticated else None,
        author_label=label,
        text=text[:5000],
    )
    _audit(actor, "onepager.commented", one_pager, {"comment": comment.pk}, label)
    return comment


def allowed_transitions(
    actor: Any, one_pager: OnePager, invitation: Invitation | None = None
) -> list[str]:
    roles = roles_of(actor, one_pager, invitation)
    return [
        to
        for (start, to), who in TRANSITIONS.items()
        if start == one_pager.state and _allowed(roles, who)
    ]


def one_pager_transition(
    *,
    actor: Any,
    one_pager: OnePager,
    to: str,
    comment: str = "",
    invitation: Invitation | None = None,
    base_url: str = "",
) -> OnePager:
    """Move a one-pager along the editorial workflow (see TRANSITIONS).

    ``base_url`` (the site's address) lets the e-mail of a revision request carry the cluster
    manager's personal link; without it the e-mail asks them to log in."""
    if to not in S.values:
        raise CurationError(_("unknown state %(s)r") % {"s": to}, "to")
    one_pager.refresh_from_db()
    start = one_pager.state
    who = TRANSITIONS.get((start, to))
    if who is None:
        raise CurationError(
            _("a one-pager cannot go from %(a)s to %(b)s")
            % {"a": S(start).label, "b": S(to).label},
            "to",
        )
    roles = roles_of(actor, one_pager, invitation)
    if not _allowed(roles, who):
        raise NotAllowed(
            _("only the %(who)s may move a one-pager from %(a)s to %(b)s")
            % {"who": _(" or ").join(sorted(who)), "a": S(start).label, "b": S(to).label}
        )
    if to in NEEDS_COMMENT and not comment.strip():
        raise CurationError(_("say what should be revised"), "comment")
    if to == S.SUBMITTED and closed_to(roles, one_pager):
        raise NotAllowed(_("the campaign is closed: drafts can no longer be submitted"))
    if to == S.SUBMITTED:
        found = content.problems(one_pager.data)
        if found:
            raise InvalidOnePager(found)
    if (start, to) == (S.IN_REVIEW, S.VALIDATED) and not one_pager.selected:
        raise CurationError(
            _("the regional contact has not selected this one-pager for publication yet")
        )
    if to == S.PUBLISHED:
        found = content.problems(one_pager.data, require_field=True)
        if found:
            raise InvalidOnePager(found)
    if (start, to) == (S.WITHDRAWN, S.PUBLISHED) and not one_pager.practice_id:
        raise CurationError(_("this one-pager was never published; validate it first"))
    if (start, to) == (S.WITHDRAWN, S.DRAFT) and one_pager.practice_id:
        raise CurationError(_("a published practice is republished, not reopened as a draft"))

    label = _label(actor, invitation)
    with transaction.atomic():
        changes: dict[str, Any] = {"from": start, "to": to}
        if to == S.PUBLISHED:
            practice = catalogue_services.practice_publish_record(
                actor=actor,
                record=content.record_for_publication(one_pager.data),
                practice_id=one_pager.practice_id or None,
                source=f"{one_pager.campaign.name} / {one_pager.reference}",
            )
            one_pager.practice_id = practice.id
            changes["practice"] = practice.id
        elif start == S.PUBLISHED and one_pager.practice_id:
            catalogue_services.practice_set_published(
                actor=actor, practice_id=one_pager.practice_id, published=False, reason=comment
            )
        one_pager.state = to
        if to == S.SUBMITTED:
            one_pager.submitted_at = timezone.now()
        one_pager.save(update_fields=["state", "practice_id", "submitted_at", "updated_at"])
        if comment.strip():
            Comment.objects.create(
                one_pager=one_pager,
                author=actor if actor is not None and actor.is_authenticated else None,
                author_label=label,
                text=comment.strip()[:5000],
            )
            changes["comment"] = comment.strip()[:500]
        _audit(actor, f"onepager.{to}", one_pager, changes, label)
    if to == S.REVISION_REQUESTED:
        _notify_manager(
            one_pager,
            _("Please revise your one-pager: %(title)s") % {"title": one_pager.title},
            _(
                "The regional contact asks you to revise the one-pager %(ref)s:\n\n%(comment)s"
                "\n\nOpen it through your personal link (or log in, Curation) and submit it again."
            )
            % {"ref": one_pager.reference, "comment": comment.strip()}
            + _personal_link_line(one_pager, base_url or settings.TACT_BASE_URL),
        )
    return one_pager


# --- reviews ------------------------------------------------------------------------------------


def reviewers_assign(
    *, actor: User | None, one_pager: OnePager, reviewers: Iterable[User]
) -> OnePager:
    """Assign curators as reviewers; a submitted one-pager goes into review."""
    roles = roles_of(actor, one_pager)
    if not _allowed(roles, frozenset({"curator"})):
        raise NotAllowed(_("only the campaign's regional contacts assign reviewers"))
    reviewers = list(reviewers)
    allowed = set(selectors.reviewer_candidates(one_pager.campaign).values_list("pk", flat=True))
    wrong = [str(r) for r in reviewers if r.pk not in allowed]
    if wrong:
        raise CurationError(
            _("not a curator of the campaign's regions: %(u)s") % {"u": ", ".join(wrong)},
            "reviewers",
        )
    with transaction.atomic():
        one_pager.reviewers.add(*reviewers)
        _audit(actor, "onepager.reviewers", one_pager, {"added": [str(r) for r in reviewers]})
        if one_pager.state == S.SUBMITTED:
            one_pager_transition(actor=actor, one_pager=one_pager, to=S.IN_REVIEW)
    return one_pager


def parse_ratings(raw: Mapping[str, Any]) -> dict[str, int]:
    """Ratings from a form or a body; every criterion must be a whole number on the scale."""
    low, high = content.SCALE
    ratings: dict[str, int] = {}
    for criterion in content.RUBRIC:
        value = raw.get(criterion.key)
        if isinstance(value, list):
            value = value[0] if value else None
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            raise CurationError(
                _("rate from %(low)d to %(high)d") % {"low": low, "high": high}, criterion.key
            ) from None
        if not low <= number <= high:
            raise CurationError(
                _("rate from %(low)d to %(high)d") % {"low": low, "high": high}, criterion.key
            )
        ratings[criterion.key] = number
    return ratings


def review_save(
    *, actor: User, one_pager: OnePager, ratings: Mapping[str, Any], note: str = ""
) -> Review:
    """A reviewer's rubric ratings (one review per reviewer, replaced on each save)."""
    if actor is None or not one_pager.reviewers.filter(pk=actor.pk).exists():
        raise NotAllowed(_("only the reviewers assigned to this one-pager rate it"))
    if one_pager.state != S.IN_REVIEW:
        raise CurationError(_("one-pagers are rated while they are in review"))
    clean = parse_ratings(ratings)
    with transaction.atomic():
        review, _created = Review.objects.update_or_create(
            one_pager=one_pager,
            reviewer=actor,
            defaults={"ratings": clean, "note": note.strip()[:5000], "updated_at": timezone.now()},
        )
        _rescore_soundness(one_pager)
        _audit(actor, "onepager.reviewed", one_pager, {"ratings": clean})
    return review


def soundness_of(one_pager: OnePager) -> algo.Soundness:
    ratings = [
        algo.Rating(reviewer=str(r.reviewer_id), scores=r.ratings) for r in one_pager.reviews.all()
    ]
    return algo.soundness(ratings, content.RUBRIC, scale=content.SCALE)


def _soundness_out(result: algo.Soundness) -> dict[str, Any]:
    return {
        "score": None if result.score is None else round(result.score, 4),
        "reviewers": result.reviewers,
        "enough_reviewers": result.enough_reviewers,
        "disagreement": list(result.disagreement),
        "criteria": {
            c.key: {"mean": c.mean, "spread": c.spread, "ratings": c.ratings}
            for c in result.criteria
        },
    }


def _rescore_soundness(one_pager: OnePager) -> None:
    scores = dict(one_pager.scores or {})
    result = soundness_of(one_pager)
    scores["soundness"] = _soundness_out(result)
    if "completeness" in scores and "uniqueness" in scores:
        total = algo.overall(scores["completeness"]["score"], result, scores["uniqueness"]["score"])
        scores["overall"] = {"score": total.score, "provisional": total.provisional}
        one_pager.score = total.score
    one_pager.scores = scores
    one_pager.save(update_fields=["scores", "score", "updated_at"])


# --- scoring and selection ----------------------------------------------------------------------


def _strings(values: Any) -> list[str]:
    return [str(v) for v in values] if isinstance(values, list) else []


def _document(key: str, data: Mapping[str, Any]) -> SearchDocument:
    record = content.normalise(data)
    safe = {
        **record,
        "id": key,
        "formats": _strings(record["formats"]),
        "target_groups": _strings(record["target_groups"]),
        "keywords": _strings(record["keywords"]),
        **{k: _strings(record[k]) for k in content.LINE_LISTS},
        "clusters": [c for c in record["clusters"] if isinstance(c, Mapping)],
        "region": record["region"] if isinstance(record["region"], Mapping) else {"name": ""},
    }
    safe["clusters"] = [{"name": str(c.get("name", ""))} for c in safe["clusters"]]
    safe["region"] = {"name": str(safe["region"].get("name", ""))}
    return practice_document(safe, vocabulary())


@dataclass
class ScoreReport:
    scored: int
    classifier: algo.Evaluation | None


class _NoProgress:
    def progress(self, fraction: float, message: str = "") -> None:
        return None


EMBED_BATCH = 16


def campaign_score(*, actor: User | None, campaign: Campaign, progress: Any = None) -> ScoreReport:
    """Score every submitted one-pager of the campaign and store the results.

    Runs as the background job "curation.score" from the web (see jobs.py); ``progress`` is the
    job's context (anything with ``progress(fraction, message)``).
    """
    if actor is not None and selectors.campaign_for_curator(actor, campaign.pk) is None:
        raise NotAllowed(_("only the campaign's regional contacts score it"))
    progress = progress or _NoProgress()
    progress.progress(0.02, _("Reading the one-pagers"))
    items = list(
        campaign.one_pagers.filter(state__in=selectors.SCORED_STATES).prefetch_related("reviews")
    )
    own_practices = {o.practice_id for o in items if o.practice_id}
    published = list(
        Practice.objects.filter(published=True, synthetic=False)
        .exclude(id__in=own_practices)
        .prefetch_related("objectives", "clusters")
    )
    encoder = default_encoder()
    documents = [_document(f"onepager:{o.pk}", o.data) for o in items]
    chunks = []
    for start in range(0, len(documents), EMBED_BATCH):
        progress.progress(
            0.05 + 0.75 * start / max(1, len(documents)),
            _("Reading one-pager %(n)d of %(total)d") % {"n": start + 1, "total": len(documents)},
        )
        chunks.append(embed_documents(encoder, documents[start : start + EMBED_BATCH]))
    vectors = np.vstack(chunks) if chunks else np.zeros((0, encoder.dimension), dtype=np.float32)
    progress.progress(0.8, _("Comparing with each other and with the toolbox"))
    published_documents = [_document(f"practice:{p.id}", p.to_record()) for p in published]
    published_vectors = []
    missing = [i for i, p in enumerate(published) if not p.embedding]
    computed = (
        embed_documents(encoder, [published_documents[i] for i in missing]) if missing else []
    )
    by_index = dict(zip(missing, computed, strict=True))
    for i, p in enumerate(published):
        if i in by_index:
            published_vectors.append(np.asarray(by_index[i], dtype=np.float32))
        else:
            published_vectors.append(np.frombuffer(bytes(p.embedding), dtype=np.float32))

    candidates = [
        algo.TextItem(d.key, document_text(d), np.asarray(v, dtype=np.float32))
        for d, v in zip(documents, vectors, strict=True)
    ]
    others = [
        algo.TextItem(d.key, document_text(d), v)
        for d, v in zip(published_documents, published_vectors, strict=True)
    ]
    unique = algo.uniqueness(candidates, others) if candidates else {}
    classifier = None
    evaluation = None
    examples = [
        algo.Example(p.id, v, p.field_id, tuple(sorted(o.id for o in p.objectives.all())))
        for p, v in zip(published, published_vectors, strict=True)
    ]
    if examples:
        classifier = algo.Classifier(examples)
    titles = {f"practice:{p.id}": p.title for p in published}
    titles.update({f"onepager:{o.pk}": f"{o.reference}: {o.title}" for o in items})
    now = timezone.now()
    progress.progress(0.9, _("Writing the scores"))
    with transaction.atomic():
        for one_pager, vector in zip(items, vectors, strict=True):
            done = algo.completeness(content.normalise(one_pager.data), content.TEMPLATE)
            sound = soundness_of(one_pager)
            uniq = unique[f"onepager:{one_pager.pk}"]
            total = algo.overall(done.score, sound, uniq.score)

            def neighbours(found: Iterable[algo.Neighbour]) -> list[dict[str, Any]]:
                return [
                    {"key": n.key, "similarity": n.similarity, "title": titles.get(n.key, n.key)}
                    for n in found
                ]

            scores: dict[str, Any] = {
                "completeness": {
                    "score": round(done.score, 4),
                    "missing": list(done.missing),
                    "facts": done.facts_total,
                    "facts_numeric": done.facts_numeric,
                    "facts_not_numeric": list(done.facts_not_numeric),
                },
                "soundness": _soundness_out(sound),
                "uniqueness": {
                    "score": round(uniq.score, 4),
                    "nearest": neighbours(uniq.nearest),
                    "near_duplicates": neighbours(uniq.near_duplicates),
                },
                "overall": {"score": total.score, "provisional": total.provisional},
            }
            if classifier is not None:
                prediction = classifier.predict(vector)
                scores["suggestion"] = {
                    "field": prediction.field,
                    "confidence": prediction.confidence,
                    "fields": [
                        {"field": s.label, "confidence": s.confidence} for s in prediction.fields
                    ],
                    "objectives": [
                        {"objective": s.label, "confidence": s.confidence}
                        for s in prediction.objectives
                    ],
                }
            OnePager.objects.filter(pk=one_pager.pk).update(
                scores=scores, score=total.score, scored_at=now
            )
        _audit(actor, "campaign.scored", campaign, {"one_pagers": len(items)})
    if classifier is not None and len(examples) > 1:
        evaluation = algo.leave_one_out(classifier)
    return ScoreReport(scored=len(items), classifier=evaluation)


def selection_set(
    *, actor: User | None, campaign: Campaign, selected: Iterable[int]
) -> list[OnePager]:
    """Mark exactly these one-pagers of the campaign as selected for publication."""
    if actor is not None and selectors.campaign_for_curator(actor, campaign.pk) is None:
        raise NotAllowed(_("only the campaign's regional contacts select one-pagers"))
    wanted = set(selected)
    candidates = {o.pk: o for o in campaign.one_pagers.filter(state__in=selectors.SCORED_STATES)}
    unknown = sorted(wanted - set(candidates))
    if unknown:
        raise CurationError(
            _("not a submitted one-pager of this campaign: %(ids)s")
            % {"ids": ", ".join(str(i) for i in unknown)},
            "selected",
        )
    # Soundness rests on at least two reviewers: nothing is selected on one opinion.
    reviews = {
        pk: n
        for pk, n in Review.objects.filter(one_pager__in=wanted)
        .values_list("one_pager")
        .annotate(n=Count("id"))
    }
    thin = [candidates[pk].reference for pk in sorted(wanted) if reviews.get(pk, 0) < MIN_REVIEWERS]
    if thin:
        raise CurationError(
            _("needs ratings from at least %(n)d reviewers first: %(refs)s")
            % {"n": MIN_REVIEWERS, "refs": ", ".join(thin)},
            "selected",
        )
    with transaction.atomic():
        before = sorted(pk for pk, o in candidates.items() if o.selected)
        campaign.one_pagers.filter(pk__in=wanted).update(selected=True)
        campaign.one_pagers.exclude(pk__in=wanted).update(selected=False)
        _audit(actor, "campaign.selected", campaign, {"before": before, "after": sorted(wanted)})
        for pk in sorted(set(wanted) - set(before)):
            _notify_manager(
                candidates[pk],
                _("Selected for the toolbox: %(title)s") % {"title": candidates[pk].title},
                _(
                    "Your one-pager %(ref)s was selected for publication in the toolbox. "
                    "Please check it once more and validate it (log in, Curation, the "
                    "one-pager, 'validated by the cluster manager')."
                )
                % {"ref": candidates[pk].reference},
            )
    return [candidates[pk] for pk in sorted(wanted)]


def _personal_link_line(one_pager: OnePager, base_url: str) -> str:
    if not base_url or one_pager.invitation_id is None:
        return ""
    return "\n\n" + _("Your personal link: %(link)s") % {
        "link": invitation_link(one_pager.invitation, base_url)
    }


def _notify_manager(one_pager: OnePager, subject: str, body: str) -> None:
    """Tell the one-pager's cluster manager(s) about a step that needs them."""
    from tact.accounts.models import Role, RoleAssignment

    recipients = set(
        RoleAssignment.objects.filter(cluster=one_pager.cluster, role=Role.MANAGER).values_list(
            "user__email", flat=True
        )
    )
    if one_pager.invitation_id:
        recipients.add(one_pager.invitation.email)
    if recipients:
        send_mail(subject, body, None, sorted(recipients))


def one_pager_set_field(*, actor: User | None, one_pager: OnePager, field_id: str) -> OnePager:
    """The curator accepts a suggested field (or picks another) without a full edit."""
    from tact.catalogue.models import Field

    roles = roles_of(actor, one_pager)
    if not _allowed(roles, frozenset({"curator"})):
        raise NotAllowed(_("only the campaign's regional contacts choose the field"))
    if not Field.objects.filter(pk=field_id).exists():
        raise CurationError(_("unknown field %(f)r") % {"f": field_id}, "field")
    data = dict(one_pager.data)
    data["field"] = field_id
    with transaction.atomic():
        OnePager.objects.filter(pk=one_pager.pk).update(
            data=data, version=F("version") + 1, updated_at=timezone.now()
        )
        one_pager.refresh_from_db()
        Version.objects.create(
            one_pager=one_pager,
            number=one_pager.version,
            data=data,
            state=one_pager.state,
            author=actor,
            author_label=_label(actor),
            note=_("field set to %(f)s") % {"f": field_id},
        )
        _audit(actor, "onepager.field", one_pager, {"field": field_id})
    return one_pager


# --- import -------------------------------------------------------------------------------------


@dataclass
class ImportItem:
    reference: str
    cluster: ClusterInitiative
    state: str
    data: dict[str, Any]
    existing: OnePager | None = None


def one_pagers_import(
    *, actor: User | None, campaign: Campaign, items: Sequence[ImportItem], source: str
) -> list[OnePager]:
    """Write checked one-pagers of an import in one transaction (see exchange.import_one_pagers)."""
    if actor is not None and selectors.campaign_for_curator(actor, campaign.pk) is None:
        raise NotAllowed(_("only the campaign's regional contacts import one-pagers"))
    written = []
    label = _label(actor)
    author = actor if actor is not None and actor.is_authenticated else None
    now = timezone.now()
    with transaction.atomic():
        for item in items:
            data = content.normalise(item.data)
            if item.existing is not None:
                one_pager = OnePager.objects.select_for_update().get(pk=item.existing.pk)
                one_pager.data = data
                one_pager.version += 1
                one_pager.state = item.state
                one_pager.cluster = item.cluster
            else:
                one_pager = OnePager(
                    campaign=campaign,
                    cluster=item.cluster,
                    reference=item.reference or _next_reference(campaign, item.cluster),
                    data=data,
                    state=item.state,
                )
            if item.state == S.SUBMITTED and one_pager.submitted_at is None:
                one_pager.submitted_at = now
            one_pager.save()
            Version.objects.create(
                one_pager=one_pager,
                number=one_pager.version,
                data=data,
                state=one_pager.state,
                author=author,
                author_label=label,
                note=(_("imported from %(f)s") % {"f": source})[:300],
            )
            written.append(one_pager)
        _audit(
            actor,
            "campaign.imported",
            campaign,
            {"source": source, "one_pagers": [o.reference for o in written]},
        )
    return written
