"""Charity Commission register extract: loading a national-scale synthetic download.

Times run_import(CcewRegisterImporter(), folder / "publicextract.charity.zip") into a fresh
database, beside DuckDB counting the charity table. DuckDB cannot read inside a zip archive, so
the baseline is unzipping the charity table to a temporary file plus DuckDB's count(*) over it.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from .harness import say, timed, timed_import

FULL_CHARITIES = 400_000


def duckdb_count_zipped(archive_path: Path) -> tuple[int, float]:
    import duckdb

    with tempfile.TemporaryDirectory(dir=archive_path.parent) as scratch, timed() as elapsed:
        text = Path(scratch) / "publicextract.charity.txt"
        with (
            zipfile.ZipFile(archive_path) as archive,
            archive.open("publicextract.charity.txt") as member,
            open(text, "wb") as out,
        ):
            shutil.copyfileobj(member, out, 1 << 20)
        connection = duckdb.connect()
        count = connection.execute(
            f"SELECT count(*) FROM read_csv('{text}', delim='\t', quote='', header=true)"
        ).fetchone()[0]
        connection.close()
    return int(count), elapsed()


def run(folder: Path, backend: str) -> dict[str, Any]:
    from commonground.organisations.registers.ccew import CcewRegisterImporter

    charity = folder / "publicextract.charity.zip"
    say("  unzip + DuckDB count(*) over the charity table ...")
    baseline_rows, baseline_seconds = duckdb_count_zipped(charity)
    say(f"  baseline: {baseline_rows:,} rows in {baseline_seconds:.1f} s")
    measured = timed_import(CcewRegisterImporter(), charity)
    seconds = measured["seconds"]
    ratio = seconds / baseline_seconds
    return {
        "benchmark": "ccew",
        "backend": backend,
        "folder": str(folder),
        **measured,
        "baseline": "unzip charity table + DuckDB SELECT count(*) FROM read_csv",
        "baseline_rows": baseline_rows,
        "baseline_seconds": baseline_seconds,
        "ratio": ratio,
        "targets": "reported (no target set); ratio shown for comparison",
        "met": None,
    }
