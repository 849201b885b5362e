"""A council's own framework from CSV or XLSX: loaded whole or not at all, every error naming
the file, row and field, and the same file twice changes nothing."""

from __future__ import annotations

import openpyxl
import pytest

from commonground.imports.models import ImportRun
from commonground.social_value.importer import FrameworkDetails, framework_import
from commonground.social_value.models import Framework, Measure

pytestmark = pytest.mark.django_db

HEADER = (
    "theme_code,theme_name,outcome_code,outcome_name,measure_code,measure_name,unit,"
    "proxy_value_gbp,proxy_source,proxy_version\n"
)
GOOD = HEADER + (
    "TC,Thriving Communities,TC1,People are connected,TC1-A,Volunteer hours,hours,,,\n"
    "TC,Thriving Communities,TC1,People are connected,TC1-B,Residents supported,people,"
    "12.34,Council's own unit costs,2026/27\n"
    "IE,Inclusive Economy,IE1,Money stays local,IE1-A,Spend with local VCSEs,pounds,,,\n"
)
DETAILS = FrameworkDetails(
    slug="oldham-social-value",
    version="2026",
    name="A council's social value framework (synthetic test)",
    licence="Open Government Licence v3.0",
)


def test_a_good_csv_loads_every_theme_outcome_and_measure(csv_file) -> None:
    run = framework_import(csv_file(GOOD), DETAILS)
    assert run.status == "succeeded", run.error
    framework = Framework.objects.get(slug="oldham-social-value", version="2026")
    assert framework.themes.count() == 2
    supported = Measure.objects.get(framework=framework, code="TC1-B")
    assert (supported.unit, supported.proxy_value_pence) == ("people", 1234)
    assert (supported.proxy_source, supported.proxy_version) == (
        "Council's own unit costs",
        "2026/27",
    )
    assert run.rows_loaded == 3


def test_the_same_file_twice_changes_nothing(csv_file) -> None:
    framework_import(csv_file(GOOD), DETAILS)
    again = framework_import(csv_file(GOOD), DETAILS)
    assert again.status == "succeeded"
    assert (again.rows_loaded, again.rows_unchanged) == (0, 3)
    assert Measure.objects.filter(framework__slug="oldham-social-value").count() == 3


def test_an_xlsx_workbook_loads_like_the_csv(tmp_path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for line in GOOD.strip().split("\n"):
        sheet.append(line.split(","))
    path = tmp_path / "framework.xlsx"
    book.save(path)
    run = framework_import(path, DETAILS)
    assert run.status == "succeeded", run.error
    assert Measure.objects.filter(framework__slug="oldham-social-value").count() == 3


def _failed(run: ImportRun) -> str:
    assert run.status == "failed"
    assert not Framework.objects.filter(slug="oldham-social-value").exists()  # nothing half-loaded
    return run.error


def test_missing_columns_are_named(csv_file) -> None:
    error = _failed(framework_import(csv_file("theme,outcome,measure\nA,B,C\n"), DETAILS))
    assert "framework.csv, row 1" in error
    assert "missing required column(s): theme_code" in error


def test_an_unknown_column_is_refused_rather_than_ignored(csv_file) -> None:
    text = GOOD.replace("proxy_version", "proxy_vesion")
    error = _failed(framework_import(csv_file(text), DETAILS))
    assert "unknown column(s): proxy_vesion" in error


def test_a_unit_common_ground_does_not_know_is_refused_with_file_row_and_field(csv_file) -> None:
    text = GOOD.replace("Residents supported,people", "Residents supported,smiles")
    error = _failed(framework_import(csv_file(text), DETAILS))
    assert error.startswith("framework.csv, row 3, field 'unit': 'smiles' is not a unit")
    assert "nothing was loaded" in error


def test_a_proxy_without_its_source_is_refused(csv_file) -> None:
    text = GOOD.replace("12.34,Council's own unit costs,2026/27", "12.34,,")
    error = _failed(framework_import(csv_file(text), DETAILS))
    assert "row 3, field 'proxy_value_gbp': the proxy value has no source" in error


def test_a_bad_proxy_amount_is_refused(csv_file) -> None:
    text = GOOD.replace("12.34,", "12.345,")
    error = _failed(framework_import(csv_file(text), DETAILS))
    assert "row 3, field 'proxy_value_gbp'" in error and "two decimal places" in error


def test_a_duplicate_measure_code_is_refused(csv_file) -> None:
    text = GOOD + "TC,Thriving Communities,TC1,People are connected,TC1-A,Again,hours,,,\n"
    error = _failed(framework_import(csv_file(text), DETAILS))
    assert "row 5" in error and "duplicate of row 2" in error


def test_one_theme_code_with_two_names_is_refused(csv_file) -> None:
    text = GOOD + "TC,Thriving Places,TC2,Safer streets,TC2-A,Patrols,hours,,,\n"
    error = _failed(framework_import(csv_file(text), DETAILS))
    assert "row 5, field 'theme_name'" in error and "row 2" in error


def test_a_file_not_in_utf8_is_refused_with_the_line_and_what_to_do(csv_file) -> None:
    text = GOOD.replace("Volunteer hours", "Bénévolat hours")
    error = _failed(framework_import(csv_file(text, encoding="cp1252"), DETAILS))
    assert "framework.csv, row 2" in error
    assert "not in an expected encoding" in error
    assert "CSV UTF-8" in error


def test_a_utf16_file_is_refused(csv_file) -> None:
    error = _failed(framework_import(csv_file(GOOD, encoding="utf-16"), DETAILS))
    assert "framework.csv" in error


def test_an_empty_or_header_only_file_loads_nothing(csv_file) -> None:
    assert "empty" in _failed(framework_import(csv_file(""), DETAILS))
    assert "no measures" in _failed(framework_import(csv_file(HEADER), DETAILS))


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path) -> None:
    path = tmp_path / "framework.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    assert "not a readable XLSX workbook" in _failed(framework_import(path, DETAILS))


def test_a_missing_value_names_its_field(csv_file) -> None:
    text = GOOD.replace("TC1-A,Volunteer hours", "TC1-A,")
    error = _failed(framework_import(csv_file(text), DETAILS))
    assert "row 2, field 'measure_name': a value is required" in error


def test_a_framework_loaded_by_the_command_is_a_public_import(csv_file) -> None:
    """Files an operator loads from the repository or a publisher are open data, like the
    catalogue's; only a person's upload through the page is private (ADR 0062)."""
    run = framework_import(csv_file(GOOD), DETAILS)

    assert not run.private and run.uploaded_by is None
