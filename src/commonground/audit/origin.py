"""Where a write came from: the client's IP address and user agent, or a command's name.

Middleware records the current request's origin in a context variable, so services can audit a
write without every function in between passing the request along.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest


@dataclass(frozen=True)
class Origin:
    ip: str | None = None
    user_agent: str = ""
    channel: str = ""  # "web", "api", or e.g. "command: load_demo"

    @classmethod
    def from_request(cls, request: HttpRequest, channel: str = "web") -> Origin:
        agent = request.META.get("HTTP_USER_AGENT", "")
        return cls(ip=client_ip(request), user_agent=agent[:500], channel=channel)


_current: ContextVar[Origin | None] = ContextVar("audit_origin", default=None)


def current_origin() -> Origin:
    return _current.get() or Origin(channel="process")


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind N trusted proxies, the Nth address from the right of
    X-Forwarded-For is the first one a proxy we run wrote, so it cannot be forged."""
    trusted = int(getattr(settings, "COMMONGROUND_TRUSTED_PROXIES", 0))
    candidate = request.META.get("REMOTE_ADDR", "")
    if trusted:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= trusted:
            candidate = forwarded[-trusted]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


class AuditOriginMiddleware:
    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        channel = "api" if request.path.startswith("/api/") else "web"
        token = _current.set(Origin.from_request(request, channel))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


@contextmanager
def command_origin(name: str) -> Iterator[None]:
    """Audit the writes of a management command as coming from it ("command: <name>")."""
    token = _current.set(Origin(channel=f"command: {name}"))
    try:
        yield
    finally:
        _current.reset(token)
