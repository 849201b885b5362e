"""The route appraisal in a real browser: answer the questions one a page, see the error
summary, check the answers, read the results; every page passes the axe-core WCAG 2.2 AA
checks. axe finds about a third of accessibility problems; it is a floor, not a certificate."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from tests.browser.chromium import WCAG_AA, chromium_started
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.browser

# The community centre lease at an undervalue, as a commissioner would answer.
ANSWERS = [
    ("text", "Moss Lane community centre"),
    ("text", "Trafford Council"),
    ("radio", "England"),
    ("radio", "A local authority"),
    ("date", ("27", "11", "2026")),
    ("radio", "Services"),
    ("radio", "No"),  # council receives services
    ("text", "0"),
    ("text", "300"),
    ("radio", "No"),  # health care
    ("radio", "No"),  # light touch
    ("radio", "No"),  # incumbent
    ("radio", "No"),  # only one provider
    ("radio", "Not sure"),  # innovation
    ("radio", "No"),  # prototype
    ("radio", "No"),  # urgency
    ("radio", "No"),  # several providers
    ("radio", "No"),  # outcomes measurable
    ("radio", "Not sure"),  # investors
    ("text", "0"),  # supported employment share
    ("radio", "No"),  # public counterparty
    ("radio", "Yes"),  # recipient trades
    ("text", "0"),  # earlier subsidies
    ("radio", "Yes"),  # land or building
    ("text", "150000"),  # undervalue
    ("radio", "Not sure"),  # listed asset
    ("check", "Trust"),  # aims
    ("typed", "GB-CHC-1090001"),  # likely partners, from the atlas
]


@pytest.fixture
def served(transactional_db, live_server) -> str:
    OrganisationFactory(org_id="GB-CHC-1090001", name="Age UK Trafford (synthetic)")
    return live_server.url


@pytest.fixture
def chromium(served: str) -> Iterator[Browser]:
    with chromium_started() as browser:
        yield browser


def answer(page: Page, kind: str, value: object) -> None:
    if kind in ("radio", "check"):
        page.get_by_label(str(value), exact=True).check()
    elif kind == "date":
        day, month, year = value  # type: ignore[misc]
        page.get_by_label("Day").fill(day)
        page.get_by_label("Month").fill(month)
        page.get_by_label("Year").fill(year)
    elif kind == "typed":
        page.locator("#id_typed").fill(str(value))
    else:
        page.locator("#id_answer").fill(str(value))


def answer_all(page: Page) -> None:
    for kind, value in ANSWERS:
        answer(page, kind, value)
        page.get_by_role("button", name="Continue").click()


def axe_failures(page: Page, axe: Axe, failures: dict[str, str]) -> None:
    results = axe.run(page, options=WCAG_AA)
    if results.violations_count:
        failures[page.url] = results.generate_report()


def test_question_flow_and_results_are_usable_and_pass_axe(served: str, chromium: Browser):
    axe = Axe()
    failures: dict[str, str] = {}
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{served}/appraisals/new/")
    axe_failures(page, axe, failures)
    page.get_by_role("button", name="Start now").click()

    for i, (kind, value) in enumerate(ANSWERS):
        if i == 2:
            # An unanswered question shows the error summary, which links to the field (the
            # two questions before it, naming the service and council, are optional).
            page.get_by_role("button", name="Continue").click()
            assert page.get_by_role("heading", name="There is a problem").is_visible()
            assert page.title().startswith("Error:")
            axe_failures(page, axe, failures)
        answer(page, kind, value)
        if i in (0, 4, 7, 15, len(ANSWERS) - 2, len(ANSWERS) - 1):
            # a text question, the date, a money input, "Not sure", the aims checkboxes and
            # the likely partners
            axe_failures(page, axe, failures)
        page.get_by_role("button", name="Continue").click()

    assert page.get_by_role("heading", name="Check your answers").is_visible()
    axe_failures(page, axe, failures)
    page.get_by_role("link", name="Change undervalue").click()
    page.locator("#id_answer").fill("150000")
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name="Check your answers").is_visible()

    page.get_by_role("button", name="See the routes").click()
    assert page.get_by_role("heading", name="Routes for Moss Lane community centre").is_visible()
    assert page.get_by_role(
        "heading", name="Recommended route: Community asset transfer"
    ).is_visible()
    assert page.get_by_text("answers you were not sure of").is_visible()
    assert page.get_by_text("Age UK Trafford (synthetic) (GB-CHC-1090001)").first.is_visible()
    axe_failures(page, axe, failures)
    # The full list is grouped and collapsed; opening a group shows its routes.
    page.get_by_text("Available (", exact=False).first.click()
    assert page.get_by_role("heading", name="Minimal financial assistance (MFA)").is_visible()
    assert not page.get_by_text("[community_asset_transfer.", exact=False).count()
    axe_failures(page, axe, failures)

    for path in ("/routes/", "/routes/psr_direct_award_c/", "/routes/innovation_partnership/"):
        page.goto(f"{served}{path}")
        axe_failures(page, axe, failures)
    assert not failures, "\n\n".join(f"{url}\n{report}" for url, report in failures.items())


def test_results_print_as_a_decision_record_without_navigation(served: str, chromium: Browser):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{served}/appraisals/new/")
    page.get_by_role("button", name="Start now").click()
    answer_all(page)
    page.get_by_role("button", name="See the routes").click()
    page.emulate_media(media="print")
    assert not page.locator(".govuk-header").is_visible()
    pdf_link = page.locator("a", has_text="Download the decision record (PDF)")
    assert pdf_link.count() == 1
    assert not pdf_link.is_visible()
    assert page.get_by_role(
        "heading", name="Recommended route: Community asset transfer"
    ).is_visible()


def test_routes_and_results_reflow_at_320_pixels(served: str, chromium: Browser):
    # WCAG 1.4.10 Reflow: wide tables scroll in their own box, the page does not.
    page = chromium.new_page(viewport={"width": 320, "height": 640})
    for path in ("/routes/", "/routes/psr_direct_award_c/", "/appraisals/new/decision_date/"):
        page.goto(f"{served}{path}")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    page.goto(f"{served}/appraisals/new/")
    page.get_by_role("button", name="Start now").click()
    answer_all(page)
    page.get_by_role("button", name="See the routes").click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
