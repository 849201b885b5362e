"""The pages people meet first have no WCAG 2.2 A/AA failures that axe-core can detect.

axe-core finds about a third of accessibility problems; it is a floor, not a certificate.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

from tests.browser.chromium import WCAG_AA
from tests.imports.factories import ImportRunFactory

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/organisations/?place=E08000009",
    "/organisations/?q=age+uk&place=E08000009&sector=charity",
    "/organisations/?postcode=NOT+A+POSTCODE&distance=x",  # the error summary
    "/organisations/GB-CHC-1109047/",
    "/places/",
    "/places/E08000009/",
    "/data-sources/",
    "/account/sign-in/",
    "/account/sign-up/",
]


def test_key_pages_pass_axe_core_wcag_aa_checks(trafford_served: str, browser: Browser) -> None:
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


def test_search_works_on_a_narrow_screen_without_horizontal_scrolling(
    trafford_served: str, browser: Browser
) -> None:
    # WCAG 1.4.10 Reflow: content fits 320 CSS pixels wide.
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto(f"{trafford_served}/organisations/?place=E08000009&q=age+uk")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320


# Pages with wide tables, long web addresses or checksums: each must fit a 375 px phone screen,
# a wide table scrolling inside its own box rather than the page.
NARROW_SCREEN_PAGES = [
    "/data-sources/",
    "/data-sources/companies_house/",
    "/organisations/GB-CHC-1109047/",
    "/sectors/",
    "/sectors/charity/?place=E08000009",
    "/places/E08000009/",
    "/routes/",
    "/routes/subsidy_minimal_financial_assistance/",
]


def test_pages_with_wide_tables_fit_a_375_pixel_screen_and_pass_axe_core(
    trafford_served: str, browser: Browser
) -> None:
    axe = Axe()
    page = browser.new_page(viewport={"width": 375, "height": 800})
    too_wide, failures = {}, {}
    for path in NARROW_SCREEN_PAGES:
        response = page.goto(f"{trafford_served}{path}")
        assert response is not None and response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            too_wide[path] = width
        # A table box that scrolls must be reachable by keyboard (axe: scrollable-region-focusable).
        results = axe.run(page, options=WCAG_AA)
        if results.violations_count:
            failures[path] = results.generate_report()
    assert not too_wide, f"pages wider than the screen: {too_wide}"
    assert not failures, "\n\n".join(f"{path}\n{report}" for path, report in failures.items())


def test_a_table_too_wide_for_the_screen_scrolls_in_a_named_box_keyboard_users_can_reach(
    trafford_served: str, browser: Browser
) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(f"{trafford_served}/data-sources/")  # its import tables have seven columns
    scrolling = page.locator(".cg-table-scroll[tabindex='0'][role='region']")
    assert scrolling.count() >= 1
    assert "scrolls sideways" in (scrolling.first.get_attribute("aria-label") or "")
    # The same box on a wide screen fits, so it is no tab stop.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_function("!document.querySelector('.cg-table-scroll[tabindex]')")


@pytest.fixture
def run_warning_of_long_column_names(trafford_served: str) -> int:
    # Companies House's unused columns are reported as one comma-joined run with no spaces
    # long enough to break on. Made before the browser starts: Playwright's loop would make
    # Django refuse a database write from the test body.
    columns = ",".join(f"PreviousName_{n}.CompanyName" for n in range(1, 11))
    warning = f"companies.csv: columns not used by this importer: {columns}"
    run = ImportRunFactory(warnings=[warning])
    return int(run.pk)


def test_an_import_whose_warning_lists_long_column_names_fits_a_375_pixel_screen(
    trafford_served: str, run_warning_of_long_column_names: int, browser: Browser
) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 800})
    path = f"/data-sources/imports/{run_warning_of_long_column_names}/"
    response = page.goto(f"{trafford_served}{path}")
    assert response is not None and response.status == 200
    assert page.get_by_text("PreviousName_10.CompanyName").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
