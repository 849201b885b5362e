"""Lockout after repeated failed sign-ins, per email address and per IP address.

The 5th failure within 15 minutes locks the address typed (whether or not an account has it, so
a lock reveals nothing) or the client's IP address for 15 minutes from that failure. Attempts
while locked are refused without checking the password and are not counted.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from .models import SignInFailure


def _limits() -> tuple[int, int, dt.timedelta]:
    return (
        int(getattr(settings, "ACCOUNTS_LOCKOUT_FAILURES", 5)),
        int(getattr(settings, "ACCOUNTS_LOCKOUT_IP_FAILURES", 5)),
        dt.timedelta(minutes=int(getattr(settings, "ACCOUNTS_LOCKOUT_MINUTES", 15))),
    )


def _lock_end(times: list[dt.datetime], limit: int, window: dt.timedelta) -> dt.datetime | None:
    if len(times) < limit or times[0] - times[limit - 1] > window:
        return None
    return times[0] + window


def locked_until(email: str, ip: str | None) -> dt.datetime | None:
    account_limit, ip_limit, window = _limits()
    now = timezone.now()
    ends = []
    recent = SignInFailure.objects.filter(at__gte=now - 2 * window).order_by("-at")
    by_email = list(recent.filter(email=email).values_list("at", flat=True)[:account_limit])
    ends.append(_lock_end(by_email, account_limit, window))
    if ip:
        by_ip = list(recent.filter(ip=ip).values_list("at", flat=True)[:ip_limit])
        ends.append(_lock_end(by_ip, ip_limit, window))
    active = [end for end in ends if end is not None and end > now]
    return max(active) if active else None


def record_failure(email: str, ip: str | None) -> None:
    SignInFailure.objects.create(email=email, ip=ip, at=timezone.now())


def clear_failures(email: str) -> None:
    SignInFailure.objects.filter(email=email).delete()
