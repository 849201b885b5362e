"""Partner search over the real Trafford charities: text, every filter, facets and pages."""

from __future__ import annotations

from datetime import date

import pytest

from commonground.organisations.models import Organisation
from commonground.organisations.records import OrganisationRecord, SectorClaim
from commonground.organisations.selectors import (
    Near,
    SearchParams,
    find_place,
    postcode_centre,
    search_organisations,
)
from commonground.organisations.services import organisations_upsert
from commonground.places.models import Place, PlaceKind
from tests.organisations.factories import TRAFFORD, URMSTON_WARD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trafford")]


def names(params: SearchParams) -> list[str]:
    return [org.name for org in search_organisations(params).organisations]


def all_names(**kwargs) -> list[str]:
    return names(SearchParams(page_size=100, **kwargs))


def test_age_uk_in_trafford_finds_age_uk_trafford_first() -> None:
    result = search_organisations(SearchParams(text="age uk", place=find_place(TRAFFORD)))

    assert result.organisations[0].name == "AGE UK TRAFFORD"
    assert result.organisations[0].org_id == "GB-CHC-1109047"


def test_the_last_word_matches_as_a_prefix() -> None:
    assert "AGE UK TRAFFORD" in all_names(text="age uk traff")


def test_case_punctuation_and_accents_do_not_matter() -> None:
    assert all_names(text="Age-UK, Trafford!") == all_names(text="AGE UK TRAFFORD")
    assert "AGE UK TRAFFORD" in all_names(text="âge ùk trafford")


def test_ampersand_and_the_word_and_find_the_same_organisations() -> None:
    with_ampersand = all_names(text="altrincham & bowdon civic")
    with_and = all_names(text="altrincham and bowdon civic")

    assert with_ampersand == with_and
    assert "ALTRINCHAM AND BOWDON CIVIC SOCIETY" in with_and
    assert "TRAFFORD SHOPMOBILITY (& ACCESS GROUP)" in all_names(text="shopmobility and access")


def test_ltd_and_limited_find_the_same_organisations() -> None:
    assert "FREEBEE FOUNDATION LTD" in all_names(text="freebee foundation limited")
    assert "STRETFORD CHURCH HALL AND INSTITUTE LIMITED" in all_names(
        text="stretford church hall ltd"
    )


def test_a_word_that_is_an_abbreviation_still_matches_as_a_prefix() -> None:
    # "st" is indexed as "saint", but someone typing "st" may be half-way through "stretford".
    assert "STRETFORD CHURCH HALL AND INSTITUTE LIMITED" in all_names(text="church hall st")


def test_activities_are_searched_but_names_rank_higher() -> None:
    found = all_names(text="dementia")

    assert "AGE UK TRAFFORD" in found  # only its activities mention dementia
    named = [name for name in found if "DEMENTIA" in name]
    assert named and found.index(named[0]) < found.index("AGE UK TRAFFORD")


def test_a_local_authority_matches_organisations_in_it_and_in_its_wards() -> None:
    in_trafford = search_organisations(
        SearchParams(place=find_place(TRAFFORD), relation="based_in")
    )
    in_urmston = search_organisations(SearchParams(place=find_place(URMSTON_WARD)))

    trafford_orgs = Organisation.objects.filter(local_authority__gss_code=TRAFFORD)
    assert in_trafford.total == trafford_orgs.count() > 200
    assert 0 < in_urmston.total < in_trafford.total
    assert all(org.ward.gss_code == URMSTON_WARD for org in in_urmston.organisations)


def test_works_in_a_place_also_finds_charities_based_elsewhere_that_the_register_lists_there() -> (
    None
):
    borough = find_place(TRAFFORD)
    based = search_organisations(SearchParams(place=borough, relation="based_in"))
    works = search_organisations(SearchParams(place=borough))  # works in is the default
    advice = names(SearchParams(text="citizens advice", place=borough))

    assert based.total == 278
    assert works.total == 736
    assert "Citizens Advice SORT Group" in advice  # based in Salford, works in Trafford
    assert "Citizens Advice SORT Group" not in names(
        SearchParams(text="citizens advice", place=borough, relation="based_in")
    )


def test_a_local_authority_also_matches_an_organisation_placed_only_by_its_ward() -> None:
    org = Organisation.objects.filter(ward__gss_code=URMSTON_WARD).first()
    Organisation.objects.filter(pk=org.pk).update(local_authority=None)

    found = search_organisations(SearchParams(text=org.name, place=find_place(TRAFFORD)))

    assert org.pk in [o.pk for o in found.organisations]


def test_near_a_postcode_finds_organisations_within_the_distance_only() -> None:
    postcode, lat, lon = postcode_centre("m41 9eh")
    near = search_organisations(SearchParams(near=Near(postcode, lat, lon, 1.0), page_size=100))
    wider = search_organisations(SearchParams(near=Near(postcode, lat, lon, 5.0)))

    assert "AGE UK TRAFFORD" in [o.name for o in near.organisations]
    assert 0 < near.total < wider.total
    for org in near.organisations:
        # Roughly 1 km: a degree of latitude is 111 km, of longitude 111 km × cos(53.4°).
        dy = (org.latitude - lat) * 111.195
        dx = (org.longitude - lon) * 111.195 * 0.596
        assert dx * dx + dy * dy <= 1.0


def test_filters_by_legal_form_status_and_sector() -> None:
    cios = search_organisations(SearchParams(legal_forms=("CIO",)))
    active_charities = search_organisations(
        SearchParams(sectors=("charity",), statuses=("active",))
    )
    removed = search_organisations(SearchParams(statuses=("removed",)))
    cooperatives = search_organisations(SearchParams(sectors=("cooperative_mutual",)))

    assert cios.total == 128
    assert all(org.legal_form == "CIO" for org in cios.organisations)
    assert active_charities.total == 736
    assert removed.total == 0 and cooperatives.total == 0


def _add_with_income(number: int, name: str, pence: int | None, postcode: str = "M41 9EH") -> None:
    organisations_upsert(
        [
            OrganisationRecord(
                dataset="test_register",
                record_key=str(number),
                raw={"number": str(number), "name": name},
                identifiers=[f"GB-CHC-{number}"],
                name=name,
                postcode=postcode,
                legal_form="CIO",
                sector_claims=[SectorClaim("charity", "number", str(number), "a test register")],
                status="active",
                latest_income_pence=pence,
                latest_income_date=date(2024, 3, 31) if pence is not None else None,
            )
        ],
        None,
    )


def test_income_bands_filter_on_latest_income_in_pence() -> None:
    _add_with_income(9000001, "Tiny Test Trust", 999_999)  # £9,999.99
    _add_with_income(9000002, "Small Test Trust", 1_000_000)  # exactly £10,000
    _add_with_income(9000003, "Large Test Trust", 250_000_000)  # £2.5m

    assert all_names(text="test trust", income_bands=("under_10k",)) == ["Tiny Test Trust"]
    assert all_names(text="test trust", income_bands=("10k_100k",)) == ["Small Test Trust"]
    assert sorted(all_names(text="test trust", income_bands=("under_10k", "1m_10m"))) == [
        "Large Test Trust",
        "Tiny Test Trust",
    ]
    unknown = search_organisations(SearchParams(income_bands=("unknown",)))
    assert unknown.total == 736


def test_each_facet_is_counted_over_the_other_filters_not_its_own() -> None:
    place = find_place(TRAFFORD)
    everything = search_organisations(SearchParams(place=place))
    cios = search_organisations(SearchParams(place=place, legal_forms=("CIO",)))

    legal_forms = {o.value: o.count for o in cios.facets["legal_form"]}
    # The legal form facet ignores the legal form filter, so every form keeps its count...
    assert legal_forms == {o.value: o.count for o in everything.facets["legal_form"]}
    assert sum(legal_forms.values()) == everything.total
    assert [o.value for o in cios.facets["legal_form"] if o.selected] == ["CIO"]
    # ...while the other facets count only CIOs.
    assert {o.value: o.count for o in cios.facets["sector"]} == {"charity": cios.total}
    assert {o.value: o.count for o in cios.facets["income_band"]} == {"unknown": cios.total}
    assert cios.total == legal_forms["CIO"]


def test_results_come_in_pages_that_cover_every_match_once() -> None:
    place = find_place(TRAFFORD)
    first = search_organisations(SearchParams(place=place, page_size=50))
    seen = []
    for page in range(1, first.pages + 1):
        seen += [
            o.pk
            for o in search_organisations(
                SearchParams(place=place, page_size=50, page=page)
            ).organisations
        ]

    assert first.pages == -(-first.total // 50)
    assert len(seen) == len(set(seen)) == first.total


def test_a_page_past_the_end_shows_the_last_page() -> None:
    result = search_organisations(SearchParams(text="trust", page=9999))

    assert result.page == result.pages and result.organisations


def test_sorting_by_name_orders_alphabetically() -> None:
    found = all_names(text="trafford", sort="name")

    assert found == sorted(found)
    assert found != all_names(text="trafford")  # relevance puts other matches first


def test_a_query_of_only_punctuation_matches_everything() -> None:
    assert search_organisations(SearchParams(text="--- !!! ...")).total == 736


def test_a_text_search_in_a_place_agrees_with_the_same_search_everywhere() -> None:
    # On SQLite a search within a place takes a different route through the index; the
    # results, facets and order must be the same as filtering the national search.
    place = find_place(TRAFFORD)
    local = search_organisations(
        SearchParams(
            text="trust", place=place, legal_forms=("Trust",), page_size=100, relation="based_in"
        ),
        meaning=False,
    )
    national = search_organisations(
        SearchParams(text="trust", legal_forms=("Trust",), page_size=100), meaning=False
    )

    assert national.total <= 100  # one page holds them all
    in_trafford = [
        o.pk
        for o in national.organisations
        if o.local_authority and o.local_authority.gss_code == TRAFFORD
    ]
    assert [o.pk for o in local.organisations] == in_trafford
    assert local.total == len(in_trafford) > 0
    assert sum(o.count for o in local.facets["legal_form"]) > local.total
    by_name = search_organisations(
        SearchParams(text="trust", place=place, sort="name", page_size=100)
    )
    assert [o.name for o in by_name.organisations] == sorted(o.name for o in by_name.organisations)


def test_a_prefix_finds_every_word_it_begins_and_whole_words_rank_first() -> None:
    found = all_names(text="christ")

    assert "UPPER ROOM CHRISTIAN FELLOWSHIP" in found  # "christ" begins "christian"
    whole = found.index("FIRST CHURCH OF CHRIST SCIENTIST ALTRINCHAM")
    assert whole < found.index("UPPER ROOM CHRISTIAN FELLOWSHIP")


def test_among_names_with_every_word_shorter_names_come_first() -> None:
    found = all_names(text="age uk")

    named = [name for name in found if name.startswith("AGE UK")]
    assert found[: len(named)] == sorted(named, key=lambda name: (len(name), name))


def test_a_text_search_in_a_ward_finds_only_that_wards_organisations() -> None:
    in_urmston = search_organisations(
        SearchParams(text="trafford", place=find_place(URMSTON_WARD), page_size=100)
    )
    in_trafford = search_organisations(
        SearchParams(text="trafford", place=find_place(TRAFFORD), page_size=100)
    )

    assert "AGE UK TRAFFORD" in [o.name for o in in_urmston.organisations]
    assert 0 < in_urmston.total < in_trafford.total
    assert all(o.ward.gss_code == URMSTON_WARD for o in in_urmston.organisations)


def test_a_region_matches_organisations_in_its_local_authorities() -> None:
    region = Place.objects.create(gss_code="E12000002", name="North West", kind=PlaceKind.REGION)
    Place.objects.filter(gss_code=TRAFFORD).update(parent=region)

    in_region = search_organisations(SearchParams(text="age uk", place=region))
    in_trafford = search_organisations(SearchParams(text="age uk", place=find_place(TRAFFORD)))
    everything = search_organisations(SearchParams(place=region))

    assert [o.pk for o in in_region.organisations] == [o.pk for o in in_trafford.organisations]
    assert in_region.total == in_trafford.total > 0
    assert everything.total == search_organisations(SearchParams(place=find_place(TRAFFORD))).total


def test_an_organisation_that_moves_is_found_in_its_new_place_only() -> None:
    _add_with_income(9000004, "Wandering Test Trust", None, postcode="M15 4AB")
    moved_from = Place.objects.get(gss_code="E05015247")
    assert names(SearchParams(text="wandering", place=moved_from)) == ["Wandering Test Trust"]

    _add_with_income(9000004, "Wandering Test Trust", None, postcode="M41 9EH")

    assert names(SearchParams(text="wandering", place=moved_from)) == []
    assert names(SearchParams(text="wandering", place=find_place(URMSTON_WARD))) == [
        "Wandering Test Trust"
    ]


def test_a_place_with_no_local_authorities_finds_nothing() -> None:
    empty = Place.objects.create(gss_code="E12000099", name="Nowhere", kind=PlaceKind.REGION)

    assert search_organisations(SearchParams(text="trust", place=empty)).total == 0
    assert search_organisations(SearchParams(place=empty)).total == 0
