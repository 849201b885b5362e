"""Conversations, statements, votes and the alignment report.

Registered in api/urls.py.
"""

from __future__ import annotations

from ninja import Router

router = Router(tags=["conversations"])
