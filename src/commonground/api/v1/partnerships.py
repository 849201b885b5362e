"""Partnerships, members and health checks.

Registered in api/urls.py.
"""

from __future__ import annotations

from ninja import Router

router = Router(tags=["partnerships"])
