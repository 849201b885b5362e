"""POST /api/v1/analysis/articulation: articulation analysis, storing nothing.

Registered in api/urls.py.
"""

from __future__ import annotations

from ninja import Router

router = Router(tags=["analysis"])
