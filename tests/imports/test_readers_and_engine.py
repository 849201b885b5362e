"""The shared reader and engine: renamed columns, header checks, rows filtered before parsing,
and row numbers that match the file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from commonground.imports.engine import (
    MAX_REJECTED_ROWS_KEPT,
    ImportContext,
    Importer,
    LoadCounts,
    run_import,
)
from commonground.imports.errors import FileRejected, RowRejected
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


def test_a_quote_left_open_is_reported_with_the_lines_it_joined(tmp_path: Path) -> None:
    path = tmp_path / "spend.csv"
    path.write_text(
        "payee,amount,date,purpose\n"
        'A,1,2026-04-01,"open\nB,2,2026-04-02,books\nC,3,2026-04-03,chairs"\n'  # closed later
        'E,5,2026-04-05,"ends\n'  # never closed
        "F,6,2026-04-06,fans\n"
    )

    rows = list(read_delimited(path))

    assert [r.number for r in rows] == [4, 6]
    assert rows[0].error == (
        "a value holds line breaks and what look like whole rows (it was read from lines 2 to 4: "
        "a quote opened on line 2 and not closed joins the lines after it into one value)"
    )
    assert rows[1].error.startswith("a value holds line breaks")
    assert "lines 5 to 6" in rows[1].error


def test_a_value_written_over_several_lines_is_read_as_one_value(tmp_path: Path) -> None:
    path = tmp_path / "charities.csv"
    path.write_text('name,address,postcode,town\nA,"1 High St\nFlat 2, rear",M33 1AA,Sale\n')

    (row,) = read_delimited(path)

    assert (row.error, row.data["address"]) == ("", "1 High St\nFlat 2, rear")


def test_a_file_separated_by_another_delimiter_is_refused_saying_which(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("id\tnote\n1\tx\n", encoding="utf-8")

    with pytest.raises(FileRejected, match="separated by tabs"):
        list(read_delimited(path, required_columns=("id", "note")))


def test_a_carriage_return_outside_quotes_is_refused_naming_its_line(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"id,note\n1,x\n2,ab\rcd\n3,y\n")

    with pytest.raises(FileRejected, match="carriage return in the middle of a line") as error:
        list(read_delimited(path, required_columns=("id", "note")))
    assert error.value.row == 3


@pytest.mark.parametrize("end", [b"\x1a", b"\x1a\r\n"])
def test_an_end_of_file_mark_after_the_last_row_is_not_a_row(tmp_path: Path, end: bytes) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"id,note\r\n1,x\r\n" + end)

    rows = list(read_delimited(path, required_columns=("id", "note")))

    assert [(r.number, r.data, r.error) for r in rows] == [(2, {"id": "1", "note": "x"}, "")]


@pytest.mark.django_db
def test_rows_filtered_before_parsing_count_as_read_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    path.write_text("id\n" + "".join(f"{n}\n" for n in range(1, 11)), encoding="utf-8")
    importer = Filtering()

    run = run_import(importer, path)

    assert run.status == ImportStatus.SUCCEEDED
    assert (run.rows_read, run.rows_loaded, run.rows_skipped) == (10, 5, 5)
    assert importer.loaded == ["2", "4", "6", "8", "10"]


class Keyed(Importer[tuple[str, int]]):
    """Loads (key, row) from a file with a `key` column; refuses rows whose key is 'bad'."""

    dataset = "test_keys"
    keys_held_in_memory = 3

    def rows(self, path: Path, context: ImportContext) -> Iterator[Row]:
        self.loaded: list[tuple[str, int]] = []
        return read_delimited(path, required_columns=("key",))

    def parse(self, row: Row) -> tuple[str, int]:
        if row.data["key"] == "bad":
            raise RowRejected("a bad key", "key")
        return row.data["key"], row.number

    def record_key(self, record: tuple[str, int]) -> str:
        return record[0]

    def load(self, records: list[tuple[str, int]], context: ImportContext) -> LoadCounts:
        self.loaded.extend(records)
        return LoadCounts(loaded=len(records))


@pytest.mark.django_db
def test_a_duplicate_far_from_its_first_row_is_refused_naming_that_row(tmp_path: Path) -> None:
    # More distinct keys than the importer holds in memory come between the two copies.
    keys = ["a", *(f"k{n}" for n in range(20)), "a", "k3"]
    path = tmp_path / "keys.csv"
    path.write_text("key\n" + "".join(f"{k}\n" for k in keys), encoding="utf-8")
    importer = Keyed()

    run = run_import(importer, path)

    assert run.status == ImportStatus.SUCCEEDED
    assert (run.rows_read, run.rows_loaded, run.rows_rejected) == (23, 21, 2)
    reasons = dict(run.rejected_rows.values_list("row_number", "reason"))
    assert reasons == {
        23: "duplicate of row 2 (same record key 'a')",
        24: "duplicate of row 6 (same record key 'k3')",
    }
    assert [key for key, _ in importer.loaded] == ["a", *(f"k{n}" for n in range(20))]


@pytest.mark.django_db
def test_every_refused_row_is_counted_though_only_the_first_ten_thousand_are_kept(
    tmp_path: Path,
) -> None:
    path = tmp_path / "keys.csv"
    path.write_text("key\n" + "bad\n" * (MAX_REJECTED_ROWS_KEPT + 5), encoding="utf-8")

    run = run_import(Keyed(), path)

    assert run.rows_rejected == MAX_REJECTED_ROWS_KEPT + 5
    assert run.rejected_rows.count() == MAX_REJECTED_ROWS_KEPT
    assert run.rejected_rows.order_by("row_number").first().row_number == 2
