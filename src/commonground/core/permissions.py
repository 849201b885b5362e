"""Who someone is, asked of the user alone: the questions every permission rule is built from
(ADR 0029). They need no model of ours, so every context may ask them, the atlas and the audit
trail included. `accounts.permissions` builds each context's rules on them and is where views,
API handlers and services ask."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied

Rule = Callable[[Any, Any], bool]


class NoRuleFor(LookupError):
    """An object of a type no rule covers was checked: add its rules to its context's module."""


CONFIRM_FIRST = (
    "Confirm your email address first: other people see what you do here, so we need to know "
    "the address is yours. Open the link we emailed you when you created your account, or ask "
    "for a new link on your account page (/account/)."
)


class EmailNotConfirmed(PermissionDenied):
    """Refused because the person has not confirmed their email address yet. Pages answer with a
    page saying why and how to confirm (accounts.middleware); the API with 403 and this text."""

    def __init__(self, message: str = CONFIRM_FIRST) -> None:
        super().__init__(message)
        self.message = message


def require(allowed: bool) -> None:
    """For views and API handlers: stop here unless the rule allowed it."""
    if not allowed:
        raise PermissionDenied


def has_confirmed_address(user: Any) -> bool:
    """Signed in, and has followed the link we emailed to their address. Everything other people
    see (convening, statements, votes, joining, sharing, partnerships, API tokens) needs it
    (ADR 0023): otherwise anyone could act under an address they merely typed."""
    if not is_signed_in(user):
        return False
    profile = getattr(user, "profile", None)  # RelatedObjectDoesNotExist is an AttributeError
    return profile is not None and profile.email_verified_at is not None


def require_confirmed(user: Any) -> None:
    """For services: a signed-in person without a confirmed address is told why (anyone else is
    simply refused)."""
    if not is_signed_in(user):
        raise PermissionDenied
    if not has_confirmed_address(user):
        raise EmailNotConfirmed


def is_signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_owner(user: Any, owner_id: int | None) -> bool:
    """Signed in, and the person an object names as its owner: the question what is private to
    one person (a shortlist) rests on. The atlas, below accounts, asks it here when it writes;
    `accounts.permissions.shortlists` builds its rules on it, so the two cannot differ."""
    return is_signed_in(user) and owner_id is not None and owner_id == user.pk


def is_platform_admin(user: Any) -> bool:
    return is_signed_in(user) and bool(user.is_staff)


def is_moderator(user: Any) -> bool:
    """Moderators see statements waiting for moderation: platform administrators and anyone
    in the "moderators" group."""
    return is_platform_admin(user) or (
        is_signed_in(user) and user.groups.filter(name="moderators").exists()
    )


REVIEWERS_GROUP = "reviewers"


def is_link_reviewer(user: Any) -> bool:
    """Reviewing a proposed link between a payer or recipient and an organisation changes which
    organisation public figures are counted under: platform administrators and members of the
    "reviewers" group only."""
    return is_platform_admin(user) or (
        is_signed_in(user) and user.groups.filter(name=REVIEWERS_GROUP).exists()
    )


__all__ = [
    "CONFIRM_FIRST",
    "REVIEWERS_GROUP",
    "EmailNotConfirmed",
    "NoRuleFor",
    "Rule",
    "has_confirmed_address",
    "is_link_reviewer",
    "is_moderator",
    "is_owner",
    "is_platform_admin",
    "is_signed_in",
    "require",
    "require_confirmed",
]
