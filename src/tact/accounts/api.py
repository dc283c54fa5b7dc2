"""API authentication by token (``Authorization: Bearer tact_…``) and ``GET /api/me``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import HttpBearer, SessionAuth

from . import selectors, services


class TokenAuth(HttpBearer):
    """A revoked token, an unknown one and one whose user was deleted or deactivated all
    get the same 401."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = selectors.token_user(token)
        if found is None:
            return None
        api_token, user = found
        services.token_touch(token=api_token)
        request.user = user
        return user


token_auth = TokenAuth()
# Logged-in browsers may call the API too (GET only here, so CSRF does not arise).
session_auth = SessionAuth()
AUTH = [token_auth, session_auth]

router = Router(tags=["accounts"])


class RoleOut(Schema):
    role: str
    label: str
    explanation: str
    cluster: str | None = None
    cluster_id: int | None = None
    region: str | None = None
    organisation: str | None = None


class MeOut(Schema):
    email: str
    name: str
    is_admin: bool
    roles: list[RoleOut]


class ErrorOut(Schema):
    detail: str


@router.get("/me", response={200: MeOut, 401: ErrorOut}, auth=AUTH, summary="Who am I")
def me(request: HttpRequest) -> dict[str, Any]:
    """The account the token (or session) belongs to, with its roles."""
    user = request.auth  # type: ignore[attr-defined]
    return {
        "email": user.email,
        "name": user.name,
        "is_admin": selectors.user_is_admin(user),
        "roles": [
            {
                "role": r.role,
                "label": str(r.get_role_display()),
                "explanation": r.explanation,
                "cluster": r.cluster.name if r.cluster else None,
                "cluster_id": r.cluster_id,
                "region": r.region.code if r.region else None,
                "organisation": r.organisation.name if r.organisation else None,
            }
            for r in selectors.roles_for(user)
        ],
    }
