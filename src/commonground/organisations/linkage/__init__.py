"""Linking payers and recipients in money sources to organisations in the atlas.

The interface the money ledger uses (ADR 0008):

- `Party(key, name, postcode="", identifiers=(), source="", places=())`: a payer or recipient
  (places: GSS codes of the local authorities its source places it in);
- `LinkResult(key, organisation_id, method, score)`;
- `link_parties(parties) -> dict[key, LinkResult]`;
- `on_link_decided(callback)`: `callback(key, organisation_id)` after a reviewer's decision.
"""

from __future__ import annotations

from .callbacks import on_link_decided
from .link import link_parties
from .types import LinkResult, Party

__all__ = ["LinkResult", "Party", "link_parties", "on_link_decided"]
