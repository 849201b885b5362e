"""Trafford as a test place: its real wards, postcodes and charities, made directly as rows.

The places importers are tested on their own; search tests only need the rows they produce.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from django.db import connection

from commonground.imports.engine import run_import
from commonground.imports.models import ImportRun
from commonground.organisations.models import (
    Identifier,
    Organisation,
    OrganisationEmbedding,
    OtherName,
    PlaceLink,
    SourceRecord,
)
from commonground.organisations.registers.trafford_charities import TraffordCharitiesImporter
from commonground.organisations.search.index import FTS_TABLE
from commonground.places.models import Place, PlaceKind, Postcode

TRAFFORD = "E08000009"
MANCHESTER = "E08000003"
URMSTON_WARD = "E05015259"  # Urmston, where Age UK Trafford's postcode M41 9EH is


def load_trafford(shared_data: Path) -> None:
    trafford = Place.objects.create(
        gss_code=TRAFFORD,
        name="Trafford",
        kind=PlaceKind.LOCAL_AUTHORITY,
        latitude=53.42,
        longitude=-2.35,
    )
    Place.objects.create(gss_code=MANCHESTER, name="Manchester", kind=PlaceKind.LOCAL_AUTHORITY)
    wards = json.loads((shared_data / "places" / "trafford_wards.geojson").read_text())
    Place.objects.bulk_create(
        Place(
            gss_code=feature["properties"]["area_code"],
            name=feature["properties"]["area_name"],
            kind=PlaceKind.WARD,
            parent=trafford,
            boundary=feature["geometry"],
        )
        for feature in wards["features"]
    )
    with open(shared_data / "places" / "trafford_postcodes.csv", encoding="utf-8") as handle:
        Postcode.objects.bulk_create(
            (
                Postcode(
                    postcode=row["postcode"],
                    ward_code=row["ward_code"],
                    local_authority_code=row["la_code"],
                    lsoa_code=row["lsoa_code"],
                    msoa_code=row["msoa_code"],
                    latitude=float(row["lat"]),
                    longitude=float(row["lon"]),
                )
                for row in csv.DictReader(handle)
            ),
            batch_size=2000,
        )
    run_import(
        TraffordCharitiesImporter(),
        shared_data / "registers" / "trafford_charities_ccew_2023.csv",
    )


def clear_trafford() -> None:
    # Delete table by table: only the atlas's own rows exist here, and the ORM's cascade
    # would otherwise visit every app that refers to organisations.
    for model in (Identifier, OtherName, SourceRecord, PlaceLink, OrganisationEmbedding):
        model.objects.all()._raw_delete(model.objects.db)
    Organisation.objects.all()._raw_delete(Organisation.objects.db)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
    ImportRun.objects.all().delete()
    Postcode.objects.all().delete()
    Place.objects.filter(kind=PlaceKind.WARD).delete()
    Place.objects.all().delete()


@pytest.fixture(scope="module")
def trafford(django_db_setup, django_db_blocker, shared_data: Path):
    """Trafford loaded once for a test module (import this fixture into the module).

    Loading 11,000 postcodes and 736 charities once per module keeps the suite quick; each
    test still runs in its own rolled-back transaction on top."""
    with django_db_blocker.unblock():
        load_trafford(shared_data)
        yield
        clear_trafford()
