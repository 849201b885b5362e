"""Audit origin for this context's commands ("command: <name>"), so their writes are not
recorded as coming from an unknown process.

The audit app has no public helper for this yet; this sets its context variable the way its
middleware does for requests (see report: a shared `command_origin` in audit would be better).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from commonground.audit import origin as audit_origin


@contextmanager
def command_origin(name: str) -> Iterator[None]:
    token = audit_origin._current.set(audit_origin.Origin(channel=f"command: {name}"))
    try:
        yield
    finally:
        audit_origin._current.reset(token)
