"""Rules for social value commitments, deliveries and verification."""

from __future__ import annotations

from .core import Rule

RULES: dict[str, tuple[Rule, Rule]] = {}
