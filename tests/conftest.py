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


@pytest.fixture(autouse=True)
def _jobs_run_inline(settings: Any) -> None:
    """Background jobs run at once in tests; tests of the worker itself switch back."""
    settings.TACT_JOBS_MODE = "immediate"


@pytest.fixture
def toolbox(db: Any) -> None:
    """Tests that read the toolbox ask for this (the data itself comes from django_db_setup)."""


@pytest.fixture
def loaded_toolbox(transactional_db: Any) -> None:
    """For tests outside a rolled-back transaction (live server), whose flush empties the DB."""
    from tact.catalogue.services import catalogue_load

    catalogue_load()


def _chromium_path() -> str | None:
    return (
        os.environ.get("TACT_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium for the tests of one module.

    Module scope: Playwright's sync API runs an event loop in this thread for as long as it is
    open, and Django refuses ORM calls made by fixtures in the same thread then (although they are
    not async code) unless DJANGO_ALLOW_ASYNC_UNSAFE is set. Setting it only while the browser is
    open keeps it out of the other tests and of the subprocesses they start (`check --deploy`
    rejects it).
    """
    path = _chromium_path()
    if path is None:
        if os.environ.get("TACT_REQUIRE_BROWSER"):
            pytest.fail("TACT_REQUIRE_BROWSER is set but no Chromium was found")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
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
    from playwright.sync_api import expect

    # Generous waits: CI shares two cores between the live server, Chromium and the model.
    expect.set_options(timeout=15_000)
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
