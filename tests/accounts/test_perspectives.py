"""A person's perspective follows from their organisation's sector and their role in it."""

from __future__ import annotations

import pytest

from commonground.accounts.perspectives import Perspective, perspective_for


@pytest.mark.parametrize(
    ("sector", "role", "expected"),
    [
        ("public_body", "officer", Perspective.COMMISSIONER),
        ("public_body", "admin", Perspective.COMMISSIONER),
        ("public_body", "member", Perspective.COMMUNITY),
        ("social_finance", "officer", Perspective.FUNDER),
        ("social_finance", "member", Perspective.FUNDER),
        ("charity", "officer", Perspective.PROVIDER),
        ("social_enterprise", "admin", Perspective.PROVIDER),
        ("cooperative_mutual", "member", Perspective.PROVIDER),
        ("community_business", "officer", Perspective.PROVIDER),
        ("private_business", "officer", Perspective.COMMUNITY),
        ("unknown", "officer", Perspective.COMMUNITY),
        (None, None, Perspective.COMMUNITY),
    ],
)
def test_perspective_follows_sector_and_role(sector, role, expected) -> None:
    assert perspective_for(sector, role) == expected


def test_a_council_officer_is_a_commissioner_and_a_council_volunteer_is_not() -> None:
    assert perspective_for("public_body", "officer") == "commissioner"
    assert perspective_for("public_body", "member") == "community"
