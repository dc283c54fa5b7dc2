"""Every write about people, tenants, roles, invitations and tokens; each leaves an audit entry.

``actor`` is the person acting. ``None`` means the command line, which is trusted (it has the
database already) and names itself in ``actor_label``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import EmailValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tact.core.services import audit_record

from . import selectors
from .models import (
    ROLE_EXPLANATIONS,
    ApiToken,
    ClusterInitiative,
    Invitation,
    Organisation,
    Region,
    Role,
    RoleAssignment,
    User,
    token_digest,
    token_generate,
)

API_TOKEN_PREFIX = "tact_"


class InvitationError(Exception):
    """An invitation link that cannot be used; the message says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, models.Model):
            value = value.pk
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        out[name] = value
    return out


def _audit(
    *,
    actor: User | None,
    actor_label: str,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    audit_record(
        actor=actor,
        actor_label=actor_label,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        changes={"before": before, "after": after},
    )


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _is_system_or_admin(actor: User | None) -> bool:
    return actor is None or selectors.user_is_admin(actor)


def _normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        EmailValidator()(email)
    except ValidationError:
        raise ValidationError(
            {"email": _("Enter a valid e-mail address, e.g. name@example.org.")}
        ) from None
    return email


# Tenants -----------------------------------------------------------------------------------

REGION_FIELDS = ["code", "country", "name"]
CLUSTER_FIELDS = ["name", "website", "region", "sector", "managing_organisation"]
ORGANISATION_FIELDS = ["cluster", "name", "website"]


def region_create(
    *, actor: User | None, code: str, country: str, name: str, actor_label: str = ""
) -> Region:
    _require(_is_system_or_admin(actor), _("Only administrators create regions."))
    region = Region(code=code.strip().upper(), country=country.strip().upper(), name=name.strip())
    region.full_clean()
    region.save()
    _audit(
        actor=actor,
        actor_label=actor_label,
        action="region.created",
        obj=region,
        before=None,
        after=_snapshot(region, REGION_FIELDS),
    )
    return region


def cluster_create(
    *,
    actor: User | None,
    name: str,
    website: str = "",
    region: Region | None = None,
    sector: str = "",
    managing_organisation: str = "",
    actor_label: str = "",
) -> ClusterInitiative:
    _require(_is_system_or_admin(actor), _("Only administrators create cluster initiatives."))
    cluster = ClusterInitiative(
        name=name.strip(),
        website=website.strip(),
        region=region,
        sector=sector.strip(),
        managing_organisation=managing_organisation.strip(),
    )
    cluster.full_clean()
    cluster.save()
    _audit(
        actor=actor,
        actor_label=actor_label,
        action="cluster.created",
        obj=cluster,
        before=None,
        after=_snapshot(cluster, CLUSTER_FIELDS),
    )
    return cluster


def organisation_get_or_create(
    *, actor: User | None, cluster: ClusterInitiative, name: str, actor_label: str = ""
) -> Organisation:
    _require(
        actor is None or selectors.user_manages_cluster(actor, cluster),
        _("Only the managers of this cluster add organisations to it."),
    )
    name = name.strip()
    if not name:
        raise ValidationError({"organisation": _("Give the organisation's name.")})
    existing = Organisation.objects.filter(cluster=cluster, name__iexact=name).first()
    if existing:
        return existing
    organisation = Organisation(cluster=cluster, name=name)
    organisation.full_clean()
    organisation.save()
    _audit(
        actor=actor,
        actor_label=actor_label,
        action="organisation.created",
        obj=organisation,
        before=None,
        after=_snapshot(organisation, ORGANISATION_FIELDS),
    )
    return organisation


# Roles -------------------------------------------------------------------------------------

ROLE_FIELDS = ["user", "role", "cluster", "organisation", "region"]


def _check_scope(role: str, cluster: ClusterInitiative | None, region: Region | None) -> None:
    if role not in Role.values:
        raise ValidationError(
            {
                "role": _("Unknown role %(role)s; choose one of %(roles)s.")
                % {"role": role, "roles": ", ".join(Role.values)}
            }
        )
    if role in (Role.MEMBER, Role.MANAGER) and (cluster is None or region is not None):
        raise ValidationError(
            {"cluster": _("A member or manager role needs a cluster initiative.")}
        )
    if role == Role.CURATOR and (region is None or cluster is not None):
        raise ValidationError({"region": _("A regional contact role needs a region.")})
    if role == Role.ADMIN and (cluster is not None or region is not None):
        raise ValidationError({"role": _("The administrator role has no cluster or region.")})


def _may_assign(actor: User | None, role: str, cluster: ClusterInitiative | None) -> bool:
    """Administrators assign every role; cluster managers assign the member role in their cluster."""
    if _is_system_or_admin(actor):
        return True
    return (
        role == Role.MEMBER
        and cluster is not None
        and selectors.user_manages_cluster(actor, cluster)
    )


def role_grant(
    *,
    actor: User | None,
    user: User,
    role: str,
    cluster: ClusterInitiative | None = None,
    region: Region | None = None,
    organisation: Organisation | None = None,
    actor_label: str = "",
) -> RoleAssignment:
    _check_scope(role, cluster, region)
    _require(_may_assign(actor, role, cluster), _("You may not assign this role."))
    if organisation is not None and organisation.cluster_id != getattr(cluster, "pk", None):
        raise ValidationError({"organisation": _("The organisation belongs to another cluster.")})
    with transaction.atomic():
        assignment, created = RoleAssignment.objects.get_or_create(
            user=user,
            role=role,
            cluster=cluster,
            region=region,
            defaults={"organisation": organisation, "granted_by": actor},
        )
        before = None if created else _snapshot(assignment, ROLE_FIELDS)
        if (
            not created
            and organisation is not None
            and assignment.organisation_id != organisation.pk
        ):
            assignment.organisation = organisation
            assignment.save(update_fields=["organisation"])
        if role == Role.ADMIN and not (user.is_staff and user.is_superuser):
            User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
            user.is_staff = user.is_superuser = True
        after = _snapshot(assignment, ROLE_FIELDS)
        if created or before != after:
            _audit(
                actor=actor,
                actor_label=actor_label,
                action="role.granted",
                obj=assignment,
                before=before,
                after=after,
            )
    return assignment


def role_revoke(*, actor: User | None, assignment: RoleAssignment, actor_label: str = "") -> None:
    _require(
        _may_assign(actor, assignment.role, assignment.cluster),
        _("You may not revoke this role."),
    )
    user = assignment.user
    with transaction.atomic():
        if assignment.role == Role.ADMIN:
            others = User.objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk)
            if not others.exists():
                raise ValidationError(
                    {
                        "role": _(
                            "This is the last administrator; grant the role to someone else first."
                        )
                    }
                )
            User.objects.filter(pk=user.pk).update(is_staff=False, is_superuser=False)
        before = _snapshot(assignment, ROLE_FIELDS)
        _audit(
            actor=actor,
            actor_label=actor_label,
            action="role.revoked",
            obj=assignment,
            before=before,
            after=None,
        )
        assignment.delete()


# Invitations -------------------------------------------------------------------------------

INVITATION_FIELDS = ["email", "role", "cluster", "organisation", "region", "expires_at", "used_at"]


def invitation_link(base_url: str, token: str) -> str:
    from django.urls import reverse

    return base_url.rstrip("/") + reverse("accounts:invitation", kwargs={"token": token})


def invitation_create(
    *,
    actor: User | None,
    email: str,
    role: str,
    cluster: ClusterInitiative | None = None,
    region: Region | None = None,
    organisation_name: str = "",
    base_url: str,
    actor_label: str = "",
) -> tuple[Invitation, str]:
    """Create an invitation and e-mail its link. Returns the invitation and the link.

    Cluster managers invite members to their cluster; administrators invite anyone.
    """
    email = _normalise_email(email)
    _check_scope(role, cluster, region)
    _require(
        _may_assign(actor, role, cluster),
        _(
            "Cluster managers invite members of their own cluster; administrators invite managers, "
            "regional contacts and administrators."
        ),
    )
    with transaction.atomic():
        organisation = None
        if role == Role.MEMBER and organisation_name.strip():
            assert cluster is not None
            organisation = organisation_get_or_create(
                actor=actor, cluster=cluster, name=organisation_name, actor_label=actor_label
            )
        token = token_generate()
        invitation = Invitation.objects.create(
            email=email,
            role=role,
            cluster=cluster,
            region=region,
            organisation=organisation,
            token_hash=token_digest(token),
            invited_by=actor,
            expires_at=timezone.now() + timedelta(days=settings.TACT_INVITATION_DAYS),
        )
        _audit(
            actor=actor,
            actor_label=actor_label,
            action="invitation.created",
            obj=invitation,
            before=None,
            after=_snapshot(invitation, INVITATION_FIELDS),
        )
    link = invitation_link(base_url, token)
    _invitation_send(invitation, link)
    return invitation, link


def _invitation_send(invitation: Invitation, link: str) -> None:
    inviter = invitation.invited_by.get_full_name() if invitation.invited_by else "TACT"
    subject = _("You are invited to TACT")
    body = _(
        "%(inviter)s invites you to TACT, the Transformative Activity Cluster Toolbox, as "
        "%(role)s (%(scope)s).\n\n%(meaning)s\n\nOpen this link to choose your password; it "
        "works once, until %(expires)s:\n\n%(link)s\n\nIf you did not expect this e-mail, "
        "ignore it."
    ) % {
        "inviter": inviter,
        "role": invitation.get_role_display(),
        "scope": invitation.scope_label,
        "meaning": ROLE_EXPLANATIONS[Role(invitation.role)],
        "expires": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d %H:%M"),
        "link": link,
    }
    send_mail(subject, body, None, [invitation.email])


def invitation_check(invitation: Invitation | None) -> Invitation:
    """The invitation if it can still be used, else an InvitationError saying why."""
    if invitation is None:
        raise InvitationError(
            _(
                "This invitation link is not valid. Check that you opened the whole link from the "
                "e-mail, or ask the person who invited you for a new invitation."
            )
        )
    if invitation.used_at is not None:
        raise InvitationError(
            _(
                "This invitation has already been used. Log in with your e-mail address and "
                "password, or reset your password if you have forgotten it."
            )
        )
    if invitation.is_expired:
        raise InvitationError(
            _(
                "This invitation expired on %(date)s. Ask the person who invited you to send a new "
                "one."
            )
            % {"date": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d")}
        )
    return invitation


def invitation_accept(*, token: str, name: str, password: str) -> tuple[User, bool]:
    """Use an invitation: create the account (or add the role to an existing one).

    Returns the user and whether the account was created. An existing account keeps its
    password; the new role is added to it.
    """
    with transaction.atomic():
        found = selectors.invitation_by_token(token)
        if found is not None:
            found = Invitation.objects.select_for_update().get(pk=found.pk)
        invitation = invitation_check(found)
        user = User.objects.filter(email__iexact=invitation.email).first()
        created = user is None
        if user is None:
            name = name.strip()
            if not name:
                raise ValidationError({"name": _("Tell us your name.")})
            user = User(email=invitation.email, name=name[:200])
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise ValidationError({"password": exc.messages}) from None
            user.set_password(password)
            user.save()
            _audit(
                actor=user,
                actor_label="",
                action="user.created",
                obj=user,
                before=None,
                after={"email": user.email, "name": user.name, "invitation": invitation.pk},
            )
        before = _snapshot(invitation, INVITATION_FIELDS)
        invitation.used_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["used_at", "accepted_by"])
        _audit(
            actor=user,
            actor_label="",
            action="invitation.accepted",
            obj=invitation,
            before=before,
            after=_snapshot(invitation, INVITATION_FIELDS),
        )
        # The invitation carries the inviter's authority; the role is granted on their behalf.
        role_grant(
            actor=None,
            user=user,
            role=invitation.role,
            cluster=invitation.cluster,
            region=invitation.region,
            organisation=invitation.organisation,
            actor_label=f"invitation {invitation.pk} by {invitation.invited_by or 'command line'}",
        )
    return user, created


# API tokens --------------------------------------------------------------------------------

TOKEN_FIELDS = ["user", "name", "prefix", "revoked_at"]


def token_create(
    *, actor: User | None, user: User, name: str, actor_label: str = ""
) -> tuple[ApiToken, str]:
    """Create an API token for ``user``; returns it with the key, which is shown only now."""
    _require(
        actor is None or actor.pk == user.pk,
        _("You can only create tokens for your own account."),
    )
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the script that uses it.")})
    if len(name) > 100:
        raise ValidationError({"name": _("Keep the name under 100 characters.")})
    key = token_generate(API_TOKEN_PREFIX)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[: len(API_TOKEN_PREFIX) + 6], key_hash=token_digest(key)
    )
    _audit(
        actor=actor,
        actor_label=actor_label,
        action="token.created",
        obj=token,
        before=None,
        after=_snapshot(token, TOKEN_FIELDS),
    )
    return token, key


def token_revoke(*, actor: User | None, token: ApiToken, actor_label: str = "") -> ApiToken:
    _require(
        actor is None or actor.pk == token.user_id or selectors.user_is_admin(actor),
        _("You can only revoke your own tokens."),
    )
    if token.revoked_at is not None:
        return token
    before = _snapshot(token, TOKEN_FIELDS)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    _audit(
        actor=actor,
        actor_label=actor_label,
        action="token.revoked",
        obj=token,
        before=before,
        after=_snapshot(token, TOKEN_FIELDS),
    )
    return token


def token_touch(*, token: ApiToken) -> None:
    """Note when a token was last used. Bookkeeping, not a change of data: not audited, and
    written at most once a minute per token."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
