"""A fixed-window count per client address in the shared cache: for the open articulation
endpoint and for anonymous contributions. With a shared cache (e.g. Redis or the database
cache in production) every web process sees the same count; the local-memory default counts
per process, which still bounds each one."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest

from commonground.audit.origin import client_ip


def over_limit(request: HttpRequest, scope: str, limit: int, window: int) -> int | None:
    """Count this request; the seconds to wait if it is over `limit` in the current `window`
    seconds, else None."""
    now = int(time.time())
    key = f"ratelimit:{scope}:{client_ip(request) or 'unknown'}:{now // window}"
    if cache.add(key, 1, timeout=window + 1):
        return None
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 1)
        return None
    return (window - now % window or 1) if count > limit else None
