"""What matching a need reads of each organisation: its services, places served, routes open to,
capacity and sector, in one call."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from commonground.profiles.selectors import can_see_contact, match_facts

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
