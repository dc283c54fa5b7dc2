"""Odd input on every account form and endpoint: a clear answer, never a 500, nothing changed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tact.accounts.models import ApiToken, Invitation, User

from .conftest import PASSWORD

NASTY = ["\x00", "a\x00b", "x" * 5000, "<script>alert(1)</script>", "' OR 1=1 --", "😀" * 50]


@pytest.mark.parametrize("value", NASTY)
def test_account_forms_reject_nasty_values_without_errors(client, world, value):
    tokens_before = ApiToken.objects.count()
    invitations_before = Invitation.objects.count()
    client.force_login(world.user("manager"))
    assert client.post(reverse("accounts:tokens"), {"name": value}).status_code in (200, 422)
    response = client.post(
        reverse("accounts:invite"),
        {"email": value, "role": value, "cluster": value, "organisation": value},
    )
    assert response.status_code == 422
    assert client.get(reverse("accounts:invite"), {"cluster": value}).status_code == 200
    assert client.get(reverse("accounts:audit"), {"page": value}).status_code == 200
    assert client.post(reverse("accounts:password_reset"), {"email": value}).status_code in (
        200,
        302,
    )
    client.logout()
    link = reverse("accounts:invitation", args=[world.invitation_token])
    response = client.post(link, {"name": value, "password1": value, "password2": value})
    # Odd but valid names and passwords (markup, quotes, emoji) are simply accepted.
    assert response.status_code in (302, 422)
    client.logout()
    assert client.get("/api/me", headers={"Authorization": f"Bearer {value}"}).status_code == 401
    assert Invitation.objects.count() == invitations_before
    assert ApiToken.objects.count() <= tokens_before + 1
    if response.status_code == 302:
        assert User.objects.get(email="newcomer@example.org").name == value.strip()


@pytest.mark.parametrize("token", ["%00", "a%00b", "..", "x" * 300, "%F0%9F%98%80"])
def test_invitation_links_with_nasty_tokens(client, db, token):
    response = client.get(f"/accounts/invitation/{token}/")
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_unknown_numbers_give_404(client, world):
    client.force_login(world.user("admin"))
    assert client.get("/accounts/clusters/999999/").status_code == 404
    assert client.post("/accounts/tokens/999999/revoke/").status_code == 404
    assert client.get("/accounts/clusters/99999999999999999999999/").status_code == 404


def test_login_with_a_password_keeps_working_after_bad_input(client, world):
    user = world.user("member")
    user.set_password(PASSWORD)
    user.save()
    client.post(reverse("accounts:login"), {"username": "\x00", "password": "\x00"})
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
