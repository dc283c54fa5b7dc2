"""Forms of the account pages. They validate input; the writes happen in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import ClusterInitiative, Region, Role, User
from .throttle import client_ip, login_failure_record, login_failures_clear, login_throttled

THROTTLED_MESSAGE = _(
    "Too many failed logins for this e-mail address from your network. Wait %(minutes)d minutes "
    "and try again, or reset your password."
)


class ThrottleMixin:
    """Refuse logins after repeated failures; count every failure."""

    request: Any
    cleaned_data: dict[str, Any]
    data: Any

    def clean(self) -> dict[str, Any]:
        # The field's own validation has run: a missing or malformed address (a NUL byte, say)
        # is reported by it, and never reaches the database here.
        email = self.cleaned_data.get("username") or ""
        if not email:
            return super().clean()  # type: ignore[misc, no-any-return]
        ip = client_ip(self.request)
        if login_throttled(email=email, ip=ip):
            minutes = max(1, round(settings.TACT_LOGIN_FAILURE_WINDOW / 60))
            raise forms.ValidationError(
                THROTTLED_MESSAGE, code="throttled", params={"minutes": minutes}
            )
        try:
            cleaned = super().clean()  # type: ignore[misc]
        except forms.ValidationError as exc:
            if getattr(exc, "code", None) == "invalid_login":
                login_failure_record(email=email, ip=ip)
            raise
        login_failures_clear(email=email, ip=ip)
        return cleaned


class LoginForm(ThrottleMixin, AuthenticationForm):
    pass


class AdminLoginForm(ThrottleMixin, AdminAuthenticationForm):
    pass


class ResetForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class InvitationAcceptForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. 'nightly export'."),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"))
    cluster = forms.ModelChoiceField(
        label=_("Cluster initiative"), queryset=ClusterInitiative.objects.none(), required=False
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), required=False
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("For members: the organisation they belong to (created if new)."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        is_admin = selectors.user_is_admin(user)
        roles = Role.choices if is_admin else [(Role.MEMBER.value, Role.MEMBER.label)]
        self.fields["role"].choices = roles
        clusters = selectors.clusters_managed_by(user)
        self.fields["cluster"].queryset = clusters
        if not is_admin and clusters.count() == 1:
            self.fields["cluster"].empty_label = None  # type: ignore[attr-defined]
        if is_admin:
            self.fields["region"].queryset = Region.objects.all()
        else:
            del self.fields["region"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        role = cleaned.get("role")
        if role in (Role.MEMBER, Role.MANAGER) and not cleaned.get("cluster"):
            self.add_error("cluster", _("Choose the cluster initiative."))
        if role == Role.CURATOR and not cleaned.get("region"):
            self.add_error("region", _("Choose the region."))
        # Scope fields that do not apply to the role are ignored rather than refused.
        if role != Role.CURATOR:
            cleaned["region"] = None
        if role not in (Role.MEMBER, Role.MANAGER):
            cleaned["cluster"] = None
        if role != Role.MEMBER:
            cleaned["organisation"] = ""
        return cleaned
