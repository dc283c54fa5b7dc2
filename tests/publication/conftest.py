"""The accounts world (tests/accounts/conftest.py) and a rendering of the toolbox shared by the
document tests (rendering takes about half a second)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.accounts.conftest import world  # noqa: F401  (a fixture)


@pytest.fixture
def rendered(toolbox: None) -> Any:
    from tact.publication import services

    return services.edition_render(number=7, site_url="https://tact.example.org", note="Spring")
