"""A visitor's journey through the toolbox in headless Chromium (Playwright, sync API).

Set TACT_SCREENSHOTS to a folder to keep full-page screenshots of the pages on the way.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

FIELD_COUNTS = {"Education": 5, "Innovation": 4, "Collaboration": 4, "Networking": 6, "Growth": 4}
PHONE = {"width": 390, "height": 844}


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("TACT_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _count(text: str) -> int:
    match = re.match(r"\s*(\d+) practices?\b", text)
    assert match, f"no count in {text!r}"
    return int(match[1])


def test_search_filter_read_compare_export(live_server: Any, loaded_toolbox: None, page: Any):
    from playwright.sync_api import expect

    # Home: the target board shows the five fields with their counts.
    page.goto(live_server.url + "/")
    wedges = page.locator(".board svg a")
    expect(wedges).to_have_count(5)
    for name, count in FIELD_COUNTS.items():
        wedge = page.locator(f'.board svg a[aria-label="{name}: {count}"]')
        expect(wedge).to_have_count(1)
        expect(wedge.locator("text")).to_have_text([name, str(count)])
    expect(page.locator(".board svg > text.count")).to_have_text("23")
    _shot(page, "home")

    # Search by meaning: "staff turnover" finds the HR benchmark, which speaks of fluctuation.
    page.fill("#home-q", "staff turnover")
    page.press("#home-q", "Enter")
    page.wait_for_url(re.compile(r"/practices/\?q=staff\+turnover"))
    first = page.locator("ol.results > li.result").first
    expect(first.locator("h3 a")).to_have_text("HR Benchmark")
    expect(first.locator("h3 a")).to_have_attribute("href", "/practices/growth-2/")
    before = _count(page.locator("#result-count").inner_text())
    assert before > 1

    # A facet narrows the list in place (htmx) and the filter goes into the address.
    growth = page.locator("#f-field-growth")
    with page.expect_response(lambda r: "field=growth" in r.url and r.status == 200):
        growth.check()
    page.wait_for_url(re.compile(r"[?&]field=growth(&|$)"))
    expect(page.locator("#result-count")).not_to_have_text(re.compile(rf"^{before} practices"))
    expect(page.locator("#f-field-growth")).to_be_checked()
    after = _count(page.locator("#result-count").inner_text())
    assert 1 <= after < before
    assert after <= FIELD_COUNTS["Growth"]
    titles = page.locator("ol.results h3 a").all_inner_texts()
    assert titles[0] == "HR Benchmark"
    assert "q=staff+turnover" in page.url
    _shot(page, "list")

    # A practice page: contacts as mailto links and the facts with their units.
    page.click("text=HR Benchmark")
    page.wait_for_url("**/practices/growth-2/")
    expect(page.locator("h1")).to_have_text("HR Benchmark")
    mail = page.locator('a[href="mailto:iris.reingruber@biz-up.at"]')
    expect(mail).to_have_text("iris.reingruber@biz-up.at")
    facts = page.locator("dl.facts").first
    expect(facts).to_contain_text("Fee for cluster members")
    expect(facts).to_contain_text("580 EUR per company")
    expect(facts).to_contain_text("Member companies taking part in a round")
    _shot(page, "practice")

    # Back to the filtered list; tick two practices and compare them.
    page.go_back()
    page.wait_for_url(re.compile(r"[?&]field=growth(&|$)"))
    expect(page.locator("#f-field-growth")).to_be_checked()
    picks = page.locator("ol.results input[name=ids]")
    expect(picks.first).to_be_visible()
    page.goto(live_server.url + "/practices/?field=growth")
    picks = page.locator("ol.results input[name=ids]")
    expect(picks).to_have_count(FIELD_COUNTS["Growth"])
    chosen = page.locator("ol.results h3 a").all_inner_texts()[:2]
    picks.nth(0).check()
    picks.nth(1).check()
    expect(page.locator("#compare-count")).to_have_text("2")
    expect(picks.nth(0)).to_be_checked()
    expect(picks.nth(1)).to_be_checked()
    page.locator("button[form=compare-form]").click()
    page.wait_for_url(re.compile(r"/practices/compare/\?ids="))
    headers = page.locator(".compare-table thead th").all_inner_texts()
    assert headers == chosen
    expect(page.locator(".compare-table tbody th[scope=row]").first).to_have_text("Field")
    _shot(page, "compare")

    # Export the filtered selection as CSV.
    page.go_back()
    page.wait_for_url(re.compile(r"[?&]field=growth(&|$)"))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    download = download_info.value
    assert download.suggested_filename == "tact-practices.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    from tact.catalogue.exports import CSV_COLUMNS

    assert list(rows[0].keys()) == CSV_COLUMNS
    assert [r["id"] for r in rows] == [f"growth-{n}" for n in range(1, 5)]
    hr = next(r for r in rows if r["id"] == "growth-2")
    assert hr["title"] == "HR Benchmark"
    assert hr["fee_eur"] == "580"


@pytest.mark.parametrize(
    "path", ["/", "/practices/", "/practices/growth-2/", "/practices/compare/?ids=education-1,growth-3"]
)
def test_pages_fit_a_phone(live_server: Any, loaded_toolbox: None, browser: Any, path: str):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(live_server.url + path)
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], f"{path} is {widths[0]}px wide on a {widths[1]}px screen"
        name = "phone-" + (path.strip("/").replace("/", "-").split("?")[0] or "home")
        _shot(page, name)
    finally:
        context.close()
