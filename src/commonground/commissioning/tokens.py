"""The signed part of an appraisal share link, as partnership invitations do it (ADR 0015): the
signature stops links being made up; the random secret inside, of which only a SHA-256 is
stored, ties a link to its one invitation row."""

from __future__ import annotations

import secrets

from django.core import signing

from commonground.accounts.tokens import hash_api_token

SALT = "commonground.commissioning.share"


def new_secret() -> tuple[str, str]:
    secret = secrets.token_urlsafe(32)
    return secret, hash_api_token(secret)


def share_token(invitation_id: int, secret: str) -> str:
    return signing.dumps({"i": invitation_id, "s": secret}, salt=SALT, compress=True)


def read_share_token(token: str) -> tuple[int, str] | None:
    """(invitation id, hash of its secret), or None if the link is not one of ours."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    invitation_id, secret = data.get("i"), data.get("s")
    if not isinstance(invitation_id, int) or not isinstance(secret, str):
        return None
    return invitation_id, hash_api_token(secret)
