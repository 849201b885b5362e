"""The linkage review queue: uncertain payer and recipient matches.

Registered in api/urls.py.
"""

from __future__ import annotations

from ninja import Router

router = Router(tags=["link reviews"])
