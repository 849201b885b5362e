"""What other contexts add to an organisation's page, registered from their AppConfig.ready.

The money context (a layer above the atlas, ADR 0002) adds the money an organisation received;
the atlas shows whatever is registered without importing the context that registered it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .models import Organisation

PagePart = Callable[[Organisation], Any]

PARTS: dict[str, PagePart] = {}


def register_page_part(name: str, part: PagePart) -> None:
    """`part(organisation)` becomes `name` in the organisation page's template context."""
    PARTS[name] = part


def page_parts(organisation: Organisation) -> dict[str, Any]:
    return {name: part(organisation) for name, part in PARTS.items()}
