"""The money ledger: flows, with their source records.

Registered in api/urls.py.
"""

from __future__ import annotations

from ninja import Router

router = Router(tags=["money flows"])
