"""Rules for the money ledger's private parts: the linkage review queue.

Money flows themselves are public open data and need no rule to be read. Reviewing a proposed
link between a payer or recipient and an organisation changes which organisation public figures
are counted under, so only platform administrators and members of the "reviewers" group may see
the queue or decide it."""

from __future__ import annotations

from typing import Any

from .core import REVIEWERS_GROUP, Rule, is_link_reviewer


def _review_view(user: Any, review: Any) -> bool:
    return is_link_reviewer(user)


def _review_change(user: Any, review: Any) -> bool:
    return is_link_reviewer(user)


RULES: dict[str, tuple[Rule, Rule]] = {
    "organisations.linkreview": (_review_view, _review_change),
}

__all__ = ["REVIEWERS_GROUP", "is_link_reviewer"]
