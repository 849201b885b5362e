"""Trafford's 21 wards load under Trafford with their boundaries and centres, and Trafford gets
its own boundary; broken features and files are reported, never half-loaded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from commonground.imports.engine import run_import
from commonground.imports.models import ImportStatus
from commonground.places.geometry import InvalidGeometry, centroid
from commonground.places.importers.boundaries import (
    LocalAuthorityBoundaryImporter,
    WardBoundariesImporter,
)
from commonground.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def wards_file(places_dir: Path) -> Path:
    return places_dir / "trafford_wards.geojson"


def _inside_bounds(place: Place) -> bool:
    positions = [p for polygon in [place.boundary["coordinates"]] for ring in polygon for p in ring]
    lons = [p[0] for p in positions]
    lats = [p[1] for p in positions]
    return min(lats) < place.latitude < max(lats) and min(lons) < place.longitude < max(lons)


def test_the_21_wards_load_under_trafford_with_boundaries_and_centres(trafford_wards: None) -> None:
    trafford = Place.objects.get(gss_code="E08000009")
    wards = list(trafford.children.filter(kind=PlaceKind.WARD))

    assert len(wards) == 21
    altrincham = next(w for w in wards if w.gss_code == "E05015239")
    assert altrincham.name == "Altrincham"
    assert altrincham.boundary["type"] == "Polygon"
    assert all(_inside_bounds(w) for w in wards)
    assert altrincham.end_date is None and altrincham.start_date is not None


def test_trafford_gets_its_own_boundary_and_centre(trafford_wards: None) -> None:
    trafford = Place.objects.get(gss_code="E08000009")

    assert trafford.boundary["type"] == "Polygon"
    assert _inside_bounds(trafford)
    assert trafford.latitude == pytest.approx(53.42, abs=0.03)


def test_loading_the_wards_again_changes_nothing(trafford_wards: None, wards_file: Path) -> None:
    second = run_import(WardBoundariesImporter(), wards_file)

    assert (second.rows_loaded, second.rows_updated, second.rows_unchanged) == (0, 0, 21)
    assert Place.objects.filter(kind=PlaceKind.WARD).count() == 21


def test_wards_cannot_load_before_their_local_authority(wards_file: Path) -> None:
    run = run_import(WardBoundariesImporter(), wards_file)

    assert run.status == ImportStatus.FAILED
    assert "trafford_wards.geojson" in run.error and "E08000009" in run.error
    assert Place.objects.count() == 0


def test_a_boundary_for_a_district_not_loaded_is_rejected(places_dir: Path) -> None:
    run = run_import(
        LocalAuthorityBoundaryImporter(), places_dir / "trafford_local_authority.geojson"
    )

    rejected = run.rejected_rows.get()
    assert (rejected.row_number, rejected.field) == (1, "area_code")
    assert "E08000009" in rejected.reason


def test_a_feature_with_broken_geometry_is_rejected_and_the_rest_load(
    districts: None, wards_file: Path, tmp_path: Path
) -> None:
    document = json.loads(wards_file.read_text(encoding="utf-8"))
    document["features"][2]["geometry"] = {"type": "Point", "coordinates": [-2.3, 53.4]}
    document["features"][4]["geometry"]["coordinates"][0][1] = ["x", 53.4]
    broken = tmp_path / "wards.geojson"
    broken.write_text(json.dumps(document))

    run = run_import(WardBoundariesImporter(), broken)

    assert run.status == ImportStatus.SUCCEEDED
    assert list(run.rejected_rows.values_list("file_name", "row_number", "field")) == [
        ("wards.geojson", 3, "geometry"),
        ("wards.geojson", 5, "geometry"),
    ]
    assert Place.objects.filter(kind=PlaceKind.WARD).count() == 19


def test_a_file_that_is_not_geojson_loads_nothing(districts: None, tmp_path: Path) -> None:
    broken = tmp_path / "wards.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [')

    run = run_import(WardBoundariesImporter(), broken)

    assert run.status == ImportStatus.FAILED
    assert "wards.geojson" in run.error and "not valid JSON" in run.error


def test_the_centre_of_a_square_with_a_hole_is_its_middle_and_the_hole_is_subtracted() -> None:
    square = [[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0], [0.0, 0.0]]
    hole = [[2.0, 0.0], [4.0, 0.0], [4.0, 4.0], [2.0, 4.0], [2.0, 0.0]]

    assert centroid({"type": "Polygon", "coordinates": [square]}) == pytest.approx((2.0, 2.0))
    # The hole takes away the east half, so the centre moves west.
    assert centroid({"type": "Polygon", "coordinates": [square, hole]}) == pytest.approx((2.0, 1.0))


def test_a_shape_with_no_area_has_no_centre() -> None:
    line = [[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [0.0, 0.0]]

    with pytest.raises(InvalidGeometry):
        centroid({"type": "Polygon", "coordinates": [line]})
