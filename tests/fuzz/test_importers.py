"""Damaged copies of the real data files, fed to every register importer and every place
importer: each run ends succeeded, or failed with a message naming the file, and a failed run
leaves the database exactly as it was."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonground.imports.engine import Importer, run_import
from commonground.imports.models import ImportStatus, RejectedRow
from commonground.organisations.registers.registry import IMPORTERS, importer_for
from commonground.places.importers.boundaries import (
    LocalAuthorityBoundaryImporter,
    WardBoundariesImporter,
)
from commonground.places.importers.gb_lae import GbLaeCodesImporter
from commonground.places.importers.local_authorities import LocalAuthoritiesImporter
from commonground.places.importers.postcodes import (
    NationalPostcodesImporter,
    TraffordPostcodesImporter,
)
from tests.fuzz.mutations import mutated
from tests.places.factories import nspl_rows, write_csv

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same damaged files on every run, so a failure can be replayed
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
HEAD_LINES = 150  # the first lines of a big file are enough, and keep each example fast

# A real file for every register importer. OSCR and the FCA mutuals register have no copy
# offline, so they are fed another register's real CSV: a wrong file must fail cleanly too.
REGISTER_FILES = {
    "trafford_charities": "registers/trafford_charities_ccew_2023.csv",
    "ccew_register": "registers/ccew_extract_layout_synthetic/publicextract.charity.zip",
    "ccni_register": "registers/ccni_register_sample_cp1252.csv",
    "oscr_register": "registers/trafford_charities_ccew_2023.csv",
    "companies_house": "registers/companies_house_basic_company_data_sample.csv",
    "coops_uk": "registers/coops_uk_open_data_2023q2.csv",
    "fca_mutuals": "registers/links_mutuals_gb_mpr_to_gb_coh.csv",
    "links_charity_company": "registers/links_charity_to_company_numbers.csv",
    "links_mutual_company": "registers/links_mutuals_gb_mpr_to_gb_coh.csv",
    "gb_lae_codes": "places/local_authority_eng_gb_lae.csv",  # the councils in the atlas
}
PLACE_IMPORTERS: dict[str, tuple[type[Importer], str]] = {
    "local_authorities": (LocalAuthoritiesImporter, "places/english_local_authorities_iod2025.csv"),
    "gb_lae_codes": (GbLaeCodesImporter, "places/local_authority_eng_gb_lae.csv"),  # + mapping
    "trafford_postcodes": (TraffordPostcodesImporter, "places/trafford_postcodes.csv"),
    "nspl": (NationalPostcodesImporter, "NSPL_FEB_2025_UK.csv"),  # written from nspl_sample.json
    "la_boundary": (LocalAuthorityBoundaryImporter, "places/trafford_local_authority.geojson"),
    "ward_boundaries": (WardBoundariesImporter, "places/trafford_wards.geojson"),
}


def test_every_register_in_the_registry_is_fuzzed() -> None:
    assert set(REGISTER_FILES) == set(IMPORTERS)


def table_counts() -> dict[str, int]:
    """Rows in every atlas and places table (import runs and rejected rows are records of the
    attempt, written whatever its outcome)."""
    return {
        model._meta.label: model.objects.count()
        for app in ("organisations", "places")
        for model in apps.get_app_config(app).get_models()
    }


def head(data: bytes, lines: int = HEAD_LINES) -> bytes:
    return b"".join(data.splitlines(keepends=True)[:lines])


def main_charities_first(table: bytes) -> bytes:
    """The charity table with its main charities (linked number 0) before its linked ones, so
    that its first lines load organisations; otherwise in the file's order."""
    header, *rows = table.splitlines(keepends=True)
    linked = header.decode("utf-8-sig").split("\t").index("linked_charity_number")
    rows.sort(key=lambda row: row.split(b"\t")[linked] != b"0")
    return header + b"".join(rows)


def check_run(importer: Importer, path: Path, mutation: str, named: tuple[str, ...]) -> None:
    before = table_counts()
    run = run_import(importer, path)  # an unhandled exception fails the test here
    assert run.status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED), mutation
    if run.status == ImportStatus.FAILED:
        assert any(name in run.error for name in named), (mutation, run.error)
        assert table_counts() == before, (mutation, run.error)
    for rejected in RejectedRow.objects.filter(run=run)[:50]:
        assert rejected.file_name and rejected.reason, mutation


@pytest.fixture(scope="session")
def ccew_extract(shared_data: Path, tmp_path_factory) -> Path:
    """The Charity Commission extract with every table cut to its first lines, still zipped."""
    folder = tmp_path_factory.mktemp("ccew_head")
    for table in (shared_data / REGISTER_FILES["ccew_register"]).parent.glob("*.zip"):
        with zipfile.ZipFile(table) as archive:
            (member,) = archive.namelist()
            data = archive.read(member)
        if table.name == "publicextract.charity.zip":
            data = main_charities_first(data)  # the file's first lines are linked charities
        text = head(data)
        with zipfile.ZipFile(folder / table.name, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(member, text)
    return folder


@pytest.mark.parametrize("dataset", sorted(REGISTER_FILES))
@FUZZ
@given(data=st.data())
def test_a_damaged_register_file_loads_cleanly_or_fails_naming_the_file_and_loading_nothing(
    dataset: str, data, shared_data: Path, ccew_extract: Path, tmp_path_factory
) -> None:
    folder = tmp_path_factory.mktemp(dataset)
    source = shared_data / REGISTER_FILES[dataset]
    if dataset == "ccew_register":
        # The extract is a folder of zipped tables; damage the text of one of them.
        for table in ccew_extract.glob("publicextract.*.zip"):
            shutil.copy(table, folder / table.name)
        table = data.draw(
            st.sampled_from(sorted(folder.glob("publicextract.*.zip"))), label="table"
        )
        with zipfile.ZipFile(table) as archive:
            (member,) = archive.namelist()
            mutation, damaged = data.draw(mutated(archive.read(member)), label="damage")
        with zipfile.ZipFile(table, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(member, damaged)
        check_run(
            importer_for(dataset),
            folder / "publicextract.charity.zip",
            mutation,
            (table.name, member),
        )
        return
    mutation, damaged = data.draw(mutated(head(source.read_bytes())), label="damage")
    path = folder / source.name
    path.write_bytes(damaged)
    check_run(importer_for(dataset), path, mutation, (path.name,))


@pytest.fixture(scope="session")
def nspl_file(shared_data: Path, tmp_path_factory) -> Path:
    return write_csv(
        tmp_path_factory.mktemp("nspl") / "NSPL_FEB_2025_UK.csv", nspl_rows(shared_data)
    )


@pytest.mark.parametrize("name", sorted(PLACE_IMPORTERS))
@FUZZ
@given(data=st.data())
def test_a_damaged_place_file_loads_cleanly_or_fails_naming_the_file_and_loading_nothing(
    name: str, data, shared_data: Path, nspl_file: Path, tmp_path_factory
) -> None:
    importer_class, relative = PLACE_IMPORTERS[name]
    source = nspl_file if name == "nspl" else shared_data / relative
    original = source.read_bytes()
    if source.suffix == ".csv":
        original = head(original)
    mutation, damaged = data.draw(mutated(original), label="damage")
    path = tmp_path_factory.mktemp(name) / source.name
    path.write_bytes(damaged)
    importer = (
        GbLaeCodesImporter(gss_mapping=shared_data / "places" / "gb_lae_to_gss.csv")
        if name == "gb_lae_codes"
        else importer_class()
    )
    check_run(importer, path, mutation, (path.name,))
