"""In headless Chromium: a manager invites a member, the member signs up, logs out, forgets the
password and resets it by e-mail."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from tact.accounts.models import ClusterInitiative, Role, RoleAssignment, User

from .conftest import PASSWORD

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Another-Alpine-Secret-9"


def _log_in(page: Any, base: str, email: str, password: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_invitation_first_login_and_password_reset(
    live_server: Any, transactional_db: Any, page: Any
):
    from playwright.sync_api import expect

    base = live_server.url
    cluster = ClusterInitiative.objects.create(name="Mechatronics Cluster")
    manager = User.objects.create_user("manager@example.org", PASSWORD, name="Maria Manager")
    RoleAssignment.objects.create(user=manager, role=Role.MANAGER, cluster=cluster)

    _log_in(page, base, "manager@example.org", PASSWORD)
    expect(page.get_by_role("heading", name="My account")).to_be_visible()
    page.get_by_role("link", name="Invite people").click()
    page.get_by_label("E-mail address").fill("erika@example.org")
    page.get_by_label("Cluster initiative").select_option(label="Mechatronics Cluster")
    page.get_by_label("Organisation").fill("Erika Robotics")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("An invitation was sent to erika@example.org")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    link = re.search(r"https?://\S+/accounts/invitation/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    expect(page.get_by_text("erika@example.org")).to_be_visible()
    page.get_by_label("Your name").fill("Erika Muster")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="My account")).to_be_visible()
    expect(page.get_by_text("Erika Robotics")).to_be_visible()
    expect(page.get_by_text("own organisation's data")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    # The link works once.
    page.goto(link)
    expect(page.get_by_text("already been used")).to_be_visible()

    page.goto(base + "/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("E-mail address").fill("erika@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    reset = re.search(r"https?://\S+/accounts/reset/\S+/", mail.outbox[-1].body).group(0)
    page.goto(reset)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the password").click()
    expect(page.get_by_role("heading", name="Password saved")).to_be_visible()

    _log_in(page, base, "erika@example.org", PASSWORD)
    expect(page.get_by_text("correct e-mail address and password")).to_be_visible()
    _log_in(page, base, "erika@example.org", NEW_PASSWORD)
    expect(page.get_by_role("heading", name="My account")).to_be_visible()
