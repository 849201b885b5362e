"""Issue 17's "done when", in a real browser: a commissioner starts a route appraisal from their
need, answers, including "Not sure", sees a recommended route and two alternatives with
reasons, saves it linked to the need, downloads a Word decision record that names the service
and the council and lists what remains to confirm, and links the appraisal to their
partnership. Every page on the way passes axe-core's WCAG 2.2 AA checks."""

from __future__ import annotations

import io
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from django.core.management import call_command
from docx import Document
from playwright.sync_api import Browser, Page

from commonground.accounts.models import Membership
from commonground.commissioning.models import Appraisal
from commonground.needs import services as need_services
from commonground.needs.models import Need
from commonground.partnerships.models import Partnership
from tests.browser.chromium import WCAG_AA
from tests.needs.factories import member_of, need_data
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.browser

PASSWORD = "a browser test password 42"
LEAD = "lead.commissioner@example.org"
PARTNERSHIP = "Trafford Later Life Wellbeing Partnership (example)"

# The service: £1.2m over three years, light touch, several providers; not sure
# whether the providers must be integrated, and no social investors. Any question not named
# here is answered "No" (or 0).
CHOSEN = {
    "nation": "England",
    "authority_type": "A local authority",
    "subject": "Services",
    "council_receives_services": "Yes",
    "estimated_value_pence": "1200000",
    "duration_months": "36",
    "light_touch_service": "Yes",
    "multiple_providers_to_integrate": "Not sure",
    "innovation_required": "Not sure",
    "social_investor_interest": "No",
    "aims": ["Collaboration", "Trust"],
}


@pytest.fixture
def need(trafford_served: str) -> Iterator[Need]:
    call_command("load_demo_partnerships", password=PASSWORD, verbosity=0)
    council = OrganisationFactory(
        org_id="GB-LAE-TRF", name="Trafford Council", sector="public_body"
    )
    lead = User.objects.get(username=LEAD)
    member_of(lead, council)
    yield need_services.need_create(lead, council, need_data())
    # Rows that refer to the atlas go before the atlas is cleared.
    Need.objects.all().delete()
    Partnership.objects.all().delete()
    Appraisal.objects.all().delete()
    Membership.objects.all().delete()


def _links(need: Need) -> tuple[int | None, int | None, int | None]:
    appraisal = Appraisal.objects.filter(name="Later-life wellbeing service").first()
    partnership = Partnership.objects.get(name=PARTNERSHIP)
    need.refresh_from_db()
    return appraisal.pk if appraisal else None, partnership.appraisal_id, need.appraisal_id


def answer_until_checked(page: Page, check) -> None:
    """Answer each question page as CHOSEN says, until the check answers page."""
    while not page.get_by_role("heading", name="Check your answers").count():
        field = page.url.rstrip("/").rsplit("/", 1)[-1]
        value = CHOSEN.get(field)
        if field == "decision_date":
            page.get_by_label("Day").fill("1")
            page.get_by_label("Month").fill("6")
            page.get_by_label("Year").fill("2026")
        elif field == "partners":
            page.locator("#id_typed").fill("GB-CHC-1146179")
            check(page, "partners question")
        elif isinstance(value, list):
            for label in value:
                page.get_by_label(label, exact=True).check()
        elif page.locator("input[type=radio]").count():
            page.get_by_label(value or "No", exact=True).check()
            if value == "Not sure":
                check(page, f"not sure on {field}")
        else:
            page.locator("#id_answer").fill(value or "0")
        page.get_by_role("button", name="Continue").click()


def test_a_commissioner_goes_from_their_need_to_a_decision_record_and_their_partnership(
    need: Need, trafford_served: str, browser: Browser, tmp_path: Path
) -> None:
    base, axe, failures = trafford_served, Axe(), {}

    def check(page: Page, name: str) -> None:
        results = axe.run(page, options=WCAG_AA)
        if results.violations_count:
            failures[name] = results.generate_report()

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{base}/account/sign-in/")
    page.fill("#id_email", LEAD)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{base}/needs/{need.pk}/")
    check(page, "need")
    page.get_by_role("button", name="Appraise the routes for this need").click()
    assert page.get_by_text("Question 3").is_visible()  # its name and council came from the need
    answer_until_checked(page, check)
    page.get_by_role("button", name="See the routes").click()

    assert page.get_by_role("heading", name="Recommended route:").is_visible()
    alternatives = page.locator("h2:has-text('Alternatives') ~ h3")
    assert alternatives.count() == 2
    assert page.get_by_text("answers you were not sure of").is_visible()
    assert page.get_by_text("the need \u201cLater-life wellbeing service\u201d").is_visible()
    check(page, "results")
    page.get_by_role("button", name="Save and link to the need").click()
    assert page.get_by_text("Appraisal saved and linked to the need").is_visible()
    check(page, "saved appraisal")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the decision record (Word)").click()
    saved = tmp_path / "record.docx"
    download.value.save_as(saved)
    doc = Document(io.BytesIO(saved.read_bytes()))
    text = "\n".join(
        [p.text for p in doc.paragraphs]
        + [c.text for t in doc.tables for row in t.rows for c in row.cells]
    )
    assert "Later-life wellbeing service" in text and "Trafford Council" in text
    assert "5. Facts still to confirm" in text and "Recommended route:" in text
    assert "Find out whether" in text  # a "Not sure" answer, to be found out

    page.get_by_role("link", name="Link to a partnership").click()
    check(page, "link to a partnership")
    page.get_by_label(PARTNERSHIP).check()
    page.get_by_role("button", name="Link to this partnership").click()
    assert page.locator("#partnership").get_by_role("link", name=PARTNERSHIP).is_visible()
    with ThreadPoolExecutor(1) as pool:  # the database, outside Playwright's event loop
        appraisal, of_partnership, of_need = pool.submit(_links, need).result()
    assert appraisal is not None and of_partnership == of_need == appraisal
    assert not failures, "\n\n".join(f"{name}\n{report}" for name, report in failures.items())
