"""Records that share an identifier, directly or through a published link, are one organisation
whichever was loaded first; and loading anything again changes nothing.

Real files: the Trafford charity file, the CCNI export and a slice of the charity-company link
table. Company-register records are built here (as another register would produce them)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from commonground.imports.engine import run_import
from commonground.organisations.models import IdentifierLink, Organisation
from commonground.organisations.records import OrganisationRecord, SectorClaim
from commonground.organisations.registers.ccni import CcniRegisterImporter
from commonground.organisations.registers.links import CharityCompanyLinksImporter
from commonground.organisations.registers.registry import IMPORTERS, importer_class
from commonground.organisations.registers.trafford_charities import TraffordCharitiesImporter
from commonground.organisations.services import organisations_upsert
from commonground.sources.catalogue import dataset

pytestmark = pytest.mark.django_db

# Trafford charities the register lists without a company number, which the link table links
# to one; and Northern Ireland charities whose company only the link table gives.
TRAFFORD_LINKED = {"GB-CHC-1115104": "GB-COH-07195995", "GB-CHC-1184323": "GB-COH-11601778"}
NI_LINKED = {"GB-NIC-100002": "GB-COH-NI055010", "GB-NIC-100004": "GB-COH-NI019258"}


@pytest.fixture
def files(shared_data: Path, tmp_path: Path) -> dict[str, Path]:
    registers = shared_data / "registers"
    trafford = registers / "trafford_charities_ccew_2023.csv"
    ccni = registers / "ccni_register_sample_cp1252.csv"
    with open(trafford, encoding="utf-8", newline="") as handle:
        charities = {f"GB-CHC-{r['registered_charity_number']}" for r in csv.DictReader(handle)}
    with open(ccni, encoding="cp1252", newline="") as handle:
        charities |= {f"GB-NIC-{r['Reg charity number']}" for r in csv.DictReader(handle)}
    links = tmp_path / "links.csv"
    with (
        open(registers / "links_charity_to_company_numbers.csv", encoding="utf-8") as source,
        open(links, "w", encoding="utf-8", newline="") as target,
    ):
        reader = csv.DictReader(source)
        writer = csv.DictWriter(target, fieldnames=reader.fieldnames or [])
        writer.writeheader()
        # Every link that touches a charity in the two register files, plus one that does not.
        kept = [
            r for r in reader if r["org_id_a"] in charities or r["org_id_a"] == "GB-CHC-1000611"
        ]
        writer.writerows(kept)
    assert {**TRAFFORD_LINKED, **NI_LINKED}.items() <= {
        (r["org_id_a"], r["org_id_b"]) for r in kept
    }
    return {"trafford": trafford, "ccni": ccni, "links": links}


def company_records() -> list[OrganisationRecord]:
    """What a company register says about two of the linked companies."""
    return [
        OrganisationRecord(
            dataset="test_company_register",
            record_key=company.removeprefix("GB-COH-"),
            raw={"CompanyNumber": company.removeprefix("GB-COH-"), "CompanyName": name},
            identifiers=[company],
            name=name,
            priority=20,
            register="a company register",
            legal_form="Private limited by guarantee without share capital",
            sector_claims=[SectorClaim("private_business", "CompanyCategory", "PRI/LBG", "test")],
            status="active",
        )
        for company, name in [
            ("GB-COH-07195995", "LINKED TRAFFORD CHARITY LIMITED"),
            ("GB-COH-NI055010", "CANCER LIFELINE"),
        ]
    ]


def atlas() -> list[tuple[tuple[str, ...], str, str, tuple[str, ...]]]:
    """Each organisation's identifiers, name, sector and source datasets, in a stable order."""
    return sorted(
        (
            tuple(sorted(org.identifiers.values_list("value", flat=True))),
            org.name,
            org.sector,
            tuple(sorted(org.source_records.values_list("dataset", flat=True))),
        )
        for org in Organisation.objects.all()
    )


def load_all(files: dict[str, Path], order: list[str]) -> list[tuple[int, int]]:
    """Load the sources in this order; return each one's (loaded, updated) counts."""
    steps: dict[str, Callable[[], tuple[int, int]]] = {
        "trafford": lambda: _counts(run_import(TraffordCharitiesImporter(), files["trafford"])),
        "ccni": lambda: _counts(run_import(CcniRegisterImporter(), files["ccni"])),
        "links": lambda: _counts(run_import(CharityCompanyLinksImporter(), files["links"])),
        "companies": lambda: _counts(organisations_upsert(company_records(), None)),
    }
    return [steps[name]() for name in order]


def _counts(result: object) -> tuple[int, int]:
    return (
        (result.rows_loaded, result.rows_updated)
        if hasattr(result, "rows_loaded")
        else (
            result.loaded,  # type: ignore[attr-defined]
            result.updated,  # type: ignore[attr-defined]
        )
    )


def test_links_loaded_first_or_last_give_the_same_organisations(files: dict[str, Path]) -> None:
    load_all(files, ["links", "trafford", "ccni", "companies"])
    links_first = atlas()
    Organisation.objects.all().delete()
    IdentifierLink.objects.all().delete()

    load_all(files, ["companies", "ccni", "trafford", "links"])

    assert atlas() == links_first


def test_a_charity_and_its_company_become_one_organisation_through_a_link(
    files: dict[str, Path],
) -> None:
    load_all(files, ["trafford", "ccni", "companies"])
    assert Organisation.objects.filter(identifiers__value="GB-COH-NI055010").get().org_id == (
        "GB-COH-NI055010"
    )  # before the link: the company is an organisation of its own
    before = Organisation.objects.count()

    load_all(files, ["links"])

    org = Organisation.objects.get(identifiers__value="GB-NIC-100002")
    assert set(org.identifiers.values_list("value", flat=True)) == {
        "GB-NIC-100002",
        "GB-COH-NI055010",
    }
    assert org.name == "Cancer Lifeline"  # the charity register outranks the company record
    assert org.sector == "charity"
    assert set(org.source_records.values_list("dataset", flat=True)) == {
        "ccni_register",
        "test_company_register",
    }
    assert Organisation.objects.count() == before - 2  # two company records merged in
    for charity, company in {**TRAFFORD_LINKED, **NI_LINKED}.items():
        assert Organisation.objects.get(identifiers__value=charity) == Organisation.objects.get(
            identifiers__value=company
        )


def test_a_link_to_organisations_not_loaded_creates_nothing(files: dict[str, Path]) -> None:
    load_all(files, ["links"])

    assert Organisation.objects.count() == 0


def test_loading_everything_again_in_any_order_changes_nothing(files: dict[str, Path]) -> None:
    load_all(files, ["trafford", "links", "companies", "ccni"])
    before = atlas()

    again = load_all(files, ["ccni", "links", "trafford", "companies"])

    assert again == [(0, 0)] * 4
    assert atlas() == before


def test_every_importer_in_the_registry_reads_the_dataset_it_is_listed_under() -> None:
    for code in IMPORTERS:
        assert importer_class(code).dataset == code
        assert dataset(code).files, f"{code} has no files in the catalogue"
