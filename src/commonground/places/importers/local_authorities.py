"""English local authority districts with the Indices of Deprivation 2025 (one row a domain)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

from commonground.imports.engine import ImportContext, Importer, LoadCounts
from commonground.imports.errors import RowRejected
from commonground.imports.readers import Row, read_delimited

from ..models import PlaceKind
from ..records import DeprivationRecord
from ..services import local_authorities_deprivation_upsert
from .base import gss_code, number, require, whole_number

AREA_TYPE = "Local Authority District (2024)"
# The file describes the 2024 district geography (its area_type says so). We do not know when
# each district was created, so start_date marks the version of the geography we hold: the
# 2024 codes, in force from the start of the 2024-25 year. A later geography with a changed
# district will be a new Place with its own start date, leaving this one to be ended.
START_DATE = date(2024, 4, 1)
# English districts only: unitary (E06), non-metropolitan (E07), metropolitan (E08), London (E09).
DISTRICT_PREFIXES = ("E06", "E07", "E08", "E09")

COLUMNS = (
    "area_code",
    "area_name",
    "area_type",
    "deprivation_data_year",
    "index_domain",
    "average_rank",
    "rank_average_rank",
    "average_score",
    "rank_average_score",
    "proportion_bottom_decile",
    "rank_proportion_bottom_decile",
)
DECIMALS = ("average_rank", "average_score", "proportion_bottom_decile")
RANKS = ("rank_average_rank", "rank_average_score", "rank_proportion_bottom_decile")


class LocalAuthoritiesImporter(Importer[DeprivationRecord]):
    dataset = "local_authorities_iod2025"
    fails_when_nothing_loaded = True
    kind = PlaceKind.LOCAL_AUTHORITY

    def rows(self, path: Path, context: ImportContext) -> Iterator[Row]:
        return read_delimited(
            path,
            encodings=("utf-8", "cp1252"),
            required_columns=COLUMNS,
            warnings=context.warnings,
        )

    def parse(self, row: Row) -> DeprivationRecord:
        data = row.data
        area_type = require(data["area_type"], "area_type")
        if area_type != AREA_TYPE:
            raise RowRejected(
                f"{area_type!r} is not the geography this importer loads ({AREA_TYPE})",
                "area_type",
            )
        figures: dict[str, float | int] = {f: number(data[f], f) for f in DECIMALS}
        figures.update({f: whole_number(data[f], f) for f in RANKS})
        figures["year"] = whole_number(data["deprivation_data_year"], "deprivation_data_year")
        return DeprivationRecord(
            gss_code=gss_code(data["area_code"], "area_code", DISTRICT_PREFIXES),
            name=require(data["area_name"], "area_name"),
            domain=require(data["index_domain"], "index_domain"),
            figures=figures,
        )

    def record_key(self, record: DeprivationRecord) -> str:
        return f"{record.gss_code}|{record.domain}"

    def load(self, records: list[DeprivationRecord], context: ImportContext) -> LoadCounts:
        return local_authorities_deprivation_upsert(records, context.run, START_DATE)
