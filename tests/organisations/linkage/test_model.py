"""The linkage model on pairs of names: what its evidence says, level by level (no database)."""

from __future__ import annotations

import pytest

from commonground.organisations.linkage import link, matching, model


def scored(party: tuple[str, str], *organisations: tuple[str, str]) -> dict[str, float]:
    """Organisation name -> match probability for one party, for every pair the model scores."""
    rows = [
        {"unique_id": str(i), "name": n, "postcode": p} for i, (n, p) in enumerate(organisations)
    ]
    left = [{"unique_id": "party", "name": party[0], "postcode": party[1]}]
    return {
        organisations[int(p.right_id)][0]: p.probability for p in model.score(left, rows, None, 0.0)
    }


def probability(party: str, organisation: str, postcode: str = "", at: str = "") -> float:
    return scored((party, postcode), (organisation, at)).get(organisation, 0.0)


def test_every_level_has_its_probabilities() -> None:
    assert len(model.NAME_M) == len(model.NAME_U) == len(model.NAME_LEVELS) - 1
    assert len(model.POSTCODE_M) == len(model.POSTCODE_U) == len(model.POSTCODE_LEVELS) - 1
    for values in (model.NAME_M, model.NAME_U, model.POSTCODE_M, model.POSTCODE_U):
        assert all(0 < v < 1 for v in values)
        assert sum(values) == pytest.approx(1)


def test_the_same_name_without_a_postcode_links() -> None:
    assert probability("The Plunkett Foundation", "PLUNKETT FOUNDATION LIMITED") >= 0.9


def test_words_few_organisations_use_say_more_than_common_ones() -> None:
    rare_end = probability("Gorse Hill Studios", "Gorse Hill Studios Creative Community")
    common_end = probability("Community Centre", "Community Centre Trust")
    assert link.REVIEW_THRESHOLD <= rare_end < link.LINK_THRESHOLD  # a reviewer decides
    assert common_end < 0.05
    rare_pair = probability("Cyril Flint Befrienders", "The Cyril Flint Volunteering Charity")
    common_pair = probability("Community Sports Trust", "Sports and Community Club")
    assert rare_pair > 100 * common_pair


def test_a_part_in_brackets_one_publisher_adds_goes_to_a_reviewer() -> None:
    found = probability(
        "The Federation of Jewish Services (The Fed)", "FEDERATION OF JEWISH SERVICES"
    )
    assert link.REVIEW_THRESHOLD <= found < link.LINK_THRESHOLD


def test_branches_with_different_places_in_brackets_are_not_proposed() -> None:
    found = probability("Royal British Legion Club (Chesham)", "Royal British Legion Club (Marlow)")
    assert found < link.REVIEW_THRESHOLD


def test_the_exact_name_is_told_apart_from_the_same_name_with_a_bracket() -> None:
    rows = [
        {"unique_id": "exact", "name": "ENABLE SCOTLAND", "postcode": ""},
        {"unique_id": "bracket", "name": "ENABLE SCOTLAND (LEADING THE WAY)", "postcode": ""},
    ]
    pairs = model.score([{"unique_id": "p", "name": "Enable Scotland", "postcode": ""}], rows)
    best, ambiguous = matching.choose(pairs)["p"]
    assert (best.right_id, ambiguous) == ("exact", False)
    assert best.probability >= link.LINK_THRESHOLD


def test_one_name_with_a_place_added_goes_to_a_reviewer_and_links_at_the_same_postcode() -> None:
    party, organisation = "Friends of Victoria Park", "FRIENDS OF VICTORIA PARK, STRETFORD"
    assert link.REVIEW_THRESHOLD <= probability(party, organisation) < link.LINK_THRESHOLD
    assert probability(party, organisation, "M32 0AD", "M32 0AD") >= link.LINK_THRESHOLD


def test_singular_and_plural_and_co_operative_spellings_are_the_same_words() -> None:
    assert probability("Trafford Sea Cadet", "TRAFFORD SEA CADETS", "WA14 5ZZ", "WA14 5PZ") >= 0.9
    assert probability("Co-operatives UK", "Cooperatives UK") >= 0.9


def test_a_nearer_postcode_is_stronger_evidence() -> None:
    at = "M32 0TH"
    found = [
        probability("Stretford Community Trust", "Stretford Community Trust", postcode, at)
        for postcode in ("M32 0TH", "M32 0AA", "M32 9AA", "M1 1AA", "WA14 1AA")
    ]
    assert found == sorted(found, reverse=True) and len(set(found)) == 5
    assert found[0] >= link.LINK_THRESHOLD and found[-1] < link.LINK_THRESHOLD


def test_names_are_compared_when_they_share_a_rare_word_not_only_the_first() -> None:
    found = scored(
        ("Pegasus Riding for the Disabled", ""),
        ("PEGASUS RDA", "M33 3EP"),
        ("Community Transport Trafford", ""),
    )
    assert "PEGASUS RDA" in found
    # "Community" starts both, but is no rare word: the pair is not even compared.
    assert "Community Transport Trafford" not in scored(
        ("Community Garden Sale", ""), ("Community Transport Trafford", "")
    )
