"""In headless Chromium: a cluster manager creates a programme, imports profiles from a CSV
file, presses "Match", reads the explained pairs, locks one, re-matches and downloads the
letters and the calendar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tact.accounts.models import ClusterInitiative, Region, Role, RoleAssignment, User
from tact.mentoring.models import Pair, Programme

from .conftest import SAMPLE

pytestmark = pytest.mark.browser

PASSWORD = "Mountain-Cluster-2026"


def test_manager_matches_a_programme(
    live_server: Any, loaded_toolbox: None, page: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    region = Region.objects.create(code="AT31", country="AT", name="Oberösterreich")
    cluster = ClusterInitiative.objects.create(name="Mechatronics Cluster", region=region)
    manager = User.objects.create_user("manager@example.org", PASSWORD)
    RoleAssignment.objects.create(user=manager, role=Role.MANAGER, cluster=cluster)
    sample = tmp_path / "profiles.csv"
    sample.write_bytes(SAMPLE)

    page.goto(base + "/accounts/login/")
    page.get_by_label("E-mail address").fill("manager@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(base + "/mentoring/")
    page.get_by_role("link", name="New programme").click()
    page.get_by_label("Name").fill("Cross-Mentoring 2026")
    page.get_by_label("Start date (kick-off)").fill("2026-03-02")
    page.get_by_label("Competitors (never paired)").fill("Donau Drives AG | Steyr Precision GmbH")
    page.get_by_role("button", name="Create the programme").click()
    expect(page.get_by_role("heading", name="Cross-Mentoring 2026")).to_be_visible()
    tabs = page.get_by_role("navigation", name="Programme")

    tabs.get_by_role("link", name="Dates", exact=True).click()
    page.get_by_role("button", name="Generate the dates").click()
    expect(page.get_by_text("11 dates were generated")).to_be_visible()

    tabs.get_by_role("link", name="Profiles", exact=True).click()
    page.get_by_role("link", name="Import from CSV/XLSX").click()
    page.get_by_label("CSV or XLSX file").set_input_files(str(sample))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("22 rows are fine.")).to_be_visible()
    page.get_by_role("button", name="Import 22 profiles").click()
    expect(page.get_by_role("heading", name="10 mentors")).to_be_visible()
    expect(page.get_by_role("heading", name="12 mentees")).to_be_visible()

    tabs.get_by_role("link", name="Pairs", exact=True).click()
    page.get_by_role("button", name="Match", exact=True).click()
    expect(page.get_by_role("heading", name="12 pairs")).to_be_visible()
    cards = page.locator("article.pair")
    expect(cards).to_have_count(12)
    expect(cards.first.locator(".score")).to_contain_text("%")
    expect(page.get_by_text("shared topics").first).to_be_visible()
    expect(page.get_by_text("people without a partner")).to_be_visible()

    programme = Programme.objects.get(name="Cross-Mentoring 2026")
    first = (
        Pair.objects.filter(programme=programme).order_by("mentor__name", "mentee__name").first()
    )
    assert first is not None
    card = page.locator(f"#pair-{first.pk}")
    card.get_by_role("button", name="Lock").click()
    expect(page.locator(f"#pair-{first.pk}")).to_contain_text("Locked")

    page.get_by_role("button", name="Match", exact=True).click()
    expect(page.get_by_text("(of which 1 locked and kept)")).to_be_visible()
    expect(page.locator(f"#pair-{first.pk}")).to_contain_text("Locked")
    assert Pair.objects.filter(pk=first.pk, locked=True).exists()

    with page.expect_download() as download:
        page.get_by_role("link", name="Dates (ICS)").click()
    ics = Path(download.value.path()).read_text(encoding="utf-8")
    assert ics.count("BEGIN:VEVENT") == 11

    page.get_by_role("link", name="Printable letters").click()
    expect(page.locator("section.letter")).to_have_count(12)
    expect(page.locator("section.letter").first).to_contain_text("Why we paired you")
