"""In headless Chromium: a cluster manager opens the innovation-1 sample call, reads its rules,
builds a consortium for an applicant and sees an eligible, explained result."""

from __future__ import annotations

from typing import Any

import pytest

from tact.accounts.models import ClusterInitiative, Region, Role, RoleAssignment, User
from tact.consortium import services

from .conftest import make_registry

pytestmark = pytest.mark.browser

PASSWORD = "Mountain-Cluster-2026"


def test_manager_builds_an_eligible_consortium(
    live_server: Any, loaded_toolbox: None, browser: Any
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    services.call_load()
    region = Region.objects.create(code="CH022", country="CH", name="Fribourg")
    cluster = ClusterInitiative.objects.create(
        name="Energy and Construction Cluster", region=region
    )
    make_registry(cluster)
    manager = User.objects.create_user("manager@example.org", PASSWORD)
    RoleAssignment.objects.create(user=manager, role=Role.MANAGER, cluster=cluster)

    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(base + "/accounts/login/")
    page.get_by_label("E-mail address").fill("manager@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(base + "/consortium/")
    page.get_by_role("link", name="Collaborative R&D project with regional industry").click()
    expect(page.get_by_text("At least 3 industrial partners (SME, large company).")).to_be_visible()
    expect(
        page.get_by_text("At least 50 % of the industrial partners from the canton of Fribourg")
    ).to_be_visible()
    page.get_by_role("link", name="Build a consortium for this call").click()

    page.get_by_label("Applicant (coordinator)").select_option(label="Sarine Solar SA (SME, CH022)")
    page.get_by_label("Competence 1", exact=True).select_option("pv")
    page.get_by_label("Minimum level 1", exact=True).select_option("4")
    page.get_by_label("Competence 2", exact=True).select_option("storage")
    page.get_by_label("Minimum level 2", exact=True).select_option("4")
    page.get_by_label("Time limit (seconds)").fill("5")
    page.get_by_role("button", name="Build").click()

    expect(page.get_by_role("heading", name="Consortium build")).to_be_visible()
    expect(page.get_by_text("Proven optimal")).to_be_visible()
    first = page.locator("#alt-1")
    expect(first.get_by_text("✔ Eligible")).to_be_visible()
    expect(first.get_by_text("coordinator (the applicant)")).to_be_visible()
    expect(first.get_by_text("competence provider for Photovoltaics (level 5)")).to_be_visible()
    expect(first.locator("ul.checks li.ko")).to_have_count(0)
    expect(
        first.get_by_text("industrial partners from the canton of Fribourg (CH022)")
    ).to_be_visible()
    context.close()
