"""GET /api/v1/places/{gss_code}/profile: a place's money profile.

Registered in api/urls.py.
"""

from __future__ import annotations

from ninja import Router

router = Router(tags=["places"])
