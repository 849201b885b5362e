"""link_parties: payers and recipients to organisations, in order of trust.

1. a reviewer's kept decision (by party key, else by name-and-postcode signature);
2. an identifier in the data that the atlas knows (charity number, company number, ...);
3. the probabilistic model (model.py) over candidate organisations: above LINK_THRESHOLD the
   party is linked; between REVIEW_THRESHOLD and LINK_THRESHOLD the best candidate is queued
   for a reviewer; below, the party stays unresolved.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q

from commonground.organisations.models import LinkReview, LinkReviewStatus, Organisation
from commonground.organisations.selectors import organisation_by_identifier

from .matching import Match, best_matches
from .names import postcode_parts, signature
from .types import (
    IDENTIFIER,
    PROBABILISTIC,
    REVIEW_ACCEPTED,
    REVIEW_PENDING,
    REVIEW_REJECTED,
    UNRESOLVED,
    LinkResult,
    Party,
)

LINK_THRESHOLD = 0.9
REVIEW_THRESHOLD = 0.5


def _decisions(parties: list[Party]) -> dict[str, list[LinkReview]]:
    """Kept reviews for these parties, by party key (found by key or by signature), the most
    recently decided first."""
    by_key = {p.key: p.key for p in parties}
    by_signature: dict[str, list[str]] = {}
    for party in parties:
        by_signature.setdefault(signature(party.name, party.postcode), []).append(party.key)
    found: dict[str, list[LinkReview]] = {}
    keys, signatures = list(by_key), list(by_signature)
    for start in range(0, max(len(keys), len(signatures)), 500):
        reviews = LinkReview.objects.filter(
            Q(party_key__in=keys[start : start + 500])
            | Q(signature__in=signatures[start : start + 500])
        )
        for review in reviews:
            owners = set(by_signature.get(review.signature, []))
            if review.party_key in by_key:
                owners.add(review.party_key)
            for key in owners:
                found.setdefault(key, []).append(review)
    for key, kept in found.items():
        unique = {r.pk: r for r in kept}.values()
        found[key] = sorted(unique, key=lambda r: (r.decided_at is not None, r.decided_at, r.pk))
        found[key].reverse()
    return found


def _by_identifier(party: Party) -> Organisation | None:
    for value in party.identifiers:
        if value and (org := organisation_by_identifier(value)) is not None:
            return org
    return None


def link_parties(parties: Iterable[Party]) -> dict[str, LinkResult]:
    """The link for every party, by key. Queues uncertain matches for review (one pending review
    a party); never changes a reviewer's decision."""
    unique = list({p.key: p for p in parties}.values())
    results: dict[str, LinkResult] = {}
    decisions = _decisions(unique)
    rejected: dict[str, set[int]] = {}
    to_score: list[Party] = []
    for party in unique:
        reviews = decisions.get(party.key, [])
        accepted = [r for r in reviews if r.status == LinkReviewStatus.ACCEPTED]
        if accepted:
            results[party.key] = LinkResult(
                party.key, accepted[0].organisation_id, REVIEW_ACCEPTED, None
            )
            continue
        org = _by_identifier(party)
        if org is not None:
            results[party.key] = LinkResult(party.key, org.pk, IDENTIFIER, None)
            continue
        pending = [r for r in reviews if r.status == LinkReviewStatus.PENDING]
        if pending:
            results[party.key] = LinkResult(
                party.key, pending[0].organisation_id, REVIEW_PENDING, pending[0].score
            )
            continue
        rejected[party.key] = {
            r.organisation_id for r in reviews if r.status == LinkReviewStatus.REJECTED
        }
        to_score.append(party)
    with transaction.atomic():
        for party, match in best_matches(to_score, exclude=rejected).items():
            results[party.key] = _result_for(party, match, bool(rejected.get(party.key)))
    for party in to_score:
        results.setdefault(
            party.key,
            LinkResult(
                party.key,
                None,
                REVIEW_REJECTED if rejected.get(party.key) else UNRESOLVED,
                None,
            ),
        )
    return results


def _result_for(party: Party, match: Match, was_rejected: bool) -> LinkResult:
    if match.probability >= LINK_THRESHOLD and not match.ambiguous:
        return LinkResult(party.key, match.organisation_id, PROBABILISTIC, match.probability)
    if match.probability >= REVIEW_THRESHOLD:  # uncertain, or ambiguous
        review, _ = LinkReview.objects.get_or_create(
            signature=signature(party.name, party.postcode),
            organisation_id=match.organisation_id,
            defaults={
                "party_key": party.key,
                "party_name": party.name[:500],
                "party_postcode": postcode_parts(party.postcode)[0],
                "party_identifiers": list(party.identifiers),
                "source": party.source[:80],
                "score": match.probability,
                "evidence": match.evidence,
            },
        )
        return LinkResult(party.key, match.organisation_id, REVIEW_PENDING, review.score)
    return LinkResult(
        party.key, None, REVIEW_REJECTED if was_rejected else UNRESOLVED, match.probability
    )


__all__ = ["LINK_THRESHOLD", "REVIEW_THRESHOLD", "link_parties"]
