"""What matching a need reads of each organisation: its services, places served, routes open to,
capacity and sector, in one call."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from commonground.organisations.models import Organisation
from commonground.profiles.selectors import can_see_contact, match_facts
from commonground.profiles.service_fit import services_in_place
from tests.organisations.factories import OrganisationFactory
from tests.places.factories import PlaceFactory

from .factories import ProfileFactory, ServiceFactory, a_year_and_a_day_ago


def test_match_facts_gather_what_the_profile_and_active_services_say(profile_world) -> None:
    w = profile_world
    ProfileFactory(organisation=w.charity, routes=["asset_transfer"], staff=3)
    ServiceFactory(organisation=w.charity, name="Lunch club", places=[w.ward])
    ServiceFactory(
        organisation=w.charity, name="Closed club", status="defunct", places=[w.trafford]
    )
    facts = match_facts([w.charity.pk, w.other.pk])
    mine = facts[w.charity.pk]
    assert mine.has_profile and mine.open_to_partnership == "yes" and not mine.stale
    assert mine.routes == {"asset_transfer"}
    assert mine.catalogue_routes == {"community_asset_transfer", "community_right_to_bid"}
    assert mine.staff == 3 and mine.sector == "charity"
    assert mine.service_names == ["Lunch club"] and "Lunch club" in mine.services_text
    assert mine.place_codes == {"E05015259"}
    other = facts[w.other.pk]
    assert not other.has_profile and other.place_codes == set() and other.services_text == ""


def test_a_profile_not_confirmed_for_a_year_is_stale(profile_world) -> None:
    ProfileFactory(organisation=profile_world.charity, confirmed_at=a_year_and_a_day_ago())
    assert match_facts([profile_world.charity.pk])[profile_world.charity.pk].stale


def test_only_signed_in_commissioners_and_funders_see_the_contact(profile_world) -> None:
    w = profile_world
    assert can_see_contact(w.commissioner)
    assert not can_see_contact(w.owner)  # a provider
    assert not can_see_contact(w.outsider)
    assert not can_see_contact(AnonymousUser())


def test_a_places_services_are_those_serving_it_or_its_wards_and_those_of_its_organisations(
    profile_world,
) -> None:
    w = profile_world
    elsewhere = PlaceFactory(gss_code="E08000003", name="Manchester")
    based_here = OrganisationFactory(name="Synthetic Trafford group")
    based_elsewhere = OrganisationFactory(name="Synthetic Manchester group")
    # Where an organisation is based comes from its postcode; set here without one.
    Organisation.objects.filter(pk=based_here.pk).update(local_authority=w.trafford)
    Organisation.objects.filter(pk=based_elsewhere.pk).update(local_authority=elsewhere)
    in_ward = ServiceFactory(organisation=w.charity, places=[w.ward])
    own = ServiceFactory(organisation=based_here)  # says nowhere it serves: its home counts
    closed = ServiceFactory(organisation=based_here, status="defunct")
    away = ServiceFactory(organisation=based_elsewhere, places=[elsewhere])
    found = {s.pk for s in services_in_place(w.trafford, [w.ward.pk])}
    assert found == {in_ward.pk, own.pk}
    assert closed.pk not in found and away.pk not in found
    assert {s.pk for s in services_in_place(w.trafford, [])} == {own.pk}
