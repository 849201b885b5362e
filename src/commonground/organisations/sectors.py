"""Sector precedence: one organisation, one sector, chosen from the evidence its registers give.

A sector is never inferred from the name alone (DESIGN.md). Where registers give more than one
claim, the most specific purpose-driven form wins, in this order.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import Sector
from .records import SectorClaim

PRECEDENCE = [
    Sector.CHARITY,
    Sector.COOPERATIVE_MUTUAL,
    Sector.SOCIAL_ENTERPRISE,
    Sector.COMMUNITY_BUSINESS,
    Sector.SOCIAL_FINANCE,
    Sector.PUBLIC_BODY,
    Sector.PRIVATE_BUSINESS,
    Sector.UNKNOWN,
]
_RANK = {sector.value: rank for rank, sector in enumerate(PRECEDENCE)}


def decide_sector(claims: Iterable[SectorClaim | dict[str, str]]) -> str:
    ranked = [c.sector if isinstance(c, SectorClaim) else c["sector"] for c in claims]
    if not ranked:
        return Sector.UNKNOWN.value
    return min(ranked, key=lambda s: _RANK.get(s, len(PRECEDENCE)))
