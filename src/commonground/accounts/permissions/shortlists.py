"""Rules for shortlists: a signed-in person's saved lists of organisations (organisations
context). A shortlist is private: only its owner sees or changes it; not even a platform
administrator reads another person's. Taking its organisations further (into a partnership, or
a need) needs both this rule and that context's own."""

from __future__ import annotations

from typing import Any

from .core import Rule, is_owner, is_signed_in


def can_create_shortlist(user: Any) -> bool:
    """Anyone signed in saves organisations for themselves; nobody else sees the list."""
    return is_signed_in(user)


def can_view_shortlist(user: Any, shortlist: Any) -> bool:
    return is_owner(user, shortlist.owner_id)


def can_change_shortlist(user: Any, shortlist: Any) -> bool:
    return is_owner(user, shortlist.owner_id)


def _view_entry(user: Any, entry: Any) -> bool:
    return can_view_shortlist(user, entry.shortlist)


def _change_entry(user: Any, entry: Any) -> bool:
    return can_change_shortlist(user, entry.shortlist)


RULES: dict[str, tuple[Rule, Rule]] = {
    "organisations.shortlist": (can_view_shortlist, can_change_shortlist),
    "organisations.shortlistentry": (_view_entry, _change_entry),
}

__all__ = ["can_change_shortlist", "can_create_shortlist", "can_view_shortlist"]
