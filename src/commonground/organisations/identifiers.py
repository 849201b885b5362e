"""Org-id helpers: split an org-id into scheme and local part; choose the preferred one."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Registers whose numbers best identify a purpose-driven organisation come first.
SCHEME_PREFERENCE = ["GB-CHC", "GB-SC", "GB-NIC", "GB-COH", "GB-MPR", "GB-LAE"]
_SCHEME = re.compile(r"^([A-Z]{2}-[A-Z0-9]+)-(.+)$")


def split_org_id(org_id: str) -> tuple[str, str]:
    """'GB-CHC-1234567' -> ('GB-CHC', '1234567')."""
    match = _SCHEME.match(org_id)
    if not match:
        raise ValueError(f"{org_id!r} is not an org-id (expected SCHEME-ID, e.g. GB-CHC-1234567)")
    return match.group(1), match.group(2)


def preferred(org_ids: Iterable[str]) -> str:
    def rank(org_id: str) -> tuple[int, str]:
        scheme = split_org_id(org_id)[0]
        position = (
            SCHEME_PREFERENCE.index(scheme)
            if scheme in SCHEME_PREFERENCE
            else len(SCHEME_PREFERENCE)
        )
        return position, org_id

    return min(org_ids, key=rank)


def company_number(value: str) -> str:
    """Companies House numbers are 8 characters, zero-padded ('738693' -> '00738693')."""
    value = value.strip().upper().replace(" ", "")
    if value.isdigit():
        return value.zfill(8)
    prefix = re.match(r"^([A-Z]+)(\d+)([A-Z]?)$", value)
    if prefix and len(value) < 8 and not prefix.group(3):
        return prefix.group(1) + prefix.group(2).zfill(8 - len(prefix.group(1)))
    return value
