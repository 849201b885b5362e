"""Postcodes: the Trafford subset of the ONS Postcode Directory, and the national ONSPD / NSPL.

The national files hold about 2.7 million rows: they are streamed (from the zip as published,
or unzipped) and written in batches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from commonground.imports.engine import ImportContext, Importer, LoadCounts
from commonground.imports.errors import FileRejected, RowRejected
from commonground.imports.readers import Row, read_delimited

from ..postcodes import normalise_postcode
from ..records import PostcodeRecord
from ..services import postcodes_upsert
from .base import month_date, number, optional_gss_code, require, text

TRAFFORD_COLUMNS = ("postcode", "ward_code", "msoa_code", "lsoa_code", "la_code", "lon", "lat")
# ONSPD and NSPL give a postcode without a grid reference this position.
NO_LOCATION_LATITUDE = 99.999999


def _location(
    latitude: str, longitude: str, lat_field: str, lon_field: str
) -> tuple[float | None, float | None]:
    if not text(latitude) and not text(longitude):
        return None, None
    lat = number(latitude, lat_field)
    lon = number(longitude, lon_field)
    if abs(lat - NO_LOCATION_LATITUDE) < 1e-6:
        return None, None
    if not (49 <= lat <= 61.5):
        raise RowRejected(f"{lat} is not a latitude in the United Kingdom", lat_field)
    if not (-9 <= lon <= 2.5):
        raise RowRejected(f"{lon} is not a longitude in the United Kingdom", lon_field)
    return lat, lon


def _postcode(value: str, field: str) -> str:
    raw = require(value, field)
    postcode = normalise_postcode(raw)
    if not postcode:
        raise RowRejected(f"{raw!r} is not a UK postcode", field)
    return postcode


class PostcodeImporter(Importer[PostcodeRecord]):
    batch_size = 5000
    fails_when_nothing_loaded = True

    def record_key(self, record: PostcodeRecord) -> str:
        return record.postcode

    def load(self, records: list[PostcodeRecord], context: ImportContext) -> LoadCounts:
        return postcodes_upsert(records, context.run)


class TraffordPostcodesImporter(PostcodeImporter):
    """Trafford Data Lab's subset of ONSPD: one row a live postcode."""

    dataset = "trafford_postcodes"

    def rows(self, path: Path, context: ImportContext) -> Iterator[Row]:
        return read_delimited(path, required_columns=TRAFFORD_COLUMNS, warnings=context.warnings)

    def parse(self, row: Row) -> PostcodeRecord:
        data = row.data
        latitude, longitude = _location(data["lat"], data["lon"], "lat", "lon")
        return PostcodeRecord(
            postcode=_postcode(data["postcode"], "postcode"),
            local_authority_code=optional_gss_code(data["la_code"], "la_code"),
            ward_code=optional_gss_code(data["ward_code"], "ward_code"),
            lsoa_code=optional_gss_code(data["lsoa_code"], "lsoa_code"),
            msoa_code=optional_gss_code(data["msoa_code"], "msoa_code"),
            latitude=latitude,
            longitude=longitude,
        )


# Each field we keep, and the column names it has had in NSPL and ONSPD over the years, in order
# of preference (newer census geographies first).
NATIONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "postcode": ("pcds", "pcd", "pcd2", "pcd7", "pcd8"),
    "local_authority": ("laua", "oslaua", "ladcd"),
    "ward": ("ward", "osward", "wdcd"),
    "lsoa": ("lsoa21", "lsoa21cd", "lsoa11", "lsoa11cd"),
    "msoa": ("msoa21", "msoa21cd", "msoa11", "msoa11cd"),
    "latitude": ("lat",),
    "longitude": ("long",),
    "introduced": ("dointr",),
    "terminated": ("doterm",),
}
# Later editions name some columns after the year of the geography, e.g. lad25cd, wd25cd.
YEARED_COLUMNS = {"local_authority": r"lad\d\dcd", "ward": r"wd\d\dcd"}
REQUIRED_FIELDS = ("postcode", "local_authority", "latitude", "longitude")


def choose_columns(header: list[str]) -> dict[str, str]:
    """Which column of this file holds each field ('' when the file has none)."""
    lower = {h.lower(): h for h in header}
    chosen: dict[str, str] = {}
    for name, candidates in NATIONAL_COLUMNS.items():
        found = next((lower[c] for c in candidates if c in lower), "")
        if not found and name in YEARED_COLUMNS:
            pattern = re.compile(YEARED_COLUMNS[name])
            yeared = sorted((h for h in lower if pattern.fullmatch(h)), reverse=True)
            found = lower[yeared[0]] if yeared else ""
        chosen[name] = found
    return chosen


class NationalPostcodesImporter(PostcodeImporter):
    """The national ONS Postcode Directory (ONSPD) or Postcode Lookup (NSPL), CSV or zip."""

    dataset = "nspl"

    def __init__(self) -> None:
        self.columns: dict[str, str] = {}

    def rows(self, path: Path, context: ImportContext) -> Iterator[Row]:
        # The published zips hold the whole-UK file as Data/NSPL_<MONTH>_UK.csv or ONSPD_…_UK.csv.
        member = "_UK.csv" if path.suffix.lower() == ".zip" else None
        self.columns = {}

        def choose(header: list[str]) -> None:
            # Decided from the header, before any row: a file of another kind is refused even
            # when it has no rows, or only rows that cannot be read.
            self.columns = choose_columns(header)
            missing = [f for f in REQUIRED_FIELDS if not self.columns[f]]
            if missing:
                wanted = "; ".join(" or ".join(NATIONAL_COLUMNS[f]) for f in missing)
                reason = f"this is not an ONSPD or NSPL file: it has no column {wanted}"
                raise FileRejected(path.name, reason, row=1)

        return read_delimited(
            path, encodings=("utf-8", "cp1252"), member_suffix=member, on_header=choose
        )

    def _value(self, row: Row, field: str) -> tuple[str, str]:
        column = self.columns.get(field, "")
        return (row.data.get(column, "") if column else ""), column or field

    def parse(self, row: Row) -> PostcodeRecord:
        postcode, postcode_column = self._value(row, "postcode")
        la, la_column = self._value(row, "local_authority")
        ward, ward_column = self._value(row, "ward")
        lsoa, lsoa_column = self._value(row, "lsoa")
        msoa, msoa_column = self._value(row, "msoa")
        lat, lat_column = self._value(row, "latitude")
        lon, lon_column = self._value(row, "longitude")
        introduced, introduced_column = self._value(row, "introduced")
        terminated, terminated_column = self._value(row, "terminated")
        latitude, longitude = _location(lat, lon, lat_column, lon_column)
        return PostcodeRecord(
            postcode=_postcode(postcode, postcode_column),
            local_authority_code=optional_gss_code(la, la_column),
            ward_code=optional_gss_code(ward, ward_column),
            lsoa_code=optional_gss_code(lsoa, lsoa_column),
            msoa_code=optional_gss_code(msoa, msoa_column),
            latitude=latitude,
            longitude=longitude,
            introduced=month_date(introduced, introduced_column),
            terminated=month_date(terminated, terminated_column),
        )
