"""The data rights registry: each context names what it holds about a person.

A context calls `register_exporter("partnerships", fn)` from its AppConfig.ready; `fn(user)`
returns JSON-ready data. `accounts.data_rights.personal_data_export` gathers them all. The
registry sits in core so that every context, the atlas included, can add to it (ADR 0029).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Exporter = Callable[[Any], Any]
EXPORTERS: dict[str, Exporter] = {}


def register_exporter(name: str, exporter: Exporter) -> None:
    EXPORTERS[name] = exporter
