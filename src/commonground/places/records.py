"""What the place importers produce for one row; places.services writes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass
class DeprivationRecord:
    """One Indices of Deprivation domain's figures for one local authority district."""

    gss_code: str
    name: str
    domain: str
    figures: dict[str, Any]


@dataclass
class LocalAuthorityCodeRecord:
    code: str
    name: str
    official_name: str
    authority_type: str
    gss_code: str
    start_date: date | None
    end_date: date | None


@dataclass
class BoundaryRecord:
    """A place's boundary; new places are created only when `kind` is given."""

    gss_code: str
    name: str
    boundary: dict[str, Any]
    latitude: float
    longitude: float
    kind: str = ""
    start_date: date | None = None
    parent_id: int | None = None


@dataclass
class PostcodeRecord:
    postcode: str
    local_authority_code: str = ""
    ward_code: str = ""
    lsoa_code: str = ""
    msoa_code: str = ""
    latitude: float | None = None
    longitude: float | None = None
    introduced: date | None = None
    terminated: date | None = None
