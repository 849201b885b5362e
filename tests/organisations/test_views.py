"""The search page, its CSV download and the organisation page, as people use them."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from commonground.organisations.models import IdentifierScheme, Organisation
from tests.organisations.factories import TRAFFORD, URMSTON_WARD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trafford")]

AGE_UK = "GB-CHC-1109047"
AGE_UK_COMPANY = "GB-COH-05384301"


def get(client: Client, url: str, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_home_page_link_lists_every_partner_in_trafford(client: Client) -> None:
    page = get(client, "/organisations/", place=TRAFFORD)
    based = get(client, "/organisations/", place=TRAFFORD, relation="based_in")
    total = Organisation.objects.filter(local_authority__gss_code=TRAFFORD).count()

    assert "Find partners in Trafford" in page
    # Works in (the default) also counts charities based elsewhere that the register lists.
    assert "736 organisations working in Trafford" in page
    assert f"{total} organisations based in Trafford" in based
    assert 'name="relation" type="radio" value="works_in" checked' in page
    assert '<option value="E08000009" selected>Trafford</option>' in page
    assert "Wards in Trafford" in page  # the wards are offered to narrow the place down


def test_a_result_shows_name_sector_place_income_and_status(client: Client) -> None:
    page = get(client, "/organisations/", q="age uk", place=TRAFFORD)

    assert f'href="/organisations/{AGE_UK}/"' in page
    assert "AGE UK TRAFFORD" in page
    assert "Urmston, Trafford" in page
    assert "Income not known" in page
    assert ">Charity<" in page and "Active" in page


def test_facets_are_checkboxes_with_counts_and_selected_ones_are_ticked(client: Client) -> None:
    page = get(client, "/organisations/", place=TRAFFORD, legal_form="CIO")

    assert 'name="legal_form" type="checkbox" value="CIO" checked' in page
    assert 'name="sector" type="checkbox" value="charity"' in page
    assert "Apply filters" in page


def test_each_selected_filter_is_a_tag_that_removes_only_itself(client: Client) -> None:
    page = get(client, "/organisations/", place=TRAFFORD, sector="charity", legal_form="CIO")

    assert "Selected filters" in page
    assert 'href="?place=E08000009&amp;legal_form=CIO"><span class="govuk-visually-hidden">' in page
    assert 'href="?place=E08000009&amp;sector=charity"><span class="govuk-visually-hidden">' in page
    assert 'href="?sector=charity&amp;legal_form=CIO"><span class="govuk-visually-hidden">' in page


def test_an_unknown_postcode_is_explained_in_an_error_summary(client: Client) -> None:
    page = get(client, "/organisations/", postcode="ZZ99 9ZZ", distance="2")

    assert "<title>Error: Find partners" in page
    assert "There is a problem" in page
    assert 'href="#id_postcode">We could not find the postcode ZZ99 9ZZ' in page
    assert "govuk-input--error" in page


def test_a_distance_that_is_not_a_number_is_explained(client: Client) -> None:
    page = get(client, "/organisations/", postcode="M41 9EH", distance="two")

    assert 'href="#id_distance">Enter the distance as a number of kilometres' in page


def test_an_unknown_place_code_is_explained(client: Client) -> None:
    page = get(client, "/organisations/", place="E99999999")

    assert 'href="#id_place">We do not hold a place with the code E99999999' in page


def test_near_a_postcode_shows_the_distance_as_a_removable_filter(client: Client) -> None:
    page = get(client, "/organisations/", postcode="m41 9eh", distance="1.5")

    assert "Within 1.5 km of M41 9EH" in page
    assert "AGE UK TRAFFORD" in get(client, "/organisations/", q="age", postcode="M41 9EH")


def test_results_are_paged_with_links_that_keep_the_search(client: Client) -> None:
    first = get(client, "/organisations/", place=TRAFFORD)
    second = get(client, "/organisations/", place=TRAFFORD, page="2")

    assert 'class="govuk-pagination"' in first
    assert 'href="?place=E08000009&amp;page=2" rel="next"' in first
    assert 'aria-current="page">2<' in second
    assert 'rel="prev"' in second


def test_the_download_has_every_matching_organisation(client: Client) -> None:
    page = get(client, "/organisations/", place=TRAFFORD, legal_form="CIO", page="2")
    assert 'href="/organisations/download.csv?place=E08000009&amp;legal_form=CIO"' in page

    response = client.get(
        "/organisations/download.csv",
        {"place": TRAFFORD, "legal_form": "CIO", "relation": "based_in"},
    )
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert response["Content-Type"].startswith("text/csv")
    expected = Organisation.objects.filter(local_authority__gss_code=TRAFFORD, legal_form="CIO")
    assert len(rows) == expected.count() > 20  # more than one page
    assert {r["org_id"] for r in rows} == set(expected.values_list("org_id", flat=True))
    assert {r["local_authority_code"] for r in rows} == {TRAFFORD}


def test_the_download_row_for_an_organisation_has_its_facts(client: Client) -> None:
    response = client.get("/organisations/download.csv", {"q": "age uk trafford"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))

    age_uk = next(r for r in rows if r["org_id"] == AGE_UK)
    assert age_uk["name"] == "AGE UK TRAFFORD"
    assert (age_uk["sector"], age_uk["legal_form"]) == ("Charity", "Charitable company")
    assert (age_uk["ward_code"], age_uk["postcode"]) == (URMSTON_WARD, "M41 9EH")
    assert age_uk["url"].endswith(f"/organisations/{AGE_UK}/")


def test_a_download_of_an_invalid_search_is_refused(client: Client) -> None:
    response = client.get("/organisations/download.csv", {"distance": "far", "postcode": "M41 9EH"})

    assert response.status_code == 400
    assert "Enter the distance as a number" in response.content.decode()


def test_any_identifier_leads_to_the_organisation_page(client: Client) -> None:
    response = client.get(f"/organisations/{AGE_UK_COMPANY}/")

    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{AGE_UK}/"


def test_an_unknown_identifier_is_not_found(client: Client) -> None:
    assert client.get("/organisations/GB-CHC-999999999/").status_code == 404


def test_the_organisation_page_shows_why_it_is_a_charity(client: Client) -> None:
    page = get(client, f"/organisations/{AGE_UK}/")

    assert "Why it is shown as charity" in page
    assert "<code>registered_charity_number</code>" in page
    assert "registered with the Charity Commission for England and Wales" in page
    assert "Charity Commission for England and Wales (Trafford extract, 2023)" in page


def test_the_organisation_page_shows_its_facts_place_and_map(client: Client) -> None:
    page = get(client, f"/organisations/{AGE_UK}/")

    assert "Charitable company" in page
    assert "Registered 14 April 2005" in page
    assert "M41 9EH" in page
    assert 'href="/places/E05015259/">Urmston</a> ward' in page
    assert 'href="/places/E08000009/">Trafford</a>' in page
    assert '<svg class="cg-map"' in page and "cg-map__area--highlight" in page
    assert "dementia day care" in page


def test_the_organisation_page_shows_every_source_record_raw(client: Client) -> None:
    page = get(client, f"/organisations/{AGE_UK}/")

    assert "Charities operating in Trafford (Charity Commission extract, 2023-04-04)" in page
    assert "trafford_charities_ccew_2023.csv, row 406<" in page
    assert "The record as published" in page
    assert "<code>charity_contact_web</code>" in page and "www.ageuktrafford.org.uk" in page


def test_identifiers_link_to_their_register_when_the_scheme_says_how(client: Client) -> None:
    IdentifierScheme.objects.create(
        code="GB-CHC",
        name="Charity Commission",
        record_url_template="https://register-of-charities.charitycommission.gov.uk/charity-search/-/charity-details/{id}",
    )
    page = get(client, f"/organisations/{AGE_UK}/")

    assert (
        'href="https://register-of-charities.charitycommission.gov.uk/charity-search/-/'
        'charity-details/1109047" rel="external">GB-CHC-1109047</a>'
    ) in page
    # No scheme loaded for Companies House: the identifier is shown without a link.
    assert f"{AGE_UK_COMPANY}\n" in page or f"{AGE_UK_COMPANY}<" in page
    assert f">{AGE_UK_COMPANY}</a>" not in page
