"""A party's place (the local authorities its source names) against an organisation's local
authority: agreement lifts a short name to a link, disagreement lowers the score, and a party
without a place is scored as before."""

from __future__ import annotations

import pytest

from commonground.organisations.linkage import Party, link, link_parties, model
from commonground.organisations.models import LinkReview, Organisation
from commonground.places.models import Place, PlaceKind, Postcode
from tests.organisations.factories import OrganisationFactory

TRAFFORD = "E08000009"
MANCHESTER = "E08000003"


def probability(
    party: str,
    organisation: str,
    places: tuple[str, ...] = (),
    located: tuple[str, ...] = (),
    postcode: str = "",
    at: str = "",
) -> float:
    left = [{"unique_id": "p", "name": party, "postcode": postcode, "places": list(places)}]
    right = [{"unique_id": "o", "name": organisation, "postcode": at, "places": list(located)}]
    found = model.score(left, right, None, 0.0)
    return found[0].probability if found else 0.0


def test_every_place_level_has_its_probabilities() -> None:
    assert len(model.PLACE_M) == len(model.PLACE_U) == len(model.PLACE_LEVELS) - 1
    for values in (model.PLACE_M, model.PLACE_U):
        assert all(0 < v < 1 for v in values)
        assert sum(values) == pytest.approx(1)


def test_the_same_authority_lifts_a_short_name_over_the_link_threshold() -> None:
    party, organisation = "Gorse Hill Studios", "GORSE HILL STUDIOS CREATIVE COMMUNITY"
    alone = probability(party, organisation, located=(TRAFFORD,), at="M32 0PR")
    placed = probability(party, organisation, (TRAFFORD,), (TRAFFORD,), at="M32 0PR")
    assert link.REVIEW_THRESHOLD <= alone < link.LINK_THRESHOLD
    assert placed >= link.LINK_THRESHOLD


def test_another_authority_lowers_the_score() -> None:
    party, organisation = "Gorse Hill Studios", "GORSE HILL STUDIOS CREATIVE COMMUNITY"
    alone = probability(party, organisation, located=(TRAFFORD,), at="M32 0PR")
    elsewhere = probability(party, organisation, (MANCHESTER,), (TRAFFORD,), at="M32 0PR")
    assert elsewhere < alone
    # Evidence against, but weak: a body funded for an area is often based next to it, so the
    # same name stays a link.
    same_name = probability("Simply Cycling", "SIMPLY CYCLING", (TRAFFORD,), (MANCHESTER,))
    assert same_name >= link.LINK_THRESHOLD


def test_one_of_several_authorities_the_source_names_is_agreement() -> None:
    party, organisation = "Gorse Hill Studios", "GORSE HILL STUDIOS CREATIVE COMMUNITY"
    several = probability(party, organisation, (MANCHESTER, TRAFFORD), (TRAFFORD,), at="M32 0PR")
    assert several == probability(party, organisation, (TRAFFORD,), (TRAFFORD,), at="M32 0PR")


@pytest.mark.parametrize(
    ("party", "organisation", "postcode", "at"),
    [
        ("Gorse Hill Studios", "GORSE HILL STUDIOS CREATIVE COMMUNITY", "", "M32 0PR"),
        ("The Plunkett Foundation", "PLUNKETT FOUNDATION LIMITED", "", ""),
        ("Stretford Community Trust", "Stretford Community Trust", "M32 0AA", "M32 0TH"),
        ("Friends of Victoria Park", "FRIENDS OF VICTORIA PARK, STRETFORD", "", "M32 0AD"),
    ],
)
def test_a_place_missing_on_either_side_changes_nothing(
    party: str, organisation: str, postcode: str, at: str
) -> None:
    before = probability(party, organisation, postcode=postcode, at=at)
    assert probability(party, organisation, (), (TRAFFORD,), postcode, at) == before
    assert probability(party, organisation, (TRAFFORD,), (), postcode, at) == before


def test_with_two_postcodes_the_place_is_not_counted_again() -> None:
    # The postcodes have said where both are, more precisely than their authorities can.
    party, organisation = "Stretford Community Trust", "Stretford Community Trust"
    before = probability(party, organisation, postcode="M32 0AA", at="M32 0TH")
    for places in ((TRAFFORD,), (MANCHESTER,)):
        found = probability(party, organisation, places, (TRAFFORD,), "M32 0AA", "M32 0TH")
        assert found == before


# Through link_parties, against organisations placed by their postcodes --------------------


@pytest.fixture
def placed_atlas(db: None) -> dict[str, Organisation]:
    trafford = Place.objects.create(
        gss_code=TRAFFORD, name="Trafford", kind=PlaceKind.LOCAL_AUTHORITY
    )
    Place.objects.create(gss_code=MANCHESTER, name="Manchester", kind=PlaceKind.LOCAL_AUTHORITY)
    for postcode in ("M32 0PR", "M32 9AN"):
        Postcode.objects.create(postcode=postcode, local_authority_code=TRAFFORD)
    atlas = {
        org_id: OrganisationFactory(org_id=org_id, name=name, postcode=postcode, sector="")
        for org_id, name, postcode in (
            ("GB-CHC-1160528", "GORSE HILL STUDIOS CREATIVE COMMUNITY", "M32 0PR"),
            ("GB-CHC-1018424", "HOME-START TRAFFORD SALFORD AND WIGAN", "M32 9AN"),
        )
    }
    assert {org.local_authority for org in atlas.values()} == {trafford}
    return atlas


def test_a_short_name_in_the_authority_its_source_names_links(placed_atlas) -> None:
    party = Party("g:ghs", "Gorse Hill Studios", places=(TRAFFORD,))
    result = link_parties([party])["g:ghs"]
    assert (result.organisation_id, result.method) == (
        placed_atlas["GB-CHC-1160528"].pk,
        "probabilistic",
    )
    assert not LinkReview.objects.exists()


def test_the_same_short_name_without_a_place_still_waits_for_a_reviewer(placed_atlas) -> None:
    result = link_parties([Party("g:ghs", "Gorse Hill Studios")])["g:ghs"]
    assert (result.organisation_id, result.method) == (
        placed_atlas["GB-CHC-1160528"].pk,
        "review_pending",
    )
    review = LinkReview.objects.get()
    # A review where no place was compared reads as before: name and postcode only.
    assert [e["field"] for e in review.evidence] == ["name", "postcode"]


def test_a_short_name_in_another_authority_scores_lower_and_is_not_linked(placed_atlas) -> None:
    elsewhere = Party("g:ghs", "Gorse Hill Studios", places=(MANCHESTER,))
    found = link_parties([elsewhere])["g:ghs"]
    LinkReview.objects.all().delete()
    unplaced = link_parties([Party("g:ghs2", "Gorse Hill Studios")])["g:ghs2"]
    assert found.method != "probabilistic"
    assert found.score is not None and unplaced.score is not None
    assert found.score < unplaced.score


def test_a_weak_match_in_the_same_authority_goes_to_a_reviewer_with_the_place_shown(
    placed_atlas,
) -> None:
    unplaced = link_parties([Party("g:hs", "Home-Start Trafford and Salford")])["g:hs"]
    assert unplaced.method == "unresolved"
    party = Party("g:hs2", "Home-Start Trafford and Salford", places=(TRAFFORD,))
    result = link_parties([party])["g:hs2"]
    assert (result.organisation_id, result.method) == (
        placed_atlas["GB-CHC-1018424"].pk,
        "review_pending",
    )
    evidence = LinkReview.objects.get().evidence
    assert {"field": "place", "level": "in the local authority the source names"} in evidence
