"""The example round table in a browser: the alignment page and a statement's evidence pass the
axe WCAG 2.2 AA checks, and a convener reviews a statement's labels."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Browser, expect

from commonground.engagement.models import Conversation
from tests.browser.chromium import WCAG_AA, chromium_started

pytestmark = pytest.mark.browser


@pytest.fixture
def round_table(transactional_db, live_server) -> Iterator[tuple[str, int, int, str]]:
    call_command("load_demo_engagement")
    conversation = Conversation.objects.get(is_example=True)
    statement = conversation.statements.get(text__startswith="This is not about profit")
    client = Client()
    client.force_login(User.objects.get(username="engagement.convener@example.org"))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    yield live_server.url, conversation.pk, statement.pk, session


@pytest.fixture
def chromium(round_table) -> Iterator[Browser]:
    with chromium_started() as browser:
        yield browser


def test_the_alignment_pages_pass_axe_core_wcag_aa_checks(round_table, chromium: Browser) -> None:
    url, conversation, statement, _ = round_table
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    axe = Axe()
    failures = {}
    for path in (
        f"/conversations/{conversation}/alignment/",
        f"/conversations/{conversation}/",
        f"/statements/{statement}/",
        "/conversations/",
    ):
        response = page.goto(f"{url}{path}")
        assert response is not None and response.status == 200, path
        results = axe.run(page, options=WCAG_AA)
        if results.violations_count:
            failures[path] = results.generate_report()
    assert not failures, "\n\n".join(f"{p}\n{r}" for p, r in failures.items())


def test_anyone_sees_common_ground_tensions_and_consensus(round_table, chromium: Browser) -> None:
    url, conversation, _, _ = round_table
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{url}/conversations/{conversation}/alignment/")
    expect(page.get_by_text("Example: an illustrative conversation")).to_be_visible()
    expect(page.get_by_role("heading", name="Common ground")).to_be_visible()
    expect(page.get_by_text("Every perspective speaks of collaboration.")).to_be_visible()
    expect(page.get_by_role("heading", name="Tensions")).to_be_visible()
    expect(page.locator("strong.govuk-tag", has_text="Consensus").first).to_be_visible()
    expect(page.get_by_role("img", name="Orientation of each perspective")).to_be_visible()
    page.screenshot(path="/tmp/commonground-alignment-page.png", full_page=True)


def test_a_convener_reviews_a_statement_and_it_shows_as_reviewed(
    round_table, chromium: Browser
) -> None:
    url, _, statement, session = round_table
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url}])
    page = context.new_page()
    page.goto(f"{url}/statements/{statement}/")
    expect(page.locator("mark.cg-said--negated")).to_have_text("profit")
    expect(page.get_by_text("Not reviewed")).to_be_visible()
    page.get_by_role("group", name="Principles").get_by_label("Trust").check()
    page.get_by_role("button", name="Save review").click()
    expect(page.get_by_text("Your review was saved")).to_be_visible()
    expect(page.locator("strong.govuk-tag", has_text="Reviewed").first).to_be_visible()
    # Django refuses database queries while Playwright's event loop runs: the page is the check.
    expect(page.get_by_role("checkbox", name="Trust")).to_be_checked()
