"""Browser fixtures: Debian's Chromium driven by Playwright against the live test server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.chromium import chromium_started
from tests.organisations.factories import clear_trafford, load_trafford


@pytest.fixture
def trafford_served(transactional_db, live_server, shared_data: Path) -> Iterator[str]:
    # A live server needs committed rows, so this test uses a transactional database.
    load_trafford(shared_data)
    yield live_server.url
    clear_trafford()


@pytest.fixture
def browser(trafford_served: str) -> Iterator[Browser]:
    with chromium_started() as browser:
        yield browser
