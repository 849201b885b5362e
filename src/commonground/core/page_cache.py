"""The shared cache of public pages and derived public data (ADR 0012).

Partner search, organisation pages, place pages and place money profiles (pages and their API
equivalents) show public open data only, the same to every anonymous reader, and are what the
public asks for most. `public_page` keeps whole responses for anonymous readers in the "pages"
cache (Redis when REDIS_URL is set, else files under the var dir, shared by every web process);
`cached_derived` keeps computed values such as a place's money profile there too.

Every key names the *public data generation*: a random token, replaced when public data
changes (an import run finishes, a reviewer decides a link, or a writer outside those calls
`public_data_changed`), so the next request after a change is computed afresh. Entries also
expire after COMMONGROUND_PAGE_CACHE_SECONDS (0 turns all of this off), which bounds how stale
anything this module is not told about can be.

A page is only kept or served when nothing about it can be personal:

- the request is a GET or HEAD with no session cookie, no messages cookie and no Authorization
  header (anyone signed in, or holding an API token, always gets a fresh page, and never stores
  one);
- the response is a 200 with no cookies, not streamed, not marked private or no-store, and the
  view neither used a CSRF token, nor changed the session, nor added a message.

The security headers (CSP, X-Frame-Options and so on) are added by middleware outside the
cache, so a cached page gets them as a fresh one does; the CSP has no per-request nonce.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from collections.abc import Callable, Hashable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import BaseCache, caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

logger = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
GENERATION_KEY = "public-data-generation"
T = TypeVar("T")
View = Callable[..., HttpResponse]


def _cache() -> BaseCache:
    return caches[CACHE_ALIAS]


def _seconds() -> int:
    return int(getattr(settings, "COMMONGROUND_PAGE_CACHE_SECONDS", 0))


# The public data generation -------------------------------------------------------------------


def public_data_generation() -> str | None:
    """The current generation, created if there is none; None if the cache cannot be reached
    (then nothing is cached or served from the cache)."""
    try:
        cache = _cache()
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            # A random token, not a counter: if the key is ever lost (evicted, culled, Redis
            # emptied) the new one cannot match anything kept under an older generation.
            cache.add(GENERATION_KEY, secrets.token_hex(8), timeout=None)
            generation = cache.get(GENERATION_KEY)
    except Exception:  # the cache is an optimisation: a broken one must not break pages
        logger.warning("page cache unavailable: reading the generation failed", exc_info=True)
        return None
    return str(generation) if generation is not None else None


def public_data_changed() -> None:
    """Public data changed: everything cached so far is stale. Inside a transaction this takes
    effect when it commits, so no reader can cache the old data under the new generation."""
    transaction.on_commit(_new_generation)


def _new_generation() -> None:
    try:
        _cache().set(GENERATION_KEY, secrets.token_hex(8), timeout=None)
    except Exception:
        logger.error(
            "page cache: could not record that public data changed; cached pages may be "
            "stale for up to %s s",
            _seconds(),
            exc_info=True,
        )


# Derived data ---------------------------------------------------------------------------------


def cached_derived(name: str, parts: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """compute(), kept under the current generation and `parts` (which must name everything
    the value depends on besides public data). While one process computes a value, others
    asking for it wait for that result instead of computing it too: a costly figure asked for
    by many readers at once (the first minute after a change) is computed once."""
    seconds = _seconds()
    generation = public_data_generation() if seconds > 0 else None
    if generation is None:
        return compute()
    key = f"derived:{name}:{generation}:" + _digest(repr(parts))
    found = _get(key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    computing = key + ":computing"
    if not _add(computing, COMPUTE_LOCK_SECONDS):
        found = _wait_for(key, computing)
        if found is not None:
            return found  # type: ignore[no-any-return]
    try:
        value = compute()
        _set(key, value, seconds)
    finally:
        _delete(computing)
    return value


COMPUTE_LOCK_SECONDS = 60  # the claim lapses by itself if the process computing dies
WAIT_SECONDS = 10  # then a waiting reader computes the value itself
WAIT_POLL_SECONDS = 0.02


def _wait_for(key: str, computing: str) -> Any:
    """The value another process is computing, once it is kept; None if it stopped computing
    without keeping one (it failed), or is taking too long."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(WAIT_POLL_SECONDS)
        found = _get(key)
        if found is not None:
            return found
        if _get(computing) is None:
            return _get(key)
    return None


# Whole pages ----------------------------------------------------------------------------------


def public_page(view: View) -> View:
    """Serve anonymous readers the page from the shared cache, and keep it there when it can
    be shared (the rules are in the module's docstring)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds = _seconds()
        if seconds <= 0 or not _anonymous_read(request):
            return view(request, *args, **kwargs)
        generation = public_data_generation()
        if generation is None:
            return view(request, *args, **kwargs)
        key = "page:" + generation + ":" + _digest(request.build_absolute_uri())
        kept = _get(key)
        if kept is not None:
            status, content, headers = kept
            response = HttpResponse(content, status=status, headers=headers)
        else:
            response = view(request, *args, **kwargs)
            if not _shareable(request, response):
                return response
            _set(key, (response.status_code, response.content, list(response.items())), seconds)
        # The page depends on being signed out: caches downstream must not give it to anyone
        # with a session (the session middleware says so too when the template asks who the
        # user is, which a cached copy never does).
        patch_vary_headers(response, ("Cookie",))
        return response

    return wrapper


def _anonymous_read(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _shareable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if "private" in cache_control or "no-store" in cache_control or "no-cache" in cache_control:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # the page holds a CSRF token, which is per browser
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and getattr(messages, "added_new", False):
        return False
    # Belt and braces: a form token that reached the page by some other route.
    return b"csrfmiddlewaretoken" not in response.content


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _get(key: str) -> Any:
    try:
        return _cache().get(key)
    except Exception:
        logger.warning("page cache unavailable: read failed", exc_info=True)
        return None


def _add(key: str, seconds: int) -> bool:
    """Claim key; True if this process has it (or the cache cannot be reached)."""
    try:
        return bool(_cache().add(key, 1, timeout=seconds))
    except Exception:
        logger.warning("page cache unavailable: write failed", exc_info=True)
        return True


def _delete(key: str) -> None:
    try:
        _cache().delete(key)
    except Exception:
        logger.warning("page cache unavailable: delete failed", exc_info=True)


def _set(key: str, value: Any, seconds: int) -> None:
    try:
        _cache().set(key, value, timeout=seconds)
    except Exception:
        logger.warning("page cache unavailable: write failed", exc_info=True)
