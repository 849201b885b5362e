"""Signed links that stand for one database row: an invitation to a partnership, an appraisal
shared with someone (ADR 0015).

The signature (Django's signing, keyed by SECRET_KEY, with a salt for each kind of link) stops
links being made up; the random secret inside, of which only a SHA-256 is stored on the row,
ties a link to its one row. Expiry, single use and withdrawal are kept on the row, so each can
be told apart and said plainly to whoever follows the link.
"""

from __future__ import annotations

import hashlib
import secrets

from django.core import signing


def hash_secret(secret: str) -> str:
    # A plain SHA-256 is enough: the secret has 256 bits of entropy, so there is nothing to guess.
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_link_secret() -> tuple[str, str]:
    """A fresh secret for a link, and the hash to store on its row."""
    secret = secrets.token_urlsafe(32)
    return secret, hash_secret(secret)


def signed_link(row_id: int, secret: str, *, salt: str) -> str:
    return signing.dumps({"i": row_id, "s": secret}, salt=salt, compress=True)


def read_signed_link(token: str, *, salt: str) -> tuple[int, str] | None:
    """(row id, hash of its secret) from a link, or None if the link is not one of ours."""
    try:
        data = signing.loads(token, salt=salt)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    row_id, secret = data.get("i"), data.get("s")
    if not isinstance(row_id, int) or not isinstance(secret, str):
        return None
    return row_id, hash_secret(secret)
