"""Someone finds a charity in a browser: search, filter by sector, open it, see the evidence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.browser

SCREENSHOT = Path("/tmp/commonground-organisation-page.png")


def test_someone_finds_a_charity_filters_by_sector_and_sees_why_it_is_a_charity(
    trafford_served: str, browser: Browser
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{trafford_served}/organisations/?place=E08000009")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find partners in Trafford")

    page.get_by_label("Search by name or activity").fill("age uk")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="AGE UK TRAFFORD")).to_be_visible()

    page.get_by_role("group", name="Sector").get_by_label("Charity").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"sector=charity"))
    expect(page.locator(".moj-filter__tag", has_text="Charity")).to_be_visible()
    page.screenshot(path="/tmp/commonground-search-page.png", full_page=True)

    page.get_by_role("link", name="AGE UK TRAFFORD").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("AGE UK TRAFFORD")
    evidence = page.locator("table.cg-evidence")
    expect(evidence).to_contain_text("registered_charity_number")
    expect(evidence).to_contain_text("registered with the Charity Commission for England and Wales")
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 0
