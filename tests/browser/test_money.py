"""Someone reads Trafford's money profile in a browser, follows a figure to its flows, and the
page passes the axe-core WCAG 2.2 AA checks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect

from tests.browser.chromium import WCAG_AA, chromium_started
from tests.money.factories import clear_money_demo, load_money_demo

pytestmark = pytest.mark.browser


@pytest.fixture
def money_served(transactional_db, live_server, shared_data: Path) -> Iterator[str]:
    load_money_demo(shared_data, spend=False, all_notices=False)
    yield live_server.url
    clear_money_demo()


@pytest.fixture
def money_browser(money_served: str) -> Iterator[Browser]:
    with chromium_started() as browser:
        yield browser


def test_someone_follows_the_grants_figure_to_the_grants_behind_it(
    money_served: str, money_browser: Browser
) -> None:
    page = money_browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{money_served}/")
    page.get_by_role("link", name="See where Trafford's money goes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Money in Trafford")
    expect(page.locator("svg.cg-map")).to_be_visible()
    page.screenshot(path="/tmp/commonground-money-profile.png", full_page=True)

    # One financial year at a time: the latest with data (no channel of the grants-only demo
    # covers twelve months), with what the data covers said first.
    expect(page.get_by_role("heading", name="Financial year 2024-25")).to_be_visible()
    expect(page.get_by_text("2 of 12 months")).to_be_visible()
    table = page.locator("table", has_text="Money by channel")
    table.get_by_role("link", name="£83,330.00").click()
    expect(page).to_have_url(re.compile(r"/money/flows/\?place=E08000009&channel=grant&year=2024"))
    expect(page.get_by_text("£83,330.00").first).to_be_visible()


def test_a_bad_date_is_explained_next_to_the_field(
    money_served: str, money_browser: Browser
) -> None:
    page = money_browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{money_served}/places/E08000009/profile/")
    page.get_by_text("Choose dates across years instead").click()
    page.get_by_label("From (YYYY-MM-DD)").fill("1 April")
    page.get_by_role("button", name="Show these dates").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The start date must be")
    page.locator(".govuk-error-summary a").first.click()
    expect(page.get_by_label("From (YYYY-MM-DD)")).to_be_focused()


def test_the_money_pages_pass_axe_core_wcag_aa_checks(
    money_served: str, money_browser: Browser
) -> None:
    axe = Axe()
    page = money_browser.new_page(viewport={"width": 1280, "height": 900})
    failures = {}
    for path in (
        "/places/E08000009/profile/",
        "/places/E08000009/profile/?from=nonsense",
        "/places/E08000009/profile/?financial_year=2019-20",
        "/places/E08000009/community-wealth/?financial_year=2019-20",
        "/money/flows/?place=E08000009&channel=grant",
        "/money/flows/?year=x",
        "/money/flows/",
        "/money/flows/?place=E08000009&year=2019&sort=largest&q=trafford",
        "/money/flows/?sort=cheapest&ward=nowhere",
    ):
        page.goto(f"{money_served}{path}")
        results = axe.run(page, options=WCAG_AA)
        if results.violations_count:
            failures[path] = results.generate_report()
    first_flow = page.goto(f"{money_served}/money/flows/?place=E08000009&channel=grant")
    assert first_flow is not None
    page.locator("#flows-table tbody a").first.click()
    results = axe.run(page, options=WCAG_AA)
    if results.violations_count:
        failures[page.url] = results.generate_report()
    assert not failures, "\n\n".join(f"{path}\n{report}" for path, report in failures.items())


def test_the_profile_fits_a_narrow_screen(money_served: str, money_browser: Browser) -> None:
    page = money_browser.new_page(viewport={"width": 320, "height": 640})
    page.goto(f"{money_served}/places/E08000009/profile/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_the_ward_map_is_shaded_by_band_and_the_place_map_is_not(
    money_served: str, money_browser: Browser
) -> None:
    page = money_browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{money_served}/places/E08000009/profile/?from=1990-04-01")
    most = page.locator("svg.cg-map path.cg-money-band-4").first
    expect(most).to_be_visible()
    assert most.evaluate("p => getComputedStyle(p).fill") == "rgb(29, 112, 184)"
    assert re.fullmatch(
        r".+: £[\d,]+\.\d\d in \d+ grants?", most.locator("title").text_content() or ""
    )
    none = page.locator("svg.cg-map path.cg-money-band-0").first
    assert none.evaluate("p => getComputedStyle(p).fill") == "rgb(243, 242, 241)"

    page.goto(f"{money_served}/places/E08000009/")
    wards = page.locator("svg.cg-map path.cg-map__area")
    expect(wards).to_have_count(21)
    assert page.locator("svg.cg-map path[class*='cg-money-band']").count() == 0
    assert wards.first.evaluate("p => getComputedStyle(p).fill") == "rgb(255, 255, 255)"


def test_someone_searches_the_flows_sorts_them_and_opens_the_record_as_published(
    money_served: str, money_browser: Browser
) -> None:
    page = money_browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{money_served}/places/E08000009/profile/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Money").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Money flows in Trafford")
    page.get_by_label("Search by payer or recipient name").fill("age uk")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#flows-summary")).to_contain_text("flows")
    page.get_by_label("Sort by").select_option("largest")
    page.get_by_role("button", name="Sort", exact=True).click()
    expect(page).to_have_url(re.compile(r"q=age\+uk.*sort=largest|sort=largest.*q=age\+uk"))
    # The amount alone: a joint award's share has a note under it saying so.
    cells = page.locator("#flows-table tbody td.govuk-table__cell--numeric .cg-amount")
    amounts = [float(text.replace("£", "").replace(",", "")) for text in cells.all_text_contents()]
    assert amounts and amounts == sorted(amounts, reverse=True)
    expect(page.locator("svg.cg-money-chart__svg")).to_be_visible()
    page.get_by_text("Money by financial year as a table").click()
    expect(page.locator("table", has_text="the chart's figures")).to_be_visible()

    page.locator("#flows-table tbody a").first.click()
    record = page.locator("#published-record pre")
    expect(record).to_be_hidden()
    page.get_by_text("Show the record as published").click()
    expect(record).to_be_visible()


def test_the_flows_explorer_fits_a_phone_screen(money_served: str, money_browser: Browser) -> None:
    page = money_browser.new_page(viewport={"width": 375, "height": 800})
    for path in ("/money/flows/", "/money/flows/?place=E08000009&year=2019"):
        page.goto(f"{money_served}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
