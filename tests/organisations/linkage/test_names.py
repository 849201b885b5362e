"""Names as the linkage compares them: the ways two publishers write one body's name."""

from __future__ import annotations

from commonground.organisations.linkage import words
from commonground.organisations.linkage.names import (
    compare_key,
    distinctive_words,
    name_words,
    postcode_area,
    signature,
)


def test_co_operative_is_one_word_however_it_is_written() -> None:
    assert name_words("Co-operatives UK") == ["cooperative", "uk"]
    assert name_words("Cooperatives UK") == ["cooperative", "uk"]
    assert compare_key("The Co-op Group") == compare_key("Coop Group") == "coop group"


def test_an_apostrophe_lost_by_the_files_encoding_still_matches() -> None:
    assert compare_key("Kitty?s Launderette") == compare_key("Kitty's Launderette")
    assert name_words("Kitty?s Launderette") == ["kitty", "launderette"]


def test_words_are_compared_singular_without_joining_words() -> None:
    assert name_words("Altrincham & Sale Sea Cadets") == ["altrincham", "sale", "sea", "cadet"]
    assert name_words("Friends of Victoria Park, Stretford") == [
        "friend",
        "victoria",
        "park",
        "stretford",
    ]
    assert name_words("Trafford Charities Business Trust") == [
        "trafford",
        "charity",
        "business",
        "trust",
    ]


def test_legal_forms_and_brackets_are_left_out_of_the_words() -> None:
    assert name_words("The Federation of Jewish Services (The Fed) Limited") == [
        "federation",
        "jewish",
        "service",
    ]
    assert name_words("X (The Fed)", brackets=True) == ["x", "fed"]


def test_a_reviewers_decisions_are_still_found_by_the_signature_kept_before() -> None:
    # Kept LinkReview rows hold these signatures: the words above must not change them.
    assert signature("The Plunkett Foundation Ltd", "m32 0th") == "plunkett foundation|M32 0TH"
    assert signature("Co-operatives UK", "") == "company operatives uk|"


def test_words_many_organisations_use_are_common_and_the_rest_distinctive() -> None:
    assert words.is_common("community") and words.is_common("club")
    assert not words.is_common("gorse") and not words.is_common("victoria")
    assert words.names_with("community") > 1000
    assert words.names_with("zzyzx") == 0
    found = distinctive_words(name_words("Friends of Victoria Park, Stretford"))
    assert set(found) == {"victoria", "stretford"}


def test_the_postcode_area_is_its_leading_letters() -> None:
    assert postcode_area("WA14 2BB") == "WA"
    assert postcode_area("m32 0th") == "M"
    assert postcode_area("not a postcode") == ""
