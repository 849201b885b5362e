"""Every English local authority district loads once, with its Indices of Deprivation 2025
figures for each domain; bad copies of the file are refused or reported by row and field."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from commonground.imports.engine import run_import
from commonground.imports.models import ImportStatus
from commonground.places.importers.local_authorities import LocalAuthoritiesImporter
from commonground.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def iod_csv(places_dir: Path) -> Path:
    return places_dir / "english_local_authorities_iod2025.csv"


def _rewrite(source: Path, target: Path, change) -> Path:  # type: ignore[no-untyped-def]
    with open(source, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    change(rows)
    with open(target, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return target


def test_all_296_districts_load_once_with_ten_deprivation_domains_each(iod_csv: Path) -> None:
    run = run_import(LocalAuthoritiesImporter(), iod_csv)

    assert run.status == ImportStatus.SUCCEEDED
    assert (run.rows_read, run.rows_loaded, run.rows_rejected) == (2960, 2960, 0)
    assert Place.objects.filter(kind=PlaceKind.LOCAL_AUTHORITY).count() == 296
    trafford = Place.objects.get(gss_code="E08000009")
    assert trafford.name == "Trafford"
    assert (trafford.start_date, trafford.end_date) == (date(2024, 4, 1), None)
    assert len(trafford.attributes["iod2025"]) == 10
    imd = trafford.attributes["iod2025"]["Index of Multiple Deprivation"]
    assert imd["rank_average_score"] == 201
    assert imd["average_score"] == pytest.approx(14.972)
    assert imd["proportion_bottom_decile"] == pytest.approx(0.0432)


def test_importing_the_same_file_twice_changes_nothing(iod_csv: Path) -> None:
    run_import(LocalAuthoritiesImporter(), iod_csv)
    before = sorted(Place.objects.values_list("gss_code", "name", "attributes"))

    second = run_import(LocalAuthoritiesImporter(), iod_csv)

    assert (second.rows_loaded, second.rows_updated, second.rows_unchanged) == (0, 0, 2960)
    assert sorted(Place.objects.values_list("gss_code", "name", "attributes")) == before


def test_a_changed_figure_is_counted_as_an_update(iod_csv: Path, tmp_path: Path) -> None:
    run_import(LocalAuthoritiesImporter(), iod_csv)

    def change(rows: list[dict[str, str]]) -> None:
        rows[0]["rank_average_score"] = "7"

    second = run_import(LocalAuthoritiesImporter(), _rewrite(iod_csv, tmp_path / "iod.csv", change))

    assert (second.rows_updated, second.rows_unchanged) == (1, 2959)
    hartlepool = Place.objects.get(gss_code="E06000001")
    assert (
        hartlepool.attributes["iod2025"]["Index of Multiple Deprivation"]["rank_average_score"] == 7
    )


def test_a_row_with_a_bad_rank_or_code_is_rejected_by_row_and_field(
    iod_csv: Path, tmp_path: Path
) -> None:
    def change(rows: list[dict[str, str]]) -> None:
        rows[1]["rank_average_rank"] = "thirty"
        rows[2]["area_code"] = "E05000001"  # a ward, not a district

    run = run_import(LocalAuthoritiesImporter(), _rewrite(iod_csv, tmp_path / "iod.csv", change))

    assert run.status == ImportStatus.SUCCEEDED
    rejected = list(run.rejected_rows.order_by("row_number").values_list("row_number", "field"))
    assert rejected == [(3, "rank_average_rank"), (4, "area_code")]
    assert run.rows_loaded == 2958


def test_a_file_missing_a_column_loads_nothing_and_names_it(iod_csv: Path, tmp_path: Path) -> None:
    broken = tmp_path / "iod.csv"
    lines = iod_csv.read_text(encoding="utf-8").splitlines(keepends=True)
    broken.write_text(lines[0].replace("index_domain", "domain") + "".join(lines[1:]))

    run = run_import(LocalAuthoritiesImporter(), broken)

    assert run.status == ImportStatus.FAILED
    assert "iod.csv" in run.error and "index_domain" in run.error
    assert Place.objects.count() == 0


def test_a_strict_import_with_one_bad_row_loads_nothing(iod_csv: Path, tmp_path: Path) -> None:
    def change(rows: list[dict[str, str]]) -> None:
        rows[-1]["area_type"] = "Lower Layer Super Output Area (2021)"

    run = run_import(
        LocalAuthoritiesImporter(), _rewrite(iod_csv, tmp_path / "iod.csv", change), strict=True
    )

    assert run.status == ImportStatus.FAILED
    assert "row 2961" in run.error and "area_type" in run.error
    assert Place.objects.count() == 0
