"""API tokens: created and shown once, listed, revoked; the API refuses what no longer holds."""

from __future__ import annotations

from django.urls import reverse

from tact.accounts.models import ApiToken, User
from tact.core.models import AuditEntry


def _me(client, key):
    return client.get("/api/me", headers={"Authorization": f"Bearer {key}"})


def test_token_page_shows_a_new_key_once(client, world):
    member = world.user("member")
    client.force_login(member)
    response = client.post(reverse("accounts:tokens"), {"name": "nightly export"})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key.startswith("tact_") and key in response.content.decode()
    listing = client.get(reverse("accounts:tokens")).content.decode()
    assert "nightly export" in listing and key not in listing
    assert key[:11] in listing  # the prefix, to recognise it
    token = ApiToken.objects.get(user=member, name="nightly export")
    assert key not in token.key_hash
    assert _me(client.__class__(), key).json()["email"] == "member@example.org"


def test_token_form_errors_are_shown(client, world):
    client.force_login(world.user("member"))
    response = client.post(reverse("accounts:tokens"), {"name": ""})
    assert response.status_code == 422
    assert response.context["form"].errors["name"]


def test_me_reports_roles_with_their_meaning(client, world):
    _token, key = world.tokens["member"]
    data = _me(client, key).json()
    assert data["email"] == "member@example.org" and data["is_admin"] is False
    [role] = data["roles"]
    assert role["role"] == "member" and role["cluster"] == "Mechatronics Cluster"
    assert role["organisation"] == "Alpha GmbH" and "own organisation" in role["explanation"]
    token = ApiToken.objects.get(pk=_token.pk)
    assert token.last_used_at is not None
    assert _me(client, world.tokens["admin"][1]).json()["is_admin"] is True


def test_revoked_token_is_refused(client, world):
    token, key = world.tokens["member"]
    client.force_login(world.user("member"))
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    client.logout()
    refused = _me(client, key)
    assert refused.status_code == 401
    assert "Bearer" in refused.json()["detail"]
    assert AuditEntry.objects.filter(action="token.revoked", object_id=str(token.pk)).exists()


def test_tokens_of_deleted_or_deactivated_users_are_refused(client, world):
    _t, member_key = world.tokens["member"]
    _t, curator_key = world.tokens["curator"]
    User.objects.filter(email="member@example.org").delete()
    User.objects.filter(email="curator@example.org").update(is_active=False)
    for key in (member_key, curator_key):
        response = _me(client, key)
        assert response.status_code == 401
        assert response.json() == _me(client, "tact_unknown").json()


def test_bad_authorization_headers_get_401(client, world):
    assert client.get("/api/me").status_code == 401
    for header in ("Bearer", "Bearer ", "Basic abc", "Bearer " + "x" * 5000, "Token abc"):
        assert client.get("/api/me", headers={"Authorization": header}).status_code == 401


def test_logged_in_browser_can_call_me(client, world):
    client.force_login(world.user("manager"))
    assert client.get("/api/me").json()["roles"][0]["role"] == "manager"


def test_one_cannot_revoke_someone_elses_token(client, world):
    token, key = world.tokens["member"]
    client.force_login(world.user("manager"))
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    assert _me(client.__class__(), key).status_code == 200


def test_revoke_needs_post(client, world):
    token, _key = world.tokens["member"]
    client.force_login(world.user("member"))
    assert client.get(reverse("accounts:token_revoke", args=[token.pk])).status_code == 405
