"""The data rights registry: each context names what it holds about a person.

A context calls `register_exporter("partnerships", fn)` from its AppConfig.ready; `fn(user)`
returns JSON-ready data. `accounts.data_rights.personal_data_export` gathers them all. The
registry sits in core so that every context, the atlas included, can add to it (ADR 0029).

A context that keeps a person's email address outside their account (an invitation names an
address, not an account) calls `register_eraser("partnerships", fn)`: `accounts.services.
account_delete` calls `fn(user)` in its transaction, while `user.email` still holds the
address, so the context can remove or anonymise what it holds (ADR 0043).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Exporter = Callable[[Any], Any]
EXPORTERS: dict[str, Exporter] = {}


Eraser = Callable[[Any], None]
ERASERS: dict[str, Eraser] = {}


def register_exporter(name: str, exporter: Exporter) -> None:
    EXPORTERS[name] = exporter


def register_eraser(name: str, eraser: Eraser) -> None:
    ERASERS[name] = eraser
