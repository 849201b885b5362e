"""GET /api/v1/routes: the commissioning routes with their rules.

Registered in api/urls.py.
"""

from __future__ import annotations

from ninja import Router

router = Router(tags=["routes"])
