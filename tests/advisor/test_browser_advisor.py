"""In headless Chromium: a cluster manager fills in a profile, reads the ranked and explained
recommendations, sets a limit, sees the gaps on the target board and opens a printable plan.

Set TACT_SCREENSHOTS to a folder to keep screenshots of the pages on the way.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from tact.accounts.models import ClusterInitiative, Role, RoleAssignment, User

pytestmark = pytest.mark.browser

PASSWORD = "Mountain-Cluster-2026"


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("TACT_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"advisor-{name}.png"), full_page=True)


def test_manager_profile_recommendations_gaps_plan(
    live_server: Any, loaded_toolbox: None, page: Any
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    cluster = ClusterInitiative.objects.create(name="Food Valley")
    manager = User.objects.create_user("manager@example.org", PASSWORD, name="Maria Manager")
    RoleAssignment.objects.create(user=manager, role=Role.MANAGER, cluster=cluster)

    page.goto(base + "/accounts/login/")
    page.get_by_label("E-mail address").fill("manager@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(base + "/advisor/")
    page.get_by_role("link", name="New profile").click()

    page.get_by_label("Profile name").fill("Start-up acceleration")
    page.get_by_label("Life-cycle stage").select_option("mature")
    page.get_by_label("Members", exact=True).fill("120")
    page.get_by_label("SMEs (%)").fill("70")
    page.get_by_label("Management staff (FTE)").fill("4")
    page.get_by_label("Yearly budget for new services (EUR)").fill("120000")
    page.get_by_label("Food and nutrition").check()
    page.get_by_label("Incubation and start-ups").select_option("3")
    page.get_by_label("Business development of members").select_option("2")
    page.get_by_label("Start-ups and would-be entrepreneurs").check()
    page.get_by_label("Cross-border ambition").check()
    _shot(page, "form")
    page.get_by_role("button", name="Save and see recommendations").click()

    expect(page.get_by_text("The profile was created.")).to_be_visible()
    first = page.locator("section.rec").first
    expect(first.locator("h3")).to_contain_text("Acceleration Program")
    expect(first.locator("table.factors tbody tr")).to_have_count(7)
    expect(first.get_by_text("What would make it fit better")).to_be_visible()
    _shot(page, "recommendations")

    # A limit nothing meets is explained, not an empty list.
    page.get_by_label("Maximum cost (EUR a year)").fill("10")
    page.get_by_role("button", name="Apply limits").click()
    expect(page.get_by_role("heading", name="No practice fits your limits")).to_be_visible()
    expect(page.get_by_text(re.compile("cheapest that meets your other limits"))).to_be_visible()

    page.get_by_role("link", name="Portfolio gaps").click()
    expect(page.locator(".coverage-board svg path")).to_have_count(20)
    expect(page.locator(".coverage-board svg path.gap")).to_have_count(2)
    _shot(page, "gaps")

    page.get_by_role("link", name="Recommendations").click()
    page.locator("section.rec").first.get_by_role("link", name="Plan this service").click()
    expect(page.get_by_role("heading", name="Service plan: Acceleration Program")).to_be_visible()
    expect(page.get_by_role("cell", name="Acceleration phase", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Checklist of success factors")).to_be_visible()
    _shot(page, "plan")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as Markdown").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("# Service plan: Acceleration Program")
    page.emulate_media(media="print")
    expect(page.get_by_role("link", name="Download as Markdown")).to_be_hidden()
    _shot(page, "plan-print")
