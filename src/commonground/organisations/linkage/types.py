"""The linkage interface's values: a party found in a money source, and what it linked to."""

from __future__ import annotations

from dataclasses import dataclass

# How a party came to be linked (or not): the LinkResult.method values.
IDENTIFIER = "identifier"
PROBABILISTIC = "probabilistic"
REVIEW_ACCEPTED = "review_accepted"
REVIEW_REJECTED = "review_rejected"
REVIEW_PENDING = "review_pending"
UNRESOLVED = "unresolved"
LINKED_METHODS = (IDENTIFIER, PROBABILISTIC, REVIEW_ACCEPTED)
METHODS = (IDENTIFIER, PROBABILISTIC, REVIEW_ACCEPTED, REVIEW_REJECTED, REVIEW_PENDING, UNRESOLVED)


@dataclass(frozen=True)
class Party:
    """A payer or recipient as one source names it.

    `key` is stable across re-imports of the same party in the same source, e.g.
    "trafford-spend:<normalised name>"; `identifiers` are org-ids found in the data, e.g.
    ("GB-CHC-1234567", "GB-COH-01234567"); `places` are the GSS codes of the local authorities
    the source itself places the party in, e.g. ("E08000009",) for a 360Giving recipient whose
    grants benefit Trafford. Empty when the source does not say: where a payer's own authority
    is (a council paying its suppliers) says nothing about where the party is."""

    key: str
    name: str
    postcode: str = ""
    identifiers: tuple[str, ...] = ()
    source: str = ""
    places: tuple[str, ...] = ()


@dataclass(frozen=True)
class LinkResult:
    """The organisation a party is linked to, how, and the match probability where one was
    computed (None for identifiers and reviewers' decisions).

    Linked: methods "identifier", "probabilistic" and "review_accepted". For "review_pending"
    `organisation_id` is the organisation proposed to the reviewer, not a link; for
    "review_rejected" and "unresolved" it is None."""

    key: str
    organisation_id: int | None
    method: str
    score: float | None
