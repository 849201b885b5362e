"""The partnership pages in a real browser: signed in as an example member of the Trafford demo
partnership, the partnership page, its health-check results (chart and data table), the answer
form and the case studies pass axe-core's WCAG 2.2 AA checks."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import Browser, Page

from commonground.partnerships import services
from commonground.partnerships.models import Partnership
from tests.browser.chromium import WCAG_AA

pytestmark = pytest.mark.browser

PASSWORD = "a browser test password 42"
MEMBER = "provider.one@example.org"
LEAD = "lead.commissioner@example.org"


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


def test_a_lead_invites_a_newcomer_who_signs_up_and_joins_in_the_browser(
    demo_partnership: Partnership, trafford_served: str, browser: Browser
) -> None:
    newcomer = "new.partner@example.org"
    base = trafford_served
    axe = Axe()
    failures = {}

    def check(page: Page, name: str) -> None:
        results = axe.run(page, options=WCAG_AA)
        if results.violations_count:
            failures[name] = results.generate_report()

    inviting = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(inviting, base, LEAD)
    inviting.goto(f"{base}/partnerships/{demo_partnership.pk}/members/add/")
    check(inviting, "add a member")
    inviting.get_by_label("A person, invited by email").check()
    inviting.fill("#id_email", newcomer)
    inviting.select_option("#id_perspective", "community")
    inviting.get_by_role("button", name="Continue").click()
    assert newcomer in inviting.locator(".govuk-notification-banner").inner_text()

    invitation = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)  # type: ignore[union-attr]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(invitation)
    check(page, "invitation, signed out")
    main = page.locator("#main-content")
    main.get_by_role("link", name="Create an account").click()
    page.fill("#id_email", newcomer)
    page.fill("#id_name", "Nia Partner")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Create account").click()
    confirm = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)  # type: ignore[union-attr]
    page.goto(confirm)
    check(page, "address confirmed")
    main.get_by_role("link", name="Continue").click()
    main.get_by_role("link", name="Sign in").click()
    page.fill("#id_email", newcomer)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    check(page, "invitation, signed in")
    page.get_by_role("button", name="Accept and join").click()
    page.wait_for_load_state()

    assert not failures, "\n\n".join(f"{name}\n{report}" for name, report in failures.items())
    assert page.url.rstrip("/").endswith(f"/partnerships/{demo_partnership.pk}")
    assert "You have joined" in page.locator(".govuk-notification-banner").inner_text()
    members = page.locator("main").inner_text()
    # Members are shown by the name they chose, never by their email address (ADR 0023).
    assert "Nia Partner" in members
    assert newcomer not in members
