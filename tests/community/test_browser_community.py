"""In headless Chromium: a cluster manager imports the members from an XLSX file (the dry run
shows a bad row; the fixed file, checked, imports with one click and no second upload), searches by competence, opens the network view (the
canvas draws the nodes), runs a partner search and saves it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tact.accounts.models import ClusterInitiative, Region, Role, RoleAssignment, User
from tact.community import pending, services
from tact.community.models import Organisation, PendingImport, Person, SavedSearch

from .test_registry import org_row, sheet

pytestmark = pytest.mark.browser
PASSWORD = "Mountain-Cluster-2026"


def test_manager_imports_explores_and_finds_partners(
    live_server: Any, transactional_db: Any, page: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    services.vocabulary_load(actor=None)
    region = Region.objects.create(code="CH022", country="CH", name="Fribourg")
    cluster = ClusterInitiative.objects.create(name="Plastics Cluster Fribourg", region=region)
    manager = User.objects.create_user("manager@example.org", PASSWORD)
    RoleAssignment.objects.create(user=manager, role=Role.MANAGER, cluster=cluster)

    rows = [
        org_row("Moléson Kunststoff AG", country="CH", region="CH022", type="sme",
                competences="polymer-processing:5; tooling-moulds:4"),
        org_row("Sarine Robotics SA", country="CH", region="CH022",
                competences="robotics:4; machine-vision:3"),
        org_row("Haute école de Bulle", country="CH", region="CH022", type="university",
                competences="polymer-processing:4; materials-testing:5"),
        org_row("Gruyère Mould Sàrl", country="CH", region="CH022",
                competences="tooling-moulds:7"),
    ]  # fmt: skip
    bad = tmp_path / "members.xlsx"
    bad.write_bytes(sheet(rows, "xlsx"))
    rows[3]["competences"] = "tooling-moulds:3"
    good = tmp_path / "members-fixed.xlsx"
    good.write_bytes(sheet(rows, "xlsx"))

    page.goto(base + "/accounts/login/")
    page.get_by_label("E-mail address").fill("manager@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(base + "/community/import/")
    page.get_by_label("CSV or XLSX file").set_input_files(str(bad))
    page.get_by_role("button", name="Check (dry run)").click()
    report = page.locator("#report")
    expect(report).to_contain_text("nothing was imported")
    expect(report.get_by_role("row").filter(has_text="row 5")).to_contain_text("tooling-moulds")
    assert not Organisation.objects.exists()

    page.get_by_label("CSV or XLSX file").set_input_files(str(good))
    page.get_by_role("button", name="Check (dry run)").click()
    expect(report).to_contain_text("4 would be created")
    expect(report).to_contain_text("members-fixed.xlsx")
    assert not Organisation.objects.exists()
    # One upload: the checked file is kept on the server and imported as it was checked.
    page.get_by_role("button", name="Import these 4 rows").click()
    expect(page.get_by_text("Imported 4 rows")).to_be_visible()
    assert Organisation.objects.filter(clusters=cluster).count() == 4
    assert not PendingImport.objects.exists()

    page.locator("#id_competence").select_option("polymer-processing")
    page.get_by_role("button", name="Search").last.click()
    table = page.locator("#registry")
    expect(table).to_contain_text("Moléson Kunststoff AG")
    expect(table).to_contain_text("Haute école de Bulle")
    expect(table).not_to_contain_text("Sarine Robotics SA")

    page.get_by_role("link", name="show as network").click()
    network = page.locator("#network")
    expect(network.locator("canvas").first).to_be_attached()
    expect(network).to_have_attribute("data-nodes", "3")  # two organisations, one competence
    expect(page.locator("#network-status")).to_contain_text("3 nodes")
    node = page.evaluate(
        "() => { const n = window.tactNetwork.nodes('[type = \"organisation\"]')[0];"
        " n.emit('tap'); return n.data('label'); }"
    )
    expect(page.locator("#network-details h2")).to_have_text(node)
    expect(page.locator("#network-details")).to_contain_text("Open the organisation")

    page.goto(base + "/community/partners/")
    page.get_by_label("Competences wanted").fill("polymer-processing:4; tooling-moulds")
    page.get_by_label("Regions (NUTS codes)").fill("CH02")
    page.get_by_role("button", name="Search partners").click()
    results = page.locator(".partner-results > li")
    expect(results.first).to_contain_text("Moléson Kunststoff AG")
    expect(results.first).to_contain_text("Polymer processing and injection moulding at level 5")
    expect(results.first).to_contain_text("in a wanted region: Fribourg")
    page.get_by_label("Save this search as").fill("Mould partners")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("The search is saved")).to_be_visible()
    expect(page.get_by_role("heading", name="Partner search: Mould partners")).to_be_visible()
    expect(page.locator(".partner-results > li").first).to_contain_text("Moléson Kunststoff AG")
    assert SavedSearch.objects.get(user=manager).need["competences"][0] == {
        "code": "polymer-processing", "min_level": 4,
    }  # fmt: skip


def test_large_people_import_runs_in_the_background_and_people_are_searchable(
    live_server: Any,
    transactional_db: Any,
    page: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from playwright.sync_api import expect

    monkeypatch.setattr(pending, "BACKGROUND_ROWS", 2)  # "large" for this test
    base = live_server.url
    cluster = ClusterInitiative.objects.create(name="Alpine Wood")
    manager = User.objects.create_user("wood@example.org", PASSWORD)
    RoleAssignment.objects.create(user=manager, role=Role.MANAGER, cluster=cluster)
    org = Organisation.objects.create(name="Zirbe Holzbau GmbH", kind="sme", region="AT33",
                                      country="AT")  # fmt: skip
    org.clusters.add(cluster)
    rows = [
        {"name": "Lena Hofer", "organisation": "Zirbe Holzbau GmbH", "function": "CEO",
         "languages": "de; en"},
        {"name": "Marco Bianchi", "organisation": "Zirbe Holzbau GmbH", "function": "Engineer",
         "languages": "it"},
        {"name": "Sophie Roux", "organisation": "Zirbe Holzbau GmbH", "function": "Sales",
         "languages": "fr; de"},
    ]  # fmt: skip
    people_file = tmp_path / "people.csv"
    people_file.write_bytes(sheet(rows, "csv", kind="people"))

    page.goto(base + "/accounts/login/")
    page.get_by_label("E-mail address").fill("wood@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(base + "/community/import/")
    page.get_by_label("CSV or XLSX file").set_input_files(str(people_file))
    page.get_by_role("button", name="Check (dry run)").click()
    expect(page.locator("#report")).to_contain_text("imported in the background")
    page.get_by_role("button", name="Import these 3 rows").click()
    expect(page).to_have_url(re.compile(r"/jobs/[0-9a-f-]+/$"))
    expect(page.locator("#job-status")).to_contain_text("Imported 3 rows")
    page.get_by_role("link", name="See the result").click()
    assert Person.objects.filter(organisation=org).count() == 3

    page.get_by_role("link", name="People", exact=True).click()
    page.get_by_label("Name, function, organisation or language").fill("fr")
    page.locator("#people-search").get_by_role("button", name="Search").click()
    table = page.locator("#people")
    expect(table).to_contain_text("Sophie Roux")
    expect(table).not_to_contain_text("Lena Hofer")
