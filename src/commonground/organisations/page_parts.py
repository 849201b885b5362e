"""What other contexts add to an organisation's page, registered from their AppConfig.ready.

The money context (a layer above the atlas, ADR 0002) adds the money an organisation received,
and partnerships what can be done with a shortlist;
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


# What other contexts offer on a shortlist's page (take it into a partnership, attach it to a
# need): `part(user, shortlist)` becomes `name` in that page's template context.
ShortlistPart = Callable[[Any, Any], Any]

SHORTLIST_PARTS: dict[str, ShortlistPart] = {}


def register_shortlist_part(name: str, part: ShortlistPart) -> None:
    SHORTLIST_PARTS[name] = part


def shortlist_parts(user: Any, shortlist: Any) -> dict[str, Any]:
    return {name: part(user, shortlist) for name, part in SHORTLIST_PARTS.items()}
