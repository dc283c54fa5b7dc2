"""In headless Chromium: a member company takes the Industrie 4.0 self-check and gets its report
with an anonymous sector comparison; the cluster manager sees aggregates, never its answers."""

from __future__ import annotations

from typing import Any

import pytest

from tact.accounts.models import ClusterInitiative, Organisation, Region, Role, RoleAssignment, User
from tact.assessments import services
from tact.assessments.models import AssessmentModel

from .conftest import add_respondent

pytestmark = pytest.mark.browser

PASSWORD = "Mountain-Cluster-2026"


def _login(page: Any, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_member_self_check_and_manager_aggregates(
    live_server: Any, loaded_toolbox: None, browser: Any
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    services.model_load()
    model = AssessmentModel.objects.get(pk="industrie40")
    region = Region.objects.create(code="AT31", country="AT", name="Oberösterreich")
    cluster = ClusterInitiative.objects.create(name="Mechatronics Cluster", region=region)
    org = Organisation.objects.create(cluster=cluster, name="Alpha GmbH")
    member = User.objects.create_user("member@example.org", PASSWORD)
    RoleAssignment.objects.create(user=member, role=Role.MEMBER, cluster=cluster, organisation=org)
    manager = User.objects.create_user("manager@example.org", PASSWORD)
    RoleAssignment.objects.create(user=manager, role=Role.MANAGER, cluster=cluster)
    for i in range(6):
        add_respondent(model, cluster, f"Peer {i}", level=i % 5)

    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    _login(page, base, "member@example.org")
    page.goto(base + "/assessments/")
    page.get_by_role("row", name="Industrie 4.0 readiness").get_by_role(
        "link", name="Take it / resume"
    ).click()
    page.get_by_label("Sector").select_option("machinery")
    page.get_by_label("Size class").select_option("small")
    page.get_by_role("button", name="Start or resume").click()
    selects = page.locator("select")
    expect(selects).to_have_count(36)
    for i in range(36):
        selects.nth(i).select_option("2" if i % 2 == 0 else "4")
    page.get_by_role("button", name="Finish and see the report").click()
    expect(page.get_by_text("Overall score: 2.00")).to_be_visible()
    expect(page.locator("svg.radar")).to_be_visible()
    # Seven companies in the sector (six peers and this one): a figure and a rank are shown.
    sector_row = page.get_by_role("row").filter(has_text="Sector: Machinery and equipment").first
    expect(sector_row).to_contain_text("%")
    expect(sector_row).not_to_contain_text("no figure")
    expect(page.get_by_role("link", name="growth-4").first).to_be_visible()
    context.close()

    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    _login(page, base, "manager@example.org")
    page.goto(base + f"/assessments/clusters/{cluster.pk}/industrie40/")
    expect(page.get_by_role("cell", name="Overall score")).to_be_visible()
    assert "Alpha GmbH" not in page.content()
    context.close()
