"""In headless Chromium: a curator publishes an edition of the toolbox as a PDF, and a visitor
downloads it from the public list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tact.accounts.models import Region, Role, RoleAssignment, User
from tact.publication.models import Edition

pytestmark = pytest.mark.browser

PASSWORD = "Mountain-Cluster-2026"


def test_curator_publishes_and_visitor_downloads(
    live_server: Any, loaded_toolbox: None, browser: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    region = Region.objects.create(code="AT31", country="AT", name="Oberösterreich")
    curator = User.objects.create_user("curator@example.org", PASSWORD)
    RoleAssignment.objects.create(user=curator, role=Role.CURATOR, region=region)

    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(base + "/accounts/login/")
    page.get_by_label("E-mail address").fill("curator@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(base + "/publication/")
    expect(page.get_by_text("No edition has been published yet.")).to_be_visible()
    page.get_by_role("link", name="Publish a new edition").click()
    expect(page.get_by_text("Edition 1 will print the 23 published practices")).to_be_visible()
    # Blanks only: the browser lets it through, the server names the problem and keeps nothing.
    page.get_by_label("What is new in this edition").fill("   ")
    page.get_by_role("button", name="Publish the edition").click()
    expect(page.get_by_role("alert")).to_contain_text("cannot be empty")
    assert not Edition.objects.exists()
    page.get_by_label("What is new in this edition").fill("Spring edition with all 23 practices")
    page.get_by_role("button", name="Publish the edition").click()
    expect(page.get_by_text("Edition 1 is published: 23 practices")).to_be_visible()
    expect(page.get_by_role("cell", name="Spring edition with all 23 practices")).to_be_visible()
    context.close()

    edition = Edition.objects.get()
    assert edition.published_by == curator

    visitor = browser.new_context(accept_downloads=True)
    page = visitor.new_page()
    page.set_default_timeout(20_000)
    page.goto(base + "/publication/")
    expect(page.get_by_role("link", name="Publish a new edition")).to_have_count(0)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download edition 1 (PDF)").click()
    download = info.value
    assert download.suggested_filename == edition.filename
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.read_bytes() == bytes(edition.pdf)
    assert target.read_bytes().startswith(b"%PDF-")
    response = page.request.get(base + "/publication/latest.pdf")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body() == bytes(edition.pdf)
    visitor.close()
