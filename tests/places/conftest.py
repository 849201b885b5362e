"""Fixtures for geography tests: the real place files in ../shared/data/places."""

from __future__ import annotations

from pathlib import Path

import pytest

from commonground.imports.engine import run_import
from commonground.places.importers.boundaries import (
    LocalAuthorityBoundaryImporter,
    WardBoundariesImporter,
)
from commonground.places.importers.local_authorities import LocalAuthoritiesImporter


@pytest.fixture
def places_dir(shared_data: Path) -> Path:
    return shared_data / "places"


@pytest.fixture
def districts(places_dir: Path) -> None:
    run = run_import(
        LocalAuthoritiesImporter(), places_dir / "english_local_authorities_iod2025.csv"
    )
    assert run.status == "succeeded", run.error


@pytest.fixture
def trafford_wards(districts: None, places_dir: Path) -> None:
    for importer, name in (
        (LocalAuthorityBoundaryImporter(), "trafford_local_authority.geojson"),
        (WardBoundariesImporter(), "trafford_wards.geojson"),
    ):
        run = run_import(importer, places_dir / name)
        assert run.status == "succeeded", run.error
