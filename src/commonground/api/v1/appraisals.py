"""POST /api/v1/appraisals and GET /api/v1/appraisals/{id}: route appraisals.

Registered in api/urls.py.
"""

from __future__ import annotations

from ninja import Router

router = Router(tags=["appraisals"])
