"""The sector guide's figures for Trafford, on the real demo data (its charities, grants, a year
of supplier spend and the Contracts Finder notices): they are the atlas's and the money
profile's own figures, so the pages always agree."""

from __future__ import annotations

import pytest
from django.db.models import Count, Q, Sum
from django.test import Client

from commonground.money.models import MoneyFlow
from commonground.money.selectors import place_profile
from commonground.organisations.models import Organisation
from commonground.organisations.selectors import SearchParams, search_organisations
from commonground.places.models import Place
from commonground.places.selectors import place_by_gss
from commonground.sectors.catalogue import catalogue
from commonground.sectors.selectors import local_figures, sector_counts

pytestmark = pytest.mark.django_db
TRAFFORD = "E08000009"


@pytest.fixture
def trafford(money_demo: None) -> Place:
    place = place_by_gss(TRAFFORD)
    assert place is not None
    return place


def _organisations_in(place: Place) -> Q:
    wards = Place.objects.filter(parent__gss_code=place.gss_code)
    return Q(local_authority__gss_code=place.gss_code) | Q(ward__in=wards)


def test_organisation_counts_equal_the_atlas_search_for_every_sector(trafford: Place) -> None:
    atlas = search_organisations(SearchParams(place=trafford, relation="works_in"))
    facet = {option.value: option.count for option in atlas.facets["sector"]}
    counted = dict(
        Organisation.objects.filter(_organisations_in(trafford))
        .values_list("sector")
        .annotate(n=Count("*"))
    )
    assert counted["charity"] > 200  # Trafford's real charities based there
    for entry in catalogue().sectors.values():
        local = local_figures(entry, trafford)
        # Works in: every organisation based there, and those registers say operate there.
        assert local.organisations == facet.get(entry.code, 0) >= counted.get(entry.code, 0)
        assert sum(band.count for band in local.income_bands) == local.organisations
    assert sector_counts(trafford) == facet


def test_income_bands_equal_the_atlas_search_filtered_to_the_sector(trafford: Place) -> None:
    entry = catalogue().sectors["charity"]
    local = local_figures(entry, trafford)
    for band in local.income_bands:
        searched = search_organisations(
            SearchParams(
                place=trafford,
                sectors=("charity",),
                income_bands=(band.value,),
                relation="works_in",
            )
        )
        assert searched.total == band.count, band.label


def test_money_received_equals_the_profile_sector_figure_to_the_penny(trafford: Place) -> None:
    profile = place_profile(trafford)
    by_sector = {f.key: f for f in profile.by_sector}
    assert by_sector["charity"].pence > 0
    for entry in catalogue().sectors.values():
        local = local_figures(entry, trafford)
        figure = by_sector.get(entry.code)
        if figure is None:
            assert local.money_total is None and local.money_rows == []
            continue
        assert local.money_total is not None
        assert local.money_total.pence == figure.pence
        assert local.money_total.count == figure.count
        assert local.money_total.share == pytest.approx(figure.share)
        assert sum(r.pence for r in local.money_rows) == figure.pence
        assert sum(r.count for r in local.money_rows) == figure.count
        direct = MoneyFlow.objects.filter(
            place__gss_code=TRAFFORD, recipient_sector=entry.code
        ).exclude(recipient_organisation=None)
        assert direct.aggregate(t=Sum("amount_pence"))["t"] == figure.pence


def test_money_rows_by_year_and_channel_add_up_to_the_profile_channel_year_cells(
    trafford: Place,
) -> None:
    local = local_figures(catalogue().sectors["charity"], trafford)
    for row in local.money_rows:
        flows = MoneyFlow.objects.filter(
            place__gss_code=TRAFFORD,
            recipient_sector="charity",
            channel=row.channel,
            financial_year=row.financial_year,
            recipient_link_method=row.attribution,
        ).exclude(recipient_organisation=None)
        assert flows.aggregate(t=Sum("amount_pence"))["t"] == row.pence


def test_the_sector_page_shows_traffords_figures(trafford: Place, client: Client) -> None:
    local = local_figures(catalogue().sectors["charity"], trafford)
    page = client.get("/sectors/charity/", {"place": TRAFFORD}).content.decode()
    assert local.money_total is not None
    from commonground.money.templatetags.money import pence

    assert pence(local.money_total.pence) in page
    assert f"{local.organisations:,} organisations" in page
    assert "works in the place" in page.lower()


def test_the_api_gives_the_same_local_figures_and_names_relation_and_period(
    trafford: Place, client: Client
) -> None:
    answer = client.get("/api/v1/sectors", {"place": TRAFFORD}).json()
    assert [s["code"] for s in answer] == list(catalogue().sectors)
    # Every sector's count, summed from one read of the place's counts, is the atlas facet's.
    atlas = search_organisations(SearchParams(place=trafford, relation="works_in"))
    facet = {option.value: option.count for option in atlas.facets["sector"]}
    assert {s["code"]: s["local"]["organisations"] for s in answer} == {
        code: facet.get(code, 0) for code in catalogue().sectors
    }
    charity = next(s for s in answer if s["code"] == "charity")
    local = local_figures(catalogue().sectors["charity"], trafford)
    assert charity["local"]["organisations"] == local.organisations
    assert charity["local"]["relation"] == "works_in"
    assert charity["local"]["money_received"]["period"] == "all_years"
    assert local.money_total is not None
    assert charity["local"]["money_received"]["pence"] == local.money_total.pence
    one = client.get("/api/v1/sectors/charity", {"place": TRAFFORD}).json()
    assert one["local"] == charity["local"]
    assert {"code", "name", "legal_forms", "regulators", "asset_lock", "routes", "sources"} <= set(
        one
    )
