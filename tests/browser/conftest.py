"""Browser fixtures: Debian's Chromium driven by Playwright against the live test server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.organisations.search_data import clear_trafford, load_trafford

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def trafford_served(transactional_db, live_server, shared_data: Path) -> Iterator[str]:
    # A live server needs committed rows, so this test uses a transactional database.
    load_trafford(shared_data)
    yield live_server.url
    clear_trafford()


@pytest.fixture
def browser(trafford_served: str) -> Iterator[Browser]:
    # Started after the data is loaded and closed before it is cleared: Playwright runs an
    # event loop, and Django will not touch the database while one is running.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
