"""People who log in. The e-mail address is the login; there is no separate user name."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def token_digest(raw: str) -> str:
    """How invitation links and API keys are stored: random keys need no slow hash."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def token_generate(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("an e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> User:
        # Addresses are stored in lower case; people type them as they like.
        return self.get(email__iexact=(username or "").strip())

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        # One spelling per address, whichever form created the account.
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name or self.email


class Role(models.TextChoices):
    MEMBER = "member", _("member")
    MANAGER = "manager", _("cluster manager")
    CURATOR = "curator", _("regional contact (curator)")
    ADMIN = "admin", _("administrator")


# What each role may see, in plain words; shown on the account page and in the invitation.
ROLE_EXPLANATIONS = {
    "visitor": _("Without logging in you can read the published toolbox."),
    Role.MEMBER: _(
        "You see your own organisation's data, your own assessment answers and reports, and the "
        "events and programmes you take part in."
    ),
    Role.MANAGER: _(
        "You see your cluster's members, profiles, programmes, events and aggregate benchmark "
        "figures, and you invite members. You never see another cluster's data or an individual "
        "company's assessment answers."
    ),
    Role.CURATOR: _(
        "You run survey campaigns, reviews and validation of good practices for your region."
    ),
    Role.ADMIN: _("You see everything and assign roles to people."),
}


class Region(models.Model):
    """A NUTS region: the scope of a regional contact."""

    code = models.CharField(
        _("NUTS code"), max_length=10, unique=True, help_text=_("For example AT33 or ITC4.")
    )
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO code, e.g. AT."))
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class ClusterInitiative(models.Model):
    """A tenant: the cluster initiative that owns its members' data."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    website = models.URLField(_("website"), blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clusters",
    )
    sector = models.CharField(_("sector"), max_length=200, blank=True)
    managing_organisation = models.CharField(_("managing organisation"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cluster initiative")
        verbose_name_plural = _("cluster initiatives")

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A member organisation (company, university, agency) of a cluster."""

    cluster = models.ForeignKey(
        ClusterInitiative,
        verbose_name=_("cluster initiative"),
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    name = models.CharField(_("name"), max_length=200)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "name"], name="organisation_unique_in_cluster"
            )
        ]

    def __str__(self) -> str:
        return self.name


class RoleAssignment(models.Model):
    """One role of one person in one scope: a cluster (member, manager) or a region (curator).

    Administrators hold the role without a scope.
    """

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    cluster = models.ForeignKey(
        ClusterInitiative,
        verbose_name=_("cluster initiative"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="roles",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="roles",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="roles",
    )
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)
    granted_by = models.ForeignKey(
        User,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["role", "id"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "cluster"],
                condition=models.Q(cluster__isnull=False),
                name="role_unique_per_cluster",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=models.Q(region__isnull=False),
                name="role_unique_per_region",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(cluster__isnull=True, region__isnull=True),
                name="role_unique_unscoped",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.scope_label}"

    @property
    def scope_label(self) -> str:
        if self.cluster_id:
            return str(self.cluster)
        if self.region_id:
            return str(self.region)
        return str(_("everything"))

    @property
    def explanation(self) -> str:
        return str(ROLE_EXPLANATIONS[Role(self.role)])


class Invitation(models.Model):
    """A one-time link that turns an e-mail address into an account with a role."""

    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    cluster = models.ForeignKey(
        ClusterInitiative,
        verbose_name=_("cluster initiative"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    # Only a hash is stored: a database dump does not give away working links.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    invited_by = models.ForeignKey(
        User,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_by = models.ForeignKey(
        User,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} · {self.get_role_display()}"

    @property
    def scope_label(self) -> str:
        if self.cluster_id:
            return str(self.cluster)
        if self.region_id:
            return str(self.region)
        return str(_("everything"))

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def status(self) -> str:
        if self.used_at:
            return str(_("accepted"))
        if self.is_expired:
            return str(_("expired"))
        return str(_("open"))


class ApiToken(models.Model):
    """A key for scripts. Only its hash is stored; the key itself is shown once."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    # The first characters of the key, to recognise it in lists.
    prefix = models.CharField(_("prefix"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class LoginFailure(models.Model):
    """One failed login, kept for throttling (see tact.accounts.throttle)."""

    email = models.CharField(max_length=254)
    ip = models.CharField(max_length=45)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["email", "ip", "at"])]
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.email} from {self.ip}"
