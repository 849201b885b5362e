"""Who sent a request: the client's IP address, trusting only the proxies we run.

Used by the audit trail (where a write came from), sign-in lockout and rate limits."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


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
