"""link_parties: what the money ledger can rely on when it links payers and recipients."""

from __future__ import annotations

import pytest

from commonground.organisations.linkage import LinkResult, Party, link_parties
from commonground.organisations.models import LinkReview, LinkReviewStatus

pytestmark = pytest.mark.django_db


def test_a_known_identifier_links_whatever_the_name(atlas) -> None:
    results = link_parties([Party("s:x", "Something else entirely", "", ("GB-CHC-1100001",))])
    assert results["s:x"] == LinkResult("s:x", atlas["GB-CHC-1100001"].pk, "identifier", None)


def test_the_same_name_at_the_same_postcode_links_probabilistically(atlas) -> None:
    result = link_parties([Party("s:age", "AGE UK TRAFFORD", "m33 7fd")])["s:age"]
    assert result.organisation_id == atlas["GB-CHC-1100001"].pk
    assert result.method == "probabilistic"
    assert result.score is not None and result.score >= 0.9


def test_legal_form_words_do_not_stop_a_link(atlas) -> None:
    result = link_parties([Party("s:tct", "Trafford Community Transport", "M32 0TH")])["s:tct"]
    assert (result.organisation_id, result.method) == (
        atlas["GB-CHC-1100002"].pk,
        "probabilistic",
    )


def test_a_name_with_no_organisation_is_unresolved(atlas) -> None:
    result = link_parties([Party("s:none", "Zebra Crossing Consultants", "M1 1AA")])["s:none"]
    assert result == LinkResult("s:none", None, "unresolved", result.score)
    assert not LinkReview.objects.exists()


def test_an_uncertain_match_waits_for_review_once(atlas) -> None:
    # The organisation's name without the place at its end, and no postcode: a reviewer decides.
    party = Party("s:age", "Age UK", "", source="test")
    first = link_parties([party])["s:age"]
    assert first.method == "review_pending"
    assert first.organisation_id == atlas["GB-CHC-1100001"].pk
    again = link_parties([party])["s:age"]
    assert again.method == "review_pending"
    assert LinkReview.objects.filter(status=LinkReviewStatus.PENDING).count() == 1


def test_every_party_gets_one_result(atlas) -> None:
    parties = [Party(f"s:{i}", name) for i, name in enumerate(["Age UK Trafford", "", "???"])]
    assert set(link_parties(parties)) == {"s:0", "s:1", "s:2"}


def test_two_organisations_the_model_cannot_tell_apart_go_to_review(atlas) -> None:
    result = link_parties([Party("s:sale", "Sale Community Trust")])["s:sale"]
    assert result.method == "review_pending"


def test_the_postcode_decides_between_two_of_the_same_name(atlas) -> None:
    result = link_parties([Party("s:sale", "Sale Community Trust Ltd", "WA14 1AA")])["s:sale"]
    assert (result.organisation_id, result.method) == (
        atlas["GB-CHC-1100005"].pk,
        "probabilistic",
    )


def test_a_name_written_singular_links_in_the_same_postcode_sector(atlas) -> None:
    result = link_parties([Party("s:alt", "Altrincham Scout Association", "WA14 2ZZ")])["s:alt"]
    assert (result.organisation_id, result.method) == (
        atlas["GB-CHC-1100006"].pk,
        "probabilistic",
    )


def test_a_misspelt_name_at_the_same_postcode_links(atlas) -> None:
    result = link_parties([Party("s:food", "Stretford Foodbank", "M32 9AB")])["s:food"]
    assert result.organisation_id == atlas["GB-COH-01234567"].pk
