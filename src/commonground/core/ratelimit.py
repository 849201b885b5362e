"""Rate limits: fixed-window counts in the shared cache, one table of every limit.

Each limit counts one kind of request per client address, per email address or per account.
With a shared cache (Redis, or the file cache every process on one machine shares) all web
processes see the same count; the local-memory cache of the tests counts per process.

Over a limit, pages answer 429 with a page saying when to try again (web.middleware) and the
API answers 429 with Retry-After (api/urls.py). Every limit is listed in docs/operations.md and
in the OpenAPI description of the operations it applies to. A deployment may change a limit
with COMMONGROUND_RATE_LIMITS = {"name": (count, window_seconds)}.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from .clients import client_ip


@dataclass(frozen=True)
class Limit:
    name: str
    count: int  # at most this many ...
    window: int  # ... in each window of this many seconds ...
    per: str  # ... per "client address", "email address" or "account"
    what: str  # what is counted, in plain English

    def describe(self) -> str:
        return f"at most {self.count} {self.what} per {self.per} every {_span(self.window)}"


def _span(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return "hour" if hours == 1 else f"{hours} hours"
    minutes = math.ceil(seconds / 60)
    return "minute" if minutes == 1 else f"{minutes} minutes"


LIMITS: dict[str, Limit] = {
    limit.name: limit
    for limit in (
        Limit("articulation", 60, 60, "client address", "articulation analyses"),
        Limit("anonymous-statement", 10, 600, "client address", "statements without an account"),
        Limit("sign-up", 10, 3600, "client address", "sign-ups"),
        Limit("password-reset-ip", 10, 3600, "client address", "password reset requests"),
        Limit("password-reset-address", 3, 3600, "email address", "password reset emails"),
        Limit("statement", 30, 600, "account", "statements added"),
        Limit("vote", 120, 600, "account", "votes"),
        Limit("invitation-answer", 20, 3600, "account", "invitations accepted or declined"),
    )
}


class RateLimited(Exception):
    """Over a limit: `retry_after` seconds until the next request is counted afresh."""

    def __init__(self, limit: Limit, retry_after: int) -> None:
        self.limit = limit
        self.retry_after = retry_after
        self.message = (
            f"Too many requests: {limit.describe()}. Try again in {wait_text(retry_after)}."
        )
        super().__init__(self.message)


def wait_text(seconds: int) -> str:
    # Rounded up, so nobody is told to try again before they can.
    if seconds > 3600:
        return f"{math.ceil(seconds / 3600)} hours"
    minutes = max(1, math.ceil(seconds / 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def limit_for(name: str) -> Limit:
    """The limit as configured: the table above, or the deployment's own figures."""
    limit = LIMITS[name]
    override = getattr(settings, "COMMONGROUND_RATE_LIMITS", {}).get(name)
    if override:
        limit = replace(limit, count=int(override[0]), window=int(override[1]))
    return limit


def _count(key: str, limit: int, window: int) -> int | None:
    now = int(time.time())
    bucket = f"ratelimit:{key}:{now // window}"
    if cache.add(bucket, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(bucket)
        except ValueError:  # expired between add and incr
            cache.add(bucket, 1, timeout=window + 1)
            count = 1
    return (window - now % window or 1) if count > limit else None


def over_limit(request: HttpRequest, scope: str, limit: int, window: int) -> int | None:
    """Count this request against `scope` for its client address; the seconds to wait if it is
    over `limit` in the current `window` seconds, else None."""
    return _count(f"{scope}:ip:{client_ip(request) or 'unknown'}", limit, window)


def hit(
    name: str, *, request: HttpRequest | None = None, account: int | None = None, address: str = ""
) -> None:
    """Count one request against the limit `name`, for whichever of the client address (from
    `request`), the account id or the email address it counts per; RateLimited when over it.
    Addresses are hashed, so the cache never holds one."""
    limit = limit_for(name)
    if limit.per == "client address" and request is not None:
        key = f"ip:{client_ip(request) or 'unknown'}"
    elif limit.per == "account" and account is not None:
        key = f"account:{account}"
    elif limit.per == "email address" and address:
        key = "address:" + hashlib.sha256(address.strip().lower().encode()).hexdigest()
    else:
        raise ValueError(f"The {name} limit counts per {limit.per}: pass it.")
    wait = _count(f"{name}:{key}", limit.count, limit.window)
    if wait is not None:
        raise RateLimited(limit, wait)
