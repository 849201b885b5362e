"""The benchmark generators write files in the publishers' real layouts, which the real importers
accept, and the search benchmark's fast build leaves organisations the selector can find.

Everything here is generated at tiny scale (1,000 rows) in tmp_path."""

from __future__ import annotations

import csv
import re
import zipfile
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from bench import generators
from commonground.imports.engine import run_import
from commonground.imports.models import ImportStatus
from commonground.imports.readers import read_delimited
from commonground.organisations.models import Organisation, OrganisationEmbedding

ROWS = 1_000


@pytest.fixture(scope="module")
def ch_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path, _ = generators.companies_house_csv(ROWS, out_dir=tmp_path_factory.mktemp("ch"))
    return path


@pytest.fixture(scope="module")
def ccew_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder, _ = generators.ccew_extract(ROWS, out_dir=tmp_path_factory.mktemp("ccew"))
    return folder


def _ch_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_companies_house_file_has_the_real_55_column_header_byte_for_byte(
    ch_file: Path, shared_data: Path
) -> None:
    sample = shared_data / "registers" / "companies_house_basic_company_data_sample.csv"
    with open(sample, encoding="utf-8", newline="") as real, open(ch_file, newline="") as ours:
        assert ours.readline() == real.readline()
    with open(ch_file, newline="") as ours:
        header = next(csv.reader(ours))
    assert len(header) == 55
    assert " CompanyNumber" in header  # the real file's leading space is kept


def test_companies_house_values_are_all_quoted_with_dates_as_dd_mm_yyyy(ch_file: Path) -> None:
    with open(ch_file, newline="", encoding="utf-8") as handle:
        next(handle)
        lines = handle.readlines()
    assert len(lines) == ROWS
    assert all(line.startswith('"') and line.endswith('"\n') for line in lines)
    assert all(line.count('","') == 54 for line in lines)
    for row in _ch_rows(ch_file):
        datetime.strptime(row["IncorporationDate"], "%d/%m/%Y")
        assert re.fullmatch(r"(SC|NI|CE|RS|RC|OC|LP|OE)?\d{6,8}|IP\d{5}R", row[" CompanyNumber"])


def test_companies_house_file_has_about_four_percent_social_economy_and_some_trafford(
    ch_file: Path,
) -> None:
    rows = _ch_rows(ch_file)
    categories = Counter(row["CompanyCategory"] for row in rows)
    social = sum(categories[c] for c in generators.SOCIAL_ECONOMY_CATEGORIES)
    assert 0.02 * ROWS <= social <= 0.07 * ROWS
    assert categories["Private Limited Company"] > 0.85 * ROWS
    assert len({row[" CompanyNumber"] for row in rows}) == ROWS
    trafford = {pc for pc in generators.v.trafford_postcodes()}
    assert any(row["RegAddress.PostCode"] in trafford for row in rows)


def test_companies_house_file_reads_cleanly_through_the_shared_reader(ch_file: Path) -> None:
    rows = list(
        read_delimited(
            ch_file, required_columns=("CompanyName", "CompanyNumber", "CompanyCategory")
        )
    )
    assert len(rows) == ROWS
    assert not [row for row in rows if row.error]


@pytest.mark.django_db
def test_companies_house_importer_loads_the_social_economy_rows_and_skips_the_rest(
    ch_file: Path,
) -> None:
    from commonground.organisations.registers.companies_house import CompaniesHouseImporter

    run = run_import(CompaniesHouseImporter(), ch_file)

    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.rows_read, run.rows_rejected) == (ROWS, 0)
    assert run.rows_loaded > 0
    assert run.rows_loaded + run.rows_skipped == ROWS
    assert Organisation.objects.count() == run.rows_loaded


def test_ccew_tables_have_the_real_headers_tabs_and_crlf_line_ends(
    ccew_folder: Path, shared_data: Path
) -> None:
    layout = shared_data / "registers" / "ccew_extract_layout_synthetic"
    for table in generators.CCEW_TABLES:
        with zipfile.ZipFile(layout / f"publicextract.{table}.zip") as real:
            real_header = real.read(real.namelist()[0]).split(b"\r\n", 1)[0]
        with zipfile.ZipFile(ccew_folder / f"publicextract.{table}.zip") as ours:
            assert ours.namelist() == [f"publicextract.{table}.txt"]
            text = ours.read(f"publicextract.{table}.txt")
        lines = text.split(b"\r\n")
        assert lines[0] == real_header, table
        assert lines[-1] == b""  # every line, the last included, ends with CRLF
        width = real_header.count(b"\t")
        assert all(line.count(b"\t") == width for line in lines[1:-1]), table


def test_ccew_extract_has_the_requested_charities_and_proportional_side_tables(
    ccew_folder: Path,
) -> None:
    def count(table: str) -> int:
        with zipfile.ZipFile(ccew_folder / f"publicextract.{table}.zip") as archive:
            return archive.read(f"publicextract.{table}.txt").count(b"\r\n") - 1

    assert count("charity") == ROWS
    assert 0.2 * ROWS < count("charity_other_names") < 0.6 * ROWS
    assert 1.8 * ROWS < count("charity_classification") < 2.7 * ROWS
    assert 0.5 * ROWS < count("charity_area_of_operation") < 0.9 * ROWS
    assert 0.5 * ROWS < count("charity_annual_return_parta") < 1.0 * ROWS


@pytest.mark.django_db
def test_ccew_importer_loads_every_main_charity_of_the_generated_extract(
    ccew_folder: Path,
) -> None:
    from commonground.organisations.registers.ccew import CcewRegisterImporter

    with zipfile.ZipFile(ccew_folder / "publicextract.charity.zip") as archive:
        lines = archive.read("publicextract.charity.txt").decode().split("\r\n")[1:-1]
    main = sum(1 for line in lines if line.split("\t")[3] == "0")

    run = run_import(CcewRegisterImporter(), ccew_folder / "publicextract.charity.zip")

    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.rows_read, run.rows_rejected) == (ROWS, 0)
    assert run.rows_loaded == main
    assert run.rows_skipped == ROWS - main
    assert Organisation.objects.filter(sector="charity").count() == main


def test_a_second_call_with_the_same_parameters_reuses_the_file(tmp_path: Path) -> None:
    first, reused_first = generators.companies_house_csv(200, seed=3, out_dir=tmp_path)
    content = first.read_bytes()
    again, reused_again = generators.companies_house_csv(200, seed=3, out_dir=tmp_path)
    other, _ = generators.companies_house_csv(200, seed=4, out_dir=tmp_path)

    assert (reused_first, reused_again) == (False, True)
    assert again == first and again.read_bytes() == content
    assert other.read_bytes() != content


def test_generation_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    one, _ = generators.ccew_extract(150, seed=7, out_dir=tmp_path / "one")
    two, _ = generators.ccew_extract(150, seed=7, out_dir=tmp_path / "two")
    for table in generators.CCEW_TABLES:
        name = f"publicextract.{table}.txt"
        with (
            zipfile.ZipFile(one / f"publicextract.{table}.zip") as a,
            zipfile.ZipFile(two / f"publicextract.{table}.zip") as b,
        ):
            assert a.read(name) == b.read(name)


@pytest.mark.django_db
def test_the_search_benchmarks_fast_build_leaves_organisations_the_selector_finds() -> None:
    from bench import search
    from commonground.organisations.selectors import SearchParams, find_place, search_organisations

    search.build(2_000, seed=1)

    assert Organisation.objects.count() == 2_000
    everywhere = search_organisations(SearchParams(text="youth"))
    naive = Organisation.objects.filter(name__icontains="youth").count()
    assert everywhere.total >= naive > 0
    trafford = find_place("E08000009")
    in_trafford = search_organisations(SearchParams(text="youth", place=trafford))
    assert 0 < in_trafford.total < everywhere.total
    based_words = search_organisations(
        SearchParams(text="youth", place=trafford, relation="based_in"), meaning=False
    )
    assert search.selector_query("youth", "E08000009", ()) == in_trafford.total
    assert search.naive_query("youth", "E08000009", ()) == based_words.total
    assert OrganisationEmbedding.objects.count() == 2_000
