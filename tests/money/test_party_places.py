"""Where a money source places its recipients: what the linkage compares with an organisation's
local authority. Only what the source says about the party counts, never where the payer is."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from commonground.imports.engine import run_import
from commonground.imports.models import ImportStatus
from commonground.money.giving.importer import GrantsImporter
from commonground.money.models import MoneyFlow
from commonground.money.ocds import ContractsImporter
from commonground.money.party_places import grant_recipient_places, recipient_places
from commonground.organisations.models import Organisation
from commonground.places.models import LocalAuthorityCode
from tests.organisations.factories import MANCHESTER, TRAFFORD, URMSTON_WARD, load_trafford

AUTHORITY_OF = {TRAFFORD: TRAFFORD, MANCHESTER: MANCHESTER, URMSTON_WARD: TRAFFORD}


def located(*codes: str) -> list[dict[str, str]]:
    return [{"geoCode": code, "name": code} for code in codes]


def test_a_recipients_own_location_places_it() -> None:
    grants = [(located(MANCHESTER), located(TRAFFORD))]
    assert grant_recipient_places(grants, AUTHORITY_OF) == (MANCHESTER,)


def test_grants_benefiting_one_authority_place_their_recipient_there() -> None:
    grants = [(None, located(TRAFFORD)), (None, located(URMSTON_WARD)), (None, None)]
    assert grant_recipient_places(grants, AUTHORITY_OF) == (TRAFFORD,)


def test_grants_benefiting_several_authorities_place_nobody() -> None:
    grants = [(None, located(TRAFFORD)), (None, located(MANCHESTER))]
    assert grant_recipient_places(grants, AUTHORITY_OF) == ()


def test_codes_that_are_no_known_authority_or_ward_place_nothing() -> None:
    # An LSOA, a region, an authority abolished since: the linkage cannot compare them.
    grants = [(None, located("E01011681", "E12000002", "E07000048")), (None, "UK wide")]
    assert grant_recipient_places(grants, AUTHORITY_OF) == ()


# Through an import -------------------------------------------------------------------------


def grant(number: int, recipient: str, beneficiaries: list[dict[str, str]]) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": f"360G-test-{number}",
        "title": f"Grant to {recipient}",
        "description": "A community project",
        "currency": "GBP",
        "amountAwarded": 1000,
        "awardDate": "2024-05-01",
        "recipientOrganization": [{"id": f"360G-test-org-{number}", "name": recipient}],
        "fundingOrganization": [{"id": "GB-LAE-TRF", "name": "Trafford Council"}],
    }
    if beneficiaries:
        found["beneficiaryLocation"] = beneficiaries
    return found


@pytest.fixture
def trafford_atlas(db: None, shared_data: Path) -> None:
    load_trafford(shared_data)
    LocalAuthorityCode.objects.create(code="TRF", name="Trafford", gss_code=TRAFFORD)


def import_grants(tmp_path: Path, *grants: dict[str, Any]) -> dict[str, MoneyFlow]:
    path = tmp_path / "grants.json"
    path.write_text(json.dumps({"grants": list(grants)}), encoding="utf-8")
    run = run_import(GrantsImporter("test_grants"), path)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    return {f.recipient_name: f for f in MoneyFlow.objects.filter(dataset="test_grants")}


def test_a_short_name_whose_grant_benefits_its_authority_is_linked(
    trafford_atlas, tmp_path: Path
) -> None:
    flows = import_grants(
        tmp_path,
        grant(1, "Gorse Hill Studios", located(TRAFFORD)),
        grant(2, "The Counselling and Family Centre", located(URMSTON_WARD)),
    )
    assert recipient_places("test_grants") == {
        "test_grants:360G-test-org-1": (TRAFFORD,),
        "test_grants:360G-test-org-2": (TRAFFORD,),
    }
    studios = Organisation.objects.get(name="GORSE HILL STUDIOS CREATIVE COMMUNITY")
    centre = Organisation.objects.get(name="THE COUNSELLING AND FAMILY CENTRE, ALTRINCHAM")
    assert (flows["Gorse Hill Studios"].recipient_organisation, studios.local_authority) == (
        studios,
        flows["Gorse Hill Studios"].place,
    )
    assert flows["Gorse Hill Studios"].recipient_link_method == "probabilistic"
    counselling = flows["The Counselling and Family Centre"]
    assert (counselling.recipient_organisation, counselling.recipient_link_method) == (
        centre,
        "probabilistic",
    )


def test_a_council_grant_with_no_beneficiary_area_does_not_place_its_recipient(
    trafford_atlas, tmp_path: Path
) -> None:
    flows = import_grants(tmp_path, grant(1, "Gorse Hill Studios", []))
    flow = flows["Gorse Hill Studios"]
    # The ledger counts the grant in the paying council's area, but that is the council's
    # place, not the recipient's: the match waits for a reviewer, as it did without places.
    assert flow.place is not None and flow.place.gss_code == TRAFFORD
    assert recipient_places("test_grants") == {}
    assert flow.recipient_link_method == "review_pending"


def test_contract_suppliers_are_not_placed_by_the_buyer(db: None, shared_data: Path) -> None:
    notice = "ocds-b5fd17raw-d72762d9-d49d-413b-9e1f-99e1b3b5430d.json"
    run = run_import(ContractsImporter(), shared_data / "contracts/contracts_finder" / notice)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert MoneyFlow.objects.filter(dataset="contracts_finder").exists()
    assert recipient_places("contracts_finder") == {}
