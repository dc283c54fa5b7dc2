"""Shared fixtures: the toolbox loaded once per test database, and a headless browser."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Load the 23 practices once; each test then runs in a transaction that is rolled back."""
    from tact.catalogue.services import catalogue_load

    with django_db_blocker.unblock():
        catalogue_load()


@pytest.fixture
def toolbox(db: Any) -> None:
    """Tests that read the toolbox ask for this (the data itself comes from django_db_setup)."""


@pytest.fixture
def loaded_toolbox(transactional_db: Any) -> None:
    """For tests outside a rolled-back transaction (live server), whose flush empties the DB."""
    from tact.catalogue.services import catalogue_load

    catalogue_load()


def _chromium_path() -> str | None:
    return os.environ.get("TACT_CHROMIUM") or shutil.which("chromium") or shutil.which(
        "chromium-browser"
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = _chromium_path()
    if path is None:
        if os.environ.get("TACT_REQUIRE_BROWSER"):
            pytest.fail("TACT_REQUIRE_BROWSER is set but no Chromium was found")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django would then refuse ORM calls
    # made by fixtures in the same thread, although they are not async code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
