"""The partnership pages in a real browser: signed in as an example member of the Trafford demo
partnership, the partnership page, its health-check results (chart and data table), the answer
form and the case studies pass axe-core's WCAG 2.2 AA checks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Browser, Page

from commonground.partnerships import services
from commonground.partnerships.models import Partnership

from .test_accessibility import WCAG_AA

pytestmark = pytest.mark.browser

PASSWORD = "a browser test password 42"
MEMBER = "provider.one@example.org"


@pytest.fixture
def demo_partnership(trafford_served: str) -> Iterator[Partnership]:
    # Set up before the browser starts and removed after it stops (see browser's fixture).
    call_command("load_demo_partnerships", password=PASSWORD, verbosity=0)
    partnership = Partnership.objects.get(is_example=True, place__gss_code="E08000009")
    lead = partnership.members.get(role="lead").user
    services.health_check_round_open(lead, partnership)  # a third round, open to answer
    yield partnership
    # Rows that refer to the atlas go before the atlas is cleared.
    Partnership.objects.all().delete()


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/account/sign-in/")
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_partnership_pages_pass_axe_and_show_the_divergence(
    demo_partnership: Partnership, trafford_served: str, browser: Browser
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, trafford_served, MEMBER)
    pk = demo_partnership.pk
    axe = Axe()
    failures = {}
    for path in [
        "/partnerships/",
        f"/partnerships/{pk}/",
        f"/partnerships/{pk}/health-check/",
        f"/partnerships/{pk}/health-check/answer/",
        "/partnerships/new/",
        "/case-studies/",
        "/case-studies/plymouth-alliance-complex-needs/",
    ]:
        response = page.goto(f"{trafford_served}{path}")
        assert response is not None and response.status == 200, path
        results = axe.run(page, options=WCAG_AA)
        if results.violations_count:
            failures[path] = results.generate_report()
    assert not failures, "\n\n".join(f"{path}\n{report}" for path, report in failures.items())

    page.goto(f"{trafford_served}/partnerships/{pk}/health-check/")
    assert page.locator("svg.cg-hc-chart rect").count() >= 9
    trust_row = page.locator("table.govuk-table tr", has_text="Trust").first
    assert "Differ" in trust_row.inner_text()
    assert "illustrative example" in page.locator(".govuk-warning-text").inner_text()


def test_a_member_answers_the_open_round_in_the_browser(
    demo_partnership: Partnership, trafford_served: str, browser: Browser
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, trafford_served, MEMBER)
    page.goto(f"{trafford_served}/partnerships/{demo_partnership.pk}/health-check/answer/")
    page.get_by_role("button", name="Send my answers").click()
    # Nothing chosen: the error summary names the first principle.
    assert (
        "Choose a score for long-term planning" in page.locator(".govuk-error-summary").inner_text()
    )
    for fieldset in page.locator("fieldset").all():
        fieldset.get_by_label("3").check()
    page.get_by_role("button", name="Send my answers").click()
    assert "Your answers are recorded" in page.locator(".govuk-notification-banner").inner_text()


def test_the_partnership_and_health_check_pages_reflow_on_a_narrow_screen(
    demo_partnership: Partnership, trafford_served: str, browser: Browser
) -> None:
    # WCAG 1.4.10 Reflow: content fits 320 CSS pixels wide (wide tables scroll in their box).
    page = browser.new_page(viewport={"width": 320, "height": 640})
    sign_in(page, trafford_served, MEMBER)
    widths = {}
    for suffix in ("", "health-check/"):
        page.goto(f"{trafford_served}/partnerships/{demo_partnership.pk}/{suffix}")
        widths[suffix] = page.evaluate("document.documentElement.scrollWidth")
    assert all(width <= 320 for width in widths.values()), widths
