"""Social value frameworks, commitments, deliveries and verification.

Registered in api/urls.py.
"""

from __future__ import annotations

from ninja import Router

router = Router(tags=["social value"])
