"""Organisations working across a region or a nation are found by every search within a place
there, with their facts as they are now: on PostgreSQL from their copies kept together (ADR
0054), which follow every change to the organisation, its places and its removal."""

from __future__ import annotations

import pytest
from django.db import connection

from commonground.organisations.models import Organisation, WideSearchRow
from commonground.organisations.search.index import is_wide_area_token
from commonground.organisations.selectors import SearchParams, find_place, iter_search_results
from tests.organisations.factories import TRAFFORD, OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trafford")]

ACTIVITIES = "Telephone befriending and bereavement support for carers in every part of England."


def _nationwide(**kwargs) -> Organisation:
    defaults = {
        "org_id": "GB-CHC-9200001",
        "name": "Carers Across England Test Charity",
        "dataset": "ccew_register",
        "activities": ACTIVITIES,
        "postcode": "M1 1AE",  # based in Manchester
        "areas_of_operation": ["Region: Throughout England"],
    }
    return OrganisationFactory(**{**defaults, **kwargs})


def _found_in_trafford(text: str = "bereavement support for carers", **kwargs) -> list[str]:
    """Every match, in order: the nation-wide come after the local ones."""
    params = SearchParams(text=text, place=find_place(TRAFFORD), **kwargs)
    return [org.name for org in iter_search_results(params)]


def _copies_agree_with_organisations() -> None:
    """PostgreSQL: each copy holds its organisation's facts and search vector as they are now,
    and every organisation with a works-in link to a region or a nation has one. SQLite keeps
    none (its full-text index holds the place tokens)."""
    if connection.vendor != "postgresql":
        assert not WideSearchRow.objects.exists()
        return
    columns = (
        "id, sector, status, legal_form, latest_income_pence, search_name, local_authority_id, "
        "ward_id, latitude, longitude, search_vector::text"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM organisations_widesearchrow ORDER BY id")
        copies = cursor.fetchall()
        cursor.execute(
            f"SELECT {columns} FROM organisations_organisation o WHERE EXISTS (SELECT 1 FROM "
            "organisations_placelink pl WHERE pl.organisation_id = o.id AND "
            "pl.relation = 'works_in' AND left(pl.gss_code, 3) IN "
            "('E12', 'E92', 'W92', 'S92', 'N92', 'K02', 'K03', 'K04')) ORDER BY id"
        )
        assert copies == cursor.fetchall()


def test_a_charity_working_across_england_is_found_in_the_place_with_its_facts() -> None:
    charity = _nationwide()

    assert "Carers Across England Test Charity" in _found_in_trafford()
    assert "Carers Across England Test Charity" in _found_in_trafford(sectors=("charity",))
    assert "Carers Across England Test Charity" not in _found_in_trafford(relation="based_in")
    _copies_agree_with_organisations()
    copied = WideSearchRow.objects.filter(pk=charity.pk).exists()
    assert copied is (connection.vendor == "postgresql")


def test_a_charity_that_stops_working_across_england_is_no_longer_found_in_the_place() -> None:
    _nationwide()
    _nationwide(areas_of_operation=["Local Authority: Manchester"])

    assert "Carers Across England Test Charity" not in _found_in_trafford()
    _copies_agree_with_organisations()


def test_a_changed_name_sector_and_activities_are_what_the_place_search_finds() -> None:
    _nationwide()
    _nationwide(
        name="Grief Support England Test Enterprise",
        sector="social_enterprise",
        activities="Grief support groups run by volunteers across England.",
    )

    assert "Carers Across England Test Charity" not in _found_in_trafford("grief support")
    assert "Grief Support England Test Enterprise" in _found_in_trafford("grief support")
    assert "Grief Support England Test Enterprise" not in _found_in_trafford(
        "grief support", sectors=("charity",)
    )
    assert "Grief Support England Test Enterprise" in _found_in_trafford(
        "grief support", sectors=("social_enterprise",)
    )
    _copies_agree_with_organisations()


def test_a_removed_charity_is_not_found_in_the_place() -> None:
    _nationwide().delete()

    assert "Carers Across England Test Charity" not in _found_in_trafford()
    _copies_agree_with_organisations()


@pytest.mark.parametrize(
    ("token", "wide"),
    [
        ("zwae92000001", True),  # England
        ("zwak04000001", True),  # England and Wales
        ("zwae12000007", True),  # London, a region
        ("zwaw92000004", True),  # Wales
        ("zwae11000001", False),  # Greater Manchester, a metropolitan area
        ("zwae08000009", False),  # Trafford
        ("zlae92000001", False),  # based in, not working in
    ],
)
def test_only_regions_and_nations_count_as_wide_areas(token: str, wide: bool) -> None:
    assert is_wide_area_token(token) is wide
