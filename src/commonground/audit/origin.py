"""Where a write came from: the client's IP address and user agent, or a command's name.

Middleware records the current request's origin in a context variable, so services can audit a
write without every function in between passing the request along.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest

from commonground.core.clients import client_ip

__all__ = ["Origin", "client_ip", "command_origin", "current_origin"]


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
