"""Rules for the money ledger's private parts: the linkage review queue."""

from __future__ import annotations

from .core import Rule

RULES: dict[str, tuple[Rule, Rule]] = {}
