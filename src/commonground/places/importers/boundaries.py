"""Boundaries from GeoJSON: wards (created under their local authority) and district outlines.

A GeoJSON file is read whole (boundary files are small) and each feature becomes a Row, so the
shared engine still does the counting, the rejected rows and the all-or-nothing load. A row
number here is the feature's position in the file (the first feature is 1).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from commonground.imports.engine import ImportContext, Importer, LoadCounts
from commonground.imports.errors import FileRejected, RowRejected
from commonground.imports.readers import Row

from ..geometry import InvalidGeometry, centroid
from ..models import PlaceKind
from ..records import BoundaryRecord
from ..selectors import place_by_gss
from ..services import place_boundaries_upsert
from .base import gss_code, require

TRAFFORD = "E08000009"
# Trafford's wards were redrawn by the Trafford (Electoral Changes) Order 2022; the new wards
# (codes E05015239 onwards) were first used at the all-out election of 4 May 2023.
TRAFFORD_WARDS_START = date(2023, 5, 4)


@dataclass
class FeatureRow(Row):
    geometry: dict[str, Any] | None = field(default=None)


def read_features(path: Path) -> Iterator[FeatureRow]:
    """Each feature of a GeoJSON FeatureCollection, with its properties as text."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            document = json.load(handle)
    except UnicodeDecodeError as error:
        raise FileRejected(path.name, f"the file is not UTF-8 text: {error.reason}") from error
    except json.JSONDecodeError as error:
        raise FileRejected(
            path.name, f"the file is not valid JSON: {error.msg}", row=error.lineno
        ) from error
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise FileRejected(path.name, "the file is not a GeoJSON FeatureCollection")
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise FileRejected(path.name, "the FeatureCollection has no features")
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            yield FeatureRow(
                path.name, number, {}, [json.dumps(feature)[:4000]], error="not a GeoJSON Feature"
            )
            continue
        properties = feature.get("properties") or {}
        data = {str(k): "" if v is None else str(v) for k, v in properties.items()}
        yield FeatureRow(
            path.name,
            number,
            data,
            [json.dumps(properties)],
            geometry=feature.get("geometry"),
        )


def _geometry(row: Row) -> tuple[dict[str, Any], float, float]:
    geometry = getattr(row, "geometry", None)
    try:
        latitude, longitude = centroid(geometry)  # type: ignore[arg-type]
    except InvalidGeometry as error:
        raise RowRejected(str(error), "geometry") from None
    assert geometry is not None
    # Keep only what GeoJSON defines; other members could be anything.
    return {"type": geometry["type"], "coordinates": geometry["coordinates"]}, latitude, longitude


class WardBoundariesImporter(Importer[BoundaryRecord]):
    """Wards of one local authority, each created with its boundary and centroid."""

    dataset = "trafford_wards"
    fails_when_nothing_loaded = True

    def __init__(self, parent_gss: str = TRAFFORD, start_date: date = TRAFFORD_WARDS_START) -> None:
        self.parent_gss = parent_gss
        self.start_date = start_date
        self.parent_id: int | None = None

    def rows(self, path: Path, context: ImportContext) -> Iterator[Row]:
        parent = place_by_gss(self.parent_gss)
        if parent is None:
            raise FileRejected(
                path.name,
                f"the wards' local authority {self.parent_gss} is not loaded yet; "
                "load the local authority districts first (manage.py load_places does)",
            )
        self.parent_id = parent.pk
        return read_features(path)

    def parse(self, row: Row) -> BoundaryRecord:
        boundary, latitude, longitude = _geometry(row)
        return BoundaryRecord(
            gss_code=gss_code(row.data.get("area_code"), "area_code", ("E05", "W05", "S13", "N08")),
            name=require(row.data.get("area_name"), "area_name"),
            boundary=boundary,
            latitude=latitude,
            longitude=longitude,
            kind=PlaceKind.WARD,
            start_date=self.start_date,
            parent_id=self.parent_id,
        )

    def record_key(self, record: BoundaryRecord) -> str:
        return record.gss_code

    def load(self, records: list[BoundaryRecord], context: ImportContext) -> LoadCounts:
        return place_boundaries_upsert(records, context.run)


class LocalAuthorityBoundaryImporter(Importer[BoundaryRecord]):
    """Adds boundaries to local authority districts that are already loaded."""

    dataset = "trafford_wards"
    fails_when_nothing_loaded = True

    def rows(self, path: Path, context: ImportContext) -> Iterator[Row]:
        return read_features(path)

    def parse(self, row: Row) -> BoundaryRecord:
        code = gss_code(row.data.get("area_code"), "area_code")
        place = place_by_gss(code)
        if place is None or place.kind != PlaceKind.LOCAL_AUTHORITY:
            raise RowRejected(
                f"no local authority district {code} is loaded; load the districts first",
                "area_code",
            )
        boundary, latitude, longitude = _geometry(row)
        return BoundaryRecord(
            gss_code=code,
            name=require(row.data.get("area_name"), "area_name"),
            boundary=boundary,
            latitude=latitude,
            longitude=longitude,
        )

    def record_key(self, record: BoundaryRecord) -> str:
        return record.gss_code

    def load(self, records: list[BoundaryRecord], context: ImportContext) -> LoadCounts:
        return place_boundaries_upsert(records, context.run)
