"""The ledger's side of linking parties to organisations.

The linkage itself (kept decisions, identifiers, then probabilistic matching, the review queue)
belongs to `commonground.organisations.linkage`; this module hands it the ledger's parties and
says which results count as a link.
"""

from __future__ import annotations

from dataclasses import dataclass

from commonground.organisations.linkage import Party, link_parties

from .records import PartyRecord

# A pending review names a candidate, but until a reviewer accepts it the money is not linked.
LINKED_METHODS = frozenset({"identifier", "probabilistic", "review_accepted"})


@dataclass(frozen=True)
class LinkOutcome:
    key: str
    organisation_id: int | None
    method: str


def link(parties: list[PartyRecord], source: str) -> list[LinkOutcome]:
    results = link_parties(
        Party(
            key=p.key,
            name=p.name,
            postcode=p.postcode,
            identifiers=tuple(p.identifiers),
            source=source,
            places=tuple(p.places),
        )
        for p in parties
    )
    outcomes = []
    for party in parties:
        result = results.get(party.key)
        if result is None:
            outcomes.append(LinkOutcome(party.key, None, "unresolved"))
            continue
        org = result.organisation_id if result.method in LINKED_METHODS else None
        outcomes.append(LinkOutcome(party.key, org, result.method))
    return outcomes
