"""The guide's pages and the cross-links from elsewhere: a commissioner can open an
organisation, click its legal form and read what it means; route pages say who can use them;
the glossary can be searched; the articulation is shown only from enough voices."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from commonground.engagement.models import StatementStatus, Visibility
from commonground.imports.engine import run_import
from commonground.organisations.models import Sector
from commonground.organisations.registers.fca_mutuals import FcaMutualsImporter
from commonground.places.models import Place
from commonground.sectors.catalogue import catalogue
from commonground.sectors.selectors import articulation
from tests.places.factories import PlaceFactory

from .factories import (
    ConversationFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def trafford(db) -> Place:
    return PlaceFactory()


def test_the_guide_lists_the_six_sectors_with_local_counts(client: Client, trafford) -> None:
    OrganisationFactory.create_batch(3, local_authority=trafford, sector=Sector.CHARITY)
    page = client.get("/sectors/").content.decode()
    for entry in catalogue().sectors.values():
        assert f'href="/sectors/{entry.code}/?place=E08000009"' in page
    assert 'place=E08000009&amp;sector=charity">3<' in page


def test_an_unknown_place_code_is_named_and_the_demo_place_shown(client: Client, trafford) -> None:
    page = client.get("/sectors/", {"place": "E99999999"}).content.decode()
    assert "No place has the code E99999999" in page
    assert "in Trafford" in page


def test_each_sector_page_shows_forms_regulators_routes_and_sources(
    client: Client, trafford
) -> None:
    page = client.get("/sectors/cooperative_mutual/").content.decode()
    assert 'id="form-registered_society"' in page
    assert "Financial Conduct Authority" in page
    assert 'href="/routes/reserved_mutual_s33/"' in page
    assert "public service mutuals only" in page
    assert "https://www.fca.org.uk/publications/finalised-guidance/" in page
    assert client.get("/sectors/private_business/").status_code == 404


def test_an_organisations_legal_form_links_to_what_it_means_with_its_places_figures(
    client: Client, trafford
) -> None:
    org = OrganisationFactory(legal_form="CIO", sector=Sector.CHARITY, local_authority=trafford)
    page = client.get(f"/organisations/{org.org_id}/").content.decode()
    assert 'href="/sectors/charity/?place=E08000009#form-cio"' in page
    assert 'href="/sectors/charity/?place=E08000009">Charity</a>' in page
    nowhere = OrganisationFactory(legal_form="CIO", sector=Sector.CHARITY, local_authority=None)
    page = client.get(f"/organisations/{nowhere.org_id}/").content.decode()
    assert 'href="/sectors/charity/#form-cio"' in page
    guide = client.get("/sectors/charity/").content.decode()
    assert 'id="form-cio"' in guide


def test_a_legal_form_the_guide_does_not_name_links_to_its_sectors_legal_forms(
    client: Client, trafford
) -> None:
    org = OrganisationFactory(legal_form="Corporation by letters patent", sector=Sector.CHARITY)
    page = client.get(f"/organisations/{org.org_id}/").content.decode()
    assert 'href="/sectors/charity/#legal-forms"' in page
    private = OrganisationFactory(legal_form="Something unusual", sector=Sector.PRIVATE_BUSINESS)
    page = client.get(f"/organisations/{private.org_id}/").content.decode()
    assert "Something unusual" in page
    assert "/sectors/private_business/" not in page and "#form-" not in page


FCA_HEADER = (
    "Society Number,Society Suffix,Full Registation Number,Society Name,Registered As,"
    "Society Address,Registration Date,Deregistration Date,Registration Act,"
    "Standard Industrial Classification Code (SIC),Reporting Classification,Society Status"
)


@pytest.mark.parametrize(
    ("registered_as", "form", "words"),
    [
        ("Community Benefit Society", "community_benefit_society", "wider community"),
        ("Bona fide co-operative", "cooperative_society", "bona fide co-operative"),
        ("Credit Union", "credit_union", "Prudential Regulation Authority"),
    ],
)
def test_a_society_from_the_fca_register_links_its_form_to_that_forms_guide_entry(
    client: Client, trafford, tmp_path, registered_as: str, form: str, words: str
) -> None:
    made_up = tmp_path / "SocietyList.csv"
    made_up.write_text(
        FCA_HEADER + "\n"
        f"31001,R,31001R,Example Society Limited (test),{registered_as},"
        '"1 Example Street, Sale, M33 7XX",01/04/2015,,'
        "Co-operative and Community Benefit Societies Act 2014,,,Registered\n",
        encoding="utf-8",
    )
    run_import(FcaMutualsImporter(), made_up)
    page = client.get("/organisations/GB-MPR-31001R/").content.decode()
    assert re.search(rf'href="/sectors/cooperative_mutual/(\?place=\w+)?#form-{form}"', page)
    guide = client.get("/sectors/cooperative_mutual/").content.decode()
    entry = guide.split(f'id="form-{form}"', 1)[1].split('class="cg-legal-form"', 1)[0]
    assert words.casefold() in entry.casefold()


def test_search_results_link_legal_forms_and_facets_to_the_guide(client: Client, trafford) -> None:
    OrganisationFactory(legal_form="Trust", sector=Sector.CHARITY, local_authority=trafford)
    page = client.get("/organisations/", {"place": "E08000009"}).content.decode()
    assert 'href="/sectors/charity/#form-charitable_trust"' in page
    assert 'href="/sectors/">What each sector means</a>' in page


def test_route_pages_list_the_sectors_that_can_use_them(client: Client) -> None:
    page = client.get("/routes/community_asset_transfer/").content.decode()
    assert "Who can use this route" in page
    for code in ("charity", "community_business", "public_body"):
        assert f'href="/sectors/{code}/#routes"' in page
    assert 'href="/glossary/#term-' in client.get("/routes/grant/").content.decode()


def test_the_glossary_finds_terms_and_shows_each_perspective(client: Client) -> None:
    page = client.get("/glossary/", {"q": "grant"}).content.decode()
    assert 'id="term-grant"' in page
    assert "To a commissioner" in page and "To a resident" in page
    assert 'id="term-profit"' not in page
    everything = client.get("/glossary/").content.decode()
    assert everything.count('<h2 class="govuk-heading-m" id="term-') == len(catalogue().glossary)


def test_the_glossary_api_gives_every_perspective(client: Client) -> None:
    answer = client.get("/api/v1/glossary").json()
    codes = [t["code"] for t in answer["terms"]]
    assert {"value", "outcomes", "partnership", "grant", "contract"} <= set(codes)
    grant = next(t for t in answer["terms"] if t["code"] == "grant")
    assert grant["commissioner"] and grant["provider"] and grant["funder"] and grant["community"]
    assert [
        t["code"] for t in client.get("/api/v1/glossary", {"q": "light touch"}).json()["terms"]
    ] == ["light_touch"]


def test_the_sectors_api_refuses_an_unknown_sector_or_place(client: Client, trafford) -> None:
    assert client.get("/api/v1/sectors/nothing").status_code == 404
    answer = client.get("/api/v1/sectors", {"place": "E99999999"})
    assert answer.status_code == 404
    assert "E99999999" in answer.json()["detail"]
    # A NUL is refused as a parameter's value on both databases (PostgreSQL cannot compare it;
    # it was a 500 there): ADR 0059.
    for address, place in (("/api/v1/sectors", "\x00"), ("/api/v1/sectors/charity", "E0\x00")):
        answer = client.get(address, {"place": place})
        assert answer.status_code == 422 and answer.json()["field"] == "place"


def _statements(sector: str, organisations: int, each: int, **conversation) -> None:
    chat = ConversationFactory(**conversation)
    for _ in range(organisations):
        membership = MembershipFactory(organisation__sector=sector)
        person = ParticipantFactory(conversation=chat, user=membership.user)
        StatementFactory.create_batch(each, participant=person)


def test_articulation_needs_five_statements_from_three_organisations(db) -> None:
    _statements(Sector.SOCIAL_ENTERPRISE, organisations=2, each=3)
    shown = articulation(Sector.SOCIAL_ENTERPRISE)
    assert (shown.statements, shown.organisations, shown.enough) == (6, 2, False)
    _statements(Sector.SOCIAL_ENTERPRISE, organisations=1, each=1)
    shown = articulation(Sector.SOCIAL_ENTERPRISE)
    assert (shown.statements, shown.organisations, shown.enough) == (7, 3, True)
    assert shown.profile is not None and shown.profile.orientation["purpose"] == 7
    assert ("trust", 7) in shown.themes


def test_articulation_leaves_out_private_conversations_and_unpublished_statements(db) -> None:
    _statements(Sector.CHARITY, organisations=3, each=2, visibility=Visibility.PARTICIPANTS)
    assert articulation(Sector.CHARITY).statements == 0
    chat = ConversationFactory()
    for _ in range(3):
        membership = MembershipFactory(organisation__sector=Sector.CHARITY)
        person = ParticipantFactory(conversation=chat, user=membership.user)
        StatementFactory.create_batch(2, participant=person, status=StatementStatus.PENDING)
    assert articulation(Sector.CHARITY).statements == 0


def test_the_sector_page_says_when_there_are_too_few_voices(client: Client, trafford) -> None:
    page = client.get("/sectors/social_finance/").content.decode()
    assert "Not enough yet" in page
