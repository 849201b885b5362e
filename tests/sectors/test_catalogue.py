"""The sector guide's data: every sector, route and legal form is one the rest of the product
knows, every fact cites a source and has a review date, and broken files are refused by name."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from commonground.commissioning.catalogue import ROUTE_CODES
from commonground.organisations.models import Sector
from commonground.organisations.registers import ccew, ccni, councils, fca_mutuals, oscr
from commonground.sectors.catalogue import (
    DATA_DIR,
    PERSPECTIVES,
    SECTOR_CODES,
    SectorsError,
    catalogue,
    load_catalogue,
)


def _column(path: Path, column: str, encoding: str = "utf-8") -> set[str]:
    with open(path, encoding=encoding, errors="replace", newline="") as handle:
        return {row[column].strip() for row in csv.DictReader(handle) if row[column].strip()}


def register_vocabulary(shared_data: Path) -> set[str]:
    """Every legal form the registers we import can record: the importers' own lists, and the
    values in the real register files (read as the importers read them)."""
    registers = shared_data / "registers"
    found = {
        *ccew.LEGAL_FORMS.values(),
        *ccni.LEGAL_FORMS.values(),
        *oscr.LEGAL_FORMS.values(),
        *councils.COUNCIL_TYPES.values(),
        *fca_mutuals.REGISTERED_AS,  # no copy of that register is held: its importer's list
    }
    found |= _column(registers / "trafford_charities_ccew_2023.csv", "charity_type")
    found |= _column(registers / "coops_uk_open_data_2023q2.csv", "Legal Form")
    vocabs = json.loads((registers / "coops_uk_vocabs.json").read_text(encoding="utf-8"))
    found |= set(vocabs["vocabs"]["os:"]["EN"]["terms"].values())
    with open(registers / "companies_house_basic_company_data_sample.csv", encoding="utf-8") as h:
        reader = csv.DictReader(h)
        column = next(c for c in reader.fieldnames or [] if c.strip() == "CompanyCategory")
        found |= {row[column].strip() for row in reader}
    return {value.casefold() for value in found}


def test_the_six_sectors_are_all_there_and_are_sectors_the_atlas_records() -> None:
    cat = catalogue()
    assert list(cat.sectors) == list(SECTOR_CODES)
    assert len(SECTOR_CODES) == 6
    assert set(SECTOR_CODES) <= set(Sector.values)


def test_every_route_in_the_guide_is_in_the_routes_catalogue() -> None:
    for entry in catalogue().sectors.values():
        for route in entry.data["routes"]:
            assert route["route"] in ROUTE_CODES, (entry.file, route["route"])


def test_every_legal_form_in_the_guide_is_one_the_registers_record(shared_data: Path) -> None:
    vocabulary = register_vocabulary(shared_data)
    unknown = [
        (form.sector, form.code, recorded)
        for form in catalogue().legal_forms()
        for recorded in form.recorded_as
        if recorded.casefold() not in vocabulary
    ]
    assert unknown == []


def test_the_legal_forms_trafford_organisations_have_each_lead_to_a_guide_entry(
    shared_data: Path,
) -> None:
    from commonground.sectors.selectors import legal_form_entry

    recorded = _column(
        shared_data / "registers" / "trafford_charities_ccew_2023.csv", "charity_type"
    )
    assert {value: legal_form_entry(value, "charity") is not None for value in recorded} == {
        value: True for value in recorded
    }
    cio = legal_form_entry("CIO", "charity")
    assert cio is not None and cio.code == "cio"


def test_each_kind_of_society_the_fca_mutuals_register_records_has_its_own_guide_entry() -> None:
    from commonground.sectors.selectors import legal_form_entry

    # The importer claims every society on the register for the co-operative and mutual sector.
    found = {}
    for recorded in fca_mutuals.REGISTERED_AS:
        form = legal_form_entry(recorded, "cooperative_mutual")
        found[recorded] = (form.sector, form.code) if form else None
    assert found == {
        "Registered Society": ("cooperative_mutual", "registered_society"),
        "Co-operative Society": ("cooperative_mutual", "cooperative_society"),
        "Bona fide co-operative": ("cooperative_mutual", "cooperative_society"),
        "Community Benefit Society": ("cooperative_mutual", "community_benefit_society"),
        "Pre-commencement Society": ("cooperative_mutual", "registered_society"),
        "Industrial and Provident Society": ("cooperative_mutual", "registered_society"),
        "Credit Union": ("cooperative_mutual", "credit_union"),
        "Building Society": ("cooperative_mutual", "building_society"),
        "Friendly Society": ("cooperative_mutual", "friendly_society"),
    }
    # Registers differ in capitals ("Bona Fide Co-operative"): the words are matched without.
    assert legal_form_entry("BONA FIDE CO-OPERATIVE", "cooperative_mutual") is not None


def test_every_fact_has_a_source_and_every_sector_a_review_date() -> None:
    for entry in catalogue().sectors.values():
        d = entry.data
        assert entry.reviewed.year >= 2026
        facts = [d["purpose"], d["asset_lock"], d["profit_distribution"]]
        facts += d["governance"] + d["funding"] + d["misunderstandings"]
        facts += d["legal_forms"] + d["routes"] + d["terms"]
        for fact in facts:
            assert fact["sources"], (entry.file, fact)
            assert all(s.startswith(("http://", "https://")) for s in fact["sources"])
        assert entry.regulators


def test_glossary_terms_give_every_perspective_with_sources() -> None:
    cat = catalogue()
    for code in ("value", "outcomes", "partnership", "grant", "contract"):
        term = cat.glossary[code]
        for perspective in PERSPECTIVES:
            assert term.data[perspective]
        assert term.data["sources"]


def test_the_reserved_mutual_route_names_its_condition_for_mutuals() -> None:
    found = catalogue().sectors_for_route("reserved_mutual_s33")
    conditions = {entry.code: route["condition"] for entry, route in found}
    assert "public service mutuals only" in conditions["cooperative_mutual"]


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_unknown_route_code_is_refused_naming_file_and_field(broken: Path) -> None:
    _edit(broken / "sectors" / "charity.yaml", "route: grant\n", "route: grant_typo\n")
    with pytest.raises(SectorsError) as caught:
        load_catalogue(broken)
    assert caught.value.file == "sectors/charity.yaml"
    assert caught.value.field == "routes.0.route"


def test_a_fact_without_a_source_is_refused(broken: Path) -> None:
    path = broken / "sectors" / "social_finance.yaml"
    _edit(
        path, "  sources:\n    - https://bigsocietycapital.com/faqs/\nlegal_forms:", "legal_forms:"
    )
    with pytest.raises(SectorsError) as caught:
        load_catalogue(broken)
    assert (caught.value.file, caught.value.field) == (
        "sectors/social_finance.yaml",
        "purpose.sources",
    )


def test_a_missing_sector_file_is_refused(broken: Path) -> None:
    (broken / "sectors" / "public_body.yaml").unlink()
    with pytest.raises(SectorsError, match="public_body"):
        load_catalogue(broken)


def test_a_glossary_term_missing_a_perspective_is_refused(broken: Path) -> None:
    _edit(broken / "glossary.yaml", "    funder: Impact for the money given", "    sponsor: Impact")
    with pytest.raises(SectorsError) as caught:
        load_catalogue(broken)
    assert caught.value.file == "glossary.yaml"
    assert caught.value.field.startswith("terms.0.")
