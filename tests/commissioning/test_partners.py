"""The likely partners question: a commissioner ticks organisations from their own shortlists
or adds them from the atlas by identifier; an identifier the atlas does not hold is refused
naming it; the partners are named (not just numbered) on the results page, the check page, and
in the Word and PDF decision records."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from docx import Document
from pypdf import PdfReader

from commonground.commissioning.flow import SESSION_KEY
from commonground.commissioning.questions import next_question
from commonground.organisations.models import Identifier
from tests.accounts.factories import UserFactory
from tests.commissioning.factories import answers
from tests.organisations.factories import OrganisationFactory, shortlist_of

pytestmark = pytest.mark.django_db

PLAIN = {"yesno": False, "money": 30_000_000, "months": 36, "share": 0.0, "aims": [], "text": ""}


def up_to_partners(client: Client) -> None:
    """Every question answered but the likely partners."""
    given = answers(service_name="Community wellbeing service", authority_name="Trafford Council")
    raw: dict = {}
    while (q := next_question(raw)) is not None and q.field != "partners":
        raw[q.field] = given.get(q.field, PLAIN.get(q.kind))
    session = client.session
    session[SESSION_KEY] = raw
    session.save()


@pytest.fixture
def atlas():
    age_uk = OrganisationFactory(org_id="GB-CHC-1090001", name="Age UK Trafford (synthetic)")
    coop = OrganisationFactory(org_id="GB-MPR-0001", name="Sale Care Co-op (synthetic)")
    Identifier.objects.create(
        organisation=coop, value="GB-COH-IP000001", scheme="GB-COH", local_id="IP000001"
    )
    user = UserFactory(email="commissioner@example.org")
    shortlist_of(user, "Later life", [age_uk])
    client = Client()
    client.force_login(user)
    up_to_partners(client)
    return client


def test_partners_are_chosen_from_a_shortlist_and_added_from_the_atlas(atlas) -> None:
    page = atlas.get("/appraisals/new/partners/").content.decode()
    assert "Age UK Trafford (synthetic) (GB-CHC-1090001), on \u201cLater life\u201d" in page
    # A company number the co-op also holds is taken, and kept as its preferred id.
    answer = atlas.post(
        "/appraisals/new/partners/", {"answer": ["GB-CHC-1090001"], "typed": "GB-COH-IP000001"}
    )
    assert answer.status_code == 302
    assert atlas.session[SESSION_KEY]["partners"] == ["GB-CHC-1090001", "GB-MPR-0001"]
    check = atlas.get("/appraisals/new/check/").content.decode()
    assert "Sale Care Co-op (synthetic) (GB-MPR-0001)" in check
    result = atlas.get("/appraisals/new/result/").content.decode()
    assert "Likely partners" in result and "Age UK Trafford (synthetic) (GB-CHC-1090001)" in result


def test_an_identifier_the_atlas_does_not_hold_is_refused_naming_it(atlas) -> None:
    answer = atlas.post("/appraisals/new/partners/", {"typed": "GB-CHC-1090001, GB-CHC-0000000"})
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "No organisation in the atlas has the identifier GB-CHC-0000000" in page
    assert 'href="#id_typed"' in page
    assert "partners" not in atlas.session[SESSION_KEY]


def test_someone_elses_shortlist_is_not_offered(atlas) -> None:
    stranger = Client()
    stranger.force_login(UserFactory(email="stranger@example.org"))
    up_to_partners(stranger)
    page = stranger.get("/appraisals/new/partners/").content.decode()
    assert "Age UK Trafford" not in page and "You have no shortlists yet" in page
    refused = stranger.post("/appraisals/new/partners/", {"answer": ["GB-CHC-1090001"]})
    assert refused.status_code == 200  # not a choice they were offered
    assert "Choose from the organisations listed" in refused.content.decode()


def test_the_word_and_pdf_records_name_the_partners(atlas) -> None:
    atlas.post("/appraisals/new/partners/", {"typed": "GB-CHC-1090001"})
    doc = Document(io.BytesIO(atlas.get("/appraisals/new/record.docx").content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "Age UK Trafford (synthetic) (GB-CHC-1090001)" in cells
    pdf = PdfReader(io.BytesIO(atlas.get("/appraisals/new/record.pdf").content))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    assert "Age UK Trafford (synthetic) (GB-CHC-1090001)" in text
