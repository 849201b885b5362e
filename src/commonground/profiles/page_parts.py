"""What the organisation's page shows of the partnership profile (registered in apps.py)."""

from __future__ import annotations

from typing import Any

from commonground.organisations.models import Organisation

from . import selectors
from .routes import willing_routes


def profile_part(organisation: Organisation) -> dict[str, Any]:
    profile = selectors.profile_of(organisation)
    catalogue = willing_routes()
    return {
        "profile": profile,
        "stale": profile is not None and selectors.is_stale(profile),
        "routes": [
            catalogue.routes[c]
            for c in (profile.routes if profile else [])
            if c in catalogue.routes
        ],
        "services": selectors.services_of(organisation),
    }
