"""A person's perspective follows from their organisation's sector and their role in it.

A pure function: no database, so the rule can be read and tested on its own.
"""

from __future__ import annotations

from django.db import models


class Perspective(models.TextChoices):
    COMMISSIONER = "commissioner", "Commissioner"
    PROVIDER = "provider", "Provider"
    FUNDER = "funder", "Funder"
    COMMUNITY = "community", "Community member"


PROVIDER_SECTORS = frozenset(
    {"charity", "social_enterprise", "cooperative_mutual", "community_business"}
)
# Roles that act for an organisation (a volunteer member of a council does not commission).
ACTING_ROLES = frozenset({"admin", "officer"})


def perspective_for(sector: str | None, role: str | None) -> Perspective:
    """`sector` of the organisation (None: no organisation), `role` in it."""
    if sector is None or role is None:
        return Perspective.COMMUNITY
    if sector == "public_body":
        return Perspective.COMMISSIONER if role in ACTING_ROLES else Perspective.COMMUNITY
    if sector == "social_finance":
        return Perspective.FUNDER
    if sector in PROVIDER_SECTORS:
        return Perspective.PROVIDER
    # Private businesses and organisations whose sector is unknown: no claim is made for them.
    return Perspective.COMMUNITY
