"""Account pages: login, invitations, my account, tokens, inviting members, the audit trail.

Thin: parse the form, call a service or selector, render. Permission rules live in the
selectors and services; views turn their refusals into messages or 403/404.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from tact.core.tools import all_tools

from . import selectors, services
from .forms import InvitationAcceptForm, InviteForm, LoginForm, ResetForm, TokenCreateForm
from .models import ROLE_EXPLANATIONS, Role


def _add_errors(form: object, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None  # type: ignore[attr-defined]
            for error in errors:
                form.add_error(target, error)  # type: ignore[attr-defined]
    else:
        for error in exc.messages:
            form.add_error(None, error)  # type: ignore[attr-defined]


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    extra_context = {"title": gettext_lazy("Log in")}


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("catalogue:home")


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    form_class = ResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        messages.success(self.request, _("Your password was changed."))
        return super().form_valid(form)


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_by_token(token)
    try:
        services.invitation_check(invitation)
    except services.InvitationError as exc:
        return render(
            request,
            "accounts/invitation_invalid.html",
            {"error": exc.message},
            status=410 if invitation else 404,
        )
    assert invitation is not None
    # Whoever holds the link may learn whether its own address has an account: the link was
    # sent to that address, so this tells nothing about other addresses.
    has_account = selectors.invitation_has_account(invitation)
    form = InvitationAcceptForm(request.POST if request.method == "POST" else None)
    if has_account:
        form.fields["name"].required = False
        form.fields["password1"].required = False
        form.fields["password2"].required = False
    if request.method == "POST" and form.is_valid():
        try:
            user, created = services.invitation_accept(
                token=token,
                name=form.cleaned_data.get("name", ""),
                password=form.cleaned_data.get("password1", ""),
            )
        except services.InvitationError as exc:
            return render(
                request, "accounts/invitation_invalid.html", {"error": exc.message}, status=410
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if created:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Welcome to TACT. Your account is ready."))
                return redirect("accounts:account")
            messages.success(
                request, _("The new role was added to your account. Log in with your password.")
            )
            return redirect("accounts:login")
    return render(
        request,
        "accounts/invitation_accept.html",
        {
            "invitation": invitation,
            "form": form,
            "has_account": has_account,
            "explanation": ROLE_EXPLANATIONS[Role(invitation.role)],
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
def account(request: HttpRequest) -> HttpResponse:
    roles = selectors.roles_for(request.user)
    return render(
        request,
        "accounts/account.html",
        {
            "roles": roles,
            "visitor_explanation": ROLE_EXPLANATIONS["visitor"],
            "managed_clusters": selectors.clusters_managed_by(request.user),
            "is_admin": selectors.user_is_admin(request.user),
            "can_invite": selectors.user_is_admin(request.user)
            or selectors.clusters_managed_by(request.user).exists(),
            "tools": all_tools(),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST if request.method == "POST" else None)
    new_key = ""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _token, new_key = services.token_create(
                    actor=request.user, user=request.user, name=form.cleaned_data["name"]
                )
            except ValidationError as exc:
                _add_errors(form, exc)
                status = 422
            else:
                form = TokenCreateForm()
        else:
            status = 422
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": selectors.tokens_for(request.user), "new_key": new_key},
        status=status,
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = selectors.tokens_for(request.user).filter(pk=token_id).first()
    if token is None:
        raise Http404(_("You have no token with this number."))
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("accounts:tokens")


def _require_inviter(request: HttpRequest) -> None:
    if not (
        selectors.user_is_admin(request.user)
        or selectors.clusters_managed_by(request.user).exists()
    ):
        raise PermissionDenied(_("Only cluster managers and administrators invite people."))


def _base_url(request: HttpRequest) -> str:
    return settings.TACT_BASE_URL or request.build_absolute_uri("/")


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest) -> HttpResponse:
    _require_inviter(request)
    initial = {"role": Role.MEMBER}
    if request.GET.get("cluster", "").isdigit():
        initial["cluster"] = request.GET["cluster"]
    form = InviteForm(
        request.POST if request.method == "POST" else None, user=request.user, initial=initial
    )  # type: ignore[arg-type]
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                invitation, _link = services.invitation_create(
                    actor=request.user,  # type: ignore[arg-type]
                    email=data["email"],
                    role=data["role"],
                    cluster=data.get("cluster"),
                    region=data.get("region"),
                    organisation_name=data.get("organisation", ""),
                    base_url=_base_url(request),
                )
            except ValidationError as exc:
                _add_errors(form, exc)
                status = 422
            else:
                messages.success(
                    request,
                    _("An invitation was sent to %(email)s; the link works for %(days)d days.")
                    % {"email": invitation.email, "days": settings.TACT_INVITATION_DAYS},
                )
                return redirect("accounts:invite")
        else:
            status = 422
    return render(
        request,
        "accounts/invite.html",
        {"form": form, "invitations": selectors.invitations_visible_to(request.user)[:50]},
        status=status,
    )


@login_required
def cluster_detail(request: HttpRequest, cluster_id: int) -> HttpResponse:
    cluster = selectors.cluster_get(request.user, cluster_id)
    if cluster is None:
        # The same answer whether the cluster does not exist or belongs to someone else.
        raise Http404(_("There is no cluster initiative with this number that you manage."))
    return render(
        request,
        "accounts/cluster.html",
        {
            "cluster": cluster,
            "is_admin": selectors.user_is_admin(request.user),
            "members": selectors.cluster_members(request.user, cluster),
            "invitations": selectors.invitations_visible_to(request.user).filter(cluster=cluster),
        },
    )


@login_required
@require_POST
def cluster_role_revoke(request: HttpRequest, cluster_id: int, role_id: int) -> HttpResponse:
    cluster = selectors.cluster_get(request.user, cluster_id)
    assignment = (
        selectors.cluster_members(request.user, cluster).filter(pk=role_id).first()
        if cluster
        else None
    )
    if cluster is None or assignment is None:
        raise Http404(_("There is no such role in a cluster initiative you manage."))
    try:
        services.role_revoke(actor=request.user, assignment=assignment)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(email)s is no longer %(role)s of %(cluster)s.")
            % {
                "email": assignment.user.email,
                "role": assignment.get_role_display(),
                "cluster": cluster.name,
            },
        )
    return redirect("accounts:cluster", cluster_id=cluster.pk)


@login_required
def audit_trail(request: HttpRequest) -> HttpResponse:
    entries = selectors.audit_entries_for(request.user)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/audit.html",
        {"page": page, "is_admin": selectors.user_is_admin(request.user)},
    )
