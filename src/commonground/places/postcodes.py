"""UK postcode normalisation: one canonical form ("M32 0TH") for storage and lookup."""

from __future__ import annotations

import re

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


def normalise_postcode(value: str | None) -> str:
    """'m320th', 'M32  0TH' -> 'M32 0TH'; anything that is not a postcode -> ''."""
    if not value:
        return ""
    compact = re.sub(r"\s+", "", value).upper()
    match = _POSTCODE.match(compact)
    return f"{match.group(1)} {match.group(2)}" if match else ""
