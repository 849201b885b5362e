"""Secrets handed to people: API tokens (stored as hashes) and email verification links."""

from __future__ import annotations

import secrets

from django.core import signing

from commonground.core.signed_links import hash_secret

API_TOKEN_PREFIX = "cg_"  # noqa: S105 (a prefix, not a secret)
VERIFY_SALT = "commonground.accounts.verify-email"
VERIFY_MAX_AGE = 3 * 24 * 3600  # three days


def new_api_token() -> str:
    return API_TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_api_token(raw: str) -> str:
    # The token has 256 bits of entropy, so a plain SHA-256 (as for link secrets) is enough.
    return hash_secret(raw)


def email_verification_token(user_id: int, email: str) -> str:
    # The email is signed too, so a link stops working if the address changes.
    return signing.dumps({"u": user_id, "e": email}, salt=VERIFY_SALT, compress=True)


def read_email_verification_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.BadSignature:  # includes expired links
        return None
    if not isinstance(data, dict) or "u" not in data or "e" not in data:
        return None
    return int(data["u"]), str(data["e"])
