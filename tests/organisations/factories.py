"""Organisations for any test: one written through the atlas service from a synthetic record,
Trafford's real wards, postcodes and charities, and a queued link review with its reviewers.

The places importers are tested on their own; other tests only need the rows they produce.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import factory
from django.contrib.auth.models import Group, User
from django.db import connection

from commonground.accounts.permissions import REVIEWERS_GROUP
from commonground.imports.engine import run_import
from commonground.imports.models import ImportRun
from commonground.organisations.linkage import Party, link_parties
from commonground.organisations.models import (
    Identifier,
    LinkReview,
    Organisation,
    OrganisationEmbedding,
    OtherName,
    PlaceLink,
    Shortlist,
    SourceRecord,
    WideSearchRow,
)
from commonground.organisations.records import OrganisationRecord, SectorClaim
from commonground.organisations.registers.trafford_charities import TraffordCharitiesImporter
from commonground.organisations.search.index import FTS_TABLE
from commonground.organisations.services import organisations_upsert
from commonground.organisations.shortlists import shortlist_add, shortlist_create
from commonground.places.models import Place, PlaceKind, Postcode
from tests.accounts.factories import UserFactory

TRAFFORD = "E08000009"
MANCHESTER = "E08000003"
URMSTON_WARD = "E05015259"  # Urmston, where Age UK Trafford's postcode M41 9EH is


class OrganisationFactory(factory.Factory):
    """An organisation written through `organisations_upsert` from one synthetic source record.

    `OrganisationFactory(org_id="GB-LAE-TRF", name="Trafford Council", sector="public_body")`;
    `identifiers` names more ids than the first, `sector=""` claims none."""

    class Meta:
        model = OrganisationRecord

    org_id = factory.Sequence(lambda n: f"GB-CHC-{9_800_000 + n}")
    name = factory.Sequence(lambda n: f"Synthetic test charity {n}")
    sector = "charity"
    postcode = ""
    dataset = "synthetic_test"
    record_key = factory.SelfAttribute("org_id")
    identifiers = factory.LazyAttribute(lambda record: [record.org_id])

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Organisation:
        org_id, sector = kwargs.pop("org_id"), kwargs.pop("sector")
        claims = [SectorClaim(sector, "test", sector, "synthetic test record")] if sector else []
        record = OrganisationRecord(raw={"synthetic": True}, sector_claims=claims, **kwargs)
        organisations_upsert([record], None)
        return Organisation.objects.get(identifiers__value=org_id)


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
    for model in (
        Identifier,
        OtherName,
        SourceRecord,
        PlaceLink,
        OrganisationEmbedding,
        WideSearchRow,
    ):
        model.objects.all()._raw_delete(model.objects.db)
    Organisation.objects.all()._raw_delete(Organisation.objects.db)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
    ImportRun.objects.all().delete()
    Postcode.objects.all().delete()
    Place.objects.filter(kind=PlaceKind.WARD).delete()
    Place.objects.all().delete()


def reviewers() -> dict[str, User]:
    """A platform administrator, a member of the reviewers group, and a signed-in outsider."""
    admin = UserFactory(email="admin@platform.example", is_staff=True)
    reviewer = UserFactory(email="reviewer@council.example")
    reviewer.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    outsider = UserFactory(email="someone@example.org")
    return {"admin": admin, "reviewer": reviewer, "outsider": outsider}


# The organisation's very name, but at a postcode in another area: a reviewer decides.
UNCERTAIN = Party("spend:altrincham scouts association", "Altrincham Scouts Association", "SK8 1AA")


def queued_review() -> LinkReview:
    assert link_parties([UNCERTAIN])[UNCERTAIN.key].method == "review_pending"
    return LinkReview.objects.get(party_key=UNCERTAIN.key)


def shortlist_of(owner: User, name: str, organisations: list[Organisation]) -> Shortlist:
    """A shortlist of `owner`'s with these organisations, saved through the services."""
    shortlist = shortlist_create(owner, name=name)
    for organisation in organisations:
        shortlist_add(owner, shortlist, organisation)
    return shortlist
