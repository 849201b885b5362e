"""A conversation's convener invites a participant by email address in a real browser, and the
invited person, signed in with that address, takes part (ADR 0039). The form, the
conversation page with its notice and the invitation page pass axe-core's WCAG 2.2 AA checks."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from playwright.sync_api import Browser, Page

from commonground.engagement import services
from commonground.engagement.models import Conversation
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.chromium import WCAG_AA

pytestmark = pytest.mark.browser


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/account/sign-in/")
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _axe_failures(page: Page) -> str:
    results = Axe().run(page, options=WCAG_AA)
    return results.generate_report() if results.violations_count else ""


@pytest.fixture
def conversation(trafford_served: str) -> Conversation:
    # Made before the browser starts: the ORM is not called once Playwright's loop runs.
    convener = UserFactory(email="convener@example.org", first_name="Cal")
    UserFactory(email="invitee@example.org", first_name="Ivy")
    return services.conversation_create(
        convener, title="Round table (browser test)", kind="round_table", prompt="What matters?"
    )


def test_an_invited_person_takes_part_after_accepting_and_the_pages_pass_axe(
    conversation: Conversation, trafford_served: str, browser: Browser
) -> None:
    base, failures = trafford_served, {}
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _sign_in(page, base, "convener@example.org")
    page.goto(f"{base}/conversations/{conversation.pk}/participants/add/")
    failures["participant form"] = _axe_failures(page)
    page.fill("#id_display_name", "Ivy")
    page.get_by_label("Community member").check()
    page.fill("#id_email", "invitee@example.org")
    page.get_by_role("button", name="Add participant").click()
    page.wait_for_load_state()
    assert "We have sent an invitation to invitee@example.org" in page.content()
    failures["conversation with notice"] = _axe_failures(page)

    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)  # type: ignore[union-attr]
    invitee = browser.new_page(viewport={"width": 1280, "height": 900})
    _sign_in(invitee, base, "invitee@example.org")
    invitee.goto(link)
    failures["invitation"] = _axe_failures(invitee)
    invitee.get_by_role("button", name="Take part").click()
    invitee.wait_for_load_state()
    assert "You are taking part in this conversation." in invitee.content()
    assert not any(failures.values()), failures
