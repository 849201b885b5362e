"""A need in a real browser, from writing to an invitation: the example commissioner writes and
publishes a need; a provider's officer expresses interest; the commissioner sees the
organisations that fit, compares respondents, shortlists the provider and invites it into the
example partnership. Every page on the way passes axe-core's WCAG 2.2 AA checks."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, Page

from commonground.accounts.models import Membership, Profile
from commonground.needs.models import Interest, Need
from commonground.organisations.selectors import organisation_by_identifier
from commonground.partnerships.models import Partnership, PartnershipInvitation
from tests.browser.chromium import WCAG_AA
from tests.needs.factories import member_of
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.browser

PASSWORD = "a browser test password 42"
LEAD = "lead.commissioner@example.org"
PROVIDER = "befriending.officer@example.org"


@pytest.fixture
def example_people(trafford_served: str) -> Iterator[None]:
    call_command("load_demo_partnerships", password=PASSWORD, verbosity=0)
    council = OrganisationFactory(
        org_id="GB-LAE-TRF", name="Trafford Council", sector="public_body"
    )
    member_of(User.objects.get(username=LEAD), council)
    provider = User.objects.create_user(
        username=PROVIDER, email=PROVIDER, password=PASSWORD, first_name="Befriending officer"
    )
    Profile.objects.create(user=provider, email_verified_at=timezone.now())
    member_of(provider, organisation_by_identifier("GB-CHC-1146179"))
    yield
    # Rows that refer to the atlas go before the atlas is cleared.
    Need.objects.all().delete()
    Partnership.objects.all().delete()
    Membership.objects.all().delete()


def _recorded() -> tuple[str, bool]:
    invitation = PartnershipInvitation.objects.get(email=PROVIDER)
    return Interest.objects.get().status, invitation.partnership.is_example


def sign_in(browser: Browser, base: str, email: str) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{base}/account/sign-in/")
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return page


def test_a_need_goes_from_writing_to_an_invitation_with_every_page_accessible(
    example_people: None, trafford_served: str, browser: Browser
) -> None:
    base, axe, failures = trafford_served, Axe(), {}

    def check(page: Page, name: str) -> None:
        results = axe.run(page, options=WCAG_AA)
        if results.violations_count:
            failures[name] = results.generate_report()

    commissioner = sign_in(browser, base, LEAD)
    commissioner.goto(f"{base}/needs/")
    check(commissioner, "needs list")
    commissioner.get_by_role("link", name="Write a need").click()
    check(commissioner, "write a need")
    commissioner.fill("#id_title", "Later-life wellbeing service")
    commissioner.fill("#id_outcomes", "Older people stay well, connected and independent.")
    commissioner.fill("#id_who_for", "People over 65 living alone, and their carers.")
    commissioner.select_option("#id_place", "E08000009")
    commissioner.fill("#id_wards", "Urmston")
    commissioner.get_by_label("Call for grant or partnership interest").check()
    commissioner.fill("#id_closes_on", "31/12/2099")
    commissioner.get_by_role("button", name="Save").click()
    assert "Draft" in commissioner.locator(".govuk-warning-text").inner_text()
    check(commissioner, "draft need")
    commissioner.get_by_role("button", name="Publish the need").click()
    assert "Need published" in commissioner.locator(".govuk-notification-banner").inner_text()
    need_path = commissioner.url.removeprefix(base)  # /needs/<id>/

    provider = sign_in(browser, base, PROVIDER)
    provider.goto(f"{base}{need_path}")
    check(provider, "published need")
    provider.get_by_label("Would lead").check()
    provider.fill("#id_message", "We befriend older people across Trafford.")
    provider.get_by_role("button", name="Send your interest").click()
    assert (
        "Your interest has been sent" in provider.locator(".govuk-notification-banner").inner_text()
    )

    commissioner.goto(f"{base}{need_path}matches/")
    assert commissioner.locator("table.govuk-table tbody tr").count() >= 5
    check(commissioner, "matches")
    commissioner.goto(f"{base}{need_path}respondents/")
    check(commissioner, "respondents")
    commissioner.get_by_role("button", name="Shortlist").click()
    assert (
        "added to the shortlist" in commissioner.locator(".govuk-notification-banner").inner_text()
    )
    check(commissioner, "shortlisted")
    commissioner.get_by_role("button", name="Invite").click()
    banner = commissioner.locator(".govuk-notification-banner").inner_text()
    assert "invited into" in banner and PROVIDER not in commissioner.content()
    check(commissioner, "invited")
    assert "Invited" in commissioner.locator("table.govuk-table").inner_text()
    # The database is read outside Playwright's event loop.
    with ThreadPoolExecutor(1) as pool:
        status, example = pool.submit(_recorded).result()
    assert status == "invited" and example
    assert not failures, "\n\n".join(f"{name}\n{report}" for name, report in failures.items())
