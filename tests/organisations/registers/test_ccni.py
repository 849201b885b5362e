"""The Charity Commission for Northern Ireland export loads one organisation per charity, whether
the file is in its original Windows-1252 or converted to UTF-8, with its accents intact."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from commonground.imports.engine import run_import
from commonground.imports.models import ImportStatus
from commonground.organisations.models import Organisation
from commonground.organisations.registers.ccni import CcniRegisterImporter

pytestmark = pytest.mark.django_db


@pytest.fixture
def export(shared_data: Path) -> Path:
    return shared_data / "registers" / "ccni_register_sample_cp1252.csv"


def names() -> set[str]:
    return set(Organisation.objects.values_list("name", flat=True))


def test_every_charity_in_the_export_becomes_one_organisation(export: Path) -> None:
    run = run_import(CcniRegisterImporter(), export)

    assert run.status == ImportStatus.SUCCEEDED
    assert (run.rows_read, run.rows_loaded, run.rows_rejected) == (365, 365, 0)
    assert (
        Organisation.objects.filter(org_id__startswith="GB-NIC-", sector="charity").count() == 365
    )


def test_the_windows_1252_original_keeps_its_accented_letters(export: Path) -> None:
    run_import(CcniRegisterImporter(), export)

    assert "Fírinne" in names()
    with open(export, encoding="cp1252", newline="") as handle:
        accented = {
            row["Charity name"].replace("`", "'")
            for row in csv.DictReader(handle)
            if not row["Charity name"].isascii()
        }
    assert accented and accented <= names()


def test_a_utf8_copy_imports_to_the_same_names_as_the_original(
    export: Path, tmp_path: Path
) -> None:
    run_import(CcniRegisterImporter(), export)
    from_original = sorted(Organisation.objects.values_list("org_id", "name", "address"))
    utf8 = tmp_path / "ccni_utf8.csv"
    utf8.write_text(export.read_text(encoding="cp1252"), encoding="utf-8")
    assert utf8.read_bytes() != export.read_bytes()

    run = run_import(CcniRegisterImporter(), utf8)

    # Every row reads as exactly the same record as before: nothing to load or update.
    assert (run.rows_loaded, run.rows_updated, run.rows_unchanged) == (0, 0, 365)
    assert sorted(Organisation.objects.values_list("org_id", "name", "address")) == from_original


def test_a_charity_has_its_register_facts(export: Path) -> None:
    run_import(CcniRegisterImporter(), export)

    org = Organisation.objects.get(org_id="GB-NIC-100002")
    assert org.name == "Cancer Lifeline"
    assert (org.address, org.postcode) == (
        "Cancer Lifeline, 44 Alliance Avenue, Belfast",
        "BT14 7PJ",
    )
    assert (org.latest_income_pence, org.latest_income_date) == (46_215_400, date(2023, 3, 31))
    assert org.date_registered == date(2013, 12, 13)
    assert (org.status, org.website) == ("active", "www.cancerlifeline.info")
    assert org.activities.startswith("Cancer Lifeline is established for the relief of sickness")
    facts = org.source_records.get().facts
    assert "What: The advancement of health or the saving of lives" in facts["classifications"]
    # A category whose own text has commas stays one category.
    assert (
        "What: The relief of those in need by reason of youth, age, ill-health, disability, "
        "financial hardship or other disadvantage"
    ) in facts["classifications"]
    assert "Who: Carers" in facts["classifications"]


def test_a_company_number_becomes_a_northern_ireland_company_identifier(export: Path) -> None:
    run_import(CcniRegisterImporter(), export)

    org = Organisation.objects.get(name="Buddy Bear Trust")
    assert "GB-COH-NI022996" in org.identifiers.values_list("value", flat=True)
    assert org.legal_form == "Charitable company"
    # "0" means no company: no GB-COH identifier is invented.
    assert (
        not Organisation.objects.get(org_id="GB-NIC-100002")
        .identifiers.filter(scheme="GB-COH")
        .exists()
    )


def test_a_removed_charity_is_removed(export: Path) -> None:
    run_import(CcniRegisterImporter(), export)

    assert Organisation.objects.filter(status="removed").count() == 36
    assert Organisation.objects.filter(status="active").count() == 329


def test_importing_the_same_export_twice_changes_nothing(export: Path) -> None:
    run_import(CcniRegisterImporter(), export)

    second = run_import(CcniRegisterImporter(), export)

    assert (second.rows_loaded, second.rows_updated, second.rows_unchanged) == (0, 0, 365)


def test_bad_rows_are_reported_with_row_and_field(export: Path, tmp_path: Path) -> None:
    with open(export, encoding="cp1252", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[2][0] = "NIC-X"
    rows[3][2] = "31/02/2014"
    rows.append(rows[5])
    broken = tmp_path / "ccni.csv"
    with open(broken, "w", encoding="cp1252", newline="") as handle:
        csv.writer(handle).writerows(rows)

    run = run_import(CcniRegisterImporter(), broken)

    rejected = {(r.row_number, r.field) for r in run.rejected_rows.all()}
    assert rejected == {(3, "Reg charity number"), (4, "Date registered"), (len(rows), "")}
    assert Organisation.objects.count() == 363


def test_a_file_missing_a_column_loads_nothing(export: Path, tmp_path: Path) -> None:
    text = export.read_text(encoding="cp1252")
    broken = tmp_path / "ccni.csv"
    broken.write_text(text.replace("Reg charity number", "Number", 1), encoding="cp1252")

    run = run_import(CcniRegisterImporter(), broken)

    assert run.status == ImportStatus.FAILED
    assert "ccni.csv" in run.error and "Reg charity number" in run.error
    assert Organisation.objects.count() == 0


def test_a_windows_1252_file_whose_first_megabyte_is_plain_ascii_still_reads_right(
    export: Path, tmp_path: Path
) -> None:
    with open(export, encoding="cp1252", newline="") as handle:
        rows = list(csv.reader(handle))
    header, plain = rows[0], [r for r in rows[1:] if "".join(r).isascii()]
    accented = next(r for r in rows[1:] if r[1] == "Fírinne")
    filler = []
    for n in range(1200):  # well over a megabyte of ASCII before the first accent
        row = list(plain[n % len(plain)])
        row[0] = str(500000 + n)
        filler.append(row)
    big = tmp_path / "ccni_big.csv"
    with open(big, "w", encoding="cp1252", newline="") as handle:
        csv.writer(handle).writerows([header, *filler, accented])
    assert big.read_bytes().index("í".encode("cp1252")) > 1 << 20

    run = run_import(CcniRegisterImporter(), big)

    assert (run.status, run.rows_loaded) == (ImportStatus.SUCCEEDED, 1201)
    assert "Fírinne" in names()


def test_an_income_too_large_to_be_real_rejects_its_row_and_the_rest_load(
    export: Path, tmp_path: Path
) -> None:
    with open(export, encoding="cp1252", newline="") as handle:
        rows = list(csv.reader(handle))
    income = rows[0].index("Total income")
    year_end = rows[0].index("Date for financial year ending")
    row = next(n for n, r in enumerate(rows) if n and r[year_end])
    rows[row][income] = "99999999999999999999999"
    broken = tmp_path / "ccni.csv"
    with open(broken, "w", encoding="cp1252", newline="") as handle:
        csv.writer(handle).writerows(rows)

    run = run_import(CcniRegisterImporter(), broken)

    assert run.status == ImportStatus.SUCCEEDED
    rejected = run.rejected_rows.get()
    assert (rejected.row_number, rejected.field) == (row + 1, "Total income")
    assert "not a plausible amount" in rejected.reason
    assert Organisation.objects.count() == 364
