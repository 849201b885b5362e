"""The sector guide in a real browser: no WCAG 2.2 A/AA failures axe-core can detect on the
guide, a sector page with Trafford's figures, the glossary and an organisation whose legal form
links to the guide; the pages fit a 375-pixel screen; the legal form link leads to its entry."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

WCAG_AA = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}
PAGES = [
    "/sectors/",
    "/sectors/charity/?place=E08000009",
    "/sectors/cooperative_mutual/",
    "/sectors/?place=E99999999",  # the place error
    "/glossary/?q=grant",
    "/routes/reserved_mutual_s33/",
]


def test_the_sector_guide_passes_axe_core_wcag_aa_checks(
    trafford_served: str, browser: Browser
) -> None:
    axe = Axe()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    failures = {}
    for path in PAGES:
        response = page.goto(f"{trafford_served}{path}")
        assert response is not None and response.status == 200, path
        results = axe.run(page, options=WCAG_AA)
        if results.violations_count:
            failures[path] = results.generate_report()
    assert not failures, "\n\n".join(f"{path}\n{report}" for path, report in failures.items())


def test_a_commissioner_clicks_a_legal_form_and_reads_what_it_means(
    trafford_served: str, browser: Browser
) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(f"{trafford_served}/organisations/GB-CHC-1109047/")
    page.get_by_role("link", name="what this legal form means").first.click()
    page.wait_for_load_state()
    # The organisation's own form's entry, with the figures of the place it is based in.
    assert "/sectors/charity/?place=E08000009#form-" in page.url
    assert page.get_by_role("heading", name="Charities", level=1).is_visible()
    entry = page.locator(f"#{page.url.rsplit('#', 1)[1]}")
    assert entry.get_by_text("Regulator", exact=True).is_visible()  # what it is, who regulates it
    for heading in ("Assets and profit", "How it is usually funded", "Commissioning routes"):
        assert page.get_by_role("heading", name=heading).is_visible()
    local = page.locator("#local")
    assert "In Trafford" in (local.text_content() or "")
    assert page.get_by_text("organisations in this sector, counted as the atlas").is_visible()
    assert page.get_by_role("heading", name="Money received").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
