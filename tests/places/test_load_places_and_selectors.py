"""load_places loads the whole geography through the catalogue, idempotently, and the selectors
the atlas and search use find places and postcode locations in it."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command

from commonground.imports.models import ImportRun, ImportStatus
from commonground.places.models import Place, PlaceKind
from commonground.places.selectors import (
    place_by_gss,
    place_ids_for_postcodes,
    postcode_location,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded() -> None:
    call_command("load_places", stdout=io.StringIO())


def test_load_places_records_one_successful_import_a_file(loaded: None) -> None:
    runs = ImportRun.objects.all()

    assert sorted((r.dataset, r.status) for r in runs) == [
        ("gb_lae_codes", ImportStatus.SUCCEEDED),
        ("local_authorities_iod2025", ImportStatus.SUCCEEDED),
        ("trafford_postcodes", ImportStatus.SUCCEEDED),
        ("trafford_wards", ImportStatus.SUCCEEDED),
        ("trafford_wards", ImportStatus.SUCCEEDED),
    ]
    assert all(len(r.sha256) == 64 for r in runs)


def test_running_load_places_again_changes_nothing(loaded: None) -> None:
    out = io.StringIO()

    call_command("load_places", stdout=out)

    latest = ImportRun.objects.order_by("-pk")[:5]
    assert all(r.rows_loaded == 0 and r.rows_updated == 0 for r in latest)
    assert Place.objects.filter(kind=PlaceKind.WARD).count() == 21
    assert "Trafford postcodes: read 11264, loaded 0" in out.getvalue()


def test_a_postcode_in_any_spelling_gives_its_location(loaded: None) -> None:
    assert postcode_location("m15 4ab") == pytest.approx((53.465578, -2.26046))
    assert postcode_location("M154AB") == postcode_location("M15 4AB")


def test_an_unknown_or_malformed_postcode_has_no_location(loaded: None) -> None:
    assert postcode_location("SW1A 1AA") is None
    assert postcode_location("not a postcode") is None
    assert postcode_location("") is None


def test_place_by_gss_finds_the_current_place_whatever_the_case(loaded: None) -> None:
    Place.objects.create(
        gss_code="E08000009",
        name="Trafford (old boundary)",
        kind=PlaceKind.LOCAL_AUTHORITY,
        start_date=date(1974, 4, 1),
        end_date=date(2024, 3, 31),
    )

    trafford = place_by_gss("e08000009")

    assert trafford is not None and trafford.name == "Trafford"
    assert place_by_gss("E05015253").parent == trafford  # type: ignore[union-attr]
    assert place_by_gss("E99999999") is None


def test_postcodes_resolve_to_their_district_and_ward_for_the_atlas(loaded: None) -> None:
    found = place_ids_for_postcodes(["M15 4AB", "SW1A 1AA"])

    trafford = Place.objects.get(gss_code="E08000009")
    ward = Place.objects.get(gss_code="E05015247")
    assert set(found) == {"M15 4AB"}
    la_id, ward_id, latitude, _ = found["M15 4AB"]
    assert (la_id, ward_id) == (trafford.pk, ward.pk)
    assert latitude == pytest.approx(53.465578)
