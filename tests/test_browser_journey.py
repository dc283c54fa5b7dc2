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
from urllib.parse import parse_qs, urlsplit

import pytest

from tact.catalogue.exports import CSV_COLUMNS

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

    # A facet narrows the list in place (htmx, no page load) and the filter goes into the address.
    page.evaluate("window.tactNoReload = true")
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
    params = parse_qs(urlsplit(page.url).query)
    assert params["q"] == ["staff turnover"]
    assert params["field"] == ["growth"]
    assert page.evaluate("window.tactNoReload") is True
    _shot(page, "list")

    # A practice page: contacts as mailto links and the facts with their units.
    page.get_by_role("link", name="HR Benchmark", exact=True).click()
    page.wait_for_url("**/practices/growth-2/")
    expect(page.locator("h1")).to_have_text("HR Benchmark")
    mail = page.locator('a[href="mailto:iris.reingruber@biz-up.at"]')
    expect(mail).to_have_text("iris.reingruber@biz-up.at")
    facts = page.locator("dl.facts").first
    expect(facts).to_contain_text("Fee for cluster members")
    expect(facts).to_contain_text("580 EUR per company")
    expect(facts).to_contain_text("Member companies taking part in a round")
    _shot(page, "practice")

    # Back to the filtered list; clear the search words to see every Growth practice.
    page.go_back()
    page.wait_for_url(re.compile(r"[?&]field=growth(&|$)"))
    expect(page.locator("#f-field-growth")).to_be_checked()
    expect(page.locator("#q")).to_have_value("staff turnover")
    page.fill("#q", "")
    with page.expect_response(lambda r: "field=growth" in r.url and r.status == 200):
        page.press("#q", "Enter")
    expect(page.locator("#result-count")).to_have_text(
        re.compile(rf"^{FIELD_COUNTS['Growth']} practices")
    )
    assert parse_qs(urlsplit(page.url).query).get("q", [""]) == [""]

    # Tick two practices and compare them.
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
    header, *rows = csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig")))
    assert header == CSV_COLUMNS
    records = [dict(zip(header, row, strict=True)) for row in rows]
    assert [r["id"] for r in records] == [f"growth-{n}" for n in range(1, 5)]
    assert {r["field"] for r in records} == {"growth"}
    hr = records[1]
    assert (hr["title"], hr["fee_eur"], hr["country"]) == ("HR Benchmark", "580", "AT")


def test_pages_fit_a_phone(live_server: Any, loaded_toolbox: None, browser: Any):
    """At 390 px nothing is wider than the screen (the comparison table scrolls in its box)."""
    pages = {
        "phone-home": "/",
        "phone-list": "/practices/",
        "phone-practice": "/practices/growth-2/",
        "phone-compare": "/practices/compare/?ids=education-1,growth-3",
    }
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        too_wide = {}
        for name, path in pages.items():
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, path
            scroll, client = page.evaluate(
                "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            if scroll > client:
                too_wide[path] = f"{scroll}px on a {client}px screen"
            _shot(page, name)
        assert not too_wide
    finally:
        context.close()
