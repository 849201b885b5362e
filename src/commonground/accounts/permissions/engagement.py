"""Rules for conversations, statements and votes (the engagement context).

- A conversation is seen by its convener, its participants and moderators; when the convener
  makes it public, by anyone (published statements only). Otherwise its existence is private
  (the pages and the API answer 404).
- The convener runs it: participants, imports, uploads, moderation, review of labels, drafts.
  Platform administrators may too.
- Statements wait for moderation unless the convener entered them; moderators and the
  convener publish or reject them. Until published, only the author, the convener and
  moderators see one.
- Anyone may add a statement to an open public conversation if signed in, or without an
  account where the convener allows it; participants may add to any open conversation of theirs.
- Votes on shared statements: the participants (and the convener), signed in.
- Everything others see (convening, statements, votes) needs a confirmed email address when
  signed in (ADR 0023); anonymous contributions are moderated and carry no address.
"""

from __future__ import annotations

from typing import Any

from .core import Rule, has_confirmed_address, is_moderator, is_platform_admin, is_signed_in


def can_convene(user: Any) -> bool:
    """Start a conversation (and so make one public): signed in with a confirmed address."""
    return has_confirmed_address(user)


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


def is_convener(user: Any, conversation: Any) -> bool:
    return is_signed_in(user) and conversation.convener_id == user.pk


def is_conversation_participant(user: Any, conversation: Any) -> bool:
    return is_signed_in(user) and conversation.participants.filter(user_id=user.pk).exists()


def can_view_conversation(user: Any, conversation: Any) -> bool:
    if conversation.visibility == "public":
        return True
    return (
        is_convener(user, conversation)
        or is_moderator(user)
        or is_conversation_participant(user, conversation)
    )


def can_run_conversation(user: Any, conversation: Any) -> bool:
    """Participants, imports, uploads, re-analysis, drafting shared statements, settings."""
    return is_convener(user, conversation) or is_platform_admin(user)


def can_moderate_conversation(user: Any, conversation: Any) -> bool:
    return is_convener(user, conversation) or is_moderator(user)


def can_review_labels(user: Any, conversation: Any) -> bool:
    return can_moderate_conversation(user, conversation)


def can_contribute_to_conversation(user: Any, conversation: Any) -> bool:
    if conversation.status != "open":
        return False
    if is_signed_in(user) and not has_confirmed_address(user):
        return False
    if is_convener(user, conversation) or is_conversation_participant(user, conversation):
        return True
    if conversation.visibility != "public":
        return False
    return is_signed_in(user) or bool(conversation.allow_anonymous)


def can_vote_in_conversation(user: Any, conversation: Any) -> bool:
    return (
        conversation.status == "open"
        and has_confirmed_address(user)
        and (is_convener(user, conversation) or is_conversation_participant(user, conversation))
    )


def can_view_statement_in_conversation(user: Any, statement: Any) -> bool:
    conversation = statement.conversation
    if not can_view_conversation(user, conversation):
        return False
    return can_view_statement(user, statement) or can_moderate_conversation(user, conversation)


def can_change_statement_in_conversation(user: Any, statement: Any) -> bool:
    return can_change_statement(user, statement) or can_moderate_conversation(
        user, statement.conversation
    )


def _view_shared(user: Any, shared: Any) -> bool:
    return can_view_conversation(user, shared.conversation)


def _change_shared(user: Any, shared: Any) -> bool:
    return can_run_conversation(user, shared.conversation)


RULES: dict[str, tuple[Rule, Rule]] = {
    "engagement.conversation": (can_view_conversation, can_run_conversation),
    "engagement.statement": (
        can_view_statement_in_conversation,
        can_change_statement_in_conversation,
    ),
    "engagement.sharedstatement": (_view_shared, _change_shared),
    "engagement.statementdocument": (
        lambda user, doc: can_moderate_conversation(user, doc.conversation),
        lambda user, doc: can_run_conversation(user, doc.conversation),
    ),
}
