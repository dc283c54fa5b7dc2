"""Login, logout, throttling, password reset; no answer reveals which e-mail addresses exist."""

from __future__ import annotations

import re

from django.core import mail
from django.test import override_settings
from django.urls import reverse

from .conftest import PASSWORD, make_user

LOGIN = "/accounts/login/"


def _login(client, email, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


def _errors(response) -> str:
    return " ".join(str(e) for e in response.context["form"].non_field_errors())


def test_login_and_logout(client, db):
    make_user("ada@example.org", password=PASSWORD)
    response = _login(client, "Ada@Example.org", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:account")
    page = client.get(reverse("accounts:account")).content.decode()
    assert "ada@example.org" in page and "Log out" in page
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("accounts:account"))["Location"].startswith(LOGIN)


def test_wrong_password_and_unknown_address_get_the_same_answer(client, db):
    make_user("ada@example.org", password=PASSWORD)
    wrong = _login(client, "ada@example.org", "not-it")
    unknown = _login(client, "nobody@example.org", "not-it")
    assert wrong.status_code == unknown.status_code == 200
    assert _errors(wrong) == _errors(unknown)
    assert "correct e-mail address and password" in _errors(wrong)


def test_inactive_account_gets_the_same_answer_as_a_wrong_password(client, db):
    make_user("ada@example.org", password=PASSWORD, is_active=False)
    make_user("bob@example.org", password=PASSWORD)
    assert _errors(_login(client, "ada@example.org", PASSWORD)) == _errors(
        _login(client, "bob@example.org", "x")
    )


def test_five_failures_throttle_that_address_from_that_ip(client, db):
    make_user("ada@example.org", password=PASSWORD)
    for _ in range(5):
        _login(client, "ada@example.org", "guess")
    refused = _login(client, "ada@example.org", PASSWORD)
    assert refused.status_code == 200
    assert "Too many failed logins" in _errors(refused)
    assert "_auth_user_id" not in client.session
    # Another address from the same IP and the same address from another IP still work.
    make_user("bob@example.org", password=PASSWORD)
    assert _login(client, "bob@example.org", PASSWORD).status_code == 302
    client.logout()
    assert _login(client, "ada@example.org", PASSWORD, ip="10.0.0.2").status_code == 302


def test_throttling_looks_the_same_for_unknown_addresses(client, db):
    make_user("ada@example.org", password=PASSWORD)
    for email in ("ada@example.org", "nobody@example.org"):
        for _ in range(5):
            _login(client, email, "guess")
    assert _errors(_login(client, "ada@example.org", "guess")) == _errors(
        _login(client, "nobody@example.org", "guess")
    )


@override_settings(TACT_LOGIN_FAILURE_WINDOW=0)
def test_failures_older_than_the_window_do_not_count(client, db):
    make_user("ada@example.org", password=PASSWORD)
    for _ in range(6):
        _login(client, "ada@example.org", "guess")
    assert _login(client, "ada@example.org", PASSWORD).status_code == 302


def test_a_successful_login_clears_earlier_failures(client, db):
    make_user("ada@example.org", password=PASSWORD)
    for _ in range(4):
        _login(client, "ada@example.org", "guess")
    assert _login(client, "ada@example.org", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        _login(client, "ada@example.org", "guess")
    assert _login(client, "ada@example.org", PASSWORD).status_code == 302


def test_the_admin_login_is_throttled_too(client, db):
    make_user("root@example.org", password=PASSWORD, is_staff=True, is_superuser=True)
    for _ in range(5):
        client.post(
            "/admin/login/",
            {"username": "root@example.org", "password": "guess"},
            REMOTE_ADDR="10.0.0.9",
        )
    response = client.post(
        "/admin/login/",
        {"username": "root@example.org", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.9",
    )
    assert response.status_code == 200
    assert "Too many failed logins" in response.content.decode()


def test_password_reset_by_email(client, db):
    make_user("ada@example.org", password="Old-Password-123")
    response = client.post(reverse("accounts:password_reset"), {"email": "ada@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ada@example.org"]
    path = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(path, follow=True)
    assert form.status_code == 200 and form.context["validlink"]
    set_path = form.redirect_chain[-1][0]
    done = client.post(set_path, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse(
        "accounts:password_reset_complete"
    )
    assert _login(client, "ada@example.org", PASSWORD).status_code == 302
    # The link works once.
    client.logout()
    again = client.get(path, follow=True)
    assert not again.context["validlink"]
    assert "invalid, has expired or has already been used" in again.content.decode()


def test_password_reset_does_not_reveal_unknown_addresses(client, db):
    make_user("ada@example.org", password=PASSWORD)
    known = client.post(
        reverse("accounts:password_reset"), {"email": "ada@example.org"}, follow=True
    )
    unknown = client.post(
        reverse("accounts:password_reset"), {"email": "nobody@example.org"}, follow=True
    )
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    assert known.content == unknown.content
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]


def test_bad_input_on_the_login_page_is_no_error(client, db):
    for data in (
        {},
        {"username": "x" * 5000, "password": "y"},
        {"username": "\x00", "password": "\x00"},
        {"username": "ada\x00@example.org", "password": "pw"},
        {"username": ["a@example.org", "b@example.org"], "password": "pw"},
    ):
        assert client.post(LOGIN, data).status_code == 200
    assert client.get(LOGIN + "?next=http://evil.example/").status_code == 200


def test_sessions_expire(settings, client, db):
    make_user("ada@example.org", password=PASSWORD)
    _login(client, "ada@example.org", PASSWORD)
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE <= 24 * 60 * 60


def test_account_page_lists_the_services_for_people_with_a_role(client, world):
    client.force_login(world.user("member"))
    page = client.get(reverse("accounts:account")).content.decode()
    assert "Services you can use" in page
    for link in ('href="/mentoring/"', 'href="/events/"', 'href="/community/"', 'href="/jobs/"'):
        assert link in page
    client.force_login(make_user("nobody@example.org"))
    assert "Services you can use" not in client.get(reverse("accounts:account")).content.decode()
