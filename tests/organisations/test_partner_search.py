"""Finding partners by what they do and where they work (issue 14), on the real Trafford
register of charities operating in the borough."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.models import Max

from commonground.imports.engine import run_import
from commonground.organisations.coverage import works_in_links
from commonground.organisations.models import (
    Organisation,
    OrganisationEmbedding,
    PlaceLink,
)
from commonground.organisations.records import OrganisationRecord, SectorClaim
from commonground.organisations.registers.trafford_charities import TraffordCharitiesImporter
from commonground.organisations.search import query as sql
from commonground.organisations.search.hybrid import search_words
from commonground.organisations.search.query import TextQuery
from commonground.organisations.selectors import (
    SearchParams,
    _hybrid_scope,
    find_place,
    hybrid_first_pages,
    iter_search_results,
    search_organisations,
    website_url,
)
from commonground.organisations.services import organisations_upsert
from tests.organisations.factories import TRAFFORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trafford")]


def _search(text: str = "", **kwargs):
    return search_organisations(SearchParams(text=text, place=find_place(TRAFFORD), **kwargs))


def _add(number: int, name: str, activities: str, postcode: str, areas: list[str]) -> None:
    organisations_upsert(
        [
            OrganisationRecord(
                dataset="ccew_register",
                record_key=str(number),
                raw={"number": str(number)},
                identifiers=[f"GB-CHC-{number}"],
                name=name,
                postcode=postcode,
                activities=activities,
                sector_claims=[SectorClaim("charity", "number", str(number), "a test register")],
                status="active",
                latest_income_pence=123_456_700,
                latest_income_date=date(2024, 3, 31),
                areas_of_operation=areas,
            )
        ],
        None,
    )


def test_a_commissioners_words_find_the_charity_that_does_that_work_and_say_why() -> None:
    result = _search("befriending for housebound people")

    top = [org.name for org in result.organisations[:3]]
    assert "THE CYRIL FLINT VOLUNTEERING CHARITY" in top
    cyril = next(o for o in result.organisations if o.name.startswith("THE CYRIL FLINT"))
    why = result.reasons[cyril.pk]
    assert "activities mention “befriending”" in why[0]
    assert any(reason.startswith("based in Trafford (registered address") for reason in why)
    assert why[-1] == "income not known"


def test_a_commissioners_later_life_finds_charities_whose_register_says_older_or_elderly() -> None:
    result = _search("tackling loneliness in later life", page_size=30)

    first = result.organisations[:20]
    by_concept = [o for o in first if "“elderly”" in result.reasons[o.pk][0]]
    assert len(by_concept) >= 5  # none of them says "later life"
    assert all("later life" not in (o.activities or "").lower() for o in by_concept)
    first_names = {org.name: org for org in first}
    assert (
        "“elderly”, “over 60”, words related"
        in result.reasons[first_names["WAI YIN SOCIETY"].pk][0]
    )
    hale = first_names["HALE OLDER PEOPLE'S WELFARE COMMITTEE"]
    assert "name has “older”" in result.reasons[hale.pk][0]


def test_the_sectors_own_words_find_charities_whose_register_never_uses_the_query_words() -> None:
    result = _search("uniformed youth groups", page_size=20)

    scouts = [o for o in result.organisations if "SCOUT" in o.name]
    assert len(scouts) >= 10
    assert all("uniformed" not in (o.activities or "").lower() for o in scouts)
    # The word the search added is said to be related, not shown as if it had been typed.
    assert "name has “scout”, a word related to your search" in result.reasons[scouts[0].pk]


def test_a_long_term_condition_is_found_under_its_own_name() -> None:
    names = [
        o.name for o in _search("support groups for people with chronic illnesses").organisations
    ]

    assert "GEORGE HOUSE TRUST" in names[:20]  # its register says HIV
    assert "THE HOPE KIDNEY PATIENTS' ASSOCIATION" in names[:20]


def test_disabled_finds_the_charities_whose_register_says_disabilities() -> None:
    result = _search("sport for disabled people", page_size=100)

    assert "THE UPHILL SKI CLUB OF GREAT BRITAIN" in [o.name for o in result.organisations]


def test_a_word_nobody_uses_in_their_name_finds_organisations_by_their_activities() -> None:
    wellbeing = _search("wellbeing")
    lunch = _search("lunch club")

    assert wellbeing.total > 10
    assert lunch.total > 0


def test_a_charity_based_elsewhere_says_it_works_in_the_place_and_on_what_evidence() -> None:
    result = _search("citizens advice")

    sort = next(o for o in result.organisations if o.name == "Citizens Advice SORT Group")
    assert sort.local_authority is None  # its address is outside Trafford
    assert (
        "works in Trafford (listed in Charities operating in Trafford "
        "(Charity Commission extract, 2023-04-04))" in result.reasons[sort.pk]
    )


def test_a_name_typed_with_no_place_finds_organisations_of_that_name_only() -> None:
    result = search_organisations(SearchParams(text="age uk"))
    one_word = search_organisations(SearchParams(text="dementia"))

    assert [org.name for org in result.organisations] == ["AGE UK TRAFFORD"]
    assert "AGE UK TRAFFORD" in [org.name for org in one_word.organisations]  # by activities


def test_a_nationwide_charity_is_found_in_the_place_below_the_local_ones_with_its_coverage() -> (
    None
):
    _add(
        9100001,
        "Befriending Across England Test Charity",
        "Telephone befriending for housebound older people in every part of England.",
        "M1 1AE",
        ["Region: Throughout England"],
    )

    params = SearchParams(text="telephone befriending", place=find_place(TRAFFORD), page_size=100)
    names = [org.name for org in iter_search_results(params)]
    result = search_organisations(params)  # local ones close in meaning fill the first page

    national = names.index("Befriending Across England Test Charity")
    assert names.index("THE CYRIL FLINT VOLUNTEERING CHARITY") < national
    org = next(o for o in result.organisations if o.name.startswith("Befriending Across"))
    assert any(
        r.startswith("works across England (area of operation") for r in result.reasons[org.pk]
    )
    assert "income £1.2m (2024)" in result.reasons[org.pk]
    links = PlaceLink.objects.filter(organisation=org)
    assert [(link.gss_code, link.coverage) for link in links] == [("E92000001", "national")]
    based = _search("befriending for housebound people", relation="based_in")
    assert "Befriending Across England Test Charity" not in [o.name for o in based.organisations]


def test_areas_of_operation_become_places_with_their_coverage() -> None:
    facts = [
        {
            "_dataset": "ccew_register",
            "areas_of_operation": [
                "Local Authority: Trafford",
                "Local Authority: Greater Manchester",
                "Region: Throughout England And Wales",
                "Country: India",
            ],
        }
    ]

    links = {(link.gss_code, link.coverage) for link in works_in_links(facts)}

    assert links == {
        ("E08000009", "local"),
        ("E11000001", "area"),
        ("K04000001", "national"),
    }


def test_re_importing_the_register_keeps_place_links_and_embeds_nothing_again(
    shared_data,
) -> None:
    links_before = set(PlaceLink.objects.values_list("organisation_id", "gss_code", "as_of"))
    embedded_before = OrganisationEmbedding.objects.aggregate(latest=Max("updated_at"))
    assert len(links_before) == 736

    run_import(
        TraffordCharitiesImporter(),
        shared_data / "registers" / "trafford_charities_ccew_2023.csv",
    )

    assert set(PlaceLink.objects.values_list("organisation_id", "gss_code", "as_of")) == (
        links_before
    )
    assert OrganisationEmbedding.objects.aggregate(latest=Max("updated_at")) == embedded_before


def test_changed_activities_are_embedded_again_and_found_by_their_new_meaning() -> None:
    _add(9100002, "Plain Test Charity", "Choir rehearsals.", "M41 9EH", [])
    org = Organisation.objects.get(name="Plain Test Charity")
    first = OrganisationEmbedding.objects.get(organisation=org)

    _add(9100002, "Plain Test Charity", "Dementia cafe for people with memory loss.", "M41 9EH", [])

    second = OrganisationEmbedding.objects.get(organisation=org)
    assert second.fingerprint != first.fingerprint
    assert "Plain Test Charity" in [o.name for o in _search("memory loss support").organisations]


def test_the_organisation_page_links_its_website_and_says_where_it_works(client) -> None:
    page = client.get("/organisations/GB-CHC-1171817/", follow=True).content.decode()

    assert '<a class="govuk-link" href="https://www.casort.org"' in page
    assert "Works in Trafford (listed in Charities operating in Trafford" in page
    assert "as of 4 April 2023" in page


@pytest.mark.parametrize(
    ("given", "link"),
    [
        ("www.ageuktrafford.org.uk", "https://www.ageuktrafford.org.uk"),
        ("http://example.org/about", "http://example.org/about"),
        ("javascript:alert(1)", ""),
        ("NA", ""),
        ("see our facebook page", ""),
    ],
)
def test_a_website_becomes_a_link_only_when_it_is_a_web_address(given: str, link: str) -> None:
    assert website_url(given) == link


def test_a_place_searched_again_with_its_organisations_kept_finds_what_was_added_since(
    settings, django_capture_on_commit_callbacks
) -> None:
    # A server with its page cache on keeps a place's organisations and their vectors for the
    # public data generation (ADR 0037); the results are those of a search that keeps nothing.
    settings.COMMONGROUND_PAGE_CACHE_SECONDS = 600
    kept = _search("memory loss support")
    settings.COMMONGROUND_PAGE_CACHE_SECONDS = 0
    computed = _search("memory loss support")
    assert [o.pk for o in kept.organisations] == [o.pk for o in computed.organisations]
    assert kept.reasons == computed.reasons
    settings.COMMONGROUND_PAGE_CACHE_SECONDS = 600

    with django_capture_on_commit_callbacks(execute=True):
        _add(9100003, "Memory Lane Test Charity", "Dementia cafe for memory loss.", "M41 9EH", [])

    assert "Memory Lane Test Charity" in [
        o.name for o in _search("memory loss support").organisations
    ]


NEED_TEXT = (
    "Later-life wellbeing service People over 65 living alone, and their carers. Older people "
    "stay well, connected and independent at home for longer."
)


@pytest.mark.parametrize("text", [NEED_TEXT, "youth", "the and of"])
def test_the_place_read_a_search_takes_finds_what_a_lookup_a_word_finds(text: str) -> None:
    """A search within a place finds, for each word, the organisations that looking that word
    up alone with the place finds, with the same facts. PostgreSQL reads the place's rows once
    and tests each word on them (ADR 0045); SQLite looks all the words up together."""
    params = SearchParams(text=text, place=find_place(TRAFFORD))
    tokens, conditions = _hybrid_scope(params)
    assert tokens
    words = [TextQuery(tuple(word.split()), "") for word in search_words(text)]
    filters = sql.in_condition("sector", ["charity"])

    if connection.vendor == "postgresql":
        rows, found, everyone = sql.word_rows(words, tokens, conditions, filters)
        assert everyone == sql.scope_ids(tokens, conditions)
        assert len(everyone) > 100
    else:
        found = sql.words_matches(words, tokens, conditions)
        rows = []

    assert found == [sql.word_matches(word, tokens, conditions) for word in words]
    matched = set().union(*found) if found else set()
    read = sql.rows_of(sorted(matched), filters)
    if connection.vendor == "postgresql":
        assert sorted(rows) == sorted(read)
    # A search with words does not rank by the prior (income, its date, completeness), so
    # neither read gives it; the place's order without a query reads it.
    assert all(row[7:10] == (None, None, None) for row in read)
    everyone = {row[0]: row for row in sql.scope_rows(tokens, conditions, filters)}
    assert not matched or any(everyone[pk][9] is not None for pk in matched)
    if text == NEED_TEXT:
        assert len(words) > 15 and len(matched) > 50


@pytest.mark.parametrize("word", ["befriending", "carers", "25", "cafe", "mornings"])
def test_a_word_joined_to_the_next_by_punctuation_is_found_alike_on_both_databases(word) -> None:
    """PostgreSQL's parser would read "groups.Befriending" as a host name, "parents/carers" as a
    path and "6-25" as 6 and -25; both databases split them as SQLite does (ADR 0047)."""
    _add(
        9_900_001,
        "THE PUNCTUATED ACTIVITIES TRUST",
        "Helping groups.Befriending parents/carers of young people aged 6-25.Café mornings",
        "M41 9EH",
        ["Trafford"],
    )
    pk = Organisation.objects.get(name="THE PUNCTUATED ACTIVITIES TRUST").pk
    tokens, conditions = _hybrid_scope(SearchParams(text=word, place=find_place(TRAFFORD)))

    assert pk in sql.word_matches(TextQuery((word,), ""), tokens, conditions)
    assert pk in [o.pk for o in _search(word, page_size=100).organisations]


def test_a_registers_word_after_a_full_stop_is_found_in_its_activities() -> None:
    """On the real register: a charity whose activities run "groups.Supporting" is found by
    "support" on both databases."""
    charity = Organisation.objects.get(identifiers__value="GB-CHC-1132141")
    assert "groups.Supporting" in charity.activities
    tokens, conditions = _hybrid_scope(SearchParams(text="support", place=find_place(TRAFFORD)))

    assert charity.pk in sql.word_matches(TextQuery(("support",), ""), tokens, conditions)


@pytest.mark.parametrize(
    "texts",
    [
        ["Later-life wellbeing service for people over 65 who live alone", "Later-life wellbeing"],
        ["holiday activities and food for children on free school meals", "holiday activities"],
    ],
)
def test_several_texts_ranked_from_one_read_come_in_the_order_each_search_gives(texts) -> None:
    """What a need's matching asks (ADR 0051): its whole text and its title, from one read."""
    params = SearchParams(text="", place=find_place(TRAFFORD), page_size=50)
    pages = hybrid_first_pages(params, texts)
    earlier: set[int] = set()
    for text, page in zip(texts, pages, strict=True):
        alone = _search(text, page_size=50)
        assert [o.pk for o in page.organisations] == [o.pk for o in alone.organisations]
        assert len(page.organisations) > 3
        for pk, reasons in page.reasons.items():
            assert pk not in earlier and reasons == alone.reasons[pk]
        earlier |= {o.pk for o in page.organisations}
    assert set(pages[1].reasons) == {o.pk for o in pages[1].organisations} - {
        o.pk for o in pages[0].organisations
    }
