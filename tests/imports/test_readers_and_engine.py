"""The shared reader and engine: renamed columns, header checks, rows filtered before parsing,
and row numbers that match the file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from commonground.imports.engine import ImportContext, Importer, LoadCounts, run_import
from commonground.imports.errors import FileRejected
from commonground.imports.models import ImportStatus
from commonground.imports.readers import Row, read_delimited


def test_a_column_alias_is_read_under_the_importers_name(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Full Registation Number,Name\n1R,A\n", encoding="utf-8")

    rows = list(
        read_delimited(
            path,
            required_columns=("Full Registration Number", "Name"),
            column_aliases={"Full Registation Number": "Full Registration Number"},
        )
    )

    assert rows[0].data == {"Full Registration Number": "1R", "Name": "A"}


def test_a_repeated_header_is_refused_naming_the_column(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("id,name,name\n1,a,b\n", encoding="utf-8")

    with pytest.raises(FileRejected) as error:
        list(read_delimited(path, required_columns=("id",)))

    assert error.value.message == "a.csv, row 1: the header repeats column(s): name"


def test_row_numbers_are_physical_lines_and_blank_lines_are_passed_over(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text('id,note\n1,"two\nlines"\n\n2,x\n3\n', encoding="utf-8")

    rows = list(read_delimited(path, required_columns=("id", "note")))

    assert [(r.number, r.data.get("id"), r.error) for r in rows] == [
        (3, "1", ""),
        (5, "2", ""),
        (6, None, "the row has 1 fields; the header has 2"),
    ]


class Filtering(Importer[str]):
    """Reads ids, filtering out odd ones before parsing (as a large-file reader would)."""

    dataset = "test"
    loaded: list[str]

    def rows(self, path: Path, context: ImportContext) -> Iterator[Row]:
        self.loaded = []
        kept = 0
        total = 0
        for row in read_delimited(path, required_columns=("id",)):
            total += 1
            if int(row.data["id"]) % 2 == 0:
                kept += 1
                yield row
        context.skip(total - kept)

    def parse(self, row: Row) -> str:
        return row.data["id"]

    def record_key(self, record: str) -> str:
        return record

    def load(self, records: list[str], context: ImportContext) -> LoadCounts:
        self.loaded.extend(records)
        return LoadCounts(loaded=len(records))


@pytest.mark.django_db
def test_rows_filtered_before_parsing_count_as_read_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    path.write_text("id\n" + "".join(f"{n}\n" for n in range(1, 11)), encoding="utf-8")
    importer = Filtering()

    run = run_import(importer, path)

    assert run.status == ImportStatus.SUCCEEDED
    assert (run.rows_read, run.rows_loaded, run.rows_skipped) == (10, 5, 5)
    assert importer.loaded == ["2", "4", "6", "8", "10"]
