"""The review queue in a real browser: a reviewer sees an uncertain match from the Trafford
register with its evidence, the page passes axe-core's WCAG 2.2 AA checks, and accepting it
works."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

from commonground.organisations.linkage import Party, link_parties
from commonground.organisations.models import LinkReview
from tests.accounts.factories import PASSWORD
from tests.browser.chromium import WCAG_AA
from tests.organisations.factories import reviewers

pytestmark = pytest.mark.browser

# No postcode, and every word in the register's "FRIENDS OF VICTORIA PARK, STRETFORD": the
# model is unsure, so a reviewer decides.
PARTY = Party("test:friends of victoria park", "Friends of Victoria Park", source="test")


@pytest.fixture
def queued(trafford_served: str) -> Iterator[LinkReview]:
    # Set up before the browser starts and removed before the atlas is cleared.
    reviewers()
    assert link_parties([PARTY])[PARTY.key].method == "review_pending"
    yield LinkReview.objects.get(party_key=PARTY.key)
    LinkReview.objects.all().delete()


def test_a_reviewer_compares_and_accepts_a_match(
    queued: LinkReview,
    trafford_served: str,
    browser: Browser,
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{trafford_served}/account/sign-in/")
    page.fill("#id_email", "reviewer@council.example")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()

    response = page.goto(f"{trafford_served}/organisations/linkage/reviews/")
    assert response is not None and response.status == 200
    results = Axe().run(page, options=WCAG_AA)
    assert not results.violations_count, results.generate_report()
    card = page.locator(".govuk-summary-card", has_text="Friends of Victoria Park")
    assert "FRIENDS OF VICTORIA PARK, STRETFORD" in card.inner_text()

    card.get_by_role("button", name="Accept").click()
    page.wait_for_load_state()
    assert "is linked to" in page.locator(".govuk-notification-banner").inner_text()
    assert "There are no matches waiting for review." in page.content()
    results = Axe().run(page, options=WCAG_AA)
    assert not results.violations_count, results.generate_report()
    # (The database is not read here: Django refuses while Playwright's event loop runs.)
