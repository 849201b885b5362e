"""Time-based one-time passwords (RFC 6238, SHA-1, 6 digits, 30-second steps), written with the
standard library so that two-factor sign-in needs no new dependency."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote

STEP = 30
DIGITS = 6


def new_secret() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


def _key(secret: str) -> bytes:
    padded = secret.upper().replace(" ", "")
    return base64.b32decode(padded + "=" * (-len(padded) % 8))


def code_at(secret: str, counter: int) -> str:
    digest = hmac.new(_key(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)


def matching_counter(
    secret: str, code: str, *, now: float | None = None, last_counter: int | None = None
) -> int | None:
    """The time step the code belongs to (allowing one step of clock drift either way), or None.
    A step at or before `last_counter` is refused, so a code cannot be used twice."""
    current = int((time.time() if now is None else now) // STEP)
    for counter in (current - 1, current, current + 1):
        if last_counter is not None and counter <= last_counter:
            continue
        if hmac.compare_digest(code_at(secret, counter), code):
            return counter
    return None


def provisioning_uri(secret: str, account: str, issuer: str = "Common Ground") -> str:
    return (
        f"otpauth://totp/{quote(issuer)}:{quote(account)}"
        f"?secret={secret}&issuer={quote(issuer)}&digits={DIGITS}&period={STEP}"
    )
