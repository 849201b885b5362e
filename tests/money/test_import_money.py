"""`manage.py import_money`: any council's spend by one layout entry, any funder's 360Giving
file, OCDS files or folders; runs say what happened (succeeded, partial, unchanged, failed);
files the project has not seen, made from the real ones, load or fail clearly."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Sum
from django.test import Client

from commonground.imports.engine import run_import, runner
from commonground.imports.models import ImportRun, ImportStatus
from commonground.money.importers import import_file
from commonground.money.models import MoneyFlow
from commonground.money.spend import SpendImporter
from commonground.money.spend_layouts import LAYOUTS_FILE, SpendLayout

pytestmark = pytest.mark.django_db

SPEND_2026 = "spend/trafford-supplier-spend-2026-27.zip"
GRANTS_CSV = "grants/trafford_council_grants_360giving.csv"
GRANTS_PENCE = 129_143_654


def _spend_rows(shared_data: Path, count: int) -> tuple[list[str], list[list[str]]]:
    with zipfile.ZipFile(shared_data / SPEND_2026) as archive:
        text = archive.read(archive.namelist()[0]).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    return header, rows[:count]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _pence(rows: list[list[str]], column: int) -> int:
    return int(sum(Decimal(r[column]) for r in rows) * 100)


def _total() -> int:
    return MoneyFlow.objects.aggregate(t=Sum("amount_pence"))["t"] or 0


def _run(*args: str) -> tuple[ImportRun, str]:
    out = io.StringIO()
    call_command("import_money", *args, stdout=out)
    return ImportRun.objects.order_by("-pk").first(), out.getvalue()  # type: ignore[return-value]


def test_title_case_and_snake_case_headers_load_by_the_same_layout_as_the_same_payments(
    shared_data: Path, tmp_path: Path
) -> None:
    header, rows = _spend_rows(shared_data, 2000)
    expected = _pence(rows, header.index("Amount"))
    original = _write(tmp_path / "trafford.csv", header, rows)
    run, out = _run("spend", "--layout", "trafford", "--file", str(original))
    assert run.status == ImportStatus.SUCCEEDED and "succeeded" in out
    assert _total() == expected
    # Oxford-like variants of the same file: 'Beneficiary Name', 'beneficiary_name', ...
    title_case = [" ".join(_words(h)).title() for h in header]
    snake_case = ["_".join(_words(h)).lower() for h in header]
    for variant, name in ((title_case, "Title.csv"), (snake_case, "snake_case.csv")):
        path = _write(tmp_path / name, variant, rows)
        run, out = _run("spend", "--layout", "trafford", "--file", str(path))
        assert run.status == ImportStatus.UNCHANGED, run.error
        assert (run.rows_loaded, run.rows_unchanged) == (0, 2000)
        assert "unchanged" in out
    assert _total() == expected


def _words(title: str) -> list[str]:
    """'BeneficiaryName' -> ['Beneficiary', 'Name']."""
    words, word = [], ""
    for char in title:
        if char.isupper() and word and not word[-1].isupper():
            words.append(word)
            word = ""
        word += char
    return [*words, word]


def test_a_misspelt_column_is_read_by_its_alias_and_a_missing_optional_one_is_reported(
    shared_data: Path, tmp_path: Path
) -> None:
    header, rows = _spend_rows(shared_data, 500)
    misspelt = ["Benificiary Name" if h == "BeneficiaryName" else h for h in header]
    misspelt = ["VAT Registraton No" if h == "VATRegistrationNumber" else h for h in misspelt]
    path = _write(tmp_path / "council.csv", misspelt, rows)
    config = json.loads(LAYOUTS_FILE.read_text())
    entry = config["trafford"]
    entry["dataset"] = "another_council_spend"
    entry["csvw_metadata"] = None
    entry["columns"]["beneficiary"] = ["BeneficiaryName", "Benificiary Name"]
    run = run_import(SpendImporter(SpendLayout.from_config("another", entry)), path)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert _total() == _pence(rows, header.index("Amount"))
    note = next(w for w in run.warnings if "VATRegistrationNumber" in w)
    assert "'VAT Registraton No' looks like it" in note


def test_a_spend_file_whose_dates_are_all_midnight_fails_and_loads_nothing(
    shared_data: Path, tmp_path: Path
) -> None:
    header, rows = _spend_rows(shared_data, 300)
    for row in rows:
        row[header.index("PaymentDate")] = "00:00:00"
    path = _write(tmp_path / "midnight.csv", header, rows)
    with pytest.raises(CommandError) as failed:
        _run("spend", "--layout", "trafford", "--file", str(path))
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.FAILED
    assert "nothing was loaded: all 300 rows were refused" in str(failed.value)
    assert "'PaymentDate'" in run.error and "'00:00:00' is not a date" in run.error
    assert MoneyFlow.objects.count() == 0


def test_a_spend_file_with_amount_and_purpose_swapped_fails_and_loads_nothing(
    shared_data: Path, tmp_path: Path
) -> None:
    header, rows = _spend_rows(shared_data, 300)
    amount, purpose = header.index("Amount"), header.index("Purpose")
    swapped = list(header)
    swapped[amount], swapped[purpose] = "Purpose", "Amount"
    path = _write(tmp_path / "swapped.csv", swapped, rows)
    run = import_file("spend", path, layout="trafford")
    assert run.status == ImportStatus.FAILED
    assert "for the field 'Amount'" in run.error and "is not an amount of money" in run.error
    assert MoneyFlow.objects.count() == 0


def test_some_rows_refused_is_partial_and_anything_refused_under_strict_fails(
    shared_data: Path, tmp_path: Path
) -> None:
    header, rows = _spend_rows(shared_data, 300)
    rows[10][header.index("Amount")] = "lots"
    path = _write(tmp_path / "one-bad.csv", header, rows)
    with pytest.raises(CommandError):
        _run("spend", "--layout", "trafford", "--file", str(path), "--strict")
    assert MoneyFlow.objects.count() == 0
    run, out = _run("spend", "--layout", "trafford", "--file", str(path))
    assert run.status == ImportStatus.PARTIAL
    assert (run.rows_loaded, run.rows_rejected) == (299, 1)
    assert "partial" in out and "rejected 1" in out


def test_a_zip_broken_part_way_is_named_a_corrupt_archive(
    shared_data: Path, tmp_path: Path
) -> None:
    data = bytearray((shared_data / SPEND_2026).read_bytes())
    middle = len(data) // 2
    for at in range(middle, middle + 64):
        data[at] ^= 0x5A
    path = tmp_path / "trafford-supplier-spend-2026-27.zip"
    path.write_bytes(bytes(data))
    run = import_file("spend", path, layout="trafford")
    assert run.status == ImportStatus.FAILED
    assert run.error.startswith("trafford-supplier-spend-2026-27.zip: the archive is corrupt")
    assert MoneyFlow.objects.count() == 0


def _grants_rows(shared_data: Path) -> tuple[list[str], list[list[str]]]:
    text = (shared_data / GRANTS_CSV).read_text(encoding="utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    return header, rows


def test_grants_with_day_first_dates_and_excel_float_noise_load_to_the_penny(
    shared_data: Path, tmp_path: Path
) -> None:
    header, rows = _grants_rows(shared_data)
    date, amount = header.index("Award Date"), header.index("Amount Awarded")
    for row in rows:
        year, month, day = row[date].split("-")
        row[date] = f"{day}/{month}/{year}"
        row[amount] = repr(float(row[amount]) + 1e-9)  # 2266 -> 2266.000000001
    path = _write(tmp_path / "grants-day-first.csv", header, rows)
    run, _ = _run("360giving", "--file", str(path))
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert run.dataset == "trafford_grants"  # its 360Giving prefix, 360G-traffordmbc
    assert (run.rows_loaded, run.rows_rejected, _total()) == (555, 0, GRANTS_PENCE)
    assert any("read day-first" in w for w in run.warnings)
    # The same grants from the publisher's own file are already there.
    again, out = _run("trafford_grants", "--file", str(shared_data / GRANTS_CSV))
    assert again.status == ImportStatus.UNCHANGED and "unchanged" in out


def test_web_addresses_without_https_are_warnings_and_the_grants_load(
    shared_data: Path, tmp_path: Path
) -> None:
    package = json.loads(
        (shared_data / "grants/power_to_change_community_business_grants.json").read_text()
    )
    for grant in package["grants"][::2]:
        grant["recipientOrganization"][0]["url"] = "www.example.org.uk"
    path = tmp_path / "funder.json"
    path.write_text(json.dumps(package))
    run = import_file("360giving", path)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert run.dataset == "power_to_change_grants"
    assert (run.rows_loaded, run.rows_rejected) == (870, 0)
    summary = next(w for w in run.warnings if "recipientOrganization/N/url" in w)
    assert summary.startswith("funder.json: 435 grants have a problem")
    # Each grant keeps its own warnings, and its page shows them.
    warned = MoneyFlow.objects.filter(attributes__has_key="warnings")
    assert warned.count() == 435
    flow = warned.first()
    assert flow is not None
    assert any("recipientOrganization/0/url" in w for w in flow.attributes["warnings"])
    page = Client().get(f"/money/flows/{flow.pk}/").content.decode()
    assert 'id="flow-warnings"' in page and "recipientOrganization/0/url" in page
    clean = MoneyFlow.objects.exclude(pk__in=warned.values("pk")).first()
    assert clean is not None
    assert 'id="flow-warnings"' not in Client().get(f"/money/flows/{clean.pk}/").content.decode()


def test_a_funder_unknown_to_the_catalogue_gets_its_360giving_prefix_as_dataset(
    shared_data: Path, tmp_path: Path
) -> None:
    text = (shared_data / "grants/ab_charitable_trust_grants.json").read_text()
    path = tmp_path / "new-funder.json"
    path.write_text(text.replace("360G-ABCT-", "360G-newfunder-"))
    run = import_file("360giving", path)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert run.dataset == "360G-newfunder" and run.rows_loaded == 783


def test_a_folder_of_ocds_files_is_one_run_and_again_unchanged(shared_data: Path) -> None:
    folder = shared_data / "contracts/contracts_finder"
    run, _ = _run("ocds", "--file", str(folder))
    assert run.status in (ImportStatus.SUCCEEDED, ImportStatus.PARTIAL), run.error
    assert run.dataset == "contracts_finder" and run.source == str(folder)
    assert MoneyFlow.objects.values("file_name").distinct().count() > 50
    assert run.rows_loaded == MoneyFlow.objects.count() > 0
    again, _ = _run("ocds", "--file", str(folder))
    assert again.rows_unchanged == run.rows_loaded and again.rows_loaded == 0


def test_a_run_left_running_by_a_lost_connection_is_marked_failed_at_the_next_import(
    shared_data: Path, tmp_path: Path
) -> None:
    who = runner()
    ended = subprocess.Popen(["true"])  # a process that has ended
    ended.wait()
    lost = ImportRun.objects.create(
        dataset="trafford_spend",
        importer="x",
        source="cut-off.zip",
        host=who["host"],
        pid=ended.pid,
        db_pid=2**31 - 1 if connection.vendor == "postgresql" else None,
    )
    alive = ImportRun.objects.create(dataset="trafford_spend", importer="x", source="now", **who)
    header, rows = _spend_rows(shared_data, 10)
    import_file("spend", _write(tmp_path / "next.csv", header, rows), layout="trafford")
    lost.refresh_from_db()
    alive.refresh_from_db()
    assert lost.status == ImportStatus.FAILED and "cut off" in lost.error
    assert alive.status == ImportStatus.RUNNING


def test_every_csv_in_a_zip_of_monthly_files_loads_and_each_file_again_is_unchanged(
    shared_data: Path, tmp_path: Path
) -> None:
    header, rows = _spend_rows(shared_data, 3000)
    # Three files of whole days, as a council's monthly files are.
    day = header.index("PaymentDate")
    days = sorted({row[day] for row in rows})
    months = [[row for row in rows if row[day] in days[part::3]] for part in range(3)]
    path = tmp_path / "spend-2026-27.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for number, month in enumerate(months, start=4):
            archive.writestr(f"spend-2026-{number:02d}.csv", _csv_text(header, month))
            # What macOS's "Compress" adds beside each file is not a spend file.
            archive.writestr(f"__MACOSX/._spend-2026-{number:02d}.csv", b"\x00\x05\x16\x07")
    run, _ = _run("spend", "--layout", "trafford", "--file", str(path))
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.rows_read, run.rows_loaded) == (3000, 3000)
    assert _total() == _pence(rows, header.index("Amount"))
    in_june = MoneyFlow.objects.filter(file_name="spend-2026-27.zip:spend-2026-06.csv")
    assert in_june.count() == len(months[2]) > 0
    for number, month in enumerate(months, start=4):
        alone = _write(tmp_path / f"month-{number}.csv", header, month)
        again, _ = _run("spend", "--layout", "trafford", "--file", str(alone))
        assert again.status == ImportStatus.UNCHANGED, again.error
    assert _total() == _pence(rows, header.index("Amount"))


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue()


def test_a_360giving_list_item_that_is_not_a_grant_is_refused_and_the_rest_load(
    shared_data: Path, tmp_path: Path
) -> None:
    package = json.loads((shared_data / GRANTS_CSV.replace(".csv", ".json")).read_text())
    first, second = package["grants"][:2]
    package["grants"][:2] = ["see the next sheet", None]
    path = tmp_path / "funder.json"
    path.write_text(json.dumps(package))
    run, _ = _run("360giving", "--file", str(path))
    assert run.status == ImportStatus.PARTIAL, run.error
    assert run.dataset == "trafford_grants"
    assert (run.rows_loaded, run.rows_rejected) == (553, 2)
    refused = run.rejected_rows.get(row_number=1)
    assert refused.field == "grant" and '"see the next sheet" is not a grant' in refused.reason
    pence = round((first["amountAwarded"] + second["amountAwarded"]) * 100)
    assert _total() == GRANTS_PENCE - pence


def test_a_spend_file_saved_with_carriage_returns_alone_loads_as_the_same_payments(
    shared_data: Path, tmp_path: Path
) -> None:
    header, rows = _spend_rows(shared_data, 300)
    rows[5][header.index("Purpose")] = "two lines\r\nin one purpose"
    text = _csv_text(header, rows)
    windows = tmp_path / "spend.csv"
    windows.write_text(text, encoding="utf-8", newline="")
    run, _ = _run("spend", "--layout", "trafford", "--file", str(windows))
    assert run.status == ImportStatus.SUCCEEDED, run.error
    # Excel's "CSV (Macintosh)": every line ends with a carriage return alone.
    mac = tmp_path / "spend-mac.csv"
    mac.write_text(text.replace("\r\n", "\r"), encoding="utf-8", newline="")
    again, _ = _run("spend", "--layout", "trafford", "--file", str(mac))
    assert again.status == ImportStatus.UNCHANGED, again.error
    assert (again.rows_read, again.rows_unchanged) == (300, 300)


def test_a_utf16_spend_file_is_refused_as_utf16_saying_how_to_save_it(
    shared_data: Path, tmp_path: Path
) -> None:
    header, rows = _spend_rows(shared_data, 20)
    for encoding in ("utf-16", "utf-16-le"):
        path = tmp_path / f"spend-{encoding}.csv"
        path.write_bytes(_csv_text(header, rows).encode(encoding))
        run = import_file("spend", path, layout="trafford")
        assert run.status == ImportStatus.FAILED
        assert run.error == (
            f"{path.name}: the text is UTF-16 (as Excel's 'Unicode Text' saves it), which is "
            "not read: save the file as 'CSV UTF-8 (comma delimited)'"
        )
    assert MoneyFlow.objects.count() == 0


def test_a_layout_shared_by_councils_needs_the_council_named_and_keeps_each_councils_payments(
    shared_data: Path, tmp_path: Path
) -> None:
    header, rows = _spend_rows(shared_data, 50)
    picked = ("BeneficiaryName", "Amount", "PaymentDate", "TransactionNumber", "Purpose")
    columns = [header.index(c) for c in picked]
    template = [
        "Supplier Name",
        "Amount",
        "Payment Date",
        "Transaction Number",
        "Expenditure Category",
    ]
    path = _write(tmp_path / "spend.csv", template, [[r[i] for i in columns] for r in rows])

    with pytest.raises(CommandError, match="name the council with --publisher"):
        _run("spend", "--layout", "lga_template", "--file", str(path))
    assert MoneyFlow.objects.count() == 0

    # Two councils publishing the same lines are two councils' payments, not one's twice.
    councils = ("Oxford City Council", "Cherwell District Council")
    for council in councils:
        run, _ = _run(
            "spend", "--layout", "lga_template", "--publisher", council, "--file", str(path)
        )
        assert (run.status, run.rows_loaded) == (ImportStatus.SUCCEEDED, 50), run.error
    assert _total() == 2 * _pence(rows, header.index("Amount"))
    assert set(MoneyFlow.objects.values_list("payer_name", flat=True)) == set(councils)


def test_a_grants_csv_row_of_the_wrong_width_is_refused_alone_and_the_other_grants_load(
    shared_data: Path, tmp_path: Path
) -> None:
    lines = (shared_data / GRANTS_CSV).read_text(encoding="utf-8-sig").splitlines()
    header, rows = lines[0].split(","), list(csv.reader(lines[1:]))
    lines[5] += ","  # a stray comma: one field more than the header
    path = tmp_path / "grants.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    run, out = _run("360giving", "--file", str(path))

    assert (run.status, run.rows_rejected, run.rows_loaded) == (
        ImportStatus.PARTIAL,
        1,
        len(rows) - 1,
    )
    (rejected,) = run.rejected_rows.all()
    assert rejected.row_number == 6 and "fields; the header has" in rejected.reason
    amount = header.index("Amount Awarded")
    assert _total() == GRANTS_PENCE - round(Decimal(rows[4][amount]) * 100)
    assert "partial" in out
