"""The signed part of an invitation link (ADR 0015), in the manner of accounts.tokens.

The signature (Django's signing, keyed by SECRET_KEY) stops links being made up; the random
secret inside it, of which only a SHA-256 is stored (accounts.tokens.hash_api_token), ties a link
to its one invitation row. Expiry, single use and withdrawal are kept on that row, so each can
be told apart and said plainly to whoever follows the link.
"""

from __future__ import annotations

import secrets

from django.core import signing

from commonground.accounts.tokens import hash_api_token

INVITATION_SALT = "commonground.partnerships.invitation"


def new_invitation_secret() -> tuple[str, str]:
    """A fresh secret for a link, and the hash to store."""
    secret = secrets.token_urlsafe(32)
    return secret, hash_api_token(secret)


def invitation_token(invitation_id: int, secret: str) -> str:
    return signing.dumps({"i": invitation_id, "s": secret}, salt=INVITATION_SALT, compress=True)


def read_invitation_token(token: str) -> tuple[int, str] | None:
    """(invitation id, hash of its secret) from a link, or None if the link is not one of ours."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    invitation_id, secret = data.get("i"), data.get("s")
    if not isinstance(invitation_id, int) or not isinstance(secret, str):
        return None
    return invitation_id, hash_api_token(secret)
