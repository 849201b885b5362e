"""Rules for conversations, statements and votes (the engagement context)."""

from __future__ import annotations

from typing import Any

from .core import Rule, is_moderator, is_signed_in


def can_view_statement(user: Any, statement: Any) -> bool:
    """`statement.status` ("pending", "published", "rejected") and `statement.author_id`:
    published statements are public; others only to their author and moderators."""
    if statement.status == "published":
        return True
    return is_moderator(user) or (is_signed_in(user) and statement.author_id == user.pk)


def can_change_statement(user: Any, statement: Any) -> bool:
    """Authors edit while pending; after that only moderators act on it."""
    if statement.status == "pending" and is_signed_in(user) and statement.author_id == user.pk:
        return True
    return is_moderator(user)


def can_moderate_statements(user: Any) -> bool:
    return is_moderator(user)


RULES: dict[str, tuple[Rule, Rule]] = {
    "engagement.statement": (can_view_statement, can_change_statement),
}
