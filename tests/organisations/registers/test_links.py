"""Published identifier link tables load idempotently, refuse malformed pairs with the row and
field named, and can be loaded with the import command."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from commonground.imports.engine import run_import
from commonground.imports.models import ImportStatus
from commonground.organisations.models import IdentifierLink
from commonground.organisations.registers.links import (
    CharityCompanyLinksImporter,
    MutualCompanyLinksImporter,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def charity_links(shared_data: Path) -> Path:
    return shared_data / "registers" / "links_charity_to_company_numbers.csv"


@pytest.fixture
def mutual_links(shared_data: Path) -> Path:
    return shared_data / "registers" / "links_mutuals_gb_mpr_to_gb_coh.csv"


def test_every_charity_company_link_is_kept_once(charity_links: Path) -> None:
    run = run_import(CharityCompanyLinksImporter(), charity_links)

    assert run.status == ImportStatus.SUCCEEDED
    assert (run.rows_read, run.rows_loaded, run.rows_rejected) == (4399, 4399, 0)
    assert IdentifierLink.objects.filter(dataset="links_charity_company").count() == 4399
    link = IdentifierLink.objects.get(org_id_a="GB-NIC-100002")
    assert (link.org_id_b, link.name) == ("GB-COH-NI055010", "CANCER LIFELINE")


def test_loading_the_links_again_changes_nothing(charity_links: Path) -> None:
    run_import(CharityCompanyLinksImporter(), charity_links)

    second = run_import(CharityCompanyLinksImporter(), charity_links)

    assert (second.rows_loaded, second.rows_updated, second.rows_unchanged) == (0, 0, 4399)
    assert IdentifierLink.objects.count() == 4399


def test_every_mutual_company_link_is_kept(mutual_links: Path) -> None:
    run = run_import(MutualCompanyLinksImporter(), mutual_links)

    assert (run.status, run.rows_rejected) == (ImportStatus.SUCCEEDED, 0)
    assert run.rows_loaded == IdentifierLink.objects.count() == 12182
    assert IdentifierLink.objects.filter(
        org_id_a="GB-MPR-10002R", org_id_b="GB-COH-IP10002R"
    ).exists()


def test_malformed_links_are_reported_with_row_and_field(tmp_path: Path) -> None:
    path = tmp_path / "links.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(
            [
                ["org_id_a", "org_id_b", "name"],
                ["GB-CHC-1000611", "GB-COH-08591698", "DENTON BURN COMMUNITY ASSOCIATION"],
                ["GB-CHC-1000611", "", "no company"],
                ["1000612", "GB-COH-08591699", "no scheme"],
                ["GB-COH-08591698", "GB-COH-08591697", "two companies"],
                ["GB-COH-08591698", "GB-CHC-1000611", "the first link, written backwards"],
            ]
        )

    run = run_import(CharityCompanyLinksImporter(), path)

    rejected = {(r.row_number, r.field) for r in run.rejected_rows.all()}
    assert rejected == {(3, "org_id_b"), (4, "org_id_a"), (5, "org_id_a"), (6, "org_id_a")}
    assert IdentifierLink.objects.count() == 1


def test_company_numbers_in_links_are_written_the_way_registers_write_them(
    tmp_path: Path,
) -> None:
    path = tmp_path / "links.csv"
    path.write_text("org_id_a,org_id_b,name\nGB-CHC-0214927,GB-COH-738693,Example\n")

    run_import(CharityCompanyLinksImporter(), path)

    link = IdentifierLink.objects.get()
    assert (link.org_id_a, link.org_id_b) == ("GB-CHC-214927", "GB-COH-00738693")


def test_a_links_file_missing_a_column_loads_nothing(tmp_path: Path) -> None:
    path = tmp_path / "links.csv"
    path.write_text("charity,company\nGB-CHC-1,GB-COH-00000001\n")

    run = run_import(CharityCompanyLinksImporter(), path)

    assert run.status == ImportStatus.FAILED
    assert "links.csv" in run.error and "org_id_a" in run.error
    assert IdentifierLink.objects.count() == 0


def test_the_import_command_loads_links_from_the_mirror(
    shared_data: Path, settings: pytest.FixtureRequest
) -> None:
    settings.COMMONGROUND_DATA_MIRROR = str(shared_data)
    out = StringIO()

    call_command("import_register", "links_charity_company", stdout=out)

    assert "links_charity_company: succeeded" in out.getvalue() and "loaded 4399" in out.getvalue()


def test_a_links_file_with_only_its_header_fails_and_the_command_says_so(
    tmp_path: Path,
) -> None:
    path = tmp_path / "links.csv"
    path.write_text("org_id_a,org_id_b,name\n")

    run = run_import(CharityCompanyLinksImporter(), path)

    assert run.status == ImportStatus.FAILED
    assert run.error == "links.csv: nothing was loaded: the file has no rows"
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("import_register", "links_charity_company", file=path, stdout=StringIO())
