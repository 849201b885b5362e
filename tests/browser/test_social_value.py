"""A partner signs in and reads the example partnership's social value report: claimed and
verified figures apart, a chart with its data table, the partners' own words, and no WCAG 2.2
A/AA failures that axe-core can detect (a floor, not a certificate)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Browser, expect

from commonground.partnerships.models import Partnership
from commonground.places.models import Place
from tests.browser.chromium import WCAG_AA, chromium_started

pytestmark = pytest.mark.browser

PASSWORD = "example social value password"


@pytest.fixture
def demo_served(transactional_db, live_server) -> Iterator[tuple[str, int]]:
    # A live server needs committed rows, so this test uses a transactional database.
    Place.objects.create(gss_code="E08000009", name="Trafford", kind="local_authority")
    call_command("load_demo_partnerships", password=PASSWORD, stdout=io.StringIO())
    call_command("load_demo_social_value", stdout=io.StringIO())
    partnership = Partnership.objects.get(is_example=True)
    yield live_server.url, partnership.pk


@pytest.fixture
def chromium(demo_served) -> Iterator[Browser]:
    # Started after the data is loaded: Django will not touch the database while Playwright's
    # event loop runs.
    with chromium_started() as browser:
        yield browser


def test_a_partner_reads_the_social_value_report_and_it_passes_axe(
    demo_served: tuple[str, int], chromium: Browser
) -> None:
    base, partnership_id = demo_served
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/account/sign-in/?next=/partnerships/{partnership_id}/social-value/")
    page.get_by_label("Email address").fill("funder@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{base}/partnerships/{partnership_id}/social-value/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Social value")
    expect(page.get_by_text("This is an illustrative example")).to_be_visible()
    money = page.get_by_role("table", name="Money value")
    expect(money.get_by_role("row", name=re.compile("^Verified"))).to_contain_text("£61,250.00")
    expect(money.get_by_role("row", name="Claimed, not yet verified")).to_contain_text("£0.00")
    expect(page.get_by_role("img", name="Committed: 2,000 hours")).to_be_visible()
    wellbeing = page.get_by_role("table", name="Wellbeing: figures by measure")
    expect(wellbeing).to_contain_text("Claimed, not yet verified")
    expect(page.get_by_text("the one morning a week my neighbour")).to_be_visible()

    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()
    page.screenshot(path="/tmp/commonground-social-value-report.png", full_page=True)

    page.get_by_role("link", name="View delivery of 30").click()
    expect(page.get_by_text("Disputed by")).to_be_visible()
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()

    page.goto(f"{base}/social-value/frameworks/")
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()
